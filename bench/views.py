"""Reference views of `make bench`: behind the same middleware stack and gunicorn as every other view."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .models import BenchInsert

MAX_BODY_CHARS = 8192


@require_GET
def ceiling(request: HttpRequest) -> HttpResponse:
    """The framework ceiling: nothing but a small response."""
    return HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")


@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    """One INSERT per POST (a form POST checked for CSRF, like the quiz answer)."""
    BenchInsert.objects.create(body=request.body.decode("utf-8", "replace")[:MAX_BODY_CHARS], created_at=timezone.now())
    return HttpResponse(b"ok\n", status=201, content_type="text/plain; charset=utf-8")


# Like the xAPI endpoint: a JSON POST without CSRF (the xAPI endpoint is authorised by a signed token).
insert_json = csrf_exempt(insert)

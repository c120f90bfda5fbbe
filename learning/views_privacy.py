"""Privacy views: a signed-in person downloads their own data as JSON."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from .audit import AuditAction, audit_record
from .retention import user_data_export


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    data = user_data_export(user=request.user, at=at)
    audit_record(actor=request.user, action=AuditAction.DATA_EXPORTED, target=request.user, at=at)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="mine-data-{at:%Y-%m-%d}.json"'
    response["Cache-Control"] = "no-store"
    return response

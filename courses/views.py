"""Thin views of the course pages that are not Wagtail pages: marking a lesson as completed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import LessonPage
from .services import lesson_complete, lesson_completes_by_h5p, lesson_neighbours


@login_required
@require_POST
def lesson_mark_complete(request: HttpRequest, page_id: int) -> HttpResponse:
    lesson = get_object_or_404(LessonPage.objects.live(), pk=page_id)
    if lesson_completes_by_h5p(lesson=lesson):
        messages.info(request, _("Lektionen bliver gennemført, når du har gennemført aktiviteten."))
        return redirect(lesson.get_url(request))
    lesson_complete(user=request.user, lesson=lesson, at=timezone.now())
    messages.success(
        request, _("Lektionen »%(title)s« er markeret som gennemført.") % {"title": lesson.title}
    )
    _previous, following = lesson_neighbours(lesson=lesson)
    target = following or lesson.get_parent()
    return redirect(target.get_url(request))

"""Template tags for embedding H5P activities."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone

from interactive.models import H5PActivity
from interactive.services import playback_token_create

register = template.Library()


@register.simple_tag(takes_context=True)
def h5p_play_url(context, activity: H5PActivity | None, lesson=None) -> str:
    """The sandboxed player URL for the signed-in user, or "" when the activity cannot be played.

    The lesson defaults to the page being rendered (`page` in the context): completing the activity
    completes that lesson.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if (
        not isinstance(activity, H5PActivity)
        or not activity.is_ready
        or user is None
        or not user.is_authenticated
    ):
        return ""
    lesson = lesson if lesson is not None else context.get("page")
    token = playback_token_create(
        activity=activity, user=user, lesson_page_id=getattr(lesson, "pk", None), at=timezone.now()
    )
    return reverse("interactive:play", kwargs={"token": token})

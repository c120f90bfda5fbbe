"""Template helpers of the course pages."""

from __future__ import annotations

from django import template
from django.template.loader import get_template

from courses.services import user_resume_targets

register = template.Library()


@register.filter
def template_exists(name: str) -> bool:
    """Whether a template can be loaded, e.g. one another app has not written yet."""
    try:
        get_template(name)
    except template.TemplateDoesNotExist:
        return False
    return True


@register.simple_tag(takes_context=True)
def course_resume_targets(context) -> list:
    """Resume targets ("Fortsæt hvor du slap") of the signed-in user for every live course in the
    active language; empty for anonymous visitors."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return user_resume_targets(user=user)

"""Template helpers of the quizzes app."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def has_practice(page: object) -> bool:
    """Whether the page's body holds a practice scenario (read from the raw stream: no query), so the
    page loads the quiz styles and htmx only where a practice form is."""
    raw = getattr(getattr(page, "body", None), "raw_data", None)
    return any(isinstance(block, dict) and block.get("type") == "scenario" for block in raw or ())

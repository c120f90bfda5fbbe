"""What every page of the site shell needs: the navigation and the current user's roles."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .roles import ROLE_LABELS, Role, user_roles


def _concern_guide_url(request: HttpRequest) -> str | None:
    """The live concern guide in the current language: one query (Wagtail caches the site root paths)."""
    from .models import ConcernGuidePage

    language = (get_language() or "da").split("-")[0]
    page = ConcernGuidePage.objects.live().filter(locale__language_code=language).only("id", "url_path").first()
    return page.get_url(request=request) if page is not None else None


def site_shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    roles = user_roles(user) if user is not None else frozenset()
    nav = [{"label": _("Forside"), "url": "/"}]
    if user is not None and user.is_authenticated:
        nav.append({"label": _("Mit overblik"), "url": reverse("dashboard")})
    guide_url = _concern_guide_url(request)
    if guide_url:
        nav.append({"label": _("Bekymringsguide"), "url": guide_url})
    return {
        "site_nav": nav,
        "user_roles": roles,
        "user_role_labels": [str(ROLE_LABELS[role]) for role in Role if role in roles],
        "Role": Role,
    }

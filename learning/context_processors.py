"""What every page of the site shell needs: the navigation and the current user's roles."""

import hashlib

from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .cache import PAGE_CACHE_SECONDS, request_page_cache_version
from .roles import ROLE_LABELS, Role, user_roles


def _concern_guide_url(request: HttpRequest) -> str | None:
    """The live concern guide in the current language. Read once per page-cache version, language and
    host (the URL is relative to the request's site), so a page view makes no query for it; publishing,
    moving or unpublishing any page bumps the version (learning.cache)."""
    from .models import ConcernGuidePage

    language = (get_language() or "da").split("-")[0]
    host = hashlib.sha256(request.get_host().encode("utf-8", "surrogatepass")).hexdigest()[:32]
    key = f"concernguide:url:{request_page_cache_version(request)}:{language}:{host}"
    cached = cache.get(key)
    if cached is not None:
        return cached or None  # "" stands for "no live guide in this language"
    page = ConcernGuidePage.objects.live().filter(locale__language_code=language).only("id", "url_path").first()
    url = page.get_url(request=request) if page is not None else None
    cache.set(key, url or "", PAGE_CACHE_SECONDS)
    return url


def _site_nav(request: HttpRequest, user) -> list[dict]:
    nav = [{"label": _("Forside"), "url": "/"}]
    if user is not None and user.is_authenticated:
        nav.append({"label": _("Mit overblik"), "url": reverse("dashboard")})
    guide_url = _concern_guide_url(request)
    if guide_url:
        nav.append({"label": _("Bekymringsguide"), "url": guide_url})
    return nav


def site_shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    roles = user_roles(user) if user is not None else frozenset()
    return {
        # Built when a template shows it (the site shell), not for fragments that never do (its query).
        "site_nav": SimpleLazyObject(lambda: _site_nav(request, user)),
        "user_roles": roles,
        "user_role_labels": [str(ROLE_LABELS[role]) for role in Role if role in roles],
        "Role": Role,
    }

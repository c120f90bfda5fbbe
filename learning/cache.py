"""Full-page cache of public Wagtail pages for anonymous visitors.

A GET of a Wagtail page by a visitor without a session cookie (nobody signed in, no messages waiting)
is served from the cache. Only responses that are the same for every anonymous visitor are stored:
status 200 HTML from Wagtail's page serving, no query string, no cookie set other than the CSRF cookie,
no ``Cache-Control: private/no-cache/no-store``. Pages behind login redirect anonymous visitors (302)
and are never stored.

CSRF: every page carries the language switcher's form. The stored copy holds a placeholder instead of
the token; each hit fills in a token of its own (``get_token``), and the CSRF middleware sets the cookie
as usual, so no visitor ever gets another visitor's token.

Invalidation: publishing, unpublishing, moving, saving or deleting any page (or a site, or a page's view
restriction) bumps a version number in the cache (``page_cache_bump``), which every key includes; a
timeout bounds anything else (snippets, settings) to ``PAGE_CACHE_SECONDS``. The signed-in page caches
(``learning.page_routes``, ``courses.page_cache``) key on the same version.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import translation

PAGE_CACHE_SECONDS = 300
VERSION_KEY = "pagecache:version"
TOKEN_PLACEHOLDER = "__forebyg_csrf_token__"  # noqa: S105 (a marker, not a secret)
TOKEN_RE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PRIVATE_CACHE_CONTROL = ("private", "no-cache", "no-store")


def page_cache_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return version


def request_page_cache_version(request: HttpRequest) -> int:
    """The version, read once per request (the route, the outline, the lesson body and the navigation of
    one signed-in page view all key on it: one cache round trip instead of four)."""
    version = getattr(request, "_forebyg_page_cache_version", None)
    if version is None:
        version = page_cache_version()
        request._forebyg_page_cache_version = version
    return version


def page_cache_bump() -> None:
    """Invalidate every cached page (the next request of each page renders it again)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: nothing cached under a version either
        cache.add(VERSION_KEY, 1, timeout=None)


def page_cache_key(*, version: int, language: str, host: str, path: str) -> str:
    # The host and path come from the client: hash them so any URL gives a short, safe key
    # (memcached-safe too: no spaces, control characters or lengths beyond 250).
    digest = hashlib.sha256(f"{host}\n{path}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"pagecache:{version}:{language}:{digest}"


def request_is_cacheable(request: HttpRequest) -> bool:
    """An anonymous GET/HEAD without a query string, session or pending messages."""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def response_is_cacheable(request: HttpRequest, response: HttpResponseBase) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name != "wagtail_serve":
        return False
    if response.status_code != 200 or response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in PRIVATE_CACHE_CONTROL):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    # Only the CSRF cookie may be set (it is re-issued per visitor on every hit).
    return all(name == settings.CSRF_COOKIE_NAME for name in response.cookies)


class AnonymousPageCacheMiddleware:
    """Serve public Wagtail pages to anonymous visitors from the cache (see the module docstring).

    Listed right after CsrfViewMiddleware, so the CSRF cookie of a hit is set by that middleware, and
    the security headers of the middleware above it are added to every hit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request_is_cacheable(request):
            return self.get_response(request)
        key = page_cache_key(
            version=page_cache_version(),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            host=request.get_host(),
            path=request.path,
        )
        stored = cache.get(key)
        if stored is not None:
            return self._from_cache(request, stored)
        response = self.get_response(request)
        if response_is_cacheable(request, response):
            content = TOKEN_RE.sub(rf"\g<1>{TOKEN_PLACEHOLDER}\g<2>", response.content.decode(response.charset))
            headers = [(k, v) for k, v in response.items() if k.lower() not in ("set-cookie", "content-length")]
            cache.set(key, (content, headers), PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def _from_cache(request: HttpRequest, stored: tuple[str, list[tuple[str, str]]]) -> HttpResponse:
        content, headers = stored
        if TOKEN_PLACEHOLDER in content:
            content = content.replace(TOKEN_PLACEHOLDER, get_token(request))
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        if request.method == "HEAD":
            response.content = b""
        return response


def on_page_changed(sender=None, **kwargs) -> None:
    """Signal receiver: only calls the service."""
    page_cache_bump()


def on_model_saved_or_deleted(sender=None, instance=None, **kwargs) -> None:
    """Any write to a page, a site or a page's view restriction (also without publishing, e.g. a page
    added by code) invalidates: cached routes and view-restriction paths (``learning.page_routes``)
    key on the same version."""
    from wagtail.models import Page, PageViewRestriction, Site

    if isinstance(instance, Page | Site | PageViewRestriction):
        page_cache_bump()


def page_cache_signals_connect() -> None:
    """Connect the invalidation receivers (called from LearningConfig.ready)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(on_page_changed, dispatch_uid="forebyg-pagecache-published")
    page_unpublished.connect(on_page_changed, dispatch_uid="forebyg-pagecache-unpublished")
    post_page_move.connect(on_page_changed, dispatch_uid="forebyg-pagecache-moved")
    post_save.connect(on_model_saved_or_deleted, dispatch_uid="forebyg-pagecache-saved")
    post_delete.connect(on_model_saved_or_deleted, dispatch_uid="forebyg-pagecache-deleted")

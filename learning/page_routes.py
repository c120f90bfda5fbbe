"""Routing of Wagtail pages from the cache, and view restrictions read from a cached set of paths.

Wagtail routes a URL by walking the tree from the site's root: per URL level one query for the child
page and one for its specific row, plus the site, the localized root and its locale, and one query for
the view restrictions of the page and its ancestors (~11 queries for a lesson six levels deep). Every
signed-in page view paid that.

``PageRouteCacheMiddleware`` remembers, per (host, language, path), what Wagtail's own routing found:
the site and the specific page (read with its locale), and whether a view restriction applies to it.
The next request gets them from the cache with no query, handed to Wagtail's ``serve`` view through the
attributes Wagtail itself caches its routing on (``request._wagtail_site``,
``request._wagtail_route_for_request``; see ``Page.route_for_request``), so Wagtail's serve view, its
``on_serve_page`` / ``before_serve_page`` hooks (view restrictions) and the page's ``serve()`` run
exactly as before. Every request unpickles its own copy of the page.

Pages opt in with ``route_cacheable = True`` on their class: the course tree (``courses.models.
LoginRequiredPage``), which signed-in learners browse and which the anonymous page cache never serves.
Other pages are routed by Wagtail as before (public pages reach anonymous visitors from that full-page
cache). Only routes that Wagtail's default ``Page.route`` produced are stored (no arguments; a class
that overrides ``route()``, e.g. a routable page, is always routed by Wagtail).

Invalidation: every key includes the page-cache version of ``learning.cache``, bumped by any page or site
save (a draft saved as a revision too), move, (un)publish or delete and by any change to a view
restriction; so the stored page is the row as it is now. ``PAGE_CACHE_SECONDS`` bounds anything that
bypasses the model signals (e.g. a bulk ``QuerySet.update`` of pages).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from .cache import PAGE_CACHE_SECONDS, page_cache_version, request_page_cache_version

ROUTE_SCHEMA = 3  # bump when RouteEntry changes shape (entries written by older code are then ignored)


@dataclass(frozen=True)
class RouteEntry:
    site: Site
    page: Page  # the specific page, its locale loaded (templates read page.locale)
    restricted: bool  # a view restriction applies to the page (checked by Wagtail as usual), or none does


def _route_key(*, version: int, request: HttpRequest, path: str) -> str:
    # Host, port and path come from the client: hashed into a short, safe key (as learning.cache does).
    raw = f"{request._get_raw_host()}\n{request.get_port()}\n{path}"
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
    language = translation.get_language() or ""
    return f"pageroute:{ROUTE_SCHEMA}:{version}:{language}:{digest}"


def _entry_for(*, request: HttpRequest, route) -> RouteEntry | None:
    """What to store for a route Wagtail found, or None when it must not be stored."""
    if route is None:
        return None
    page, args, kwargs = route
    site = Site.find_for_request(request)
    if site is None or args or kwargs or type(page).route is not Page.route:
        return None
    if not getattr(type(page), "route_cacheable", False):
        return None
    # A clean copy of the row with its locale (the routed instance carries its parents along).
    stored = type(page)._default_manager.select_related("locale").filter(pk=page.pk).first()
    if stored is None:
        return None
    return RouteEntry(
        site=site, page=stored, restricted=_is_restricted(page, version=request_page_cache_version(request))
    )


def page_route_for_request(*, request: HttpRequest, path: str):
    """Route `path` like Wagtail does (``Page.route_for_request``), from the cache when possible.

    The result is left on the request where Wagtail's serve view looks for it."""
    key = _route_key(version=request_page_cache_version(request), request=request, path=path)
    entry = cache.get(key)
    if isinstance(entry, RouteEntry):
        page = entry.page
        if not entry.restricted:
            page._forebyg_unrestricted = True  # read by page_view_restrictions: no cache look-up either
        request._wagtail_site = entry.site
        request._wagtail_route_for_request = route = RouteResult(page)
        return route
    route = Page.route_for_request(request, path)
    entry = _entry_for(request=request, route=route)
    if entry is not None:
        cache.set(key, entry, PAGE_CACHE_SECONDS)
    return route


class PageRouteCacheMiddleware:
    """Routes requests for Wagtail's page-serving view from the cache (see the module docstring).

    Only ``process_view``: it runs after the URL is resolved (the language prefix is stripped, the
    language is active) and before Wagtail's serve view, for that view only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if view_func is not wagtail_views.serve or hasattr(request, "_wagtail_route_for_request"):
            return None
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        page_route_for_request(request=request, path=path)
        return None


# --- View restrictions ---------------------------------------------------------------------------------
# Wagtail reads the view restrictions of a page and all its ancestors on every serve (one query for the
# ancestors, one for the restrictions). Here: the tree paths under which any restriction applies, read
# once per page-cache version; a page under none of them has none (no query).

ALIAS_DEPTH_LIMIT = 10


def _restricted_paths_compute() -> tuple[str, ...]:
    """Tree paths of the pages whose restrictions Wagtail would apply to their subtree: the restricted
    pages that are not aliases, and the aliases (of aliases …) of those pages (Wagtail checks an alias's
    source instead of the alias)."""
    restricted = set(PageViewRestriction.objects.values_list("page_id", flat=True))
    if not restricted:
        return ()
    resolving = set(
        Page.objects.filter(pk__in=restricted, alias_of__isnull=True).values_list("pk", flat=True)
    )
    frontier = resolving
    for _depth in range(ALIAS_DEPTH_LIMIT):
        frontier = set(Page.objects.filter(alias_of_id__in=frontier).values_list("pk", flat=True)) - resolving
        if not frontier:
            break
        resolving |= frontier
    return tuple(Page.objects.filter(pk__in=resolving).values_list("path", flat=True))


def restricted_paths(*, version: int) -> tuple[str, ...]:
    key = f"pageroute:restricted:{ROUTE_SCHEMA}:{version}"
    paths = cache.get(key)
    if paths is None:
        paths = _restricted_paths_compute()
        cache.set(key, paths, PAGE_CACHE_SECONDS)
    return paths


def _is_restricted(page: Page, *, version: int) -> bool:
    return any(page.path.startswith(path) for path in restricted_paths(version=version))


def page_view_restrictions(*, page: Page, fallback: Callable[[], QuerySet]) -> QuerySet:
    """The view restrictions that apply to `page`: none (no query) when neither the page nor an ancestor
    is restricted, else Wagtail's own query (`fallback`). A page routed from the cache already knows
    (its route entry says so, under the same version)."""
    if getattr(page, "_forebyg_unrestricted", False) or not _is_restricted(
        page, version=page_cache_version()
    ):
        return PageViewRestriction.objects.none()
    return fallback()

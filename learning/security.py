"""Cross-cutting security and reliability checks.

* ``check_redis_eviction_policy``: a system check (``learning.W010``/``W011``) warning when the Redis
  behind the cache and broker may evict keys (queued tasks and rate-limit counters would silently
  vanish). Only when REDIS_URL is set; an unreachable Redis is a warning, never an error at check time.
* ``django_admin_login`` / ``login_to_allauth``: Django's admin login form and Wagtail's two login forms are
  replaced by allauth's login (rate limits and second factor apply to every way in).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

REDIS_REQUIRED_POLICY = "noeviction"


def redis_maxmemory_policy(*, url: str, timeout: float = 2.0) -> str:
    """Ask Redis for its maxmemory-policy. Raises redis' exceptions when it cannot be reached."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        return str(client.config_get("maxmemory-policy").get("maxmemory-policy", ""))
    finally:
        client.close()


@register("learning", deploy=False)
def check_redis_eviction_policy(app_configs=None, **kwargs) -> list[CheckMessage]:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return []
    import redis

    try:
        policy = redis_maxmemory_policy(url=url)
    except redis.RedisError as error:
        return [
            Warning(
                f"Redis kunne ikke nås ved opstart ({type(error).__name__}); maxmemory-policy er ikke kontrolleret.",
                hint="Kontrollér REDIS_URL, og at Redis kører med maxmemory-policy noeviction.",
                id="learning.W011",
            )
        ]
    if policy != REDIS_REQUIRED_POLICY:
        return [
            Warning(
                f"Redis kører med maxmemory-policy '{policy}'. Køede opgaver og rate-limit-tællere kan "
                "forsvinde, når hukommelsen er fuld.",
                hint="Sæt 'maxmemory-policy noeviction' i redis.conf (eller CONFIG SET maxmemory-policy noeviction).",
                id="learning.W010",
            )
        ]
    return []


def login_to_allauth(request: HttpRequest, *, default: str) -> HttpResponseRedirect:
    """Send a login form that is not allauth's to allauth's login, keeping a safe ``next``.

    Wagtail's admin login (/admin/login/) and its private-page login (/_util/login/) are Django's plain
    LoginView: left in place they would let a password alone in, without rate limits or the second factor.
    """
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = resolve_url(default)
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


def django_admin_login(request: HttpRequest) -> HttpResponseRedirect:
    """Send /django-admin/login/ to allauth's login, keeping a safe ``next``."""
    return login_to_allauth(request, default="admin:index")

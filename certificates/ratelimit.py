"""A small fixed-window rate limit per client IP, kept in the Django cache (shared via Redis in production)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with TRUSTED_PROXY_COUNT = n > 0 the n-th X-Forwarded-For entry from the right.

    Each trusted proxy appends the address it received the request from, so the right-most n entries
    were written by our own proxies and the n-th from the right is the client as our outermost proxy
    saw it. Anything further left is whatever the client chose to send and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window_seconds: int, at: datetime) -> bool:
    """Count one hit for `key` in the current window; True once more than `limit` hits were counted."""
    window = int(at.timestamp()) // window_seconds
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{window}"
    cache.add(cache_key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds + 5)
        count = 1
    return count > limit

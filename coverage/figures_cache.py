"""The coordinators' figures, kept in the cache between the events that change them.

A dashboard is read far more often than a municipality's training picture changes, and computing it for
a large municipality costs tens of milliseconds in PostgreSQL (docs/benchmarks.md). So the computed
``Coverage`` of a target, and the national overview, are cached under version tokens:

* each municipality has a token, replaced (after the commit) whenever something its figures are made of
  changes: a person's summary rows (``coverage.summary``: training events, certificates, moves, roles),
  one of its departments or training targets (``CoverageConfig.ready`` connects those models' saves);
* one national token, replaced with every municipality's token (it keys the national overview);
* one epoch, replaced by a bulk rebuild of the summary (it keys everything).

Time alone also changes figures (a certificate expires at its own moment, "expiring within 60 days"
moves each day), so nothing is kept longer than ``FIGURES_TIMEOUT``; the dashboard says when its figures
were computed. A token is replaced after the transaction commits, so a reader never stores the picture
from before a change under the token from after it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

FIGURES_TIMEOUT = 120  # seconds: how old a cached figure may be at most
_EPOCH = "coverage:v:epoch"
_NATIONAL = "coverage:v:national"

T = TypeVar("T")


def _municipality_key(municipality_id: int) -> str:
    return f"coverage:v:m:{municipality_id}"


def _tokens(keys: list[str]) -> list[str]:
    """The current token of each key, made on first use (a token lost from the cache just starts anew)."""
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, uuid.uuid4().hex, timeout=None)
    if missing:
        found.update(cache.get_many(missing))
    return [str(found.get(key, "")) for key in keys]


def _replace(keys: Iterable[str]) -> None:
    cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)


def coverage_figures_changed(*, municipality_ids: Iterable[int | None]) -> None:
    """Figures of these municipalities (and so the national overview) changed: forget them after commit."""
    keys = {_municipality_key(pk) for pk in municipality_ids if pk is not None}
    if keys:
        transaction.on_commit(lambda: _replace([*keys, _NATIONAL]))


def coverage_figures_all_changed() -> None:
    """Everything may have changed (a bulk rebuild of the summary): forget every figure after commit."""
    transaction.on_commit(coverage_figures_forget_all)


def coverage_figures_forget_all() -> None:
    """Forget every cached figure now."""
    _replace([_EPOCH, _NATIONAL])


def _cached(key_parts: list[str], compute: Callable[[], T], *, fresh: Callable[[T], bool] = lambda _v: True) -> T:
    key = ":".join(["coverage:fig", *key_parts, get_language() or ""])
    value = cache.get(key)
    if value is None or not fresh(value):
        value = compute()
        cache.set(key, value, FIGURES_TIMEOUT)
    return value


def coverage_for_target(*, target, at: dt.datetime, compute: Callable[[], T]) -> T:
    """The target's figures as ``compute`` makes them (a ``Coverage`` as of ``at``), from the cache while
    nothing they depend on changed and the copy was computed at most ``FIGURES_TIMEOUT`` seconds before
    ``at`` (never after it)."""
    epoch, municipality = _tokens([_EPOCH, _municipality_key(target.municipality_id)])

    def fresh(value) -> bool:
        computed_at = value.ctx.at
        return at - dt.timedelta(seconds=FIGURES_TIMEOUT) <= computed_at <= at

    return _cached(["target", str(target.pk), epoch, municipality], compute, fresh=fresh)


def national_figures(*, compute: Callable[[], T]) -> T:
    """The national overview from the cache while no municipality's figures changed (at most
    ``FIGURES_TIMEOUT`` seconds)."""
    epoch, national = _tokens([_EPOCH, _NATIONAL])
    return _cached(["national", epoch, national], compute)

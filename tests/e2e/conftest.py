"""Shared fixtures for the browser journeys: one Chromium per session, the demo content on a live server,
log-in helpers, an axe-core check and a screenshot helper.

Every journey runs against pytest-django's `live_server`. The live server answers from another thread,
so the data it serves must be committed: the journeys use `transactional_db` (via the marker
`django_db(transaction=True)`) and seed the demo content with the shared `demo` fixture, exactly like
tests/classroom/test_browser.py and tests/interactive/test_browser.py.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, NO_CHROMIUM, chromium_launch

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

DEMO_PASSWORD = "demo-Forebyg-2026"  # the printed demo password, see learning/demo.py


@pytest.fixture
def browser():
    """Chromium for one journey; each journey opens its own contexts.

    Deliberately not session-scoped: while Playwright's sync API is running, Django sees an event loop
    in this thread and hands out another database connection object (asgiref's Local), which made the
    test database's set-up and teardown between journeys unreliable. Started after the database fixtures
    and closed before their teardown, it costs about a second per journey.
    """
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = chromium_launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def wagtail_baseline(transactional_db):
    """What Wagtail's migrations create and a transactional test's flush removes: the default locale, the
    root page and the root collection. Recreated when missing, so a journey does not depend on which
    transactional test ran before it (`serialized_rollback` is not used: mixed with the other browser tests'
    plain flushes, restoring it collides with the role groups that post_migrate has already recreated).
    """
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    locale = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)[0]
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


@pytest.fixture
def site(wagtail_baseline, demo, live_server):
    """The demo content, committed, served by the live server; returns the server's base URL."""
    return live_server.url


@pytest.fixture
def new_page(browser):
    """Open pages in fresh contexts (Danish, desktop size unless told); every context is closed afterwards.

    Each page collects uncaught script errors in `page.errors` so a journey can assert there were none.
    """
    contexts = []

    def _open(*, width: int = 1280, height: int = 900, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="da-DK", **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield _open
    for context in contexts:
        context.close()


# --- accessibility ------------------------------------------------------------------------------------


def _axe_in(frame, *, exclude_rules: Iterable[str], exclude: Iterable[str]) -> list[dict]:
    """Run axe in one frame (injected through DevTools, so the site's CSP does not block it)."""
    # Let finite CSS animations and transitions end first: a message fading in is checked as it settles,
    # not in a half-transparent frame (at most two seconds; endless spinners are not waited for).
    frame.evaluate(
        "() => Promise.race([new Promise(done => setTimeout(done, 2000)), Promise.all(document.getAnimations()"
        "  .filter(a => a.effect && a.effect.getTiming().iterations !== Infinity)"
        "  .map(a => a.finished.catch(() => null)))])"
    )
    if not frame.evaluate("() => typeof window.axe === 'object'"):
        frame.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "rules": {rule: {"enabled": False} for rule in exclude_rules},
        # Child frames are checked one by one below: axe cannot message into a sandboxed, opaque-origin
        # frame, and would otherwise wait a minute for an answer.
        "iframes": False,
        "resultTypes": ["violations"],
    }
    context = {"exclude": [[selector] for selector in exclude]} if exclude else "document"
    result = frame.evaluate(
        "async ([context, options]) => {"
        "  const target = context === 'document' ? document : {include: [document], exclude: context.exclude};"
        "  const r = await axe.run(target, options);"
        "  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
        "    nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary, html: n.html}))}));"
        "}",
        [context, options],
    )
    return result


def axe(
    page,
    context_name: str,
    *,
    exclude_rules: Iterable[str] = (),
    exclude: Iterable[str] = (),
    frames: bool = True,
) -> None:
    """Assert that `page` (and, with `frames`, each child frame with content) has zero WCAG 2.0/2.1 A and AA
    violations according to axe-core. Prints each violation's id, impact, help and the offending nodes.

    `exclude_rules` switches off rule ids we cannot fix (third-party markup only; each caller says why);
    `exclude` takes CSS selectors of regions left out of the check.
    """
    page.wait_for_load_state("load")
    found: list[tuple[str, dict]] = []
    for violation in _axe_in(page.main_frame, exclude_rules=exclude_rules, exclude=exclude):
        found.append((page.url, violation))
    if frames:
        for frame in page.main_frame.child_frames:
            if not frame.url or frame.url == "about:blank":
                continue
            for violation in _axe_in(frame, exclude_rules=exclude_rules, exclude=()):
                found.append((frame.url, violation))
    if found:
        lines = [f"axe: {len(found)} WCAG-overtrædelse(r) på «{context_name}»:"]
        for url, violation in found:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} [{url}]")
            for node in violation["nodes"][:8]:
                lines.append(f"    {json.dumps(node['target'], ensure_ascii=False)}  {node['html'][:160]}")
                lines.append(f"      {(node['summary'] or '').splitlines()[-1][:200]}")
        message = "\n".join(lines)
        print(message)
        pytest.fail(message, pytrace=False)


# --- screenshots, layout, waiting ------------------------------------------------------------------------


def shot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of the page to test-results/e2e-<name>.png (git-ignored) and return its path."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"e2e-{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def assert_no_horizontal_scroll(page, where: str) -> None:
    width, scroll = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
    if scroll > width:
        wide = page.evaluate(
            "() => [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
            ".slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className) : ''))"
        )
        pytest.fail(f"Vandret scroll på «{where}» ved {width}px: scrollWidth={scroll}; for brede: {wide}")


def wait_for(predicate: Callable, timeout: float = 15.0):
    """Poll the database while the live server writes to it (SQLite may report a table lock meanwhile)."""
    from django.db import OperationalError

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if value := predicate():
                return value
        except OperationalError:
            pass
        time.sleep(0.1)
    return predicate()


# --- logging in ---------------------------------------------------------------------------------------


def log_in(page, base_url: str, *, email: str, password: str = DEMO_PASSWORD, check: Callable | None = None):
    """Log in through the real form; with a second factor, type the current TOTP code on the next page.

    `check(page, state)` is called on each page state on the way (e.g. to run axe on it).
    """
    from django.utils import timezone

    from learning.mfa import user_has_mfa, user_totp_code
    from learning.models import User

    page.goto(f"{base_url}/konto/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("load")
    user = User.objects.get(email=email)
    if user_has_mfa(user):
        page.wait_for_url("**/2fa/authenticate/**")
        if check:
            check(page, "mfa")
        page.get_by_label("Kode").fill(user_totp_code(user=user, at=timezone.now()))
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_load_state("load")
    return user

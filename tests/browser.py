"""What every browser test shares: Debian's Chromium, the flags it needs on this closed network, the marks.

Importing this module also lets Django's ORM run beside Playwright's sync API (which runs an event loop in
the test's thread).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_CHROMIUM = "Chromium (/usr/bin/chromium) er ikke installeret: apt-get install chromium"
BROWSER_MARKS = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]


def chromium_launch(playwright):
    """Debian's Chromium, headless, with ``ARGS``."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)

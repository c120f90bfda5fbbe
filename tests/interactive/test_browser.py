"""Plays the demo knowledge check in its sandboxed iframe in Chromium and checks what the server recorded."""

from __future__ import annotations

import time

import pytest

from tests.browser import BROWSER_MARKS, chromium_launch

pytestmark = BROWSER_MARKS


def wait_for(predicate, timeout: float = 15.0):
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


@pytest.mark.django_db(transaction=True)
def test_learner_plays_the_demo_activity_in_the_sandbox(live_server, demo, client):
    from playwright.sync_api import sync_playwright

    from courses.models import LessonPage, LessonProgress
    from interactive.models import H5PActivity, XAPIStatement
    from tests.factories import UserFactory

    activity = H5PActivity.objects.get(slug="tjek-modul-1-tipping-point")
    lesson = next(
        page
        for page in LessonPage.objects.live().filter(locale__language_code="da")
        if any(block.block_type == "h5p" and block.value == activity for block in page.body)
    )
    learner = UserFactory()
    client.force_login(learner)
    session = client.cookies["sessionid"].value

    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        try:
            context = browser.new_context()
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
            page = context.new_page()
            errors: list[str] = []
            console: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
            page.goto(live_server.url + lesson.url)

            iframe = page.locator("iframe[data-h5p-embed]")
            assert iframe.get_attribute("sandbox") == "allow-scripts"
            frame = page.frame_locator("iframe[data-h5p-embed]")
            frame.locator("legend").filter(has_text="tipping point").wait_for(timeout=15000)

            # The activity runs in an opaque origin: no access to the platform's page or cookies.
            player = next(f for f in page.frames if "/h5p/play/" in f.url)
            assert player.evaluate("() => window.origin") == "null"
            assert (
                player.evaluate(
                    "() => { try { return window.parent.document.title } catch (e) { return 'blokeret:' + e.name } }"
                )
                == "blokeret:SecurityError"
            )
            assert (
                player.evaluate(
                    "() => { try { return document.cookie } catch (e) { return 'blokeret:' + e.name } }"
                )
                == "blokeret:SecurityError"
            )

            # A wrong answer first: recorded, but the lesson is not completed.
            frame.get_by_label("Når personen bliver mere religiøs", exact=False).check()
            frame.get_by_role("button", name="Tjek svar").click()
            frame.get_by_text("Ikke rigtigt.").wait_for()
            assert wait_for(lambda: XAPIStatement.objects.filter(user=learner, success=False).count() >= 2)
            assert wait_for(
                lambda: not LessonProgress.objects.filter(user=learner, completed_at__isnull=False).exists()
            )

            frame.get_by_role("button", name="Prøv igen").click()
            frame.get_by_label("Det punkt, hvor personen bliver parat til at handle", exact=False).check()
            frame.get_by_role("button", name="Tjek svar").click()
            frame.get_by_text("Rigtigt.").wait_for()

            assert wait_for(
                lambda: LessonProgress.objects.filter(
                    user=learner, lesson=lesson, completed_at__isnull=False
                ).exists()
            )
            answered = wait_for(
                lambda: XAPIStatement.objects.filter(
                    user=learner, success=True, verb__endswith="/answered"
                ).first()
            )
            assert answered.activity == activity
            assert answered.lesson_page_id == lesson.pk
            assert answered.score_scaled == 1.0
            assert "actor" not in answered.raw
            assert errors == []
            # No CSP violation ("Refused to …"), no sandbox error and no player failure on the way.
            assert [line for line in console if "Refused" in line or "Error" in line or "H5P:" in line] == []
        finally:
            browser.close()

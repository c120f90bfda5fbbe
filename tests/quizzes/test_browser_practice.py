"""The practice scenario in a lesson, in Chromium: with JavaScript htmx answers in place and moves focus to
the feedback; without JavaScript the same form posts and the whole practice page comes back."""

from __future__ import annotations

import pytest

from tests.browser import BROWSER_MARKS, chromium_launch

pytestmark = BROWSER_MARKS


@pytest.fixture
def practice_lesson(db):
    from courses.models import LessonPage
    from tests.courses.factories import publish_child

    from .factories import ScenarioFactory, build_quiz_tree

    scenario = ScenarioFactory(title="Jonas, 15 år")
    tree = build_quiz_tree(scenarios=[scenario])
    lesson = publish_child(
        tree.module,
        LessonPage(title="Øvelseslektion", slug="oevelse", body=[{"type": "scenario", "value": scenario.pk}]),
    )
    return lesson, scenario


def _open(playwright, live_server, client, url: str, *, javascript: bool):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    browser = chromium_launch(playwright)
    context = browser.new_context(viewport={"width": 1000, "height": 900}, java_script_enabled=javascript)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(live_server.url + url)
    return browser, page


@pytest.mark.django_db(transaction=True)
def test_with_javascript_the_answer_appears_in_the_lesson_with_focus_on_it(
    live_server, client, practice_lesson
):
    from playwright.sync_api import sync_playwright

    from quizzes.models import QuizAttempt

    from .helpers import right_answer

    lesson, scenario = practice_lesson
    with sync_playwright() as playwright:
        browser, page = _open(playwright, live_server, client, lesson.url, javascript=True)
        lesson_url = page.url
        # Nothing chosen: the error summary replaces the form's region in place and takes the focus.
        page.get_by_role("button", name="Se om du har ret").click()
        summary = page.locator(".quiz-error-summary")
        summary.wait_for()
        # htmx moves the focus once the swap has settled (a few milliseconds after the content is in).
        # (a CSS :focus wait: a string predicate would be eval'd in the page, which the strict CSP refuses)
        page.locator(".quiz-error-summary:focus").wait_for(timeout=5000)
        assert "Vælg, hvad du vil gøre først." in summary.inner_text()
        assert page.url == lesson_url

        answer = right_answer(scenario)
        page.check(f'input[name="q{scenario.pk}-first_action"][value="{answer.first_action}"]')
        for code in answer.actions:
            page.check(f'input[name="q{scenario.pk}-actions"][value="{code}"]')
        page.get_by_role("button", name="Se om du har ret").click()
        heading = page.get_by_role("heading", name="Din feedback")
        heading.wait_for()
        # Still the lesson (no navigation), the feedback is there and has the focus.
        assert page.url == lesson_url
        assert page.get_by_role("heading", level=1).inner_text() == "Øvelseslektion"
        page.locator(f"#oevelse-{scenario.pk}-feedback:focus").wait_for(timeout=5000)
        assert page.get_by_text("Helt rigtigt").is_visible()
        assert QuizAttempt.objects.filter(kind="practice", page_id=lesson.pk).count() == 1

        # "Prøv igen" brings a fresh form into the same place, with the focus on it.
        page.get_by_role("link", name="Prøv igen").click()
        page.get_by_role("button", name="Se om du har ret").wait_for()
        assert page.url == lesson_url
        page.locator("form:focus").wait_for(timeout=5000)
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_form_posts_and_the_practice_page_answers(
    live_server, client, practice_lesson
):
    from playwright.sync_api import sync_playwright

    from .helpers import right_answer

    lesson, scenario = practice_lesson
    with sync_playwright() as playwright:
        browser, page = _open(playwright, live_server, client, lesson.url, javascript=False)
        answer = right_answer(scenario)
        page.check(f'input[name="q{scenario.pk}-first_action"][value="{answer.first_action}"]')
        for code in answer.actions:
            page.check(f'input[name="q{scenario.pk}-actions"][value="{code}"]')
        page.get_by_role("button", name="Se om du har ret").click()
        page.wait_for_url(f"**/quiz/oevelse/{scenario.pk}/")
        assert page.get_by_role("heading", level=1).inner_text() == "Øvelse: Jonas, 15 år"
        assert page.get_by_role("heading", name="Din feedback").is_visible()
        assert page.get_by_text("Helt rigtigt").is_visible()
        browser.close()

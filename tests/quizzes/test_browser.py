"""A learner takes a module quiz in Chromium and sees graded feedback (screenshot in test-results/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import BROWSER_MARKS, chromium_launch

RESULTS = Path(__file__).resolve().parents[2] / "test-results"

pytestmark = BROWSER_MARKS


@pytest.mark.django_db(transaction=True)
def test_learner_takes_a_module_quiz_and_sees_graded_feedback(live_server, client):
    from playwright.sync_api import sync_playwright

    from quizzes.models import QuizAttempt
    from tests.factories import UserFactory

    from .factories import ScenarioFactory, acute_child, build_quiz_tree, roedovre_two_signs
    from .helpers import right_answer

    scenarios = [
        ScenarioFactory(title="Jonas, 15 år"),
        acute_child(title="Trussel i skolegården"),
        roedovre_two_signs(title="Ali, 16 år"),
    ]
    quiz_tree = build_quiz_tree(scenarios=scenarios)
    learner = UserFactory()
    client.force_login(learner)
    RESULTS.mkdir(exist_ok=True)

    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        context = browser.new_context(viewport={"width": 1000, "height": 900})
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(live_server.url + quiz_tree.quiz.url)
        assert page.get_by_role("heading", level=1).inner_text() == "Tjek din viden"
        # Submitting with nothing chosen: a Danish error summary, nothing recorded.
        page.get_by_role("button", name="Aflevér svar").click()
        assert page.get_by_text("Der mangler noget i dine svar").is_visible()
        assert (
            page.locator(".form-error-message").first.inner_text().strip() == "Vælg, hvad du vil gøre først."
        )

        for scenario in scenarios[1:]:
            answer = right_answer(scenario)
            page.check(f'input[name="q{scenario.pk}-first_action"][value="{answer.first_action}"]')
            for code in answer.actions:
                page.check(f'input[name="q{scenario.pk}-actions"][value="{code}"]')
        # The first scenario is answered wrongly: observe only, no notification (a critical error).
        page.get_by_role("group", name="Hvad gør du først?").first.get_by_label("Observér og drøft").check()
        page.get_by_role("button", name="Aflevér svar").click()

        page.wait_for_url("**?resultat=*")
        assert "Dit resultat" in page.get_by_role("heading", level=1).inner_text()
        assert page.get_by_text("Ikke bestået", exact=True).is_visible()
        assert page.get_by_text("Du har ikke underrettet kommunen om barnet").is_visible()
        assert page.get_by_text(
            "Barnets Lov § 133 (offentligt ansattes skærpede underretningspligt)"
        ).first.is_visible()
        page.screenshot(path=str(RESULTS / "quizzes-module-quiz-feedback.png"), full_page=True)
        page.set_viewport_size({"width": 320, "height": 800})
        page.screenshot(path=str(RESULTS / "quizzes-module-quiz-feedback-320.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.get_by_role("link", name="Prøv igen").click()
        assert page.locator('input[name="attempt"]').count() == 1
        browser.close()

    attempts = list(QuizAttempt.objects.filter(user=learner).order_by("id"))
    assert len(attempts) == 2 and attempts[0].submitted_at and not attempts[0].passed
    assert attempts[0].critical_error_count == 1 and attempts[1].submitted_at is None

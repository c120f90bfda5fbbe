"""The learner's journey in Chromium, from logging in to a verified certificate.

To keep the journey short, the setup completes most of the course through the services, as if the
learner had done it on earlier days: every lesson of modules 2–4 and their module quizzes (passed with
the rules' own answers), and two of the four lessons of module 1. Through the browser the learner then
does the rest, as people use it:

* logs in (first with mistakes, then by keyboard only) and reaches the dashboard,
* opens a lesson and marks it complete by keyboard only (Tab, Enter, Space),
* plays the H5P activity of another lesson in its sandboxed iframe and sees that lesson complete,
* answers the practice scenario embedded in a lesson,
* takes the module 1 quiz (first submitted with nothing chosen) — module 1 is then complete,
* passes the final assessment, answering each drawn scenario as the rules decide it,
* finds the certificate on /certificates/, gets it by e-mail, downloads the PDF,
* and verifies it on the public page, logged out.

axe checks every page type and state on the way (zero WCAG 2.0/2.1 A/AA violations), and the lesson and
dashboard must not scroll sideways at 320 px.

The demo's Køge learner already holds a certificate (certificates/demo.py), so the journey uses the demo
learner from Rødovre, who has none: medarbejder.roedovre@forebyg.example.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from .conftest import DEMO_PASSWORD, assert_no_horizontal_scroll, axe, shot, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "medarbejder.roedovre@forebyg.example"
COURSE_SLUG = "forebyggelse-af-radikalisering"


def rules_answer(scenario):
    """The right answer to a scenario, decided by the routing rules from the scenario's facts."""
    from learning.rules import route
    from quizzes.services import routing_directory, scenario_concern

    directory = routing_directory()
    decision = route(
        scenario_concern(scenario=scenario, directory=directory), directory=directory, on=timezone.localdate()
    )
    return decision


def answer_in_browser(page, scenario) -> None:
    """Tick the rules' answer for one scenario in its fieldsets (prefix q<id>)."""
    decision = rules_answer(scenario)
    prefix = f"q{scenario.pk}"
    page.locator(f'input[name="{prefix}-first_action"][value="{decision.actions[0]}"]').check()
    for code in decision.actions[1:]:
        page.locator(f'input[name="{prefix}-actions"][value="{code}"]').check()
    if scenario.ask_level:
        page.locator(f'input[name="{prefix}-level"][value="{decision.level}"]').check()
    if scenario.ask_urgency:
        page.locator(f'input[name="{prefix}-urgency"][value="{decision.urgency}"]').check()


def pass_quiz_by_services(*, user, quiz, at) -> None:
    from quizzes.services import AnswerInput, quiz_attempt_open, quiz_attempt_scenarios, quiz_attempt_submit

    attempt = quiz_attempt_open(user=user, page=quiz, seed=1, at=at)
    answers = {}
    for scenario in quiz_attempt_scenarios(attempt=attempt):
        decision = rules_answer(scenario)
        answers[scenario.pk] = AnswerInput(
            decision.actions[0], tuple(decision.actions[1:]), decision.level, decision.urgency
        )
    quiz_attempt_submit(attempt=attempt, answers=answers, on=at.date(), at=at)
    attempt.refresh_from_db()
    assert attempt.passed


def complete_most_of_the_course(*, user, course, keep: set[int]) -> None:
    """Everything except module 1's quiz, the lessons in `keep` and the final assessment."""
    from courses.models import ModulePage
    from courses.services import lesson_complete, module_lessons
    from quizzes.models import ModuleQuizPage

    at = timezone.now() - timezone.timedelta(days=3)
    modules = list(ModulePage.objects.child_of(course).live().order_by("path"))
    for index, module in enumerate(modules):
        module = module.specific
        for lesson in module_lessons(module=module):
            if lesson.pk not in keep:
                lesson_complete(user=user, lesson=lesson, at=at)
        if index > 0:
            pass_quiz_by_services(user=user, quiz=ModuleQuizPage.objects.child_of(module).live().get(), at=at)


def focus_is_visible(page) -> bool:
    """The focused element shows a focus indicator (an outline or a box shadow)."""
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; }"
    )


def tab_to(page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the keyboard focus; it must show it."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            assert focus_is_visible(page), f"Fokus på {selector} er ikke synligt"
            return
    pytest.fail(f"Tab nåede aldrig {selector}")


def test_learner_completes_the_course_and_verifies_the_certificate(site, new_page):
    from certificates.models import Certificate
    from courses.models import CoursePage, LessonPage, LessonProgress, ModuleCompletion, ModulePage
    from courses.services import module_lessons
    from interactive.models import H5PActivity, XAPIStatement
    from learning.models import User
    from quizzes.models import FinalAssessmentPage, ModuleQuizPage, QuizAttempt, ScenarioQuestion
    from quizzes.services import quiz_attempt_scenarios

    user = User.objects.get(email=EMAIL)
    course = CoursePage.objects.live().get(slug=COURSE_SLUG, locale__language_code="da")
    module_1 = ModulePage.objects.child_of(course).live().order_by("path").first()
    lessons = module_lessons(module=module_1)
    activity = H5PActivity.objects.get(slug="tjek-modul-1-tipping-point")
    h5p_lesson = next(
        lesson
        for lesson in LessonPage.objects.live().filter(locale__language_code="da")
        if any(block.block_type == "h5p" and block.value == activity for block in lesson.body)
    )
    keyboard_lesson = lessons[0]
    practice_lesson = next(
        lesson for lesson in lessons if any(b.block_type == "scenario" for b in lesson.body)
    )
    assert h5p_lesson in lessons and keyboard_lesson != h5p_lesson
    complete_most_of_the_course(user=user, course=course, keep={keyboard_lesson.pk, h5p_lesson.pk})
    assert not ModuleCompletion.objects.filter(user=user, module=module_1).exists()

    page = new_page()

    # --- Logging in, with mistakes first -----------------------------------------------------------
    page.goto(f"{site}/")
    axe(page, "forsiden")
    shot(page, "home")
    page.goto(f"{site}/konto/login/")
    axe(page, "login")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
    assert page.locator(".form-error-message").count() >= 1
    axe(page, "login sendt tom (fejl)")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Adgangskode").fill("forkert-adgangskode")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
    assert page.locator(".alert-error").is_visible()
    axe(page, "login med forkert adgangskode (fejl)")
    shot(page, "login-wrong-password")

    # --- Keyboard only: log in, open a lesson, mark it complete ------------------------------------
    page.goto(f"{site}/konto/login/")
    tab_to(page, "input[name=login]")
    page.keyboard.type(EMAIL)
    tab_to(page, "input[name=password]")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/overblik/")
    axe(page, "overblik")
    shot(page, "learner-dashboard")
    tab_to(page, f'a[href="{course.url}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}{course.url}")
    axe(page, "kursusside")
    tab_to(page, f'main a[href="{module_1.url}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}{module_1.url}")
    axe(page, "modulside")
    tab_to(page, f'main a[href="{keyboard_lesson.url}"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}{keyboard_lesson.url}")
    axe(page, "lektion (ikke gennemført)")
    tab_to(page, ".lesson-completion button[type=submit]")
    page.keyboard.press("Space")
    page.get_by_text("Du har gennemført denne lektion.").wait_for()
    axe(page, "lektion (gennemført)")
    assert LessonProgress.objects.filter(
        user=user, lesson=keyboard_lesson, completed_at__isnull=False
    ).exists()

    # --- The H5P activity in its sandboxed iframe completes the lesson -------------------------------
    xapi_responses: list[str] = []
    page.on(
        "response",
        lambda response: (
            "/xapi/" in response.url and xapi_responses.append(f"{response.status} {response.url}")
        ),
    )
    page.on("console", lambda message: xapi_responses.append(f"console {message.type}: {message.text}"))
    page.goto(f"{site}{h5p_lesson.url}")
    assert page.get_by_text(
        "Lektionen er gennemført, når du har gennemført aktiviteten ovenfor."
    ).is_visible()
    frame = page.frame_locator("iframe[data-h5p-embed]")
    frame.locator("legend").filter(has_text="tipping point").wait_for(timeout=15_000)
    # The player forwards statements once it has finished loading (it marks the container then).
    frame.locator("#h5p-container[data-loaded=true]").wait_for()
    axe(page, "lektion med H5P-aktivitet (og afspilleren i sin iframe)")
    frame.get_by_label("Det punkt, hvor personen bliver parat til at handle", exact=False).check()
    frame.get_by_role("button", name="Tjek svar").click()
    frame.get_by_text("Rigtigt.").wait_for()
    axe(page, "H5P-aktivitet besvaret")
    shot(page, "lesson-h5p-answered")
    # The activity sends two statements (answered, completed). Wait for the server's answers in the
    # browser before reading the database: the live server shares this thread's in-memory SQLite
    # connection, and a read in the middle of its transaction would break that request.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and sum(r.startswith(("200 ", "201 ")) for r in xapi_responses) < 2:
        page.wait_for_timeout(100)
    assert wait_for(
        lambda: LessonProgress.objects.filter(
            user=user, lesson=h5p_lesson, completed_at__isnull=False
        ).exists()
    ), (list(XAPIStatement.objects.filter(user=user).values("verb", "success")), xapi_responses)
    page.reload()
    assert page.get_by_text("Du har gennemført denne lektion.").is_visible()
    page.set_viewport_size({"width": 320, "height": 700})
    assert_no_horizontal_scroll(page, "lektion")
    shot(page, "lesson-320")
    page.set_viewport_size({"width": 1280, "height": 900})

    # --- A practice scenario embedded in a lesson ---------------------------------------------------
    page.goto(f"{site}{practice_lesson.url}")
    practice = page.locator("section.quiz-practice").first
    scenario_id = int(practice.get_attribute("id").removeprefix("oevelse-"))
    practice.get_by_role("button", name="Se om du har ret").click()
    # htmx swaps the answer region in place (no page load to wait for): wait for the error itself.
    page.locator(".form-error-message").first.wait_for()  # nothing chosen: a Danish error
    axe(page, "øvelse sendt uden svar (fejl)")
    answer_in_browser(page, ScenarioQuestion.objects.get(pk=scenario_id))
    page.get_by_role("button", name="Se om du har ret").click()
    page.get_by_role("heading", name="Din feedback").wait_for()
    axe(page, "øvelse med feedback")
    shot(page, "practice-feedback")

    # --- The module quiz: first empty, then right --------------------------------------------------
    quiz = ModuleQuizPage.objects.child_of(module_1).live().get()
    page.goto(f"{site}{quiz.url}")
    axe(page, "modulquiz")
    page.get_by_role("button", name="Aflevér svar").click()
    page.get_by_text("Der mangler noget i dine svar").wait_for()
    assert page.locator(".form-error-message").first.inner_text().strip() == "Vælg, hvad du vil gøre først."
    axe(page, "modulquiz sendt uden første handling (fejl)")
    shot(page, "module-quiz-errors")
    attempt = QuizAttempt.objects.get(pk=page.locator('input[name="attempt"]').get_attribute("value"))
    for scenario in quiz_attempt_scenarios(attempt=attempt):
        answer_in_browser(page, scenario)
    page.get_by_role("button", name="Aflevér svar").click()
    page.wait_for_url("**?resultat=*")
    assert page.get_by_text("Bestået", exact=True).is_visible()
    axe(page, "modulquizzens resultat")
    assert wait_for(lambda: ModuleCompletion.objects.filter(user=user, module=module_1).exists())

    # --- The final assessment, answered as the rules decide ----------------------------------------
    final = FinalAssessmentPage.objects.child_of(course).live().get()
    page.goto(f"{site}{final.url}")
    axe(page, "afsluttende prøve")
    attempt = QuizAttempt.objects.get(pk=page.locator('input[name="attempt"]').get_attribute("value"))
    scenarios = quiz_attempt_scenarios(attempt=attempt)
    assert len(scenarios) == final.question_count
    for scenario in scenarios:
        answer_in_browser(page, scenario)
    page.get_by_role("button", name="Aflevér svar").click()
    page.wait_for_url("**?resultat=*")
    assert page.get_by_text("Bestået", exact=True).is_visible()
    axe(page, "den afsluttende prøves resultat")
    shot(page, "final-assessment-passed")

    # --- The certificate: on the page, by e-mail, as PDF ---------------------------------------------
    certificate = wait_for(lambda: Certificate.objects.filter(user=user).first())
    assert certificate is not None
    page.goto(f"{site}/certificates/")
    card = page.locator(".cert-card").filter(has_text=certificate.code)
    assert card.locator(".cert-standing").inner_text().strip() == "✓ Gyldigt"
    axe(page, "mine kursusbeviser")
    shot(page, "my-certificates")
    assert wait_for(
        lambda: Certificate.objects.get(pk=certificate.pk).email_status == Certificate.EmailStatus.SENT
    )
    assert any(EMAIL in message.to and certificate.code in message.body for message in mail.outbox)
    with page.expect_download() as download_info:
        card.get_by_role("link", name="Hent beviset som PDF").click()
    pdf = download_info.value
    assert pdf.suggested_filename.endswith(".pdf")
    assert Path(pdf.path()).read_bytes()[:5] == b"%PDF-"

    # --- The public verification page, logged out ---------------------------------------------------
    public = new_page()
    public.goto(f"{site}/certificates/verify/{certificate.code}/")
    assert public.get_by_text("Beviset er gyldigt").is_visible()
    axe(public, "offentlig kontrolside")
    shot(public, "verify-valid")
    public.goto(f"{site}/certificates/verify/")
    axe(public, "kontrolformular")
    public.get_by_role("button").filter(has_text="Kontrollér").first.click()
    public.wait_for_load_state()
    axe(public, "kontrolformular sendt tom")

    # --- Dashboard at 320 px ----------------------------------------------------------------------
    page.goto(f"{site}/overblik/")
    assert page.get_by_text("100 % gennemført").first.is_visible()
    page.set_viewport_size({"width": 320, "height": 700})
    assert_no_horizontal_scroll(page, "overblik")
    page.goto(f"{site}/")
    assert_no_horizontal_scroll(page, "forsiden")
    shot(page, "home-320")
    assert page.errors == [] and public.errors == []

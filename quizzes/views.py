"""Thin views: read the request, call a service, render. Quiz pages hand over to ``quiz_page_serve``."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from learning.models import Municipality
from learning.roles import Role, user_has_role

from .forms import ScenarioAnswerForm
from .grading import CRITICAL_ERROR_TEXTS, WEIGHT_FIRST, WEIGHT_LEVEL, WEIGHT_SET, WEIGHT_URGENCY
from .models import PASS_MARK_PERCENT, FinalAssessmentPage, ModuleQuizPage, ScenarioQuestion
from .services import (
    MIN_INSIGHT_LEARNERS,
    practice_answer_record,
    practice_question_read,
    quiz_attempt_for_user,
    quiz_attempt_graded,
    quiz_attempt_open,
    quiz_attempt_scenarios,
    quiz_attempt_submit,
    quiz_attempts_submitted,
    scenario_insight,
    scenarios_insight,
)

RESULT_PARAM = "resultat"


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _errors_summary(forms: list[ScenarioAnswerForm]) -> list[tuple[str, str, str]]:
    """(anchor id, question title, message) for every error, for the summary at the top."""
    summary = []
    for form in forms:
        for name, errors in form.errors.items():
            anchor = form[name].auto_id if name in form.fields else f"q{form.scenario.pk}"
            for error in errors:
                summary.append((anchor, form.scenario.title, error))
    return summary


def quiz_page_serve(request: HttpRequest, *, page: ModuleQuizPage | FinalAssessmentPage) -> HttpResponse:
    """Module quiz and final assessment: GET shows the open attempt (or a result); POST submits."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    context = {"page": page, "self": page, "pass_mark": PASS_MARK_PERCENT}
    context["previous_attempts"] = quiz_attempts_submitted(user=request.user, page=page)

    if request.method == "POST":
        attempt_id = _int_or_none(request.POST.get("attempt"))
        attempt = (
            quiz_attempt_for_user(user=request.user, attempt_id=attempt_id, page=page) if attempt_id else None
        )
        if attempt is None or attempt.submitted_at is not None:
            messages.info(
                request, _("Forsøget er allerede afleveret eller findes ikke. Her er et nyt forsøg.")
            )
            return HttpResponseRedirect(page.url)
        scenarios = quiz_attempt_scenarios(attempt=attempt)
        forms = [ScenarioAnswerForm(request.POST, scenario=scenario) for scenario in scenarios]
        if all(form.is_valid() for form in forms):
            quiz_attempt_submit(
                attempt=attempt,
                answers={form.scenario.pk: form.answer() for form in forms},
                on=timezone.localdate(),
                at=timezone.now(),
            )
            return HttpResponseRedirect(f"{page.url}?{RESULT_PARAM}={attempt.pk}")
        context.update(attempt=attempt, forms=forms, error_summary=_errors_summary(forms))
        return TemplateResponse(request, "quizzes/quiz_page.html", context)

    result_id = request.GET.get(RESULT_PARAM)
    if result_id is not None:
        attempt = quiz_attempt_for_user(user=request.user, attempt_id=_int_or_none(result_id) or 0, page=page)
        if attempt is None or attempt.submitted_at is None:
            raise Http404
        context.update(attempt=attempt, graded=quiz_attempt_graded(attempt=attempt, on=timezone.localdate()))
        return TemplateResponse(request, "quizzes/quiz_result.html", context)

    attempt = quiz_attempt_open(user=request.user, page=page, seed=secrets.randbits(48), at=timezone.now())
    forms = [ScenarioAnswerForm(scenario=scenario) for scenario in quiz_attempt_scenarios(attempt=attempt)]
    context.update(attempt=attempt, forms=forms, error_summary=[])
    return TemplateResponse(request, "quizzes/quiz_page.html", context)


def _is_htmx(request: HttpRequest) -> bool:
    """A request made by htmx for a fragment (not its history restore, which wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


@require_http_methods(["GET", "POST"])
def practice_answer(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """A practice question from a lesson: POST grades it at once and shows the feedback.

    Without JavaScript the form posts here and gets the whole practice page back. With htmx (the form
    in the lesson is enhanced) the request says ``HX-Request: true`` and gets only the answer region
    (``quizzes/includes/practice_answer.html``): the feedback, or the form with its errors; the lesson
    page stays as it is (and no Page object is loaded for it).
    """
    fragment = _is_htmx(request)
    lesson_id = _int_or_none(
        request.POST.get("lesson") if request.method == "POST" else request.GET.get("lektion")
    )
    if not request.user.is_authenticated:
        # Back to this practice page (GET, with its lesson) after signing in.
        login = redirect_to_login(f"{request.path}?lektion={lesson_id}" if lesson_id else request.path)
        if not fragment:
            return login
        # htmx would follow the 302 and put the login page inside the lesson: navigate the whole page.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = login["Location"]
        return response
    question = practice_question_read(scenario_id=scenario_id, lesson_id=lesson_id) if lesson_id else None
    if question is None:
        raise Http404
    scenario = question.scenario
    form = ScenarioAnswerForm(request.POST or None, scenario=scenario)
    context = {"scenario": scenario, "lesson_id": question.lesson_id, "form": form, "fragment": fragment}
    if request.method == "POST" and form.is_valid():
        context["graded"] = practice_answer_record(
            user=request.user,
            question=question,
            answer=form.answer(),
            on=timezone.localdate(),
            at=timezone.now(),
        )
    elif request.method == "POST":
        context["error_summary"] = _errors_summary([form])
    if fragment:
        template = "quizzes/includes/practice_answer.html"
    else:  # the whole page links back to the lesson by its URL and title
        template, context["lesson"] = "quizzes/practice.html", Page.objects.get(pk=question.lesson_id)
    response = TemplateResponse(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def scoring_help(request: HttpRequest) -> HttpResponse:
    """For learners: how an answer is scored, what a critical error is, and the pass mark."""
    context = {
        "pass_mark": PASS_MARK_PERCENT,
        "weights": {
            "first": WEIGHT_FIRST,
            "set": WEIGHT_SET,
            "level": WEIGHT_LEVEL,
            "urgency": WEIGHT_URGENCY,
        },
        "critical_errors": CRITICAL_ERROR_TEXTS.values(),
    }
    return TemplateResponse(request, "quizzes/scoring_help.html", context)


def _coordinator_municipality(request: HttpRequest) -> Municipality:
    if not user_has_role(request.user, Role.COORDINATOR) or request.user.municipality_id is None:
        raise PermissionDenied
    return request.user.municipality


@login_required
def insight_index(request: HttpRequest) -> HttpResponse:
    municipality = _coordinator_municipality(request)
    return redirect("quizzes:insight_municipality", municipality_slug=municipality.slug)


@login_required
def insight_municipality(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """Coordinators: how their own municipality's staff answered each scenario (aggregate only)."""
    municipality = _coordinator_municipality(request)
    if municipality.slug != municipality_slug:
        raise Http404
    context = {
        "municipality": municipality,
        "rows": scenarios_insight(municipality=municipality, on=timezone.localdate()),
        "min_learners": MIN_INSIGHT_LEARNERS,
    }
    return TemplateResponse(request, "quizzes/insight.html", context)


def admin_insight(request: HttpRequest) -> HttpResponse:
    """Editors (Wagtail admin): how all learners answered each scenario (aggregate only)."""
    if not (user_has_role(request.user, Role.EDITOR) or user_has_role(request.user, Role.ADMINISTRATOR)):
        raise PermissionDenied
    scenario_id = _int_or_none(request.GET.get("scenarie"))
    if scenario_id:
        scenario = get_object_or_404(ScenarioQuestion, pk=scenario_id)
        rows = [(scenario, scenario_insight(scenario=scenario, on=timezone.localdate()))]
    else:
        rows = scenarios_insight(on=timezone.localdate())
    return TemplateResponse(
        request, "quizzes/admin/insight.html", {"rows": rows, "min_learners": MIN_INSIGHT_LEARNERS}
    )

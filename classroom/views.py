"""Thin views of the classroom: the teacher's projector and controls, the pupils' join and vote screens.

Pupil responses set ``Referrer-Policy: same-origin`` and ``Cache-Control: no-store``; pupil pages load
only same-origin static files. The polls answer 204 from the cache when nothing changed.
"""

from __future__ import annotations

import functools
import io

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required, permission_required
from django.core.signing import BadSignature
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from .forms import JoinForm
from .models import ClassroomDeck, LiveSession, Participant
from .services import (
    JoinError,
    TeacherAction,
    VoteOutcome,
    nickname_compose,
    participant_for_token,
    participant_join,
    participant_remove,
    participant_vote,
    session_apply,
    session_cached_activity_version,
    session_cached_state_version,
    session_is_active,
    session_publish_state,
    session_results,
    session_start,
    step_counts,
    step_view,
    vote_cast,
)

PARTICIPANT_COOKIE_MAX_AGE = 4 * 60 * 60


def teacher_required(view):
    """Anonymous → login; logged in without ``learning.run_classroom`` → 403."""
    return login_required(permission_required("learning.run_classroom", raise_exception=True)(view))


def pupil_headers(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # same-origin, not no-referrer: pupil pages load nothing from other sites, so nothing leaks, and
        # browsers keep sending the real Origin that Django's CSRF check verifies.
        response["Referrer-Policy"] = "same-origin"
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    return wrapped


def _fragment(request: HttpRequest, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    """A polled fragment, rendered without the site's context processors (they cost queries)."""
    context = {**context, "csrf_token": get_token(request)}
    return HttpResponse(render_to_string(template, context), status=status)


def _own_session(request: HttpRequest, public_id) -> LiveSession:
    return get_object_or_404(LiveSession, public_id=public_id, teacher=request.user)


def _join_url(request: HttpRequest, session: LiveSession | None = None) -> str:
    url = request.build_absolute_uri(reverse("classroom_pupil:join"))
    return f"{url}?kode={session.join_code}" if session else url


# --- Teacher ---------------------------------------------------------------------------------------------------


@teacher_required
@require_GET
def deck_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    sessions = LiveSession.objects.filter(teacher=request.user, ended_at__isnull=True, expires_at__gt=now)
    ended = LiveSession.objects.filter(teacher=request.user, ended_at__isnull=False)[:10]
    return render(
        request,
        "classroom/deck_list.html",
        {"decks": ClassroomDeck.objects.all(), "sessions": sessions, "ended_sessions": ended},
    )


@teacher_required
@require_GET
def deck_detail(request: HttpRequest, slug: str) -> HttpResponse:
    deck = get_object_or_404(ClassroomDeck, slug=slug)
    return render(request, "classroom/deck_detail.html", {"deck": deck, "today": timezone.localdate()})


@teacher_required
@require_POST
def deck_start(request: HttpRequest, slug: str) -> HttpResponse:
    deck = get_object_or_404(ClassroomDeck, slug=slug)
    session = session_start(deck=deck, teacher=request.user, at=timezone.now())
    return redirect("classroom:projector", public_id=session.public_id)


def _projector_context(request: HttpRequest, session: LiveSession) -> dict:
    counts = step_counts(session=session, step_index=session.current_step)
    view = step_view(session=session, counts=counts, on=timezone.localdate(), with_reveal=session.revealed)
    participants = list(Participant.objects.filter(session=session))
    return {
        "session": session,
        "step": view,
        "participants": participants,
        "participant_count": sum(1 for p in participants if not p.removed),
        "state_version": session.state_version,
        "activity_version": session_cached_activity_version(public_id=session.public_id) or 0,
    }


@teacher_required
@require_GET
def projector(request: HttpRequest, public_id) -> HttpResponse:
    session = _own_session(request, public_id)
    if session.ended_at is not None:
        return render(
            request, "classroom/session_summary.html", {"session": session, "results": session_results(session=session)}
        )
    context = _projector_context(request, session)
    context.update(
        {
            "join_url": _join_url(request),
            "short_url": request.get_host() + reverse("classroom_pupil:join").rstrip("/"),
            "is_active": session_is_active(session=session, at=timezone.now()),
        }
    )
    return render(request, "classroom/projector.html", context)


@teacher_required
@require_GET
def projector_poll(request: HttpRequest, public_id) -> HttpResponse:
    state = session_cached_state_version(public_id=public_id)
    activity = session_cached_activity_version(public_id=public_id) or 0
    if state is not None and request.GET.get("v") == f"{state}.{activity}":
        return HttpResponse(status=204)
    session = _own_session(request, public_id)
    if session.ended_at is not None:
        return HttpResponse(status=410)
    if state is None:
        session_publish_state(session=session)
    context = _projector_context(request, session)
    response = _fragment(request, "classroom/_projector_stage.html", context)
    response["X-Classroom-Version"] = f"{session.state_version}.{context['activity_version']}"
    response["Cache-Control"] = "no-store"
    return response


@teacher_required
@require_POST
def session_control(request: HttpRequest, public_id) -> HttpResponse:
    session = _own_session(request, public_id)
    try:
        action = TeacherAction(request.POST.get("action", ""))
    except ValueError:
        return HttpResponse(_("Ukendt handling."), status=400)
    session_apply(session=session, action=action, at=timezone.now())
    return redirect("classroom:projector", public_id=session.public_id)


@teacher_required
@require_POST
def session_remove_participant(request: HttpRequest, public_id, participant_id: int) -> HttpResponse:
    session = _own_session(request, public_id)
    participant_remove(session=session, participant_id=participant_id)
    return HttpResponseRedirect(reverse("classroom:projector", args=[session.public_id]) + "#deltagere")


@teacher_required
@require_GET
def session_qr(request: HttpRequest, public_id) -> HttpResponse:
    session = _own_session(request, public_id)
    image = qrcode.make(
        _join_url(request, session), image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2
    )
    buffer = io.BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@teacher_required
@require_GET
def session_results_json(request: HttpRequest, public_id) -> JsonResponse:
    session = _own_session(request, public_id)
    return JsonResponse(
        {
            "session": str(session.public_id),
            "ended": session.ended_at is not None,
            "participants": Participant.objects.filter(session=session).count(),
            "steps": session_results(session=session),
        }
    )


# --- Pupils ------------------------------------------------------------------------------------------------------


def participant_cookie_name(public_id) -> str:
    return f"klasse_{str(public_id).replace('-', '')}"


def _cookie_salt(public_id) -> str:
    return f"classroom.participant.{public_id}"


def _pupil_token(request: HttpRequest, public_id) -> str:
    try:
        return request.get_signed_cookie(participant_cookie_name(public_id), default="", salt=_cookie_salt(public_id))
    except BadSignature:
        return ""


@pupil_headers
def join(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            try:
                nickname = nickname_compose(colour=form.cleaned_data["colour"], animal=form.cleaned_data["animal"])
                participant, token = participant_join(
                    code=form.cleaned_data["code"], nickname=nickname, at=timezone.now()
                )
            except JoinError as error:
                form.add_error("code", error.message)
            else:
                session = participant.session
                response = redirect("classroom_pupil:session", public_id=session.public_id)
                response.set_signed_cookie(
                    participant_cookie_name(session.public_id),
                    token,
                    salt=_cookie_salt(session.public_id),
                    max_age=PARTICIPANT_COOKIE_MAX_AGE,
                    httponly=True,
                    samesite="Lax",
                    secure=request.is_secure(),
                )
                return response
    elif request.method == "GET":
        form = JoinForm(initial={"code": request.GET.get("kode", "")[:20]})
    else:
        return HttpResponse(status=405)
    return render(request, "classroom/join.html", {"form": form})


def _pupil_context(participant: Participant, *, mine: str | None = None, notice: str = "") -> dict:
    session = participant.session
    if mine is None:
        mine = participant_vote(participant=participant, step_index=session.current_step)
    counts = session.revealed_counts if session.revealed else None
    view = step_view(session=session, counts=counts, on=timezone.localdate(), with_reveal=session.revealed, mine=mine)
    return {"session": session, "participant": participant, "step": view, "mine": mine, "notice": notice}


def _pupil_gone(request: HttpRequest, public_id, *, status: int = 200) -> HttpResponse:
    session = LiveSession.objects.filter(public_id=public_id).first()
    if session is None:
        raise Http404
    if session.ended_at is not None or not session_is_active(session=session, at=timezone.now()):
        return render(request, "classroom/pupil_ended.html", {"session": session}, status=status)
    return redirect("classroom_pupil:join")


@pupil_headers
@require_GET
def pupil_session(request: HttpRequest, public_id) -> HttpResponse:
    participant = participant_for_token(public_id=public_id, token=_pupil_token(request, public_id))
    if participant is None:
        return _pupil_gone(request, public_id)
    context = _pupil_context(participant)
    context["poll_version"] = participant.session.state_version
    return render(request, "classroom/pupil.html", context)


@pupil_headers
@require_GET
def pupil_poll(request: HttpRequest, public_id) -> HttpResponse:
    token = _pupil_token(request, public_id)
    if not token:
        return HttpResponse(status=403)
    cached = session_cached_state_version(public_id=public_id)
    if cached is not None and request.GET.get("v") == str(cached):
        return HttpResponse(status=204)
    participant = participant_for_token(public_id=public_id, token=token)
    if participant is None:
        return HttpResponse(status=410)  # ended, or not a participant: the page reloads and says which
    if cached is None:
        session_publish_state(session=participant.session)
    response = _fragment(request, "classroom/_pupil_stage.html", _pupil_context(participant))
    response["X-Classroom-Version"] = str(participant.session.state_version)
    return response


VOTE_NOTICES = {
    VoteOutcome.RECORDED: "",
    VoteOutcome.ALREADY_VOTED: gettext_lazy("Du har allerede stemt i dette trin."),
    VoteOutcome.CLOSED: gettext_lazy("Afstemningen er lukket."),
    VoteOutcome.INVALID_OPTION: gettext_lazy("Vælg en af svarmulighederne."),
    VoteOutcome.REMOVED: gettext_lazy("Du kan ikke stemme, fordi læreren har fjernet dig fra forløbet."),
    VoteOutcome.ENDED: gettext_lazy("Forløbet er slut."),
}


@pupil_headers
@require_POST
def pupil_vote(request: HttpRequest, public_id) -> HttpResponse:
    participant = participant_for_token(public_id=public_id, token=_pupil_token(request, public_id))
    if participant is None:
        return _pupil_gone(request, public_id, status=410)
    try:
        step_index = int(request.POST.get("step", ""))
    except ValueError:
        step_index = -1
    outcome = vote_cast(
        participant=participant, step_index=step_index, option_key=request.POST.get("option", ""), at=timezone.now()
    )
    if request.headers.get("X-Requested-With") != "fetch":
        return redirect("classroom_pupil:session", public_id=public_id)
    response = _fragment(
        request, "classroom/_pupil_stage.html", _pupil_context(participant, notice=str(VOTE_NOTICES[outcome]))
    )
    response["X-Classroom-Version"] = str(participant.session.state_version)
    response["X-Classroom-Vote"] = outcome.value
    if outcome == VoteOutcome.ALREADY_VOTED:
        response.status_code = 409
    return response

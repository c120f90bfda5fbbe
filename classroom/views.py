"""Thin views of the classroom: the teacher's projector and controls, the pupils' join and vote screens.

Pupil responses set ``Referrer-Policy: same-origin`` and ``Cache-Control: no-store``; pupil pages load
only same-origin static files. The polls answer 204 from the cache when nothing changed (a pupil's poll
usually before the rest of the middleware: ``classroom.middleware.PupilPollMiddleware``).

The pupil side is built for a whole school at once (docs/benchmarks.md, "Classroom burst"): its pages and
fragments are rendered without the site's context processors (they are not in the pupil shell), the
session comes from a per-process copy checked against the cached state version, and a vote is one INSERT.
"""

from __future__ import annotations

import functools
import io

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required, permission_required
from django.core.signing import BadSignature
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .forms import JoinForm
from .models import ClassroomDeck, LiveSession, Participant
from .services import (
    JoinError,
    TeacherAction,
    VoteOutcome,
    join_code_looks_valid,
    nickname_compose,
    participant_join,
    participant_remove,
    participant_vote,
    pupil_seat,
    session_apply,
    session_cached_activity_version,
    session_cached_state_version,
    session_is_active,
    session_live_copy,
    session_poll_unchanged,
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


def pupil_response_headers(response: HttpResponseBase) -> HttpResponseBase:
    # same-origin, not no-referrer: pupil pages load nothing from other sites, so nothing leaks, and
    # browsers keep sending the real Origin that Django's CSRF check verifies.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def pupil_headers(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return pupil_response_headers(view(request, *args, **kwargs))

    return wrapped


def _fragment(
    request: HttpRequest, template: str, context: dict, *, status: int = 200, with_form: bool = True
) -> HttpResponse:
    """A polled fragment or a pupil page, rendered without the site's context processors (they cost
    queries and time, and nothing of the site shell is shown); only the CSRF token is added, for a
    template with a form (asking for it also sets the CSRF cookie on the response)."""
    context = {**context, "csrf_token": get_token(request)} if with_form else context
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


def _projector_context(request: HttpRequest, session: LiveSession, *, with_participants: bool) -> dict:
    """The projector's stage; the participant list (with its remove buttons) only on the full page, the
    polled fragment shows just their number."""
    # The activity version first: a vote landing in between shows up now and again at the next poll,
    # never not at all.
    activity = session_cached_activity_version(public_id=session.public_id) or 0
    counts = step_counts(session=session, step_index=session.current_step)
    view = step_view(session=session, counts=counts, on=timezone.localdate(), with_reveal=session.revealed)
    context = {"session": session, "step": view, "state_version": session.state_version, "activity_version": activity}
    if with_participants:
        context["participants"] = list(Participant.objects.filter(session=session))
        context["participant_count"] = sum(1 for p in context["participants"] if not p.removed)
    else:
        context["participant_count"] = Participant.objects.filter(session=session, removed=False).count()
    return context


@teacher_required
@require_GET
def projector(request: HttpRequest, public_id) -> HttpResponse:
    session = _own_session(request, public_id)
    if session.ended_at is not None:
        return render(
            request, "classroom/session_summary.html", {"session": session, "results": session_results(session=session)}
        )
    context = _projector_context(request, session, with_participants=True)
    context.update(
        {
            "join_url": _join_url(request),
            "short_url": request.get_host() + reverse("classroom_pupil:join").rstrip("/"),
            "is_active": session_is_active(session=session, at=timezone.now()),
        }
    )
    return render(request, "classroom/projector.html", context)


@login_required
@require_GET
def projector_poll(request: HttpRequest, public_id) -> HttpResponse:
    """Every second from the projector page: 204 when nothing changed, else the stage with the live counts.

    "Nothing changed" is decided from the cache and the session's live copy, checking only that the
    session is the signed-in teacher's own (a 204 tells nothing else); any answer with content goes
    through the full check of the teacher's permission."""
    state = session_cached_state_version(public_id=public_id)
    activity = session_cached_activity_version(public_id=public_id) or 0
    if state is not None and request.GET.get("v") == f"{state}.{activity}":
        session = session_live_copy(public_id=public_id)
        if session is not None and session.teacher_id == request.user.pk:
            return HttpResponse(status=204)
    return _projector_poll_changed(request, public_id)


@permission_required("learning.run_classroom", raise_exception=True)
def _projector_poll_changed(request: HttpRequest, public_id) -> HttpResponse:
    session = session_live_copy(public_id=public_id)  # current: checked against the cached state version
    if session is None or session.teacher_id != request.user.pk:
        raise Http404
    if session.ended_at is not None:
        return HttpResponse(status=410)
    context = _projector_context(request, session, with_participants=False)
    response = _fragment(request, "classroom/_projector_stage.html", context, with_form=False)
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


def pupil_token(request: HttpRequest, public_id) -> str:
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
        return _join_page(request, code=request.GET.get("kode", "")[:20])
    else:
        return HttpResponse(status=405)
    return _fragment(request, "classroom/join.html", {"form": form})


# The join form a QR link opens is the same for the whole class but for the CSRF token: rendered once per
# process, language and code (its selects of the nickname word lists are most of a pupil's join), and each
# pupil's own token filled in.
_JOIN_PAGES: dict[tuple[str, str], str] = {}
_JOIN_PAGES_MAX = 1000
_CSRF_MARK = "__classroom_csrf_token__"


def _join_page(request: HttpRequest, *, code: str) -> HttpResponse:
    key = (get_language() or "", code)
    html = _JOIN_PAGES.get(key)
    if html is None:
        context = {"form": JoinForm(initial={"code": code}), "csrf_token": _CSRF_MARK}
        html = render_to_string("classroom/join.html", context)
        if join_code_looks_valid(code) or not code:  # what a QR link carries; typos are not kept
            if len(_JOIN_PAGES) >= _JOIN_PAGES_MAX:
                _JOIN_PAGES.clear()
            _JOIN_PAGES[key] = html
    return HttpResponse(html.replace(_CSRF_MARK, get_token(request)))


def _pupil_context(participant: Participant, *, mine: str | None, notice: str = "") -> dict:
    session = participant.session
    counts = session.revealed_counts if session.revealed else None
    view = step_view(session=session, counts=counts, on=timezone.localdate(), with_reveal=session.revealed, mine=mine)
    return {"session": session, "participant": participant, "step": view, "mine": mine, "notice": notice}


# A pupil's stage is the same for everyone in the session with the same state, vote and notice: when the
# teacher acts, a whole class fetches it within one poll interval. So it is rendered once per process for
# each of those (and language and date: a routing reveal depends on the date), and each pupil's own CSRF
# token is filled in. Keys are state versions, so a change never serves a stale stage.
_STAGES: dict[tuple, str] = {}
_STAGES_MAX = 2000


def _pupil_stage_html(request: HttpRequest, participant: Participant, *, mine: str | None, notice: str) -> str:
    session = participant.session
    key = (str(session.public_id), session.state_version, get_language() or "", timezone.localdate(), mine,
           participant.removed, notice)
    html = _STAGES.get(key)
    if html is None:
        context = {**_pupil_context(participant, mine=mine, notice=notice), "csrf_token": _CSRF_MARK}
        html = render_to_string("classroom/_pupil_stage.html", context)
        if len(_STAGES) >= _STAGES_MAX:
            _STAGES.clear()
        _STAGES[key] = html
    # Only a stage with the vote form carries a token (asking for one also sets the CSRF cookie).
    return html.replace(_CSRF_MARK, get_token(request)) if _CSRF_MARK in html else html


def _pupil_stage(request: HttpRequest, participant: Participant, *, mine: str | None, notice: str = "") -> HttpResponse:
    response = HttpResponse(_pupil_stage_html(request, participant, mine=mine, notice=notice))
    response["X-Classroom-Version"] = str(participant.session.state_version)
    return response


def _pupil_page(
    request: HttpRequest, participant: Participant, *, mine: str | None, notice: str = "", status: int = 200
) -> HttpResponse:
    """The pupil's page: the shell around the (cached) stage the polls then keep up to date."""
    session = participant.session
    stage = _pupil_stage_html(request, participant, mine=mine, notice=notice)
    context = {"session": session, "participant": participant, "poll_version": session.state_version,
               "stage_html": mark_safe(stage)}  # noqa: S308 (our own template's output)
    return HttpResponse(render_to_string("classroom/pupil.html", context), status=status)


def _pupil_gone(request: HttpRequest, public_id, *, status: int = 200) -> HttpResponse:
    session = LiveSession.objects.filter(public_id=public_id).first()
    if session is None:
        raise Http404
    if session.ended_at is not None or not session_is_active(session=session, at=timezone.now()):
        return _fragment(request, "classroom/pupil_ended.html", {"session": session}, status=status)
    return redirect("classroom_pupil:join")


@pupil_headers
@require_GET
def pupil_session(request: HttpRequest, public_id) -> HttpResponse:
    seat = pupil_seat(public_id=public_id, token=pupil_token(request, public_id))
    if seat is None:
        return _pupil_gone(request, public_id)
    return _pupil_page(request, seat.participant, mine=seat.current_vote)


@pupil_headers
@require_GET
def pupil_poll(request: HttpRequest, public_id) -> HttpResponse:
    token = pupil_token(request, public_id)
    if not token:
        return HttpResponse(status=403)
    if session_poll_unchanged(public_id=public_id, version=request.GET.get("v", "")):
        return HttpResponse(status=204)
    seat = pupil_seat(public_id=public_id, token=token)  # (re-)publishes a lost state version
    if seat is None:
        return HttpResponse(status=410)  # ended, or not a participant: the page reloads and says which
    return _pupil_stage(request, seat.participant, mine=seat.current_vote)


VOTE_NOTICES = {
    VoteOutcome.RECORDED: "",
    VoteOutcome.ALREADY_VOTED: gettext_lazy("Du har allerede stemt i dette trin."),
    VoteOutcome.CLOSED: gettext_lazy("Afstemningen er lukket."),
    VoteOutcome.INVALID_OPTION: gettext_lazy("Vælg en af svarmulighederne."),
    VoteOutcome.REMOVED: gettext_lazy("Du kan ikke stemme, fordi læreren har fjernet dig fra forløbet."),
    VoteOutcome.ENDED: gettext_lazy("Forløbet er slut."),
}
# A vote that is not recorded is answered with a 4xx (the pupil's script shows the stage with the notice
# whatever the status, and reloads on 410).
VOTE_REFUSED_STATUS = {
    VoteOutcome.ALREADY_VOTED: 409,
    VoteOutcome.CLOSED: 409,
    VoteOutcome.INVALID_OPTION: 422,
    VoteOutcome.REMOVED: 403,
    VoteOutcome.ENDED: 410,
}


@pupil_headers
@require_POST
def pupil_vote(request: HttpRequest, public_id) -> HttpResponse:
    seat = pupil_seat(public_id=public_id, token=pupil_token(request, public_id))
    if seat is None:
        return _pupil_gone(request, public_id, status=410)
    participant = seat.participant
    try:
        step_index = int(request.POST.get("step", ""))
    except ValueError:
        step_index = -1
    option = request.POST.get("option", "")
    outcome = vote_cast(participant=participant, step_index=step_index, option_key=option, at=timezone.now())
    status = VOTE_REFUSED_STATUS.get(outcome, 200)
    with_script = request.headers.get("X-Requested-With") == "fetch"
    if not with_script and status == 200:
        return redirect("classroom_pupil:session", public_id=public_id)
    if outcome == VoteOutcome.RECORDED:
        mine = option
    elif outcome == VoteOutcome.ALREADY_VOTED and seat.current_vote is None:  # a double tap racing itself
        mine = participant_vote(participant=participant, step_index=participant.session.current_step)
    else:
        mine = seat.current_vote
    if not with_script:
        # Without JavaScript a refused vote gets the page again with the reason, not a silent redirect.
        return _pupil_page(request, participant, mine=mine, notice=str(VOTE_NOTICES[outcome]), status=status)
    response = _pupil_stage(request, participant, mine=mine, notice=str(VOTE_NOTICES[outcome]))
    response["X-Classroom-Vote"] = outcome.value
    response.status_code = status
    return response

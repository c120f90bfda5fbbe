"""Classroom services: decks' routing reveals, live sessions, anonymous participants, votes, purge.

Time is always an argument (``at`` for instants, ``on`` for the routing date). Views stay thin and
call these. Nothing here stores or logs an IP address, a user agent or a name.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F
from django.utils.translation import gettext as _
from wagtail.blocks import StreamValue

from learning.rules import ACTIONS, Concern, Decision, Directory, load_default_directory, parse_concern, route

from .blocks import TELL_TRUSTED_ADULT, VOTING_STEP_TYPES, DeckStepsBlock
from .models import ClassroomDeck, LiveSession, Participant, StepResult, Vote

if TYPE_CHECKING:
    from learning.models import User

# --- Join codes -----------------------------------------------------------------------------------------
# No 0/O, 1/I/L: 31 symbols; 8 of them give log2(31**8) ≈ 39.6 bits.
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 8
SESSION_LIFETIME = timedelta(hours=4)
STATE_CACHE_TIMEOUT = int(timedelta(hours=5).total_seconds())

# --- Nicknames: a fixed list, chosen from selects, never free text ------------------------------------
NICKNAME_COLOURS = ("Blå", "Grøn", "Gul", "Rød", "Lilla", "Orange", "Turkis", "Sølvgrå")
NICKNAME_ANIMALS = (
    "Bjørn", "Delfin", "Elefant", "Frø", "Giraf", "Hval", "Los", "Myre", "Odder", "Panda", "Pingvin",
    "Ræv", "Sæl", "Skildpadde", "Ugle", "Ulv",
)


class JoinError(Exception):
    """A pupil cannot join; ``message`` is shown to the pupil (Danish)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class VoteOutcome(StrEnum):
    RECORDED = "recorded"
    ALREADY_VOTED = "already_voted"
    CLOSED = "closed"
    INVALID_OPTION = "invalid_option"
    REMOVED = "removed"
    ENDED = "ended"


class TeacherAction(StrEnum):
    NEXT = "next"
    PREVIOUS = "previous"
    OPEN_VOTING = "open_voting"
    CLOSE_VOTING = "close_voting"
    REVEAL = "reveal"
    LOCK = "lock"
    UNLOCK = "unlock"
    END = "end"


# --- Routing reveal ----------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _default_directory() -> Directory:
    return load_default_directory()


def routing_directory() -> Directory:
    """The municipal directory the classroom routes with: the database-backed one (administrators edit it)."""
    from learning.directory import directory_current

    return directory_current()


def routing_facts_for_step(*, step: Mapping[str, Any]) -> dict[str, Any]:
    """The routing contract's input for a routing step: the pupil is a citizen, never an employee."""
    return {
        "municipality": step.get("municipality"),
        "subject": step.get("subject") or "person",
        "age": step.get("age"),
        "reporter": "citizen",
        "signs": list(step.get("signs") or []),
        "illegal_act": step.get("illegal_act") or "none",
        "danger_to_life": bool(step.get("danger_to_life")),
        "in_extremist_milieu": bool(step.get("in_extremist_milieu")),
        "wants_exit": bool(step.get("wants_exit")),
        "returnee": bool(step.get("returnee")),
        "within_opening_hours": bool(step.get("within_opening_hours")),
    }


def routing_concern_for_step(*, step: Mapping[str, Any]) -> Concern:
    """Parse the step's facts strictly (raises ``ConcernInputError`` with a Danish message)."""
    return parse_concern(routing_facts_for_step(step=step), known_municipalities=routing_directory().slugs)


def routing_decision_for_step(*, step: Mapping[str, Any], on: date) -> Decision:
    """The routing rules' decision for a routing step's facts, on the date ``on``."""
    return route(routing_concern_for_step(step=step), directory=routing_directory(), on=on)


@dataclass(frozen=True)
class OptionVerdict:
    key: str
    text: str
    action: str
    acceptable: bool
    why: str


@dataclass(frozen=True)
class ContactView:
    action_label: str
    name: str
    phone: str
    tel: str
    email: str
    hours: str


@dataclass(frozen=True)
class RoutingReveal:
    decision: Decision
    options: list[OptionVerdict]
    actions: list[str]
    contacts: list[ContactView]
    explanation: str

    @property
    def acceptable_keys(self) -> list[str]:
        return [option.key for option in self.options if option.acceptable]


def _tel(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    # Danish subscriber numbers have 8 digits; short numbers (112, 114) are dialled as they are.
    return f"+45{digits}" if len(digits) == 8 else digits


def routing_reveal_for_step(*, step: Mapping[str, Any], on: date) -> RoutingReveal:
    """What the class sees at the reveal of a routing step (reporter: citizen/young person)."""
    decision = routing_decision_for_step(step=step, on=on)
    verdicts = []
    for index, option in enumerate(step.get("options") or []):
        action = option["action"]
        if action == TELL_TRUSTED_ADULT:
            acceptable, why = True, _("At fortælle det til en voksen, du stoler på, er altid et godt skridt.")
        elif action in decision.actions:
            acceptable, why = True, _("Det peger reglerne også på.")
        else:
            acceptable, why = False, _("Det peger reglerne ikke på i denne situation.")
        verdicts.append(OptionVerdict(chr(ord("a") + index), option["text"], action, acceptable, why))
    contacts = [
        ContactView(
            action_label=ACTIONS[contact.action].label_da,
            name=contact.name,
            phone=contact.phone,
            tel=_tel(contact.phone) if contact.phone else "",
            email=contact.email,
            hours=contact.hours,
        )
        for contact in decision.contacts
    ]
    return RoutingReveal(
        decision=decision,
        options=verdicts,
        actions=[ACTIONS[code].label_da for code in decision.actions],
        contacts=contacts,
        explanation=decision.explanation,
    )


# --- Join codes -----------------------------------------------------------------------------------------


def join_code_generate() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _i in range(JOIN_CODE_LENGTH))


def join_code_normalise(raw: str) -> str:
    """Upper-case and drop spaces and hyphens, so »abcd-efgh« and »ABCD EFGH« are the same code."""
    return "".join(ch for ch in (raw or "").upper() if ch not in " -\t")


def session_active_q(*, at: datetime):
    from django.db.models import Q

    return Q(ended_at__isnull=True, expires_at__gt=at)


def join_code_looks_valid(code: str) -> bool:
    """Whether ``code`` is written exactly as codes are made (8 symbols of the alphabet, upper case)."""
    return len(code) == JOIN_CODE_LENGTH and all(ch in JOIN_CODE_ALPHABET for ch in code)


def session_find_by_code(*, code: str, at: datetime) -> LiveSession | None:
    """The active session with this join code, or None (ended and expired sessions' codes don't work)."""
    code = join_code_normalise(code)
    if not join_code_looks_valid(code):
        return None
    return LiveSession.objects.filter(session_active_q(at=at), join_code=code).first()


def session_is_active(*, session: LiveSession, at: datetime) -> bool:
    return session.ended_at is None and session.expires_at > at


# --- State version (cache) ---------------------------------------------------------------------------------


def state_cache_key(public_id) -> str:
    return f"classroom:session:{public_id}:v"


def activity_cache_key(public_id) -> str:
    """Bumped on every vote and join: what the projector's poll compares (pupils don't need it)."""
    return f"classroom:session:{public_id}:activity"


def session_cached_state_version(*, public_id) -> int | None:
    return cache.get(state_cache_key(public_id))


def session_cached_activity_version(*, public_id) -> int | None:
    return cache.get(activity_cache_key(public_id))


def session_publish_state(*, session: LiveSession) -> None:
    """Put the session's state version in the cache (after a change, or when the cache lost it)."""
    _publish_state(session)


def _publish_state(session: LiveSession) -> None:
    cache.set(state_cache_key(session.public_id), session.state_version, STATE_CACHE_TIMEOUT)


# Pupils' requests (and the projector's poll) read the session from a per-process copy, valid while the state version in the cache is
# the copy's own: every change a pupil can see (teacher actions, removal, end) bumps the version
# (``_update_state``), and time-based expiry is checked against ``expires_at`` at each use. Saves the
# session's row (and its steps snapshot) on every poll, vote and page of 1,500 pupils.
_PUPIL_SESSIONS: dict[str, LiveSession] = {}
_PUPIL_SESSIONS_MAX = 2000


def session_live_copy(*, public_id) -> LiveSession | None:
    """The live session as it is now, for pupils' requests and the projector's poll (one cache read; the
    database only after a change). Shared read-only by the process's threads: never modify or save it."""
    key = str(public_id)
    version = cache.get(state_cache_key(key))
    copy = _PUPIL_SESSIONS.get(key)
    if copy is not None and version is not None and copy.state_version == version:
        return copy
    session = LiveSession.objects.filter(public_id=key).first()
    if session is None:
        return None
    if version != session.state_version:
        # Lost from the cache, or a publisher died between its update and its publish: heal it.
        _publish_state(session)
    _remember_for_pupils(session)
    return session


def _remember_for_pupils(session: LiveSession) -> None:
    if len(_PUPIL_SESSIONS) >= _PUPIL_SESSIONS_MAX:
        _PUPIL_SESSIONS.clear()
    _PUPIL_SESSIONS[str(session.public_id)] = session


def session_poll_unchanged(*, public_id, version: str) -> bool:
    """Whether a pupil screen showing state ``version`` is up to date (one cache read, no query)."""
    cached = session_cached_state_version(public_id=public_id)
    return cached is not None and version == str(cached)


def _bump_activity(session: LiveSession) -> None:
    key = activity_cache_key(session.public_id)
    try:
        cache.incr(key)
    except ValueError:
        # Missing (first vote or evicted): a random start can't collide with a version a client saw.
        cache.add(key, secrets.randbelow(2**31) + 1, STATE_CACHE_TIMEOUT)


# --- Sessions ------------------------------------------------------------------------------------------------


def session_start(*, deck: ClassroomDeck, teacher: User, at: datetime) -> LiveSession:
    """Start a live session of ``deck`` with a fresh join code and a frozen snapshot of the steps."""
    snapshot = deck.steps.get_prep_value()
    for _attempt in range(10):
        try:
            with transaction.atomic():
                session = LiveSession.objects.create(
                    deck=deck,
                    deck_title=deck.title,
                    steps=snapshot,
                    teacher=teacher,
                    join_code=join_code_generate(),
                    created_at=at,
                    expires_at=at + SESSION_LIFETIME,
                )
        except IntegrityError:
            continue  # the code is in use by an active session: draw another
        _publish_state(session)
        return session
    raise RuntimeError("could not draw a free join code")  # pragma: no cover - 2**39 codes


def session_steps(session: LiveSession) -> StreamValue:
    """The session's frozen steps as block values (cached on the instance)."""
    cached = getattr(session, "_steps_value", None)
    if cached is None:
        cached = DeckStepsBlock().to_python(session.steps)
        session._steps_value = cached
    return cached


def session_current_step(session: LiveSession):
    steps = session_steps(session)
    return steps[min(session.current_step, len(steps) - 1)]


def _update_state(session: LiveSession, **changes: Any) -> LiveSession:
    LiveSession.objects.filter(pk=session.pk).update(state_version=F("state_version") + 1, **changes)
    session.refresh_from_db()
    _publish_state(session)
    return session


def step_counts(*, session: LiveSession, step_index: int) -> dict[str, int]:
    """Votes per option in a step: live votes while the session runs, kept aggregates after it ended."""
    if session.ended_at is not None:
        rows = StepResult.objects.filter(session=session, step_index=step_index).values_list("option_key", "count")
        return dict(rows)
    rows = (
        Vote.objects.filter(session=session, step_index=step_index)
        .values("option_key")
        .annotate(n=Count("id"))
        .values_list("option_key", "n")
    )
    return dict(rows)


def session_apply(*, session: LiveSession, action: TeacherAction, at: datetime) -> LiveSession:
    """Apply a teacher's control action. Ended sessions accept nothing."""
    if session.ended_at is not None:
        return session
    if action == TeacherAction.END:
        return session_end(session=session, at=at)
    last = len(session.steps) - 1
    if action in (TeacherAction.NEXT, TeacherAction.PREVIOUS):
        step = session.current_step + (1 if action == TeacherAction.NEXT else -1)
        step = max(0, min(last, step))
        if step == session.current_step:
            return session
        return _update_state(session, current_step=step, voting_open=False, revealed=False, revealed_counts={})
    if action == TeacherAction.OPEN_VOTING:
        if session_current_step(session).block_type not in VOTING_STEP_TYPES or session.revealed:
            return session
        return _update_state(session, voting_open=True)
    if action == TeacherAction.CLOSE_VOTING:
        return _update_state(session, voting_open=False)
    if action == TeacherAction.REVEAL:
        # Revealing closes the vote, so the counts the pupils see are final.
        counts = step_counts(session=session, step_index=session.current_step)
        return _update_state(session, voting_open=False, revealed=True, revealed_counts=counts)
    if action == TeacherAction.LOCK:
        return _update_state(session, locked=True)
    if action == TeacherAction.UNLOCK:
        return _update_state(session, locked=False)
    raise ValueError(action)


@transaction.atomic
def session_end(*, session: LiveSession, at: datetime) -> LiveSession:
    """End a session and purge it: keep only counts per step and option, delete participants and votes.

    Safe to run twice: a second run finds nothing left to aggregate.
    """
    locked = LiveSession.objects.select_for_update().get(pk=session.pk)
    rows = Vote.objects.filter(session=locked).values("step_index", "option_key").annotate(n=Count("id"))
    for row in rows:
        result, created = StepResult.objects.get_or_create(
            session=locked, step_index=row["step_index"], option_key=row["option_key"], defaults={"count": row["n"]}
        )
        if not created:
            StepResult.objects.filter(pk=result.pk).update(count=F("count") + row["n"])
    Vote.objects.filter(session=locked).delete()
    Participant.objects.filter(session=locked).delete()
    if locked.ended_at is None:
        locked = _update_state(locked, ended_at=at, voting_open=False, locked=True)
    transaction.on_commit(lambda: _publish_state(locked))
    return locked


def sessions_end_expired(*, at: datetime) -> int:
    """End and purge every session abandoned past its lifetime (4 hours after start). Returns how many."""
    ids = list(LiveSession.objects.filter(ended_at__isnull=True, expires_at__lte=at).values_list("pk", flat=True))
    for pk in ids:
        session_end(session=LiveSession(pk=pk), at=at)
    return len(ids)


def session_results(*, session: LiveSession) -> list[dict[str, Any]]:
    """Counts per option for every voting step (aggregates only), for the teacher and the load test."""
    steps = session_steps(session)
    if session.ended_at is not None:
        source = StepResult.objects.filter(session=session).values_list("step_index", "option_key", "count")
    else:
        source = (
            Vote.objects.filter(session=session)
            .values("step_index", "option_key")
            .annotate(n=Count("id"))
            .values_list("step_index", "option_key", "n")
        )
    by_step: dict[int, dict[str, int]] = {}
    for step_index, key, count in source:
        by_step.setdefault(step_index, {})[key] = count
    out = []
    for index, step in enumerate(steps):
        if step.block_type not in VOTING_STEP_TYPES:
            continue
        counts = by_step.get(index, {})
        out.append(
            {
                "step": index,
                "title": step.value["title"],
                "counts": {key: counts.get(key, 0) for key in step.value.option_keys()},
                "options": [
                    {"key": key, "text": option["text"], "count": counts.get(key, 0)}
                    for key, option in step.value.keyed_options()
                ],
            }
        )
    return out


# --- Participants ---------------------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def nickname_compose(*, colour: str, animal: str) -> str:
    """A nickname from the fixed word lists, or "" for none. Raises ValueError for anything else."""
    if not colour and not animal:
        return ""
    if animal not in NICKNAME_ANIMALS or (colour and colour not in NICKNAME_COLOURS):
        raise ValueError("nickname not in the word list")
    return f"{colour} {animal.lower()}" if colour else animal


def participant_join(*, code: str, nickname: str, at: datetime) -> tuple[Participant, str]:
    """Join the active session with ``code``. Returns the participant and its secret token."""
    session = session_find_by_code(code=code, at=at)
    if session is None:
        raise JoinError(_("Koden passer ikke til et forløb, der kører lige nu. Tjek koden på tavlen."))
    if session.locked:
        raise JoinError(_("Læreren har lukket for nye deltagere i dette forløb."))
    token = secrets.token_urlsafe(32)
    participant = Participant.objects.create(
        session=session, token_hash=token_hash(token), nickname=nickname, joined_at=at
    )
    participant.session = session
    _bump_activity(session)
    _remember_for_pupils(session)  # the pupil's page comes next, most likely from this process
    return participant, token


@dataclass(frozen=True)
class PupilSeat:
    """A pupil as their requests see them: the participant (its ``session`` the shared live copy) and the
    option they chose in the session's current step, if any."""

    participant: Participant
    current_vote: str | None


# The pupils' hottest read (every vote, page and changed poll): the participant by its token's unique hash,
# with its vote in the current step, in one statement and without the ORM's query compilation.
_SEAT_SQL = (
    "SELECT p.id, p.nickname, p.removed, v.option_key"
    " FROM {participant} p LEFT JOIN {vote} v ON v.participant_id = p.id AND v.step_index = %s"
    " WHERE p.token_hash = %s AND p.session_id = %s"
)


def pupil_seat(*, public_id, token: str) -> PupilSeat | None:
    """The participant holding ``token`` in the session and their current vote (one query; the session
    comes from ``session_live_copy``). None for no token, an unknown token or another session's."""
    if not token:
        return None
    session = session_live_copy(public_id=public_id)
    if session is None:
        return None
    hashed = token_hash(token)
    sql = _SEAT_SQL.format(participant=Participant._meta.db_table, vote=Vote._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [session.current_step, hashed, session.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    pk, nickname, removed, current_vote = row
    # Only the fields the pupils' views read (never saved from here).
    participant = Participant(id=pk, session=session, token_hash=hashed, nickname=nickname, removed=bool(removed))
    return PupilSeat(participant=participant, current_vote=current_vote)


def participant_remove(*, session: LiveSession, participant_id: int) -> bool:
    """The teacher removes a participant: they can no longer vote (their cast votes stay counted)."""
    changed = Participant.objects.filter(session=session, pk=participant_id, removed=False).update(removed=True)
    if changed:
        _update_state(session)
    return bool(changed)


# --- Votes ------------------------------------------------------------------------------------------------------


# One INSERT decides: the unique (participant, step) constraint makes a second vote a no-op (ON CONFLICT DO
# NOTHING), and the SELECT only yields a row while the step's vote is open, so a vote racing the teacher's
# "close", "reveal" or "end" is refused rather than slipping in after it. RETURNING says whether it landed.
_VOTE_SQL = (
    "INSERT INTO {vote} (session_id, participant_id, step_index, option_key)"
    " SELECT s.id, %s, %s, %s FROM {session} s"
    " WHERE s.id = %s AND s.current_step = %s AND s.voting_open AND NOT s.revealed AND s.ended_at IS NULL"
    " ON CONFLICT (participant_id, step_index) DO NOTHING"
    " RETURNING id"
)


def vote_cast(*, participant: Participant, step_index: int, option_key: str, at: datetime) -> VoteOutcome:
    """Record one vote: a single idempotent INSERT guarded by the (participant, step) unique constraint.

    The checks before it give the pupil the reason for a refusal; the statement itself is what makes a
    vote count once (no transaction needed: it is one statement)."""
    session = participant.session
    if not session_is_active(session=session, at=at):
        return VoteOutcome.ENDED
    if participant.removed:
        return VoteOutcome.REMOVED
    if not session.voting_open or session.revealed or step_index != session.current_step:
        return VoteOutcome.CLOSED
    step = session_current_step(session)
    if step.block_type not in VOTING_STEP_TYPES:
        return VoteOutcome.CLOSED
    if option_key not in step.value.option_keys():
        return VoteOutcome.INVALID_OPTION
    sql = _VOTE_SQL.format(vote=Vote._meta.db_table, session=LiveSession._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, [participant.pk, step_index, option_key, session.pk, step_index])
            inserted = cursor.fetchone() is not None
    except IntegrityError:
        return VoteOutcome.ENDED  # the participant was purged while voting (the session ended)
    if not inserted:  # why not (rare): said once more, from the database
        if Vote.objects.filter(participant_id=participant.pk, step_index=step_index).exists():
            return VoteOutcome.ALREADY_VOTED
        if not LiveSession.objects.filter(pk=session.pk, ended_at__isnull=True).exists():
            return VoteOutcome.ENDED
        return VoteOutcome.CLOSED  # the teacher closed or revealed in the meantime
    _bump_activity(session)
    return VoteOutcome.RECORDED


def participant_vote(*, participant: Participant, step_index: int) -> str | None:
    return (
        Vote.objects.filter(participant=participant, step_index=step_index)
        .values_list("option_key", flat=True)
        .first()
    )


# --- Views' read models -------------------------------------------------------------------------------------------


@dataclass
class OptionRow:
    key: str
    letter: str
    text: str
    count: int = 0
    percent: int = 0
    action: str = ""
    action_label: str = ""
    verdict: OptionVerdict | None = None
    mine: bool = False


@dataclass
class StepView:
    index: int
    number: int
    total: int
    block_type: str
    value: Any
    options: list[OptionRow] = field(default_factory=list)
    total_votes: int = 0
    reveal: RoutingReveal | None = None

    @property
    def votable(self) -> bool:
        return self.block_type in VOTING_STEP_TYPES


def step_view(
    *,
    session: LiveSession,
    counts: Mapping[str, int] | None,
    on: date,
    with_reveal: bool,
    mine: str | None = None,
) -> StepView:
    """Everything a live template needs about the current step (counts only when given)."""
    steps = session_steps(session)
    index = min(session.current_step, len(steps) - 1)
    step = steps[index]
    view = StepView(index=index, number=index + 1, total=len(steps), block_type=step.block_type, value=step.value)
    if step.block_type in VOTING_STEP_TYPES:
        counts = counts or {}
        view.total_votes = sum(counts.values())
        reveal = (
            routing_reveal_for_step(step=step.value, on=on)
            if with_reveal and step.block_type == "routing"
            else None
        )
        view.reveal = reveal
        for i, (key, option) in enumerate(step.value.keyed_options()):
            count = counts.get(key, 0)
            action = option.get("action", "")
            view.options.append(
                OptionRow(
                    key=key,
                    letter=key.upper(),
                    text=option["text"],
                    count=count,
                    percent=round(100 * count / view.total_votes) if view.total_votes else 0,
                    action=action,
                    action_label=ACTIONS[action].label_da if action in ACTIONS else "",
                    verdict=reveal.options[i] if reveal else None,
                    mine=key == mine,
                )
            )
    return view


# --- Decks from JSON (demo content and imports) -----------------------------------------------------------


def _item_id(*parts: object) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, "forebyg:classroom:" + ":".join(str(p) for p in parts)))


def _list(items: list, *parts: object) -> list[dict[str, Any]]:
    return [{"type": "item", "value": value, "id": _item_id(*parts, i)} for i, value in enumerate(items)]


def _check_keys(options: list[dict[str, Any]], where: str) -> None:
    keys = [option.get("key") for option in options]
    if any(key is not None for key in keys) and keys != [chr(ord("a") + i) for i in range(len(keys))]:
        raise ValueError(f"{where}: option keys must be a, b, c … in order")


def deck_steps_from_json(*, slug: str, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Convert the steps of a deck in ``decks.json`` to StreamField data (stable block ids)."""
    raw: list[dict[str, Any]] = []
    for index, step in enumerate(steps):
        kind, where = step["type"], f"{slug}.steps[{index}]"
        if kind == "intro":
            value: dict[str, Any] = {"title": step["title"], "text": step["text_da"]}
        elif kind == "dilemma":
            _check_keys(step["options"], where)
            value = {
                "title": step["title"],
                "question": step["question_da"],
                "options": _list([{"text": o["text_da"]} for o in step["options"]], slug, index, "o"),
                "discussion_prompts": _list(step.get("discussion_prompts_da", []), slug, index, "p"),
                "reveal": step.get("reveal_da", ""),
            }
        elif kind == "routing":
            _check_keys(step["options"], where)
            facts = dict(step["facts"])
            if facts.pop("reporter", "citizen") != "citizen":
                raise ValueError(f"{where}: a classroom routing step is seen by a citizen (reporter »citizen«)")
            value = {
                "title": step["title"],
                "question": step["question_da"],
                **facts,
                "options": _list(
                    [{"text": o["text_da"], "action": o["action"]} for o in step["options"]], slug, index, "o"
                ),
                "discussion_prompts": _list(step.get("discussion_prompts_da", []), slug, index, "p"),
            }
        elif kind == "discussion":
            value = {"title": step["title"], "prompts_list": _list(step["prompts_da"], slug, index, "p")}
        else:
            raise ValueError(f"{where}: unknown step type {kind!r}")
        raw.append({"type": kind, "value": value, "id": _item_id(slug, index)})
    # Validate as the Wagtail editor would (option counts, routing facts, CPR numbers).
    block = DeckStepsBlock()
    block.clean(block.to_python(raw))
    return raw


def deck_create_from_json(*, data: Mapping[str, Any]) -> tuple[ClassroomDeck, bool]:
    """Create the deck described by one entry of ``decks.json`` unless its slug exists (editors' changes win)."""
    existing = ClassroomDeck.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        return existing, False
    deck = ClassroomDeck(
        slug=data["slug"],
        title=data["title_da"],
        title_en=data.get("title_en", ""),
        age_min=data["age_min"],
        age_max=data["age_max"],
        theme=data["theme_da"],
        summary=data["summary_da"],
        source=data.get("source", ""),
        steps=deck_steps_from_json(slug=data["slug"], steps=data["steps"]),
    )
    deck.full_clean()
    deck.save()
    return deck, True

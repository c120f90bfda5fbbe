"""Helpers of the fuzz test (``test_fuzz_inputs.py``): the world it runs in, one request with a record of
everything it changed, what a clear refusal looks like, the inputs, and the project's URL patterns.

The world is built once per module inside a transaction that is rolled back at the end; every request runs
in a savepoint of its own that is rolled back too, so no example sees what an earlier one did.
"""

from __future__ import annotations

import datetime as dt
import inspect
import io
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes, urlsplit

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape
from hypothesis import strategies as st

from learning.models import User

from .helpers import is_logged_in, login

# --- Actors ----------------------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
LEARNER = "learner"
SSP_TEACHER = "ssp_teacher"
COORDINATOR = "coordinator"
EDITOR = "editor"
ADMINISTRATOR = "administrator"
PUPIL = "pupil"  # joined the live session: a signed participant cookie, no account
MFA_PENDING = "mfa_pending"  # the coordinator after the password, before the second factor
TOTP_SETUP = "totp_setup"  # a learner of municipality B half-way through enrolling an authenticator app

# The demo's people (learning.demo.DEMO_PEOPLE), all of Køge except the one setting up TOTP.
ACTOR_EMAILS = {
    LEARNER: "medarbejder.koege@forebyg.example",
    SSP_TEACHER: "ssp.koege@forebyg.example",
    COORDINATOR: "koordinator.koege@forebyg.example",
    EDITOR: "redaktoer.koege@forebyg.example",
    ADMINISTRATOR: "admin.koege@forebyg.example",
    TOTP_SETUP: "medarbejder.ishoej@forebyg.example",
}


@dataclass(repr=False)
class World:
    users: dict[str, User]
    objects: dict[str, Any]
    session_keys: dict[str, str] = field(default_factory=dict)
    pupil_cookie: tuple[str, str] = ("", "")
    queued_tasks: list[str] = field(default_factory=list)
    watched_dirs: tuple[Path, ...] = ()

    def __getitem__(self, name: str) -> Any:
        return self.objects[name]


def _course(*, home, municipality):
    from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
    from quizzes.models import FinalAssessmentPage, ModuleQuizPage, ModuleQuizScenario
    from tests.quizzes.factories import ScenarioFactory

    index = home.add_child(instance=CourseIndexPage(title="Kurser", slug="kurser"))
    course = index.add_child(
        instance=CoursePage(title="Forebyggelse", slug="forebyggelse", intro="<p>Et opdigtet kursus.</p>")
    )
    module = course.add_child(
        instance=ModulePage(
            title="Modul 1",
            slug="modul-1",
            summary="Resumé",
            next_review=dt.date(2099, 1, 1),
            sources=[{"type": "source", "value": {"source": "003", "section": "§3.1", "note": ""}}],
        )
    )
    lesson = module.add_child(
        instance=LessonPage(
            title="Lektion 1", slug="lektion-1", body=[{"type": "text", "value": "<p>Radikalisering.</p>"}]
        )
    )
    scenarios = [
        ScenarioFactory(municipality=municipality, slug=f"fuzz-scenarie-{n}", title=f"Scenarie {n}")
        for n in range(1, 4)
    ]
    # One scenario asks every question (level and urgency too), so every answer field is fuzzed.
    scenarios[0].ask_level = scenarios[0].ask_urgency = True
    scenarios[0].save()
    quiz = ModuleQuizPage(title="Tjek din viden", slug="tjek-din-viden")
    for order, scenario in enumerate(scenarios):
        quiz.quiz_scenarios.add(ModuleQuizScenario(scenario=scenario, sort_order=order))
    quiz = module.add_child(instance=quiz)
    final = course.add_child(
        instance=FinalAssessmentPage(title="Afsluttende prøve", slug="afsluttende-proeve", question_count=3)
    )
    return {"course": course, "lesson": lesson, "quiz": quiz, "final": final, "scenarios": scenarios}


def world_build(*, at: dt.datetime) -> World:
    """Everything the fuzzed endpoints need, owned by Køge (the coordinator's municipality)."""
    from wagtail.models import Locale

    from classroom.services import TeacherAction, participant_join, session_apply, session_start
    from courses.demo import demo_seed_site_pages
    from courses.models import HomePage
    from coverage.models import RosterUpload
    from coverage.services import reminder_settings_for
    from interactive.services import playback_token_create
    from learning.demo import (
        DemoReport,
        demo_seed_concern_guide,
        demo_seed_directory,
        demo_seed_organisations,
    )
    from learning.models import Municipality
    from learning.services import user_set_roles
    from tests.classroom.factories import first_step_of, make_deck
    from tests.coverage.factories import certify, make_target
    from tests.interactive.factories import ready_activity

    report = DemoReport()
    demo_seed_organisations(report)
    demo_seed_directory(report)
    demo_seed_site_pages(report)
    demo_seed_concern_guide(report)
    users = {actor: User.objects.get(email=email) for actor, email in ACTOR_EMAILS.items()}
    # The editor also moves the coordinators' targets in the admin in some municipalities; here the
    # administrator does, and the editor keeps the H5P and scenario snippets.
    user_set_roles(user=users[TOTP_SETUP], roles=set())
    koege = Municipality.objects.get(slug="koege")
    home = HomePage.objects.get(locale=Locale.get_default())
    pages = _course(home=home, municipality=koege)

    deck = make_deck()
    live = session_start(deck=deck, teacher=users[SSP_TEACHER], at=at)
    while live.current_step < first_step_of(live, "dilemma"):
        live = session_apply(session=live, action=TeacherAction.NEXT, at=at)
    live = session_apply(session=live, action=TeacherAction.OPEN_VOTING, at=at)
    participant, pupil_token = participant_join(code=live.join_code, nickname="", at=at)

    activity = ready_activity()
    target = make_target(municipality=koege, course=pages["course"], year=at.year)
    certificate = certify(user=users[LEARNER], course=pages["course"], issued_at=at - dt.timedelta(days=10))
    upload = RosterUpload.objects.create(
        municipality=koege,
        uploaded_by=users[COORDINATOR],
        uploaded_at=at,
        filename="medarbejdere.csv",
        rows=[{"name": "Opdigtet Person", "email": "ikke-en-adresse", "department": "", "job_role": "", "_extra": ""}],
    )
    reminder_settings_for(municipality=koege)
    objects = {
        **pages,
        "municipality": koege,
        "deck": deck,
        "live": live,
        "participant": participant,
        "activity": activity,
        "xapi_token": playback_token_create(
            activity=activity, user=users[LEARNER], lesson_page_id=pages["lesson"].pk, at=at
        ),
        "target": target,
        "certificate": certificate,
        "upload": upload,
    }
    world = World(users=users, objects=objects)
    from classroom.views import _cookie_salt, participant_cookie_name

    cookie_name = participant_cookie_name(live.public_id)
    world.pupil_cookie = (
        cookie_name,
        signing.get_cookie_signer(salt=cookie_name + _cookie_salt(live.public_id)).sign(pupil_token),
    )
    return world


def world_login(world: World, *, password: str) -> None:
    """Real logins through allauth (second factor included); two half-way states for the MFA forms."""
    for actor in (LEARNER, SSP_TEACHER, COORDINATOR, EDITOR, ADMINISTRATOR, TOTP_SETUP):
        client = Client()
        response = login(client, world.users[actor], password=password)
        assert response.status_code == 302 and is_logged_in(client), actor
        world.session_keys[actor] = client.cookies[settings.SESSION_COOKIE_NAME].value
    # The authenticator app's secret lives in the session from the first look at the form.
    client = client_for(world, TOTP_SETUP)
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code == 302 and reverse("account_reauthenticate") in response["Location"]:
        client.post(reverse("account_reauthenticate"), {"password": password})
        response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    pending = Client()
    response = pending.post(
        reverse("account_login"), {"login": world.users[COORDINATOR].email, "password": password}
    )
    assert response["Location"].endswith(reverse("mfa_authenticate")), response
    world.session_keys[MFA_PENDING] = pending.cookies[settings.SESSION_COOKIE_NAME].value


def client_for(world: World, actor: str, *, csrf_checks: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf_checks)
    if actor == PUPIL:
        name, value = world.pupil_cookie
        client.cookies[name] = value
    elif actor != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.session_keys[actor]
    return client


# --- One request and everything it changed ---------------------------------------------------------------


@dataclass(frozen=True)
class Payload:
    """One request. ``path`` replaces the endpoint's URL (a changed id or token in it); ``prepare``
    runs inside the request's savepoint first (e.g. to store an uploaded list of odd rows)."""

    label: str
    method: str = "POST"
    body: bytes = b""
    content_type: str | None = None
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    path: str | None = None
    prepare: Callable[[World], None] | None = None

    def _repr_pretty_(self, printer, cycle) -> None:  # hypothesis' pretty printer, as repr()
        printer.text(repr(self))

    def __repr__(self) -> str:  # hypothesis prints this for a failing example: keep it short and useful
        body = self.body if len(self.body) <= 600 else self.body[:600] + b"...(%d bytes)" % len(self.body)
        return (
            f"Payload({self.label!r}, {self.method} {self.path or ''}?{self.query[:200]}, "
            f"content_type={self.content_type!r}, headers={dict(self.headers)!r}, body={body!r})"
        )


# Sessions are written by the idle-timeout middleware on any request; everything else must stay as it was.
UNWATCHED_TABLES = frozenset({"django_session"})


def _table_names() -> list[str]:
    return sorted(
        name for name in connection.introspection.django_table_names(only_existing=True) if name not in UNWATCHED_TABLES
    )


def row_counts() -> dict[str, int]:
    """Every table's row count, in one query."""
    tables = _table_names()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Table names come from Django's own introspection, never from input.
        counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def rows_of(labels: tuple[str, ...]) -> dict[str, list[tuple]]:
    """Every value of every row of the watched models (updates show, not only inserts and deletes)."""
    snapshot = {}
    for label in labels:
        model = apps.get_model(label)
        snapshot[label] = list(model._base_manager.order_by("pk").values_list())
    return snapshot


def files_in(folders: tuple[Path, ...]) -> set[tuple[str, int]]:
    return {
        (str(path), path.stat().st_size)
        for folder in folders
        if folder.exists()
        for path in folder.rglob("*")
        if path.is_file()
    }


@dataclass
class Outcome:
    response: Any
    changes: list[str]


def send(world: World, *, actor: str, url: str, payload: Payload, watched: tuple[str, ...], csrf_checks: bool = False):
    """Send one request as ``actor`` and report what it changed: rows (counts of every table, values of
    the watched models), files, e-mails and queued tasks. Whatever it wrote is rolled back."""
    cache.clear()
    client = client_for(world, actor, csrf_checks=csrf_checks)
    path = payload.path or url
    if payload.query:
        path = f"{path}?{payload.query}"
    headers = dict(payload.headers)
    with transaction.atomic():
        if payload.prepare is not None:
            payload.prepare(world)
        counts, rows = row_counts(), rows_of(watched)
        files, outbox, queued = files_in(world.watched_dirs), len(mail.outbox), len(world.queued_tasks)
        on_commit = len(connection.run_on_commit)
        if payload.method == "GET":
            response = client.get(path, headers=headers)
        else:
            response = client.generic(
                payload.method, path, data=payload.body, content_type=payload.content_type or "", headers=headers
            )
        changes = []
        after = row_counts()
        changes += [f"{t}: {counts[t]} → {after[t]} rows" for t in counts if counts[t] != after[t]]
        after_rows = rows_of(watched)
        changes += [f"{label}: rows changed" for label in watched if rows[label] != after_rows[label]]
        written = files_in(world.watched_dirs) - files
        changes += [f"file written: {name}" for name, _size in sorted(written)]
        if len(mail.outbox) != outbox:
            changes.append(f"{len(mail.outbox) - outbox} e-mail(s) sent")
        if len(world.queued_tasks) != queued:
            changes.append(f"task(s) queued: {world.queued_tasks[queued:]}")
        if len(connection.run_on_commit) != on_commit:
            changes.append(f"{len(connection.run_on_commit) - on_commit} on-commit callback(s) registered")
        transaction.set_rollback(True)
    # Not response.close(): its request_finished signal would close the database connection, which
    # PostgreSQL's test database cannot lose mid-transaction (the test client closes what it must).
    return Outcome(response=response, changes=changes)


# --- What a clear refusal looks like -----------------------------------------------------------------------

# Words that give an English text away, and words (or letters) that a Danish sentence nearly always has.
ENGLISH_WORDS = frozenset(
    ["the", "this", "that", "is", "are", "was", "not", "please", "enter", "ensure", "must", "should", "field", "required", "valid", "invalid", "value", "select", "choose", "characters", "file", "submitted", "request", "forbidden", "bad", "found", "error", "sorry", "you", "your"]
)
DANISH_WORDS = frozenset(
    ["er", "ikke", "skal", "kan", "en", "et", "og", "at", "på", "til", "med", "af", "de", "den", "det", "du", "din", "dit", "dine", "vælg", "skriv", "indtast", "findes", "højst", "mindst", "gyldig", "gyldigt", "ugyldig", "ugyldigt", "ukendt", "ukendte", "feltet", "felt", "filen", "koden", "siden", "forkert", "forkerte", "tom", "mangler", "kun", "eller", "handling", "udsagnet", "forsøget", "allerede", "afleveret", "linket", "udløbet", "dette", "denne", "tegn", "heltal", "valg", "værdi", "tal", "dato", "adgangskoden", "e-mailadressen", "afstemningen", "lukket", "stemt"]
)
def is_danish(text: str) -> bool:
    words = set(re.findall(r"[a-zæøå]+", text.lower()))
    return bool(words & DANISH_WORDS or re.search("[æøå]", text.lower())) and not words & ENGLISH_WORDS


def _content(response) -> str:
    return response.content.decode("utf-8", errors="replace")


def _refused_forms(response) -> list[forms.BaseForm]:
    """The bound forms with errors that the response rendered (from the test client's context)."""
    found: list[forms.BaseForm] = []
    contexts = response.context or []
    for context in contexts if isinstance(contexts, list) else [contexts]:
        for value in context.flatten().values():
            for candidate in value if isinstance(value, list | tuple) else [value]:
                bound = isinstance(candidate, forms.BaseForm) and candidate.is_bound
                if bound and candidate.errors and all(candidate is not seen for seen in found):
                    found.append(candidate)
    return found


class Refusal:
    """A named check of one kind of refusal; ``any_of`` accepts the first that matches."""

    def __init__(self, name: str, check: Callable[[Any], str]):
        self.name, self.check = name, check

    def __call__(self, response) -> str:
        return self.check(response)

    def __repr__(self) -> str:
        return self.name


def form_errors(status: int = 200) -> Refusal:
    """The form again with its errors: every error is on the page, and every error is Danish."""

    def check(response) -> str:
        assert response.status_code == status, f"status {response.status_code}, expected {status}"
        refused = _refused_forms(response)
        assert refused, "no form with errors was rendered"
        html = _content(response)
        messages = [str(m) for form in refused for errors in form.errors.values() for m in errors]
        for message in messages:
            assert escape(message) in html, f"error not shown on the page: {message!r}"
            assert is_danish(message), f"error not in Danish: {message!r}"
        return messages[0]

    return Refusal(f"form_errors({status})", check)


def allauth_json_errors() -> Refusal:
    """allauth answers a JSON (or XMLHttpRequest) POST with JSON: 400 and the form's errors, in Danish."""

    def check(response) -> str:
        assert response.status_code == 400, f"status {response.status_code}, expected 400"
        assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
        form = json.loads(response.content)["form"]
        errors = list(form["errors"]) + [e for spec in form["fields"].values() for e in spec["errors"]]
        assert errors, "no errors in allauth's JSON"
        for error in errors:
            assert is_danish(error), f"error not in Danish: {error!r}"
        return errors[0]

    return Refusal("allauth_json_errors", check)


def ignored(status: int = 200) -> Refusal:
    """A filter the view ignores when it cannot read it (the page as without it)."""

    def check(response) -> str:
        assert response.status_code == status, f"status {response.status_code}, expected {status}"
        return "ignored"

    return Refusal(f"ignored({status})", check)


def page(status: int, text: str) -> Refusal:
    def check(response) -> str:
        assert response.status_code == status, f"status {response.status_code}, expected {status}"
        assert text in _content(response), f"{text!r} not on the page"
        return text

    return Refusal(f"page({status}, {text!r})", check)


def danish_body(*statuses: int) -> Refusal:
    """A short Danish text as the whole answer (plain text or a fragment)."""

    def check(response) -> str:
        assert response.status_code in statuses, f"status {response.status_code}, expected {statuses}"
        text = re.sub(r"<[^>]+>", " ", _content(response))
        assert is_danish(text), f"answer not in Danish: {text[:300]!r}"
        return text.strip()[:100]

    return Refusal(f"danish_body{statuses}", check)


def json_error(*statuses: int) -> Refusal:
    """JSON with the reason in Danish: ``{"error": "…"}`` or ``{"error": {"message_da": "…", …}}``."""

    def check(response) -> str:
        assert response.status_code in statuses, f"status {response.status_code}, expected {statuses}"
        assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
        error = json.loads(response.content)["error"]
        message = error["message_da"] if isinstance(error, dict) else error
        assert is_danish(message), f"error not in Danish: {message!r}"
        return message

    return Refusal(f"json_error{statuses}", check)


def redirect_with_message(to: Callable[[], str]) -> Refusal:
    """Back to a page (post/redirect/get) with a Danish message for the next page to show."""

    def check(response) -> str:
        assert response.status_code == 302, f"status {response.status_code}, expected 302"
        assert urlsplit(response["Location"]).path == to(), response["Location"]
        texts = [str(m) for m in get_messages(response.wsgi_request)]
        assert texts, "no message for the next page"
        assert all(is_danish(t) for t in texts), texts
        return texts[0]

    return Refusal("redirect_with_message", check)


def any_of(*refusals: Refusal) -> Refusal:
    def check(response) -> str:
        failures = []
        for refusal in refusals:
            try:
                return refusal(response)
            except AssertionError as failure:
                failures.append(f"{refusal!r}: {failure}")
        raise AssertionError("no refusal matched:\n  " + "\n  ".join(failures))

    return Refusal(" | ".join(map(repr, refusals)), check)


# The site's 400 page (learning.views.bad_request): too big, too many fields, a broken multipart body.
BAD_REQUEST = page(400, "Forespørgslen kunne ikke behandles")
NOT_FOUND = page(404, "Siden findes ikke")
CSRF_REFUSED = page(403, "Formularen er udløbet")


# --- Inputs ----------------------------------------------------------------------------------------------

ODD_PIECES = [
    "\x00",  # NUL: PostgreSQL refuses it in text
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
    "e\u0301\u0301\u0301",  # combining accents
    "👩🏽\u200d💻",  # emoji with a skin tone and a zero-width joiner
    "🧨",
    "\U0001d518",  # outside the basic plane
    "\U0010fffd",  # private use, last plane
    "\r\n",
    "\t",
    "\x1b[31m",
    "<script>alert(1)</script>",
    "'\"`;--",
    "%00%ff",
    "../../etc/passwd",
    "Ærø Å",
    "ﷺ",
    "١٢٣",  # Arabic-Indic digits: int() reads them as 123
    "²",  # a superscript two: str.isdigit() says yes, int() refuses it
    "①",
    "１２",  # full-width digits
    "NaN",
    "-0",
    "1e309",
    "None",
    "null",
    "[]",
    "{}",
]
# Bytes that are not UTF-8 (a lone surrogate as CESU-8, an overlong slash, stray continuation bytes).
BAD_UTF8 = [b"\xed\xa0\x80", b"\xc0\xaf", b"\xff\xfe", b"\x80\x80"]

odd_text = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(ODD_PIECES), min_size=1, max_size=4).map("".join),
    st.text(st.characters(categories=["Mn", "Cf", "Zs", "Co", "Cc", "So"]), min_size=1, max_size=20),
    st.tuples(st.sampled_from(ODD_PIECES), st.integers(1000, 40_000)).map(lambda t: t[0] * t[1]),
)
odd_value = st.one_of(odd_text.map(lambda s: s.encode("utf-8")), st.sampled_from(BAD_UTF8))


def too_big_body(*, bytes_over: int) -> bytes:
    return b"a=" + b"x" * (bytes_over + 1)


def urlencode_pairs(pairs: list[tuple[str | bytes, str | bytes]]) -> bytes:
    def enc(value: str | bytes) -> str:
        raw = value.encode("utf-8") if isinstance(value, str) else value
        return quote_from_bytes(raw, safe="")

    return "&".join(f"{enc(k)}={enc(v)}" for k, v in pairs).encode("ascii")


BOUNDARY = "fuzzBoundaryQ7x"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def multipart_pairs(pairs: list[tuple[str | bytes, str | bytes]], files: list[tuple[str, str, bytes, str]] = ()) -> bytes:
    """A multipart body from (name, value) pairs and (field, filename, content, content type) files."""

    def raw(value: str | bytes) -> bytes:
        return value.encode("utf-8") if isinstance(value, str) else value

    chunks = []
    for name, value in pairs:
        chunks.append(
            b"--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
            % (BOUNDARY.encode(), raw(name).replace(b'"', b"%22"), raw(value))
        )
    for name, filename, content, content_type in files:
        chunks.append(
            b"--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n%s\r\n"
            % (BOUNDARY.encode(), name.encode(), raw(filename).replace(b'"', b"%22"), content_type.encode(), content)
        )
    return b"".join(chunks) + b"--%s--\r\n" % BOUNDARY.encode()


def field_refuses(field: forms.Field, name: str, values: list[str]) -> bool:
    """Whether the form field refuses these submitted values (read through its widget, as a form does)."""
    data = QueryDict(mutable=True)
    data.setlist(name, values)
    raw = field.widget.value_from_datadict(data, {}, name)
    try:
        field.clean(raw)
    except ValidationError:
        return True
    except (TypeError, ValueError, OverflowError):
        return True  # would be a 500 in the form as well; the request itself shows it
    return False


def _candidates(field: forms.Field) -> st.SearchStrategy[list[str]]:
    """Values likely to be refused by this kind of field; filtered by ``field_refuses`` afterwards."""
    text = odd_text
    near: list[str] = []
    if hasattr(field, "choices") and not isinstance(field, forms.ModelChoiceField):
        for value, _label in field.choices:
            if isinstance(_label, list | tuple):
                continue
            near += [f"{value} ", str(value).upper(), f"{value}\x00", f"\u200b{value}", f"{value}{value}"]
    if isinstance(field, forms.ModelChoiceField):
        near += ["999999", "-1", "0", "1.5", "1e3", "0x1", "²", "1²"]
    if isinstance(field, forms.IntegerField):
        near += ["1.5", "1e3", "9" * 5000, "-1", "0x10", "", " "]
        if field.max_value is not None:
            near.append(str(field.max_value + 1))
        if field.min_value is not None:
            near.append(str(field.min_value - 1))
    if isinstance(field, forms.DateField):
        near += ["2024-02-30", "0000-00-00", "9999-99-99", "31-31-2024", "i morgen"]
    if isinstance(field, forms.EmailField):
        near += ["ikke-en-adresse", "a@", "@b.dk", "a@b@c.dk", "a b@c.dk", "a@" + "b" * 300 + ".dk"]
    if isinstance(field, forms.CharField) and field.max_length:
        near.append("x" * (field.max_length + 1))
    if field.required:
        near += ["", " " * 3]
    single = st.one_of(st.sampled_from(near), text) if near else text
    with_nul = st.tuples(text, text).map(lambda t: f"{t[0]}\x00{t[1]}")
    one = st.one_of(single, with_nul)
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(one, min_size=1, max_size=4)
    # Duplicated parameters: the form reads the last one, which is the refused value.
    return st.tuples(st.lists(text, max_size=2), one).map(lambda t: [*t[0], t[1]])


def refused_values(field: forms.Field, name: str) -> st.SearchStrategy[list[str] | None]:
    """Submitted values the field refuses; ``None`` (the field left out) when it is required."""
    values = _candidates(field).filter(lambda v: field_refuses(field, name, v))
    if field.required and not isinstance(field, forms.FileField):
        return st.one_of(st.none(), values)
    return values


@dataclass(frozen=True)
class FormSpec:
    """A form as the fuzz sees it: its fields (full names, prefixes included), valid values for each,
    and which fields may be corrupted (a file field is corrupted by ``files`` instead)."""

    fields: dict[str, forms.Field]
    valid: dict[str, list[str]]
    files: dict[str, Callable[[], st.SearchStrategy[tuple[str, bytes] | None]]] = field(default_factory=dict)
    valid_files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def corruptible(self) -> list[str]:
        """Fields some submitted value makes the form refuse (an optional checkbox accepts anything)."""
        names = list(self.files)
        for name, form_field in self.fields.items():
            if name in self.files or isinstance(form_field, forms.FileField | forms.NullBooleanField):
                continue
            if isinstance(form_field, forms.BooleanField) and not form_field.required:
                continue
            names.append(name)
        return names


def form_spec(form: forms.BaseForm, valid: dict[str, Any], **kwargs) -> FormSpec:
    fields = {form.add_prefix(name): f for name, f in form.fields.items()}
    as_lists = {k: [str(x) for x in v] if isinstance(v, list | tuple) else [str(v)] for k, v in valid.items()}
    return FormSpec(fields=fields, valid=as_lists, **kwargs)


@st.composite
def invalid_form_post(draw, spec: FormSpec, *, extra: dict[str, str] | None = None, multipart_only: bool = False):
    """A POST the form must refuse: one field (or file) corrupted, on top of noise that cannot repair it."""
    data = {name: list(values) for name, values in spec.valid.items()}
    data.update({k: [v] for k, v in (extra or {}).items()})
    files = dict(spec.valid_files)
    target = draw(st.sampled_from(spec.corruptible()), label="corrupted field")
    if target in spec.files:
        replacement = draw(spec.files[target](), label="file")
        files.pop(target, None)
        data.pop(target, None)
        if replacement is not None:
            files[target] = replacement
    else:
        values = draw(refused_values(spec.fields[target], target), label="values")
        data.pop(target, None)
        if values is not None:
            data[target] = values
    # Noise: unknown fields with odd names and values. The fields come in any order, but each field's
    # values keep theirs (the refused value stays the last, the one the form reads).
    unknown = draw(st.lists(st.tuples(odd_text.filter(lambda s: s not in spec.fields and s), odd_value), max_size=3))
    groups: list[list[tuple[str | bytes, str | bytes]]] = [[(k, v) for v in vs] for k, vs in data.items()]
    groups += [[pair] for pair in unknown]
    pairs = [pair for group in draw(st.permutations(groups)) for pair in group]
    kind = "multipart" if files or multipart_only else draw(
        st.sampled_from(["urlencoded", "urlencoded", "multipart", "json", "text"]), label="encoding"
    )
    label = f"{target} corrupted, {kind}"
    if kind == "urlencoded":
        return Payload(label, body=urlencode_pairs(pairs), content_type="application/x-www-form-urlencoded")
    if kind == "multipart":
        file_parts = [(name, filename, content, "application/octet-stream") for name, (filename, content) in files.items()]
        return Payload(label, body=multipart_pairs(pairs, file_parts), content_type=MULTIPART)
    # The right fields in the wrong wrapping: the form sees no fields at all.
    readable = {k.decode("utf-8", "replace") if isinstance(k, bytes) else k: v for k, v in data.items()}
    if kind == "json":
        return Payload(label, body=json.dumps(readable).encode(), content_type="application/json")
    return Payload(label, body=urlencode_pairs(pairs), content_type="text/plain")


def broken_requests(*, multipart_allowed: bool = True) -> st.SearchStrategy[Payload]:
    """Requests that cannot be read at all: too big, too many fields, a broken multipart body."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    options = [
        Payload("body over DATA_UPLOAD_MAX_MEMORY_SIZE", body=too_big_body(bytes_over=limit),
                content_type="application/x-www-form-urlencoded"),
        Payload("more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS",
                body=b"&".join(b"f%d=1" % n for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)),
                content_type="application/x-www-form-urlencoded"),
    ]
    if multipart_allowed:
        options += [
            Payload("multipart without a boundary", body=b"--x\r\n\r\n", content_type="multipart/form-data"),
            Payload("multipart with a broken boundary", body=b"--x\r\n", content_type="multipart/form-data; boundary=\x00"),
        ]
    return st.sampled_from(options)


def json_payloads(valid: dict[str, Any], *, corrupt: Callable[[Any], st.SearchStrategy[dict[str, Any]]],
                  max_bytes: int) -> st.SearchStrategy[Payload]:
    """Bodies a JSON endpoint must refuse: not JSON, not an object, a corrupted object, too big."""
    not_json = st.one_of(
        st.binary(max_size=60).filter(lambda b: not _parses(b)),
        st.sampled_from([b"", b"{", b'{"a":', b"\xff\xfe{}", b"{'single': 'quotes'}", b"NaN", b"[1,2", b'{"a":1}{}',
                         b'{"a": 1e999999}', b'"\\ud800"', b"[" * 100_000]),
    )
    not_object = st.sampled_from([b"[]", b"null", b"1", b'"tekst"', b"true", b"[{}]", json.dumps([valid]).encode()])
    corrupted = corrupt(valid).map(lambda d: json.dumps(d, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    escaped = corrupt(valid).map(lambda d: json.dumps(d, ensure_ascii=True).encode())
    too_big = st.just(json.dumps({**valid, "padding": "x" * max_bytes}).encode())
    bodies = st.one_of(
        not_json.map(lambda b: ("not JSON", b)),
        not_object.map(lambda b: ("not an object", b)),
        corrupted.map(lambda b: ("corrupted object", b)),
        escaped.map(lambda b: ("corrupted object, \\u escapes", b)),
        too_big.map(lambda b: ("too big", b)),
    )
    content_types = st.sampled_from(
        ["application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", ""]
    )
    return st.builds(lambda b, ct: Payload(b[0], body=b[1], content_type=ct), bodies, content_types)


def _parses(raw: bytes) -> bool:
    try:
        json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return True


# Strings that JSON can carry and Python can hold but UTF-8 cannot encode: lone surrogates.
LONE_SURROGATES = ["\ud800", "a\udfffb", "\udbff"]
json_odd = st.one_of(
    odd_text,
    st.sampled_from(LONE_SURROGATES),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def csv_bytes(rows: list[list[str]], *, delimiter: str = ";") -> bytes:
    out = io.StringIO()
    import csv

    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    """A workbook of these rows (control characters, which a worksheet cannot hold, left out)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    for row in rows:
        workbook.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- The project's URL patterns and the methods their views accept --------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the route itself for unnamed patterns
    route: str
    view: Callable
    module: str


def resolver_routes() -> list[Route]:
    def walk(patterns, prefix: str, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                key = (f"{namespace}:{pattern.name}" if namespace else pattern.name) if pattern.name else route
                view = pattern.callback
                module = getattr(getattr(view, "view_class", view), "__module__", "")
                yield Route(key=key, route=route, view=view, module=module)

    return list(walk(get_resolver().url_patterns, "", None))


def accepted_methods(view: Callable) -> frozenset[str] | None:
    """The HTTP methods a view accepts, or None for "any": class-based views list theirs; function views
    are unwrapped through their decorators to find require_http_methods' list (require_GET, require_POST…)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return frozenset(m.upper() for m in view_class.http_method_names if hasattr(view_class, m))
    function = view
    while function is not None:
        try:
            closure = inspect.getclosurevars(function).nonlocals
        except TypeError:
            break
        methods = closure.get("request_method_list")
        if methods is not None:
            return frozenset(methods)
        function = getattr(function, "__wrapped__", None)
    return None


def accepts_post(view: Callable) -> bool:
    methods = accepted_methods(view)
    return methods is None or "POST" in methods


def any_uuid() -> str:
    return str(uuid.uuid4())

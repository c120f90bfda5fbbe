"""Bad input everywhere (issue 9, item 4): every form and JSON endpoint of the site, fuzzed.

Each row of ``ENDPOINTS`` names an endpoint (its URL name, or ``page:<model>`` for a Wagtail page type that
answers POSTs in its own ``serve``), who sends the request, which inputs it gets and what a clear refusal
of them looks like. The inputs are always ones the endpoint must refuse: a field left out, a value no
field accepts, a file that is not what it says, a statement without a verb, JSON that is not JSON; on
top of that noise that cannot make them acceptable: unknown fields, duplicated parameters (the refused
value last, the one Django reads), odd unicode (NUL, direction marks, combining characters, emoji, bytes
that are not UTF-8, lone surrogates as JSON escapes), the wrong content type, bodies over the limits.

The property, for every example: no 500 (the test client raises the exception with its traceback);
the answer is the refusal the row describes, in Danish; and nothing changed: the row count of every
table, every value of the row's watched models, the files under MEDIA_ROOT and the H5P temporary
folder, the e-mail outbox, the Celery tasks queued and the on-commit callbacks registered.

A refusal is a 4xx, or where that is the design of an HTML form, the form again (200) with its Danish
errors next to the fields; where a page sends a message to the next page (post/redirect/get), that.
``test_bad_csrf_*`` sends each CSRF-protected endpoint a request without a valid token.

``test_every_post_endpoint_is_fuzzed_or_excluded`` keeps the table complete: each URL pattern of the
project whose view accepts POST is either fuzzed here or excluded in ``NOT_FUZZED`` with a reason,
and so is each page type with its own ``serve``. GET-only views that read input (the certificate
verification form, the coordinators' filters) are in the table too, without a CSRF row.

Runtime: MAX_EXAMPLES examples per endpoint, one rolled-back savepoint per example.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from celery.app.task import Task
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from learning.demo import DEMO_PASSWORD

from .fuzz_support import (
    ADMINISTRATOR,
    ANONYMOUS,
    BAD_REQUEST,
    COORDINATOR,
    CSRF_REFUSED,
    EDITOR,
    LEARNER,
    LONE_SURROGATES,
    MFA_PENDING,
    MULTIPART,
    NOT_FOUND,
    PUPIL,
    SSP_TEACHER,
    TOTP_SETUP,
    FormSpec,
    Payload,
    Refusal,
    World,
    accepts_post,
    allauth_json_errors,
    any_of,
    client_for,
    csv_bytes,
    danish_body,
    form_errors,
    form_spec,
    ignored,
    invalid_form_post,
    is_danish,
    json_error,
    json_odd,
    json_payloads,
    multipart_pairs,
    odd_text,
    page,
    redirect_with_message,
    resolver_routes,
    send,
    urlencode_pairs,
    world_build,
    world_login,
    xlsx_bytes,
)
from .fuzz_support import broken_requests as broken

# The mark makes pytest-django set up the test database (it decides from the marks of the collected tests;
# a module-scoped fixture alone would otherwise reach the development database).
pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 40
FUZZ = hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the world is module-scoped; each example rolls back its own savepoint
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
H5P_MAX_PACKAGE_BYTES = 64 * 1024  # small, so "too big" packages are cheap to build


# --- The world ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once and rolled back after the module; every request rolls back its own savepoint."""
    media = tmp_path_factory.mktemp("fuzz-media")
    h5p_tmp = tmp_path_factory.mktemp("fuzz-h5p-tmp")
    queued: list[str] = []
    original_apply_async = Task.apply_async

    def recording_apply_async(task, *args, **kwargs):
        queued.append(task.name)
        return original_apply_async(task, *args, **kwargs)

    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=str(media),
            H5P_TEMP_DIR=str(h5p_tmp),
            H5P_MAX_PACKAGE_BYTES=H5P_MAX_PACKAGE_BYTES,
            CERTIFICATE_VERIFY_RATE_LIMIT=1_000_000,
            SESSION_IDLE_TIMEOUT=24 * 3600,  # the requests' activity writes roll back with them
            ACCOUNT_REAUTHENTICATION_TIMEOUT=24 * 3600,
        ),
        transaction.atomic(),
    ):
        cache.clear()
        with TestCase.captureOnCommitCallbacks(execute=True):
            built = world_build(at=timezone.now())
        world_login(built, password=DEMO_PASSWORD)
        built.queued_tasks = queued
        built.watched_dirs = (Path(media), Path(h5p_tmp))
        with mock.patch.object(Task, "apply_async", recording_apply_async):
            yield built
        transaction.set_rollback(True)
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(world):
    """Keep the module's media folder (the shared conftest would point each test at an empty one)."""


# --- Inputs per endpoint --------------------------------------------------------------------------------


def with_headers(payloads: st.SearchStrategy[Payload], *options: tuple[tuple[str, str], ...]):
    """The same payloads, each with one of the header sets (e.g. with and without htmx)."""
    return st.tuples(payloads, st.sampled_from(options)).map(
        lambda t: dataclasses.replace(t[0], headers=t[0].headers + t[1])
    )


def form_inputs(spec: FormSpec, *, multipart_only: bool = False) -> st.SearchStrategy[Payload]:
    return st.one_of(invalid_form_post(spec, multipart_only=multipart_only), broken())


def query_inputs(spec: FormSpec) -> st.SearchStrategy[Payload]:
    """A GET form: the refused field in the query string."""
    return invalid_form_post(spec).map(
        lambda p: dataclasses.replace(
            p, method="GET", query=p.body.decode() if p.content_type == "application/x-www-form-urlencoded" else "",
            body=b"", content_type=None, label=p.label + " (query)",
        )
    )


def path_inputs(label: str, paths: st.SearchStrategy[str]) -> st.SearchStrategy[Payload]:
    """The id or code in the URL changed; the body is noise the view must ignore."""
    bodies = st.lists(st.tuples(odd_text, odd_text), max_size=3).map(urlencode_pairs)
    return st.builds(
        lambda path, body: Payload(label, path=path, body=body, content_type="application/x-www-form-urlencoded"),
        paths,
        bodies,
    )


def path_values(name: str, key: str, values: st.SearchStrategy, **fixed) -> st.SearchStrategy[str]:
    def build(value) -> str | None:
        try:
            return reverse(name, kwargs={**fixed, key: value})
        except (NoReverseMatch, UnicodeEncodeError):
            return None

    return values.map(build).filter(lambda p: p is not None)


def scenario_fields(world: World) -> FormSpec:
    from quizzes.forms import ScenarioAnswerForm

    form = ScenarioAnswerForm(scenario=world["scenarios"][0])
    valid = {
        form.add_prefix("first_action"): "police_112",
        form.add_prefix("level"): form.fields["level"].choices[0][0],
        form.add_prefix("urgency"): form.fields["urgency"].choices[0][0],
    }
    spec = form_spec(form, valid)
    from wagtail.models import Page

    lesson = forms.ModelChoiceField(queryset=Page.objects.live())
    return FormSpec(fields={**spec.fields, "lesson": lesson}, valid={**spec.valid, "lesson": [str(world["lesson"].pk)]})


def practice_inputs(world: World):
    htmx = (("HX-Request", "true"),)
    return with_headers(form_inputs(scenario_fields(world)), (), htmx)


def quiz_inputs(page_key: str):
    def inputs(world: World):
        from quizzes.forms import ScenarioAnswerForm
        from quizzes.models import QuizAttempt
        from quizzes.services import quiz_attempt_open, quiz_attempt_scenarios

        learner, quiz_page = world.users[LEARNER], world[page_key]
        attempt = quiz_attempt_open(user=learner, page=quiz_page, seed=7, at=timezone.now())
        fields: dict[str, forms.Field] = {
            "attempt": forms.ModelChoiceField(
                queryset=QuizAttempt.objects.filter(user=learner, page=quiz_page, submitted_at__isnull=True)
            )
        }
        valid = {"attempt": [str(attempt.pk)]}
        for scenario in quiz_attempt_scenarios(attempt=attempt):
            form = ScenarioAnswerForm(scenario=scenario)
            fields.update({form.add_prefix(name): f for name, f in form.fields.items()})
            valid[form.add_prefix("first_action")] = ["police_112"]
            for name in ("level", "urgency"):
                if name in form.fields:
                    valid[form.add_prefix(name)] = [form.fields[name].choices[0][0]]
        return form_inputs(FormSpec(fields=fields, valid=valid))

    return inputs


VERBS = "http://adlnet.gov/expapi/verbs/"
VALID_STATEMENT = {
    "id": "3f4b3a0e-1d7e-4a3b-9a55-0c1d2e3f4a5b",
    "verb": {"id": VERBS + "answered", "display": {"en-US": "answered"}},
    "object": {"id": "http://localhost/h5p/1", "objectType": "Activity"},
    "result": {"success": False, "score": {"scaled": 0.5}},
}


def statement_refused(statement) -> bool:
    from interactive.services import XAPIStatementInvalid, _parse_statement

    try:
        _parse_statement(json.dumps(statement).encode())
    except XAPIStatementInvalid:
        return True
    return False


def corrupt_statement(valid: dict) -> st.SearchStrategy[dict]:
    def place(path: tuple[str, ...], value) -> dict:
        statement = json.loads(json.dumps(valid))
        node = statement
        for key in path[:-1]:
            if not isinstance(node.get(key), dict):
                node[key] = {}
            node = node[key]
        if value is ...:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = value
        return statement

    paths = st.sampled_from(
        [("verb",), ("verb", "id"), ("result",), ("result", "success"), ("result", "score"), ("result", "score", "scaled")]
    )
    values = st.one_of(st.just(...), json_odd, st.sampled_from(["", " ", "x" * 256, 2, -2, 1.0000001, True]))
    extra = st.dictionaries(odd_text, json_odd, max_size=3)
    return st.builds(lambda p, v, e: {**e, **place(p, v)}, paths, values, extra).filter(statement_refused)


def xapi_inputs(world: World):
    from interactive.services import XAPI_MAX_BODY_BYTES

    bodies = json_payloads(VALID_STATEMENT, corrupt=corrupt_statement, max_bytes=XAPI_MAX_BODY_BYTES)
    tokens = st.one_of(odd_text.filter(lambda t: t and "/" not in t), st.just(world["xapi_token"][:-3] + "abc"))
    bad_token = st.builds(
        lambda token, body: dataclasses.replace(body, label="token changed", path=_xapi_path(token)),
        tokens.filter(lambda t: _xapi_path(t) is not None),
        bodies,
    )
    return st.one_of(bodies, bad_token)


def _xapi_path(token: str) -> str | None:
    try:
        return reverse("interactive:xapi", kwargs={"token": token})
    except (NoReverseMatch, UnicodeEncodeError):
        return None


def join_inputs(world: World):
    from classroom.forms import JoinForm
    from classroom.services import join_code_normalise

    spec = form_spec(JoinForm(), {"code": world["live"].join_code, "colour": "", "animal": ""})
    code = spec.fields["code"]
    # A code that matches the live session's after normalising would be a valid join.
    spec.fields["code"] = _refusing(code, lambda v: join_code_normalise(v) == world["live"].join_code)
    return form_inputs(spec)


class _refusing(forms.CharField):
    """A field for the fuzz's refusal check that mirrors a view's own parsing: it accepts only what
    ``field`` accepts and ``accepts`` says the view would act on; everything else is refused."""

    def __init__(self, field: forms.Field, accepts: Callable[[str], bool]):
        super().__init__(required=field.required, max_length=getattr(field, "max_length", None))
        self.inner, self.accepts = field, accepts

    def clean(self, value):
        value = self.inner.clean(value)
        if self.accepts(value or ""):
            return value
        raise forms.ValidationError("refused")


def vote_inputs(world: World):
    from classroom.services import session_current_step

    live = world["live"]
    options = session_current_step(live).value.option_keys()
    spec = FormSpec(
        fields={
            # The view reads the step with int(): " 3" and "٣" are step 3.
            "step": _refusing(forms.CharField(required=False), lambda v: _int(v) == live.current_step),
            "option": forms.ChoiceField(choices=[(key, key) for key in options]),
        },
        valid={"step": [str(live.current_step)], "option": [options[0]]},
    )
    return with_headers(form_inputs(spec), (), (("X-Requested-With", "fetch"),))


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def control_inputs(world: World):
    from classroom.services import TeacherAction

    spec = FormSpec(
        fields={"action": forms.ChoiceField(choices=[(a.value, a.value) for a in TeacherAction])},
        valid={"action": ["next"]},
    )
    return form_inputs(spec)


def remove_participant_inputs(world: World):
    from classroom.models import Participant

    known = set(Participant.objects.values_list("pk", flat=True))
    ids = st.integers(min_value=0, max_value=2**63 - 1).filter(lambda pk: pk not in known)
    return path_inputs(
        "participant id changed",
        path_values("classroom:remove_participant", "participant_id", ids, public_id=world["live"].public_id),
    )


def deck_start_inputs(world: World):
    from classroom.models import ClassroomDeck

    known = set(ClassroomDeck.objects.values_list("slug", flat=True))
    slugs = st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True).filter(lambda s: s not in known)
    return path_inputs("deck slug changed", path_values("classroom:deck_start", "slug", slugs))


def _roster_refuses(item: tuple[str, bytes] | None) -> bool:
    from coverage import roster

    if item is None:
        return True
    name, content = item
    if not content or len(content) > roster.MAX_UPLOAD_BYTES:
        return True
    if not name.lower().endswith((".csv", ".xlsx", ".txt")):
        return True
    try:
        roster.roster_parse(filename=name, content=content)
    except roster.RosterFileError:
        return True
    return False


def roster_files() -> st.SearchStrategy[tuple[str, bytes] | None]:
    from coverage.roster import MAX_ROWS, MAX_UPLOAD_BYTES

    names = st.sampled_from(["liste.csv", "liste.xlsx", "liste.txt", "LISTE.CSV"])
    header_without_email = st.lists(st.one_of(odd_text, st.sampled_from(["navn", "afdeling"])), min_size=1, max_size=4)
    rows = st.lists(st.lists(odd_text, max_size=4), max_size=4)
    candidates = st.one_of(
        st.none(),
        st.tuples(odd_text.filter(lambda n: not n.lower().endswith((".csv", ".xlsx", ".txt"))), st.binary(max_size=40)),
        st.tuples(names, st.just(b"")),
        st.tuples(names, st.binary(min_size=1, max_size=200)),
        st.builds(lambda h, r: ("liste.csv", csv_bytes([h, *r])), header_without_email, rows),
        st.builds(lambda h, r: ("liste.xlsx", xlsx_bytes([h, *r])), header_without_email, st.just([])),
        st.just(("liste.csv", csv_bytes([["navn", "e-mail"]]))),
        st.just(("liste.csv", b"navn;e-mail\n" + b"A;a@forebyg.example\n" * (MAX_ROWS + 1))),
        st.just(("liste.csv", b"navn;e-mail\n" + b"x" * MAX_UPLOAD_BYTES)),
        st.just(("liste.xlsx", b"PK\x03\x04" + b"\0" * 40)),
    )
    return candidates.filter(_roster_refuses)


def roster_upload_inputs(world: World):
    from coverage.forms import RosterUploadForm

    spec = form_spec(RosterUploadForm(), {}, files={"file": roster_files}, valid_files={})
    return form_inputs(spec, multipart_only=True)


def _invalid_rows() -> st.SearchStrategy[list[dict]]:
    """Rows as roster_parse stores them, at least one with an address that is not an e-mail address."""
    from coverage.roster import roster_cell_text

    cell = odd_text.map(roster_cell_text)
    row = st.fixed_dictionaries(
        {"name": cell, "email": cell, "department": cell, "job_role": cell, "_extra": cell}
    )
    bad = row.map(lambda r: {**r, "email": r["email"].replace("@", "") or "ingen-snabel-a"})
    return st.tuples(st.lists(row, max_size=4), bad).map(lambda t: [*t[0], t[1]])


def roster_preview_inputs(world: World):
    def store(rows):
        def prepare(w: World) -> None:
            w["upload"].__class__.objects.filter(pk=w["upload"].pk).update(rows=rows)

        return prepare

    return st.builds(
        lambda rows, method: Payload(
            f"stored rows, {method}", method=method, prepare=store(rows),
            body=b"" if method == "GET" else b"confirm=1", content_type="application/x-www-form-urlencoded",
        ),
        _invalid_rows(),
        st.sampled_from(["GET", "POST"]),
    )


def reminder_inputs(world: World):
    from coverage.forms import ReminderSettingsForm

    return form_inputs(form_spec(ReminderSettingsForm(), {"cadence_days": 14, "stalled_after_days": 21}))


def target_field(world: World) -> forms.Field:
    from coverage.models import TrainingTarget

    return forms.ModelChoiceField(queryset=TrainingTarget.objects.filter(municipality=world["municipality"]))


def report_inputs(world: World):
    spec = FormSpec(fields={"target": target_field(world)}, valid={"target": [str(world["target"].pk)]})
    return form_inputs(spec)


def filter_spec(world: World, *, with_format: bool) -> FormSpec:
    from coverage.services import Status
    from learning.models import JobRole

    departments = [str(pk) for pk in world["municipality"].departments.values_list("pk", flat=True)]

    def one_of(values: list[str]) -> forms.Field:
        # The view strips the filters (" " is no filter at all), and compares exactly.
        return _refusing(forms.CharField(required=False), lambda v: v.strip() in values)

    fields = {
        "target": target_field(world),
        "department": one_of(["", "none", *departments]),
        "job_role": one_of(["", "none", *JobRole.values]),
        "status": one_of(["", *Status.FILTERS]),
    }
    valid = {"target": [str(world["target"].pk)]}
    if with_format:  # left out it is csv; sent, it must be csv or xlsx
        fields["format"] = _refusing(forms.CharField(required=False), lambda v: v in ("csv", "xlsx"))
        valid["format"] = ["csv"]
    return FormSpec(fields=fields, valid=valid)


def export_inputs(world: World):
    from certificates.forms import ExportForm

    form = ExportForm(municipality=world["municipality"])
    return form_inputs(form_spec(form, {"department": world.users[LEARNER].department_id}))


def certificate_filter_inputs(world: World):
    """The coordinator's department filter (GET): a value that names none of their departments is ignored."""
    departments = {str(pk) for pk in world["municipality"].departments.values_list("pk", flat=True)}
    values = st.one_of(odd_text, st.sampled_from(["²", "9" * 5000, "99999999999999999999", "-1"]))
    return values.filter(lambda v: v not in departments).map(
        lambda v: Payload("department filter", method="GET", query=urlencode_pairs([("afdeling", v)]).decode())
    )


def revoke_inputs(world: World):
    from certificates.forms import RevokeForm

    return form_inputs(form_spec(RevokeForm(), {"reason": "Kurset blev gennemført på en andens konto."}))


def refresher_inputs(world: World):
    from certificates.models import Certificate

    known = set(Certificate.objects.values_list("code", flat=True))
    codes = odd_text.filter(lambda c: c and c.strip() not in known)
    return path_inputs("certificate code changed", path_values("certificates:refresher", "code", codes))


def verify_form_inputs(world: World):
    """Any text at all: the form either refuses it (200 with the error) or looks the code up (302)."""
    # At least one value: a GET without any is the blank form, not an input to refuse.
    values = st.lists(st.one_of(odd_text, st.sampled_from(["a/b", "/", "x/verify/", "http://x/verify/a/b/c"])),
                      min_size=1, max_size=3)
    return st.builds(
        lambda vs, extra: Payload(
            "verification code", method="GET", query=urlencode_pairs([("code", v) for v in vs] + extra).decode()
        ),
        values,
        st.lists(st.tuples(odd_text, odd_text), max_size=2),
    )


def verify_outcome(world: World) -> Refusal:
    """The form again with its Danish error, or a redirect to the verification page of a code."""

    def check(response) -> str:
        if response.status_code == 302:
            match = resolve(urlsplit(response["Location"]).path)
            assert match.view_name == "certificates:verify", response["Location"]
            return "redirect to the verification page"
        return form_errors(200)(response)

    return Refusal("verify_outcome", check)


def verify_inputs(world: World):
    codes = odd_text.filter(lambda c: c.strip())
    return st.builds(
        lambda path: Payload("code in the URL", method="GET", path=path),
        path_values("certificates:verify", "code", codes),
    )


ROUTE_INPUT = {"municipality": "koege", "age": 15, "signs": ["attitudes.rejects_democracy"]}


def route_refused(data) -> bool:
    from learning.directory import concern_route
    from learning.rules import ConcernInputError, DirectoryError

    try:
        concern_route(data=json.loads(json.dumps(data)), on=dt.date(2026, 1, 5))
    except (ConcernInputError, DirectoryError):
        return True
    return False


def corrupt_route_input(valid: dict) -> st.SearchStrategy[dict]:
    keys = ["municipality", "subject", "age", "reporter", "signs", "illegal_act", "danger_to_life",
            "in_extremist_milieu", "wants_exit", "returnee", "within_opening_hours"]
    changed = st.builds(
        lambda key, value, drop: {k: v for k, v in {**valid, key: value}.items() if not (drop and k == key)},
        st.sampled_from(keys), st.one_of(json_odd, st.lists(json_odd, max_size=3)), st.booleans(),
    )
    unknown = st.builds(lambda k, v: {**valid, k: v}, odd_text.filter(lambda k: k not in keys), json_odd)
    surrogate_key = st.builds(lambda s: {**valid, s: 1}, st.sampled_from(["\ud800", "x\udfff"]))
    return st.one_of(changed, unknown, surrogate_key).filter(route_refused)


def route_inputs(world: World):
    from learning.views_guide import MAX_BODY_BYTES

    return json_payloads(ROUTE_INPUT, corrupt=corrupt_route_input, max_bytes=MAX_BODY_BYTES)


def guide_page(world: World):
    from wagtail.models import Locale

    from learning.models import ConcernGuidePage

    return ConcernGuidePage.objects.live().get(locale=Locale.get_default())


def guide_inputs(world: World):
    from learning.directory import directory_current
    from learning.guide import ConcernGuideForm

    form = ConcernGuideForm(directory=directory_current(), open_now=True)
    valid = {
        "municipality": "roedovre", "reporter": "employee", "subject": "person", "age_band": "12_17",
        "signs": ["attitudes.intolerance", "relations.concerning_contacts"], "illegal_act": "none",
        "danger_to_life": "no", "within_opening_hours": "yes",
    }
    return form_inputs(form_spec(form, valid))


def set_language_inputs(world: World):
    languages = odd_text.filter(lambda lang: lang.strip().lower() not in {"da", "en"})
    nexts = st.one_of(odd_text, st.sampled_from(["//evil.example/", "https://evil.example/", "/\\evil.example",
                                                 "javascript:alert(1)", "/kurser/"]))
    return st.builds(
        lambda lang, nxt, accept: Payload(
            "unknown language", body=urlencode_pairs([("language", lang), ("next", nxt)]),
            content_type="application/x-www-form-urlencoded", headers=accept,
        ),
        languages, nexts, st.sampled_from([(), (("Accept", "text/html"),)]),
    )


def set_language_outcome(world: World) -> Refusal:
    """Django's view: back to a page of this site (never elsewhere) without switching the language."""

    def check(response) -> str:
        assert response.status_code in (302, 204), response.status_code
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies, "the language was switched"
        if response.status_code == 302:
            location = response["Location"]
            # Django checked the raw ``next`` and then percent-encoded it, which can take a long non-ASCII path
            # past the checker's length limit (2,048): then check the parts that decide where it leads.
            if len(location) <= 2048:
                assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), location
            else:
                parts = urlsplit(location)
                assert parts.scheme in {"", "http", "https"}, location[:200]
                assert parts.netloc in {"", "testserver"}, location[:200]
                assert not location.startswith(("//", "/\\", "\\")), location[:200]
        return "no language switch"

    return Refusal("set_language_outcome", check)


def form_from_get(world: World, actor: str, url: str, key: str = "form") -> forms.BaseForm:
    client = client_for(world, actor)
    with transaction.atomic():
        response = client.get(url)
        transaction.set_rollback(True)
    assert response.status_code == 200, (url, response.status_code)
    return response.context[key]


def login_inputs(world: World):
    form = form_from_get(world, ANONYMOUS, reverse("account_login"))
    spec = form_spec(form, {"login": world.users[LEARNER].email, "password": DEMO_PASSWORD})
    wrong_password = st.builds(
        lambda login, password: Payload(
            "wrong password", body=urlencode_pairs([("login", login), ("password", password)]),
            content_type="application/x-www-form-urlencoded",
        ),
        st.sampled_from([world.users[LEARNER].email, "ingen.bruger@forebyg.example"]),
        odd_text.filter(lambda p: p != DEMO_PASSWORD and p),
    )
    return st.one_of(form_inputs(spec), wrong_password)


NEW_PASSWORD = "Nyt-Hest-Batteri-Kodeord-42"


def change_password_inputs(world: World):
    form = form_from_get(world, LEARNER, reverse("account_change_password"))
    valid = {"oldpassword": DEMO_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    wrong_old = st.builds(
        lambda old, new: Payload(
            "wrong old password",
            body=urlencode_pairs([("oldpassword", old), ("password1", new), ("password2", new)]),
            content_type="application/x-www-form-urlencoded",
        ),
        odd_text.filter(lambda p: p != DEMO_PASSWORD), st.sampled_from([NEW_PASSWORD, "kort", "12345678"]),
    )
    return st.one_of(form_inputs(form_spec(form, valid)), wrong_old)


def reset_password_inputs(world: World):
    form = form_from_get(world, ANONYMOUS, reverse("account_reset_password"))
    return form_inputs(form_spec(form, {"email": world.users[LEARNER].email}))


def wrong_code_inputs(user_actor: str | None):
    def inputs(world: World):
        from learning.mfa import user_totp_code

        right = {user_totp_code(user=world.users[COORDINATOR], at=timezone.now())} if user_actor else set()
        codes = st.one_of(
            odd_text, st.from_regex(r"[0-9]{6}", fullmatch=True), st.from_regex(r"[0-9a-f]{8}", fullmatch=True)
        ).filter(lambda c: c.strip() not in right)
        return st.one_of(
            st.builds(
                lambda code, extra: Payload(
                    "wrong code", body=urlencode_pairs([("code", code), *extra]),
                    content_type="application/x-www-form-urlencoded",
                ),
                codes, st.lists(st.tuples(odd_text, odd_text), max_size=2),
            ),
            broken(),
        )

    return inputs


def h5p_packages() -> st.SearchStrategy[tuple[str, bytes] | None]:
    from tests.interactive.h5p_builders import forebyg_package

    def refused(item) -> bool:
        if item is None:
            return True
        name, content = item
        if not content or not name.lower().endswith(".h5p") or len(content) > H5P_MAX_PACKAGE_BYTES:
            return True
        import io

        return not zipfile.is_zipfile(io.BytesIO(content))

    return st.one_of(
        st.none(),
        st.tuples(odd_text, st.just(forebyg_package())),
        st.tuples(st.just("tjek.h5p"), st.binary(max_size=100)),
        st.just(("tjek.h5p", b"")),
        st.just(("tjek.h5p", forebyg_package() + b"\0" * H5P_MAX_PACKAGE_BYTES)),
        st.just(("tjek.h5p", b"PK\x03\x04" + b"\xff" * 30)),
    ).filter(refused)


def h5p_add_inputs(world: World):
    from tests.interactive.h5p_builders import forebyg_package

    url = reverse("wagtailsnippets_interactive_h5pactivity:add")
    form = form_from_get(world, EDITOR, url)
    spec = form_spec(
        form, {"title": "Videnstjek", "slug": "videnstjek-fuzz"},
        files={"package": h5p_packages}, valid_files={"package": ("tjek.h5p", forebyg_package())},
    )
    return form_inputs(spec, multipart_only=True)


def target_add_inputs(world: World):
    form = form_from_get(world, ADMINISTRATOR, reverse("wagtailsnippets_coverage_trainingtarget:add"))
    valid = {
        "municipality": world["municipality"].pk, "name": "Frontpersonale", "period_start": "2026-01-01",
        "period_end": "2026-12-31", "target_count": "10", "courses": [world["course"].pk],
    }
    spec = form_spec(form, valid)
    backwards = st.just(
        Payload(
            "period ends before it starts",
            body=urlencode_pairs([*((k, v) for k, vs in spec.valid.items() for v in vs if k != "period_end"),
                                  ("period_end", "2025-12-31")]),
            content_type="application/x-www-form-urlencoded",
        )
    )
    return st.one_of(form_inputs(spec), backwards)


def scenario_add_inputs(world: World):
    form = form_from_get(world, EDITOR, reverse("wagtailsnippets_quizzes_scenarioquestion:add"))
    valid = {
        "title": "Sara, 15 år", "slug": "sara-15-fuzz", "story": "Sara er opdigtet. Hun har ændret sig.",
        "source": "003 §3.2.3", "tags": "", "municipality": world["municipality"].pk, "subject": "person",
        "reporter": "employee", "age": "15", "signs": ["attitudes.rejects_democracy", "relations.dropped_friends"],
        "illegal_act": "none", "within_opening_hours": "on",
    }
    return form_inputs(form_spec(form, {k: v for k, v in valid.items() if k in form.fields}))


def lesson_complete_inputs(world: World):
    from courses.models import LessonPage

    known = set(LessonPage.objects.live().values_list("pk", flat=True))
    ids = st.integers(min_value=0, max_value=2**63 - 1).filter(lambda pk: pk not in known)
    return path_inputs("lesson id changed", path_values("courses:lesson_mark_complete", "page_id", ids))


# --- The table ------------------------------------------------------------------------------------------

QUIZ_MODELS = ("quizzes.QuizAttempt", "quizzes.QuizAnswer", "courses.LessonProgress", "courses.CourseCompletion")
CLASSROOM_MODELS = ("classroom.LiveSession", "classroom.Participant", "classroom.Vote")


@dataclass(frozen=True)
class Endpoint:
    key: str  # URL name, "page:<app_label.Model>" for a page type's serve()
    actor: str
    url: Callable[[World], str]
    inputs: Callable[[World], st.SearchStrategy[Payload]]
    refusal: Callable[[World], Refusal]
    watched: tuple[str, ...] = ()
    csrf: bool = True  # refused without a valid CSRF token (False: csrf_exempt, or a GET form)
    variant: str = ""  # a second row for the same endpoint (e.g. its GET filter)

    def __repr__(self) -> str:
        return f"{self.key}{self.variant}"


def named(name: str, **kwargs) -> Callable[[World], str]:
    return lambda world: reverse(name, kwargs={k: v(world) for k, v in kwargs.items()})


def fixed(refusal: Refusal) -> Callable[[World], Refusal]:
    return lambda world: refusal


def or_broken(refusal: Refusal) -> Callable[[World], Refusal]:
    return fixed(any_of(refusal, BAD_REQUEST))


ALLAUTH_REFUSAL = or_broken(any_of(form_errors(200), allauth_json_errors()))

ENDPOINTS = [
    # Quizzes: a practice question in a lesson, the module quiz and the final assessment.
    Endpoint("quizzes:practice_answer", LEARNER, named("quizzes:practice_answer", scenario_id=lambda w: w["scenarios"][0].pk),
             practice_inputs, or_broken(any_of(form_errors(200), NOT_FOUND)), QUIZ_MODELS),
    Endpoint("page:quizzes.ModuleQuizPage", LEARNER, lambda w: w["quiz"].url, quiz_inputs("quiz"),
             lambda w: any_of(form_errors(200), redirect_with_message(lambda: w["quiz"].url), BAD_REQUEST), QUIZ_MODELS),
    Endpoint("page:quizzes.FinalAssessmentPage", LEARNER, lambda w: w["final"].url, quiz_inputs("final"),
             lambda w: any_of(form_errors(200), redirect_with_message(lambda: w["final"].url), BAD_REQUEST),
             QUIZ_MODELS),
    # H5P: the player's xAPI statements (token in the URL, no cookies, no CSRF) and the editors' upload.
    Endpoint("interactive:xapi", ANONYMOUS, named("interactive:xapi", token=lambda w: w["xapi_token"]), xapi_inputs,
             fixed(json_error(400, 403, 413)), ("interactive.XAPIStatement", "interactive.H5PActivityCompletion",
                                                "courses.LessonProgress"), csrf=False),
    Endpoint("wagtailsnippets_interactive_h5pactivity:add", EDITOR, named("wagtailsnippets_interactive_h5pactivity:add"),
             h5p_add_inputs, or_broken(form_errors(200)), ("interactive.H5PActivity",)),
    # Classroom: pupils join and vote; the SSP teacher starts and controls a session.
    Endpoint("classroom_pupil:join", ANONYMOUS, named("classroom_pupil:join"), join_inputs,
             or_broken(form_errors(200)), CLASSROOM_MODELS),
    Endpoint("classroom_pupil:vote", PUPIL, named("classroom_pupil:vote", public_id=lambda w: w["live"].public_id),
             vote_inputs, or_broken(danish_body(409, 422)), CLASSROOM_MODELS),
    Endpoint("classroom:control", SSP_TEACHER, named("classroom:control", public_id=lambda w: w["live"].public_id),
             control_inputs, or_broken(danish_body(400)), CLASSROOM_MODELS),
    Endpoint("classroom:remove_participant", SSP_TEACHER, lambda w: "", remove_participant_inputs,
             # Removing is idempotent (a double click, a participant already gone): back to the projector.
             lambda w: Refusal("back to the projector", lambda r: _redirect_to(
                 r, reverse("classroom:projector", args=[w["live"].public_id]) + "#deltagere")), CLASSROOM_MODELS),
    Endpoint("classroom:deck_start", SSP_TEACHER, lambda w: "", deck_start_inputs, fixed(NOT_FOUND), CLASSROOM_MODELS),
    # Coverage: the roster import (upload, then preview and confirm), reminders, reports, filters.
    Endpoint("coverage:roster_upload", COORDINATOR, named("coverage:roster_upload"), roster_upload_inputs,
             or_broken(form_errors(200)), ("coverage.RosterUpload", "learning.User", "coverage.Invitation")),
    Endpoint("coverage:roster_preview", COORDINATOR,
             named("coverage:roster_preview", public_id=lambda w: w["upload"].public_id), roster_preview_inputs,
             lambda w: any_of(
                 redirect_with_message(lambda: reverse("coverage:roster_preview", args=[w["upload"].public_id])),
                 Refusal("preview lists the errors", _roster_errors_listed)),
             ("learning.User", "coverage.Invitation", "coverage.RosterUpload")),
    Endpoint("coverage:reminder_settings", COORDINATOR, named("coverage:reminder_settings"), reminder_inputs,
             or_broken(form_errors(200)), ("coverage.ReminderSettings",)),
    Endpoint("coverage:report_create", COORDINATOR, named("coverage:report_create"), report_inputs,
             or_broken(NOT_FOUND), ("coverage.ReportExport",)),
    Endpoint("coverage:people", COORDINATOR, named("coverage:people"), lambda w: query_inputs(filter_spec(w, with_format=False)),
             fixed(NOT_FOUND), ("learning.AuditEvent",), csrf=False),
    Endpoint("coverage:export_people", COORDINATOR, named("coverage:export_people"),
             lambda w: query_inputs(filter_spec(w, with_format=True)), fixed(NOT_FOUND), ("learning.AuditEvent",),
             csrf=False),
    Endpoint("wagtailsnippets_coverage_trainingtarget:add", ADMINISTRATOR,
             named("wagtailsnippets_coverage_trainingtarget:add"), target_add_inputs, or_broken(form_errors(200)),
             ("coverage.TrainingTarget",)),
    # Certificates: the coordinators' export and revoke forms, a learner's refresher, public verification.
    Endpoint("certificates:coordinator", COORDINATOR, named("certificates:coordinator"), export_inputs,
             or_broken(form_errors(400)), ("certificates.CertificateExport",)),
    Endpoint("certificates:coordinator", COORDINATOR, named("certificates:coordinator"), certificate_filter_inputs,
             # A number that names no department of the coordinator's own is 404 (like another's); the rest is ignored.
             fixed(any_of(ignored(200), NOT_FOUND)), ("certificates.CertificateExport",), csrf=False,
             variant="?afdeling"),
    Endpoint("certificates:revoke", COORDINATOR, named("certificates:revoke", code=lambda w: w["certificate"].code),
             revoke_inputs, or_broken(form_errors(400)), ("certificates.Certificate", "learning.AuditEvent")),
    Endpoint("certificates:refresher", LEARNER, lambda w: "", refresher_inputs, fixed(NOT_FOUND),
             ("certificates.RefresherEnrolment", "certificates.Certificate")),
    Endpoint("certificates:verify_form", ANONYMOUS, named("certificates:verify_form"), verify_form_inputs,
             verify_outcome, csrf=False),
    Endpoint("certificates:verify", ANONYMOUS, lambda w: "", verify_inputs, fixed(page(200, "Ukendt bevis")),
             csrf=False),
    # The concern guide: the JSON API (csrf_exempt: it changes nothing) and the page's form without JavaScript.
    Endpoint("route_concern_api", ANONYMOUS, named("route_concern_api"), route_inputs, fixed(json_error(400, 413)),
             csrf=False),
    Endpoint("page:learning.ConcernGuidePage", ANONYMOUS, lambda w: guide_page(w).url, guide_inputs,
             or_broken(form_errors(200))),
    # Courses: marking a lesson complete.
    Endpoint("courses:lesson_mark_complete", LEARNER, lambda w: "", lesson_complete_inputs, fixed(NOT_FOUND),
             ("courses.LessonProgress", "courses.CourseCompletion")),
    # Language, sign-in, password and second factor.
    Endpoint("set_language", ANONYMOUS, named("set_language"), set_language_inputs, set_language_outcome),
    # allauth's forms: the form again with its errors, or for a JSON request allauth's JSON with them.
    Endpoint("account_login", ANONYMOUS, named("account_login"), login_inputs, ALLAUTH_REFUSAL, ("learning.User",)),
    Endpoint("account_change_password", LEARNER, named("account_change_password"), change_password_inputs,
             ALLAUTH_REFUSAL, ("learning.User",)),
    Endpoint("account_reset_password", ANONYMOUS, named("account_reset_password"), reset_password_inputs,
             ALLAUTH_REFUSAL, ("learning.User",)),
    Endpoint("mfa_authenticate", MFA_PENDING, named("mfa_authenticate"), wrong_code_inputs(COORDINATOR),
             ALLAUTH_REFUSAL, ("mfa.Authenticator", "learning.User")),
    Endpoint("mfa_activate_totp", TOTP_SETUP, named("mfa_activate_totp"), wrong_code_inputs(None),
             ALLAUTH_REFUSAL, ("mfa.Authenticator",)),
    Endpoint("wagtailsnippets_quizzes_scenarioquestion:add", EDITOR,
             named("wagtailsnippets_quizzes_scenarioquestion:add"), scenario_add_inputs, or_broken(form_errors(200)),
             ("quizzes.ScenarioQuestion",)),
]


def _redirect_to(response, expected: str) -> str:
    assert response.status_code == 302, response.status_code
    assert response["Location"] == expected, response["Location"]
    return "redirect"


def _roster_errors_listed(response) -> str:
    """The preview page: every row's Danish errors shown, and the import button's consequences stated."""
    assert response.status_code == 200, response.status_code
    rows = response.context["rows"]
    html = response.content.decode()
    errors = [error for row in rows for error in row.errors]
    assert errors, "no row errors"
    from django.utils.html import escape

    for error in errors:
        assert escape(error) in html and is_danish(error), error
    return errors[0]


# --- Endpoints that take POST and are not fuzzed, and why --------------------------------------------------
# Keys are URL names or fnmatch patterns; "page:" keys are page types with their own serve().

NOT_FUZZED = {
    # Ours, without input to fuzz.
    "wagtailadmin_login_to_allauth": "a redirect to allauth's login (Wagtail's admin login replaced); reads only ?next=",
    "wagtailcore_login_to_allauth": "a redirect to allauth's login (Wagtail's private-page login replaced)",
    "wagtailsnippetchoosers_*": "a chooser's create-in-a-modal: the snippet's model form (Wagtail's own validation)",
    "django_admin_login": "a redirect to allauth's login; reads only ?next=, checked by url_has_allowed_host_and_scheme",
    "dashboard": "read-only page that answers any method the same and reads no body",
    "quizzes:scoring_help": "read-only page that answers any method the same and reads no body",
    "quizzes:insight": "read-only redirect to the coordinator's own insight page; reads no body",
    "quizzes:insight_municipality": "read-only page that answers any method the same and reads no body",
    "quizzes_admin_insight": "read-only admin page; reads only ?scenarie=, parsed with _int_or_none",
    "page:courses.LessonPage": "serve() only records that a lesson was opened on GET; POSTs are Wagtail's serve",
    "page:courses.CoursePage": "serve() only asks anonymous visitors to log in; reads no body",
    "page:courses.ModulePage": "serve() only asks anonymous visitors to log in; reads no body",
    "page:courses.CourseIndexPage": "serve() only asks anonymous visitors to log in; reads no body",
    "page:courses.LocalOrganisationPage": "serve() only asks anonymous visitors to log in; reads no body",
    # Our snippets: the add form is fuzzed above; the other views take the same form or only a confirmation.
    "wagtailsnippets_interactive_h5pactivity:*": "edit takes the add form (fuzzed); delete is a confirmation",
    "wagtailsnippets_coverage_trainingtarget:*": "edit takes the add form (fuzzed); delete is a confirmation",
    "wagtailsnippets_quizzes_scenarioquestion:*": "edit/preview take the add form (fuzzed); the rest confirm",
    "wagtailsnippets_classroom_classroomdeck:*": "editors' StreamField deck form (Wagtail's own block validation); "
    "the decks are also loaded from JSON by deck_create_from_json (tests/classroom)",
    "wagtailsnippets_learning_*": "administrators' organisation and contact-directory snippets: Wagtail model forms, "
    "the directory checked by learning.directory's own tests (tests/learning/test_directory_admin.py)",
    # allauth: the sign-in, password and second-factor forms are fuzzed above; these take no free input or are off.
    "account_logout": "a confirmation (CSRF-protected by Django's middleware) without fields",
    "account_signup": "closed: AccountAdapter.is_open_for_signup is False",
    "account_reauthenticate": "the password form of account_login (fuzzed) for a signed-in user",
    "mfa_reauthenticate": "the code form of mfa_authenticate (fuzzed) for a signed-in user",
    "account_email": "allauth's e-mail management; staff addresses are set by the coordinators' roster import",
    "account_email_verification_sent": "an information page; reads no body",
    "account_confirm_email": "allauth's signed key in the URL; a wrong key is allauth's 404",
    "account_set_password": "only for accounts without a password; the invitation flow's key is tested in tests/coverage",
    "account_confirm_login_code": "login by code is not enabled (ACCOUNT_LOGIN_BY_CODE_ENABLED is off)",
    "account_reset_password_from_key": "allauth's signed key in the URL; its password form is the change form (fuzzed)",
    "mfa_deactivate_totp": "a confirmation without fields, after reauthentication",
    "mfa_generate_recovery_codes": "a confirmation without fields, after reauthentication",
    "usersessions_list": "a confirmation (sign out the other sessions) without fields",
    "socialaccount_*": "social sign-up is off (no provider links an account by e-mail; tests/security/test_identity.py)",
    "openid_connect_*": "the identity provider's redirects, tested offline in tests/security/test_identity.py",
    "konto/social/*": "allauth's redirects to its own pages",
    "wagtailcore_login": "Wagtail's login for private pages; every login goes through allauth (test_access_matrix)",
    "wagtailcore_authenticate_with_password": "Wagtail's password for private pages; no page uses one",
    # Third-party admin screens, for staff behind the second factor: Django's and Wagtail's own forms.
    "admin:*": "Django's admin (administrators only, behind MFA)",
    "django-admin/*": "Django's admin redirects (administrators only, behind MFA)",
    "wagtail_serve": "Wagtail's page serving: page types that answer POSTs in their own serve() are page:<model>",
    "simple_translation:*": "Wagtail's translation screens (editors, behind MFA)",
    "admin/*": "Wagtail's admin, unnamed routes (its catch-all 404)",
    "wagtail*": "Wagtail's admin (editors and administrators, behind MFA); our snippets are listed above",
}
# Fuzzed here or excluded one by one: our apps' views and our snippets (third-party globs do not count).
OWN_MODULES = ("learning.", "courses.", "quizzes.", "interactive.", "classroom.", "coverage.", "certificates.")
OWN_SNIPPETS = ("wagtailsnippets_interactive_*", "wagtailsnippets_coverage_*", "wagtailsnippets_quizzes_*",
                "wagtailsnippets_classroom_*", "wagtailsnippets_learning_*")
THIRD_PARTY = ("admin:*", "django-admin/*", "admin/*", "wagtail*", "simple_translation:*", "socialaccount_*",
               "openid_connect_*", "konto/social/*")
# Installed only for `make bench` (BENCH_REFERENCES=1): reference views of the benchmark, never in production.
CONDITIONAL = ("bench:*",)


# --- The tests ------------------------------------------------------------------------------------------


def _run(world: World, endpoint: Endpoint, payload: Payload):
    url = endpoint.url(world) if payload.path is None else ""
    outcome = send(world, actor=endpoint.actor, url=url, payload=payload, watched=endpoint.watched)
    response = outcome.response
    assert response.status_code < 500, response.status_code
    endpoint.refusal(world)(response)
    assert outcome.changes == [], outcome.changes


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=repr)
def test_bad_input_is_refused_clearly_and_changes_nothing(world, endpoint):
    strategy = endpoint.inputs(world)

    @FUZZ
    @given(payload=strategy)
    def property_holds(payload):
        _run(world, endpoint, payload)

    property_holds()


CSRF_ENDPOINTS = [e for e in ENDPOINTS if e.csrf]


@pytest.mark.parametrize("endpoint", CSRF_ENDPOINTS, ids=repr)
@pytest.mark.parametrize("token", ["missing", "wrong"])
def test_bad_csrf_token_is_refused_in_danish_and_changes_nothing(world, endpoint, token):
    """A request without a valid CSRF token: 403 with the site's Danish page, before any view runs."""
    url = endpoint.url(world) or _example_path(world, endpoint)
    body = b"csrfmiddlewaretoken=" + (b"x" * 64 if token == "wrong" else b"")
    payload = Payload(f"{token} CSRF token", body=body, content_type="application/x-www-form-urlencoded")
    outcome = send(world, actor=endpoint.actor, url=url, payload=payload, watched=endpoint.watched, csrf_checks=True)
    CSRF_REFUSED(outcome.response)
    assert outcome.changes == []


def _example_path(world: World, endpoint: Endpoint) -> str:
    """A URL for endpoints whose fuzz changes the URL itself: the real object's."""
    if endpoint.key == "classroom:remove_participant":
        return reverse("classroom:remove_participant", args=[world["live"].public_id, world["participant"].pk])
    if endpoint.key == "classroom:deck_start":
        return reverse("classroom:deck_start", args=[world["deck"].slug])
    if endpoint.key == "certificates:refresher":
        return reverse("certificates:refresher", args=[world["certificate"].code])
    if endpoint.key == "courses:lesson_mark_complete":
        return reverse("courses:lesson_mark_complete", args=[world["lesson"].pk])
    raise AssertionError(f"no example URL for {endpoint.key}")


def _matches(key: str, patterns) -> bool:
    return any(fnmatch.fnmatchcase(key, pattern) for pattern in patterns)


def _page_types_with_own_serve() -> list[str]:
    from wagtail.models import Page, get_page_models

    own_apps = {module.rstrip(".") for module in OWN_MODULES}
    return sorted(
        f"page:{model._meta.label}"
        for model in get_page_models()
        if model._meta.app_label in own_apps
        and any("serve" in vars(cls) for cls in model.__mro__ if cls is not Page and issubclass(cls, Page))
    )


def test_every_post_endpoint_is_fuzzed_or_excluded():
    """A new form or JSON endpoint must join the table (or the exclusions, with a reason)."""
    fuzzed = {endpoint.key for endpoint in ENDPOINTS}
    unaccounted, third_party_unknown = [], []
    for route in resolver_routes():
        if not accepts_post(route.view) or route.key in fuzzed or _matches(route.key, CONDITIONAL):
            continue
        own = route.module.startswith(OWN_MODULES) or _matches(route.key, OWN_SNIPPETS)
        individually = [p for p in NOT_FUZZED if p == route.key or (own and _matches(route.key, [p]) and
                                                                       p not in THIRD_PARTY)]
        if own and not individually:
            unaccounted.append(f"{route.key} ({route.route}, {route.module})")
        elif not own and not _matches(route.key, NOT_FUZZED):
            third_party_unknown.append(f"{route.key} ({route.route}, {route.module})")
    for page_type in _page_types_with_own_serve():
        if page_type not in fuzzed and page_type not in NOT_FUZZED:
            unaccounted.append(page_type)
    assert not unaccounted, "POST endpoints neither fuzzed nor excluded with a reason:\n" + "\n".join(unaccounted)
    assert not third_party_unknown, "Third-party POST endpoints not excluded:\n" + "\n".join(third_party_unknown)


def test_the_exclusions_name_endpoints_that_exist():
    keys = [route.key for route in resolver_routes()] + _page_types_with_own_serve()
    stale = [p for p in NOT_FUZZED if not _matches_any(keys, p)]
    assert not stale, f"exclusions that match nothing (remove them): {stale}"
    assert not {e.key for e in ENDPOINTS} & set(NOT_FUZZED), "an endpoint is both fuzzed and excluded"


def _matches_any(keys: list[str], pattern: str) -> bool:
    return any(fnmatch.fnmatchcase(key, pattern) for key in keys)


def test_the_property_catches_a_change_and_an_english_error(world):
    """The checks are not vacuous: a request that changes a row is reported, and so is an English error."""
    endpoint = next(e for e in ENDPOINTS if e.key == "coverage:reminder_settings")
    accepted = Payload("valid", body=b"cadence_days=7&stalled_after_days=30", content_type="application/x-www-form-urlencoded")
    outcome = send(world, actor=COORDINATOR, url=endpoint.url(world), payload=accepted, watched=endpoint.watched)
    assert outcome.response.status_code == 302
    assert "coverage.ReminderSettings: rows changed" in outcome.changes
    assert not is_danish("This field is required.") and is_danish("Dette felt er påkrævet.")


@st.composite
def odd_but_well_formed_statements(draw) -> Payload:
    """Statements with a verb, but odd text in it and in the extensions: NUL, lone surrogates (as JSON
    escapes), direction marks, emoji, deep nesting."""
    statement = json.loads(json.dumps(VALID_STATEMENT))
    statement["verb"]["id"] = VERBS + draw(st.one_of(odd_text, st.sampled_from([*LONE_SURROGATES, "\x00"])))[:200]
    statement["context"] = {"extensions": draw(st.dictionaries(odd_text, json_odd, max_size=3))}
    depth = draw(st.sampled_from([0, 50, 900]))
    nested: object = "bund"
    for _ in range(depth):
        nested = [nested]
    statement["object"]["definition"] = {"nested": nested}
    body = json.dumps(statement, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    return Payload("odd but well-formed statement", body=body, content_type="application/json")


def test_xapi_odd_but_well_formed_statements_are_recorded_or_refused_never_a_500(world):
    """Not every odd statement must be refused: it is recorded (201), or refused with a Danish 400 and
    nothing changed; never a 500 (a lone surrogate cannot be stored as UTF-8, nor NUL in PostgreSQL)."""
    endpoint = next(e for e in ENDPOINTS if e.key == "interactive:xapi")

    @FUZZ
    @given(payload=odd_but_well_formed_statements())
    def property_holds(payload):
        outcome = send(world, actor=ANONYMOUS, url=endpoint.url(world), payload=payload, watched=endpoint.watched)
        if outcome.response.status_code in (200, 201):
            assert outcome.changes == ["interactive_xapistatement: 0 → 1 rows", "interactive.XAPIStatement: rows changed"]
        else:
            json_error(400, 413)(outcome.response)
            assert outcome.changes == []

    property_holds()


@st.composite
def odd_but_well_formed_rosters(draw) -> Payload:
    """Readable rosters (the headers are right) with odd cells and names: NUL, direction marks, emoji,
    formulas, very long names; as CSV or XLSX."""
    cell = st.one_of(odd_text.map(lambda s: s[:300]), st.sampled_from(["=HYPERLINK(\"x\")", "+1", "@SUM(A1)", "\x00"]))
    rows = draw(st.lists(st.lists(cell, min_size=2, max_size=5), min_size=1, max_size=5))
    rows = [[*row[:1], row[1] if "@" in row[1] else f"{row[1]}@forebyg.example", *row[2:]] for row in rows]
    header = ["navn", "e-mail", "afdeling", "stillingsfunktion"]
    stem = draw(odd_text.map(lambda s: s.replace("/", "").replace("\\", "")[:300]))
    if draw(st.booleans()):
        name, content = f"{stem}.csv", csv_bytes([header, *rows], delimiter=draw(st.sampled_from([";", ","])))
    else:
        name, content = f"{stem}.xlsx", xlsx_bytes([header, *rows])
    body = multipart_pairs([], [("file", name, content, "text/csv")])
    return Payload("odd but readable roster", body=body, content_type=MULTIPART)


def test_roster_odd_but_readable_files_are_previewed_or_refused_never_a_500(world):
    """A readable list is stored for the preview (302), whose page then lists the rows with their errors;
    or the form refuses it (200, Danish, nothing stored). Never a 500 (NUL in a cell, a long file name)."""
    url = reverse("coverage:roster_upload")

    @FUZZ
    @given(payload=odd_but_well_formed_rosters())
    def property_holds(payload):
        client = client_for(world, COORDINATOR)
        with transaction.atomic():
            response = client.generic("POST", url, data=payload.body, content_type=payload.content_type)
            if response.status_code == 302:
                preview = client.get(response["Location"])
                assert preview.status_code == 200
                assert "medarbejdere" in preview.content.decode().lower()
            else:
                # A file name too long for the multipart headers' size limit is refused by Django's parser.
                any_of(form_errors(200), BAD_REQUEST)(response)
            transaction.set_rollback(True)

    property_holds()

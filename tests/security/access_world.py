"""The world the access-control matrix runs in: municipality A (Køge) and B (Ishøj) with one object of
every kind the site names in a URL, seven actors logged in through allauth (second factor included), and a
way to send one request as one actor without leaving a trace.

Built once per test module (see ``world`` in test_access_matrix.py) inside a transaction that is rolled
back at the end of the module; every matrix request runs in a savepoint of its own that is rolled back
too, so a POST that succeeds (a revoke, a started session) never changes what the next actor sees.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from learning.models import User

from .helpers import is_logged_in, login

# --- Actors ----------------------------------------------------------------------------------------------

ANONYMOUS = "anon"
LEARNER = "learner"
SSP_TEACHER = "ssp"
EDITOR = "editor"
COORDINATOR_A = "coord_a"
COORDINATOR_B = "coord_b"
ADMINISTRATOR = "admin"
ACTORS = (ANONYMOUS, LEARNER, SSP_TEACHER, EDITOR, COORDINATOR_A, COORDINATOR_B, ADMINISTRATOR)

# The demo's people (learning.demo.DEMO_PEOPLE): one per role per municipality. A = Køge, B = Ishøj.
ACTOR_EMAILS = {
    LEARNER: "medarbejder.koege@forebyg.example",
    SSP_TEACHER: "ssp.koege@forebyg.example",
    EDITOR: "redaktoer.koege@forebyg.example",
    COORDINATOR_A: "koordinator.koege@forebyg.example",
    COORDINATOR_B: "koordinator.ishoej@forebyg.example",
    ADMINISTRATOR: "admin.koege@forebyg.example",
}
LEARNER_B_EMAIL = "medarbejder.ishoej@forebyg.example"


# --- Outcomes --------------------------------------------------------------------------------------------

LOGIN = "login"  # a redirect to a login page (allauth's, or a login URL that forwards to it)
ADMIN_HOME = "home"  # Wagtail's "permission denied": a redirect to the admin's dashboard with a message


def login_paths() -> frozenset[str]:
    paths = {
        reverse("account_login"),
        reverse("django_admin_login"),
        reverse("wagtailadmin_login"),
        reverse("wagtailcore_login"),
    }
    return frozenset(paths | {"/en" + path for path in paths if not path.startswith("/en/")})


def outcome_of(response: HttpResponseBase) -> str:
    """The matrix's word for a response: the status code, except that redirects to a login page are
    ``login`` and redirects to the Wagtail dashboard (its permission-denied answer) are ``home``."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlsplit(response["Location"]).path
        if location in login_paths():
            return LOGIN
        if location == reverse("wagtailadmin_home"):
            return ADMIN_HOME
    return str(response.status_code)


# --- The world -------------------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    session_keys: dict[str, str] = field(default_factory=dict)
    params: dict[str, object] = field(default_factory=dict)

    def url(self, template: str) -> str:
        return template.format(**self.params)


def _build_course(*, home, at: dt.datetime, municipality_a):
    from courses.models import CourseIndexPage, CoursePage, LessonPage, LocalOrganisationPage, ModulePage
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
        ScenarioFactory(municipality=municipality_a, slug=f"matrix-scenarie-{n}", title=f"Scenarie {n}")
        for n in range(1, 4)
    ]
    quiz = ModuleQuizPage(title="Tjek din viden", slug="tjek-din-viden")
    for order, scenario in enumerate(scenarios):
        quiz.quiz_scenarios.add(ModuleQuizScenario(scenario=scenario, sort_order=order))
    quiz = module.add_child(instance=quiz)
    final = course.add_child(
        instance=FinalAssessmentPage(title="Afsluttende prøve", slug="afsluttende-proeve", question_count=3)
    )
    local = index.add_child(
        instance=LocalOrganisationPage(
            title="Lokal organisation Køge", slug="lokal-organisation-koege", municipality=municipality_a
        )
    )
    return {
        "index": index,
        "course": course,
        "module": module,
        "lesson": lesson,
        "quiz": quiz,
        "final": final,
        "local": local,
        "scenarios": scenarios,
    }


def _submitted_attempt(*, user, page, at):
    from quizzes.services import AnswerInput, quiz_attempt_open, quiz_attempt_scenarios, quiz_attempt_submit

    attempt = quiz_attempt_open(user=user, page=page, seed=7, at=at)
    answers = {
        scenario.pk: AnswerInput(first_action="police_112", actions=(), level="", urgency="")
        for scenario in quiz_attempt_scenarios(attempt=attempt)
    }
    quiz_attempt_submit(attempt=attempt, answers=answers, on=at.date(), at=at)
    return attempt


def _municipal_objects(*, municipality, coordinator, learner, course, at):
    """A target, a certificate, a finished certificate export and report, and a roster upload."""
    from certificates.models import Certificate, CertificateExport
    from coverage.models import ReportExport, RosterUpload
    from tests.certificates.factories import record_completion
    from tests.coverage.factories import make_target

    target = make_target(municipality=municipality, course=course, year=at.year)
    record_completion(user=learner, course=course, at=at - dt.timedelta(days=10))
    certificate = Certificate.objects.get(user=learner, course=course)
    export = CertificateExport(
        municipality=municipality,
        department=learner.department,
        requested_by=coordinator,
        requested_at=at,
        finished_at=at,
        status=CertificateExport.Status.DONE,
        certificate_count=1,
    )
    export.file.save(f"beviser-{municipality.slug}.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18), save=False)
    export.save()
    report = ReportExport(
        municipality=municipality,
        target=target,
        requested_by=coordinator,
        requested_at=at,
        as_of=at.date(),
        finished_at=at,
        status=ReportExport.Status.DONE,
    )
    report.file.save(f"aarsrapport-{municipality.slug}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    report.save()
    upload = RosterUpload.objects.create(
        municipality=municipality, uploaded_by=coordinator, uploaded_at=at, filename="medarbejdere.csv", rows=[]
    )
    return {"target": target, "certificate": certificate, "export": export, "report": report, "upload": upload}


def world_build(*, at: dt.datetime) -> World:
    """Everything the matrix's URLs name, owned by municipality A unless the name says B."""
    from django.contrib.auth.models import Group
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Collection, Locale, Site

    from classroom.services import participant_join, session_start
    from courses.demo import demo_seed_site_pages
    from courses.models import HomePage
    from interactive.services import playback_token_create
    from learning.demo import (
        DemoReport,
        demo_seed_concern_guide,
        demo_seed_directory,
        demo_seed_organisations,
    )
    from learning.models import Municipality
    from learning.roles import ROLE_GROUP_NAMES, Role
    from tests.classroom.factories import make_deck
    from tests.interactive.factories import ready_activity

    report = DemoReport()
    demo_seed_organisations(report)
    demo_seed_directory(report)
    demo_seed_site_pages(report)
    demo_seed_concern_guide(report)

    users = {actor: User.objects.get(email=email) for actor, email in ACTOR_EMAILS.items()}
    learner_b = User.objects.get(email=LEARNER_B_EMAIL)
    koege = Municipality.objects.get(slug="koege")
    ishoej = Municipality.objects.get(slug="ishoej")
    home = HomePage.objects.get(locale=Locale.get_default())
    pages = _build_course(home=home, at=at, municipality_a=koege)

    a = _municipal_objects(
        municipality=koege, coordinator=users[COORDINATOR_A], learner=users[LEARNER], course=pages["course"], at=at
    )
    b = _municipal_objects(
        municipality=ishoej, coordinator=users[COORDINATOR_B], learner=learner_b, course=pages["course"], at=at
    )
    attempt_a = _submitted_attempt(user=users[LEARNER], page=pages["final"], at=at)
    attempt_b = _submitted_attempt(user=learner_b, page=pages["final"], at=at)

    deck = make_deck()
    live = session_start(deck=deck, teacher=users[SSP_TEACHER], at=at)
    participant, _token = participant_join(code=live.join_code, nickname="", at=at)
    activity = ready_activity()
    token = playback_token_create(activity=activity, user=users[LEARNER], lesson_page_id=None, at=at)

    image = get_image_model().objects.create(title="Billede", file=get_test_image_file())
    document = get_document_model().objects.create(
        title="Folder", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="folder.pdf")
    )
    redirect = Redirect.objects.get(old_path="/was")

    world = World(users=users)
    world.params = {
        # pages
        "home_id": home.pk,
        "lesson_id": pages["lesson"].pk,
        "module_id": pages["module"].pk,
        "course_url": pages["course"].url,
        "module_url": pages["module"].url,
        "lesson_url": pages["lesson"].url,
        "index_url": pages["index"].url,
        "quiz_url": pages["quiz"].url,
        "final_url": pages["final"].url,
        "local_url": pages["local"].url,
        "revision_id": pages["lesson"].save_revision().pk,
        # municipality A's objects
        "municipality_a": koege.pk,
        "municipality_a_slug": koege.slug,
        "department_a": users[LEARNER].department_id,
        "target_a": a["target"].pk,
        "certificate_a": a["certificate"].code,
        "export_a": a["export"].public_id,
        "report_a": a["report"].public_id,
        "upload_a": a["upload"].public_id,
        "attempt_a": attempt_a.pk,
        "learner_a_id": users[LEARNER].pk,
        # municipality B's objects (for IDs changed by hand)
        "municipality_b_slug": ishoej.slug,
        "department_b": learner_b.department_id,
        "target_b": b["target"].pk,
        "certificate_b": b["certificate"].code,
        "export_b": b["export"].public_id,
        "report_b": b["report"].public_id,
        "upload_b": b["upload"].public_id,
        "attempt_b": attempt_b.pk,
        # classroom, quizzes, H5P
        "deck_slug": deck.slug,
        "deck_id": deck.pk,
        "session_id": live.public_id,
        "participant_id": participant.pk,
        "scenario_id": pages["scenarios"][0].pk,
        "h5p_id": activity.pk,
        "h5p_token": token,
        # admin objects
        "image_id": image.pk,
        "document_id": document.pk,
        "document_file": document.filename,
        "coordinator_group_id": Group.objects.get(name=ROLE_GROUP_NAMES[Role.COORDINATOR]).pk,
        "redirect_id": redirect.pk,
        "site_id": Site.objects.get(is_default_site=True).pk,
        "locale_id": Locale.get_default().pk,
        "collection_id": Collection.get_first_root_node().pk,
    }
    return world


def world_login(world: World, *, password: str) -> None:
    """Log every actor in through allauth's form (and its second-factor step) and keep the session key."""
    for actor, user in world.users.items():
        client = Client()
        response = login(client, user, password=password)
        assert response.status_code == 302, (actor, response.status_code)
        assert is_logged_in(client), actor
        world.session_keys[actor] = client.cookies[settings.SESSION_COOKIE_NAME].value


# --- Requests --------------------------------------------------------------------------------------------


def client_for(world: World, actor: str) -> Client:
    client = Client(raise_request_exception=False)
    if actor != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.session_keys[actor]
    return client


def fetch(world: World, actor: str, method: str, url: str, *, data=None, content_type=None, headers=None):
    """Send one request as `actor` and undo whatever it wrote (a savepoint rolled back)."""
    client = client_for(world, actor)
    with transaction.atomic():
        if content_type is not None:
            response = client.generic(method, url, data=data or "", content_type=content_type, headers=headers)
        elif method == "POST":
            response = client.post(url, data=data or {}, headers=headers)
        else:
            response = client.generic(method, url, headers=headers)
        transaction.set_rollback(True)
    if response.streaming:
        # Read it to the end: the test client then closes it with Django's close_old_connections held off.
        # (A second response.close() of our own would fire request_finished unguarded, and inside the
        # world's transaction that closes the PostgreSQL connection.)
        response.streaming_content = [b"".join(response.streaming_content)]
    return response


# --- The URL patterns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the route itself for unnamed patterns
    route: str  # the full pattern text, e.g. "admin/pages/<int:page_id>/edit/"


def resolver_routes() -> list[Route]:
    """Every URL pattern the project serves, from the root resolver."""

    def walk(patterns, prefix: str, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if pattern.name:
                    key = f"{namespace}:{pattern.name}" if namespace else pattern.name
                else:
                    key = route
                yield Route(key=key, route=route)

    return list(walk(get_resolver().url_patterns, "", None))


SAMPLE_VALUES = {"int": "999999", "uuid": str(uuid.UUID(int=1)), "path": "x", "slug": "x", "str": "x"}
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>([^()]*(?:\([^()]*\)[^()]*)*)\)")


def sample_path(route: str) -> str:
    """A concrete path for a pattern (placeholder values; for requests whose answer must not depend on
    them, e.g. anonymous visitors of the admin). Regex fragments are filled with the shortest value that
    their group accepts from a few candidates."""

    def from_converter(match: re.Match) -> str:
        return SAMPLE_VALUES[match.group(1) or "str"]

    def from_group(match: re.Match) -> str:
        inner = match.group(2)
        for candidate in ("999999", "x", "live", "latest", "auth", "abc-def"):
            if re.fullmatch(inner, candidate):
                return candidate
        raise ValueError(f"no sample value for ({inner}) in {route}")

    path = _REGEX_GROUP.sub(from_group, route)
    path = _CONVERTER.sub(from_converter, path)
    path = path.replace("^", "").replace("$", "").replace(r"\.", ".").replace(".*", "x")
    path = path.replace("(\\d+)", "999999").replace("(.*)", "x").replace("((?:[\\w\\-]+/)*)", "")
    return "/" + path


def matches_any(key: str, globs: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(key, glob) for glob in globs)


XAPI_STATEMENT = json.dumps(
    {
        "id": str(uuid.UUID(int=7)),
        "actor": {"mbox": "mailto:ignored@example.org", "objectType": "Agent"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
        "object": {"id": "http://localhost/h5p/1", "objectType": "Activity"},
    }
)
ROUTE_INPUT = json.dumps({"municipality": "koege", "age": 15, "signs": ["attitudes.rejects_democracy"]})

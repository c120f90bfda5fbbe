"""Prepare the clients of `make bench`: signed-in sessions, the plain reference page, an xAPI playback
token per learner and the request bodies; writes them as JSON for bench/run.py.

Must run with the same SECRET_KEY as the server (sessions, CSRF and playback tokens are signed with it).
"""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils import timezone
from django.utils.crypto import get_random_string
from wagtail.models import Locale

from learning.sessions import SESSION_SEEN_KEY, SESSION_STARTED_KEY, SESSION_TRACKED_KEY

LEARNERS = 64
XAPI_TARGET_BYTES = 2048


def session_for(user, *, now) -> str:
    """A signed-in session for ``user`` as the login would leave it (tracked, clocks started)."""
    from allauth.usersessions.models import UserSession

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SESSION_STARTED_KEY] = store[SESSION_SEEN_KEY] = int(now.timestamp())
    store.create()
    store[SESSION_TRACKED_KEY] = store.session_key
    store.save()
    UserSession.objects.create(user=user, ip="127.0.0.1", session_key=store.session_key, user_agent="wrk (make bench)")
    return store.session_key


def xapi_body(*, activity_uid: str, size: int = XAPI_TARGET_BYTES) -> str:
    """An `answered` statement like H5P sends (~2 KB); STATEMENT_ID is replaced per request."""
    statement = {
        "id": "STATEMENT_ID",
        "actor": {"name": "bench", "mbox": "mailto:bench@bench.forebyg.example"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
        "object": {
            "id": f"urn:forebyg:h5p:{activity_uid}",
            "objectType": "Activity",
            "definition": {
                "name": {"da": "Videnstjek"},
                "description": {"da": ""},
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "interactionType": "choice",
                "correctResponsesPattern": ["1"],
                "choices": [{"id": str(i), "description": {"da": f"Svarmulighed {i}"}} for i in range(4)],
            },
        },
        "result": {"score": {"min": 0, "max": 1, "raw": 0, "scaled": 0}, "success": False, "completion": True,
                   "response": "0", "duration": "PT12.5S"},
        "context": {"contextActivities": {"category": [{"id": "http://h5p.org/libraries/H5P.ForebygCheck-1.0",
                                                         "objectType": "Activity"}]}},
    }
    text = json.dumps(statement, ensure_ascii=False)
    pad = max(0, size - len(text.encode()) - 20)
    statement["object"]["definition"]["description"]["da"] = "x" * pad
    return json.dumps(statement, ensure_ascii=False)


class Command(BaseCommand):
    help = "Forbereder klienterne til make bench (sessioner, tokens, referenceside) og skriver dem som JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", default="var/bench/setup.json")

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        from bench.generator import EMAIL_DOMAIN
        from bench.models import BenchPlainPage
        from courses.models import CoursePage, HomePage, LessonPage
        from interactive.models import H5PActivity
        from interactive.services import playback_token_create
        from learning.mfa import user_mfa_provision
        from learning.models import Municipality, User
        from learning.roles import Role
        from learning.services import user_upsert
        from quizzes.models import ACTION_CHOICES, LEVEL_CHOICES, URGENCY_CHOICES

        now = timezone.now()
        danish = Locale.objects.get(language_code="da")
        course = CoursePage.objects.live().filter(locale=danish).order_by("path").first()
        if course is None:
            raise CommandError("Intet dansk kursus: kør seed_demo først.")
        lessons = list(LessonPage.objects.descendant_of(course).live().order_by("path"))
        # The lesson with the most kinds of blocks (text, quotes, callout, a practice scenario, H5P).
        lesson = max(lessons, key=lambda page: (len({b.block_type for b in page.body}), -page.path.__len__()))
        module = lesson.get_parent().specific
        home = HomePage.objects.filter(locale=danish).first()

        plain = BenchPlainPage.objects.first()
        if plain is None:
            plain = BenchPlainPage(title=lesson.title, slug="bench-plain", body=lesson.body.raw_data)
            home.add_child(instance=plain)
            plain.save_revision().publish()

        koege = Municipality.objects.get(slug="koege")
        learners = list(
            User.objects.filter(municipality=koege, email__endswith="@" + EMAIL_DOMAIN)
            .annotate(n=Count("lesson_progress"))
            .filter(n__gte=3, n__lt=len(lessons))
            .order_by("pk")[:LEARNERS]
        )
        if not learners:
            raise CommandError("Ingen genererede medarbejdere i Køge: kør generate_bench_data først.")
        largest = Municipality.objects.annotate(n=Count("users")).order_by("-n").first()
        big_coordinator = user_upsert(
            email=f"koordinator.{largest.slug}@{EMAIL_DOMAIN}", first_name="Karin", last_name="Bench",
            municipality=largest, department=None, job_role="ssp_consultant", roles={Role.COORDINATOR}, password=None,
        )
        user_mfa_provision(user=big_coordinator)

        h5p_uid = next((str(b.value.uid) for b in lesson.body if b.block_type == "h5p" and b.value is not None), None)
        activity = H5PActivity.objects.filter(uid=h5p_uid, status=H5PActivity.Status.READY).first() if h5p_uid else None
        scenario = next((b.value for b in lesson.body if b.block_type == "scenario" and b.value is not None), None)
        if scenario is not None and hasattr(scenario, "get") and not hasattr(scenario, "pk"):
            scenario = scenario.get("scenario")

        csrf_secret = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
        quiz = None
        if scenario is not None:
            prefix = f"q{scenario.pk}"
            quiz = {
                "path": f"/quiz/oevelse/{scenario.pk}/",
                # What a browser sends when htmx submits the lesson's practice form (same fields as without
                # JavaScript); the answer is the feedback fragment, which must say "Din feedback".
                "headers": {
                    "HX-Request": "true",
                    "HX-Target": f"oevelse-{scenario.pk}-svar",
                    "HX-Current-URL": f"http://127.0.0.1{lesson.url}",
                },
                "must_contain": "Din feedback",
                "body": urlencode({
                    "csrfmiddlewaretoken": csrf_secret,
                    "lesson": lesson.pk,
                    f"{prefix}-first_action": ACTION_CHOICES[0][0],
                    f"{prefix}-actions": ACTION_CHOICES[1][0],
                    f"{prefix}-level": LEVEL_CHOICES[0][0],
                    f"{prefix}-urgency": URGENCY_CHOICES[0][0],
                }),
            }
        xapi = None
        if activity is not None:
            xapi = {
                "paths": [
                    f"/h5p/xapi/{playback_token_create(activity=activity, user=u, lesson_page_id=lesson.pk, at=now)}/"
                    for u in learners
                ],
                "body": xapi_body(activity_uid=str(activity.uid)),
            }

        def staff(email: str) -> User:
            user = User.objects.filter(email=email).first()
            if user is None:
                raise CommandError(f"{email} findes ikke: kør seed_demo først.")
            return user

        setup = {
            "session_cookie": settings.SESSION_COOKIE_NAME,
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "csrf_secret": csrf_secret,
            "learner_sessions": [session_for(u, now=now) for u in learners],
            "coordinator_session": session_for(staff("koordinator.koege@forebyg.example"), now=now),
            "coordinator_large_session": session_for(big_coordinator, now=now),
            "largest_municipality": {"name": largest.name, "staff": largest.n},
            "koege_staff": User.objects.filter(municipality=koege).count(),
            "admin_session": session_for(staff("admin.koege@forebyg.example"), now=now),
            "lesson": {"path": lesson.url, "title": lesson.title, "id": lesson.pk},
            "module": {"path": module.url, "title": module.title},
            # A query string keeps the plain page out of the anonymous page cache: the reference is Wagtail
            # rendering the page, like the lesson (which is never cached: it is per learner).
            "plain": {"path": plain.url + "?uncached=1", "title": plain.title},
            "public": {"path": home.url, "title": home.title},
            "quiz": quiz,
            "xapi": xapi,
        }
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(setup, indent=2, ensure_ascii=False), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Klienter klar: {out} ({len(learners)} medarbejdere)"))

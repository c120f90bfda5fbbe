"""Demo coverage: Køge's 2024 target with 80 fictional frontline staff, plus current-year pictures for
Køge, Ishøj and Rødovre. Idempotent (a municipality whose demo target exists is left alone); bulk inserts.

Everyone here is fictional: Danish first names, made-up surnames, addresses @forebyg.example. No
e-mails go out: certificates are marked as e-mailed (their PDFs are rendered on first download) and
invitations as sent.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from learning.models import Department, JobRole, Municipality, User
from learning.roles import Role, role_group

from .models import Invitation, ReminderSettings, TrainingTarget
from .summary import coverage_summary_rebuild

FIRST_NAMES = [
    "Anne", "Mads", "Sofie", "Jonas", "Ida", "Frederik", "Emma", "Lukas", "Freja", "Oliver", "Clara",
    "Magnus", "Laura", "Emil", "Julie", "Noah", "Maja", "Victor", "Karoline", "Mikkel", "Signe", "Rasmus",
    "Astrid", "Tobias", "Nanna", "Kasper", "Line", "Anders", "Cecilie", "Jakob", "Louise", "Simon", "Mette",
    "Søren", "Camilla", "Henrik", "Pernille", "Thomas", "Helle", "Bo",
]  # fmt: skip
# Made-up surnames (nature words); any likeness to real people is accidental.
SURNAMES = [
    "Havtorn", "Engblom", "Klitmose", "Lærkested", "Bøgelund", "Sivhøj", "Ravnsbjerg", "Granlykke",
    "Mosevang", "Strandlund", "Hyldebæk", "Ellekrog", "Tjørnholm", "Vibeskov", "Rørdam", "Hedelykke",
    "Kløverbjerg", "Birkevang", "Ulvedal", "Sandhøj",
]  # fmt: skip
JOB_ROLES_BY_KIND = {
    Department.Kind.SCHOOL: [JobRole.TEACHER, JobRole.TEACHER, JobRole.PEDAGOGUE, JobRole.LEADER],
    Department.Kind.DAYCARE: [JobRole.PEDAGOGUE, JobRole.PEDAGOGUE, JobRole.LEADER],
    Department.Kind.FAMILY: [JobRole.SOCIAL_WORKER, JobRole.SOCIAL_WORKER, JobRole.HEALTH],
    Department.Kind.JOBCENTRE: [JobRole.JOBCENTRE, JobRole.JOBCENTRE, JobRole.SOCIAL_WORKER],
    Department.Kind.CLUB: [JobRole.CLUB_WORKER, JobRole.CLUB_WORKER, JobRole.PEDAGOGUE],
}


@dataclass(frozen=True)
class Picture:
    slug: str
    staff: int
    target_name: str
    target_count: int
    year: int
    trained_dates: list[dt.datetime]  # first certificates, by staff index
    expiring_days: list[int]  # further people: certificates expiring this many days after `at`
    revoked: int  # further people with a revoked certificate
    renewed: list[dt.datetime]  # refreshers of the first people, in the current year
    new_this_year: list[dt.datetime]  # further people trained (first certificate) this year
    in_progress: int  # further people who opened lessons recently


def _ascii(text: str) -> str:
    text = text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def _spread(start: dt.datetime, end: dt.datetime, n: int) -> list[dt.datetime]:
    if n <= 0:
        return []
    step = (end - start) / max(1, n - 1)
    return [start + step * i for i in range(n)]


def demo_seed_coverage(report) -> None:
    """The seeder registered in DEMO_SEEDERS: the demo is anchored on the moment it is seeded."""
    demo_seed_coverage_at(report, at=timezone.now())


@transaction.atomic
def demo_seed_coverage_at(report, *, at: dt.datetime) -> None:
    from courses.models import CoursePage

    course = CoursePage.objects.filter(locale__language_code="da").live().order_by("path").first()
    if course is None:
        report.notes.append("Dækning: intet kursus fundet – demo-dækning ikke oprettet.")
        return
    year = timezone.localtime(at).year
    this_year_end = min(at - dt.timedelta(days=3), _at(year, 12, 20))
    pictures = [
        Picture(
            slug="koege",
            staff=80,
            target_name="Frontpersonale 2024",
            target_count=50,
            year=2024,
            trained_dates=_spread(_at(2024, 1, 15), _at(2024, 10, 30), 36),
            expiring_days=[6, 13, 21, 29, 40, 52],
            revoked=1,
            renewed=_spread(_at(year, 2, 3), this_year_end, 5),
            new_this_year=_spread(_at(year, 1, 25), this_year_end, 10),
            in_progress=12,
        ),
        Picture(
            slug="ishoej",
            staff=30,
            target_name=f"Frontpersonale {year}",
            target_count=25,
            year=year,
            trained_dates=_spread(_at(year, 1, 20), this_year_end, 12),
            expiring_days=[],
            revoked=0,
            renewed=[],
            new_this_year=[],
            in_progress=5,
        ),
        Picture(
            slug="roedovre",
            staff=25,
            target_name=f"Frontpersonale {year}",
            target_count=20,
            year=year,
            trained_dates=_spread(_at(year, 3, 2), this_year_end, 8),
            expiring_days=[],
            revoked=0,
            renewed=[],
            new_this_year=[],
            in_progress=4,
        ),
    ]
    for picture in pictures:
        municipality = Municipality.objects.filter(slug=picture.slug).first()
        if municipality is None or TrainingTarget.objects.filter(
            municipality=municipality, name=picture.target_name
        ).exists():
            continue
        _seed_picture(picture=picture, municipality=municipality, course=course, at=at)
        report.notes.append(
            f"Dækning: {municipality.name} – målet »{picture.target_name}« med {picture.staff} medarbejdere."
        )
    koege = Municipality.objects.filter(slug="koege").first()
    if koege is not None and not TrainingTarget.objects.filter(municipality=koege, period_end__year=year).exists():
        target = TrainingTarget.objects.create(
            municipality=koege,
            name=f"Frontpersonale {year}",
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            target_count=60,
        )
        target.courses.add(course)


def _seed_picture(*, picture: Picture, municipality: Municipality, course, at: dt.datetime) -> None:
    from certificates.models import Certificate
    from certificates.services import add_months, certificate_code_new
    from courses.models import CourseCompletion, LessonPage, LessonProgress, ModuleCompletion, ModulePage

    target = TrainingTarget.objects.create(
        municipality=municipality,
        name=picture.target_name,
        period_start=dt.date(picture.year, 1, 1),
        period_end=dt.date(picture.year, 12, 31),
        target_count=picture.target_count,
    )
    target.courses.add(course)
    ReminderSettings.objects.get_or_create(municipality=municipality)
    departments = list(Department.objects.filter(municipality=municipality).order_by("pk"))
    if not departments:
        return
    unusable = make_password(None)
    joined = _at(picture.year, 1, 5) if picture.year < timezone.localtime(at).year else at - dt.timedelta(days=300)
    users = []
    for i in range(picture.staff):
        first = FIRST_NAMES[(i * 7 + len(picture.slug)) % len(FIRST_NAMES)]
        last = SURNAMES[(i * 3 + len(picture.slug)) % len(SURNAMES)]
        department = departments[i % len(departments)]
        roles = JOB_ROLES_BY_KIND.get(department.kind, [JobRole.OTHER])
        users.append(
            User(
                email=f"{_ascii(first)}.{_ascii(last)}.{i + 1}.{picture.slug}@forebyg.example",
                first_name=first,
                last_name=last,
                municipality=municipality,
                department=department,
                job_role=roles[(i // len(departments)) % len(roles)],
                password=unusable,
                date_joined=joined,
            )
        )
    users = User.objects.bulk_create(users)
    learners = role_group(Role.LEARNER)
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=learners.pk) for u in users])
    Invitation.objects.bulk_create(
        [Invitation(user=u, municipality=municipality, created_at=joined, sent_at=joined) for u in users]
    )

    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    validity = course.certificate_validity_months or 24

    # Who got a certificate when: (user, issued_at, status)
    issued: list[tuple[User, dt.datetime, str]] = []
    cursor = 0
    for when in picture.trained_dates:
        issued.append((users[cursor], when, Certificate.Status.VALID))
        cursor += 1
    for days in picture.expiring_days:
        issued.append((users[cursor], add_months(at, -validity) + dt.timedelta(days=days), Certificate.Status.VALID))
        cursor += 1
    for _n in range(picture.revoked):
        issued.append((users[cursor], _at(picture.year, 5, 14), Certificate.Status.REVOKED))
        cursor += 1
    for when in picture.new_this_year:
        issued.append((users[cursor], when, Certificate.Status.VALID))
        cursor += 1
    in_progress_users = users[cursor : cursor + picture.in_progress]

    completions = CourseCompletion.objects.bulk_create(
        [CourseCompletion(user=user, course=course, completed_at=when) for user, when, _status in issued]
    )
    ModuleCompletion.objects.bulk_create(
        [
            ModuleCompletion(user=user, module=module, completed_at=when - dt.timedelta(days=1))
            for user, when, _status in issued
            for module in modules
        ]
    )
    progress = [
        LessonProgress(
            user=user, lesson=lesson, opened_at=when - dt.timedelta(days=7), completed_at=when - dt.timedelta(days=1)
        )
        for user, when, _status in issued
        for lesson in lessons
    ]
    for n, user in enumerate(in_progress_users):
        opened = at - dt.timedelta(days=4 + 5 * n)  # the later ones have stalled
        progress += [
            LessonProgress(user=user, lesson=lesson, opened_at=opened, completed_at=opened)
            for lesson in lessons[: 1 + n % 4]
        ]
    LessonProgress.objects.bulk_create(progress)

    def certificate(user: User, when: dt.datetime, status: str, *, completion, generation=1, supersedes=None):
        expires = add_months(when, validity)
        return Certificate(
            user=user,
            course=course,
            completion=completion,
            generation=generation,
            completed_at=when,
            municipality=municipality,
            department=user.department,
            learner_name=user.get_full_name(),
            course_title=course.title,
            language="da",
            code=certificate_code_new(),
            issued_at=when,
            expires_at=expires,
            status=status,
            revoked_at=when + dt.timedelta(days=30) if status == Certificate.Status.REVOKED else None,
            revoked_reason="Demo: udstedt ved en fejl." if status == Certificate.Status.REVOKED else "",
            supersedes=supersedes,
            pdf_status=Certificate.PdfStatus.PENDING,  # rendered on first download
            email_status=Certificate.EmailStatus.SENT,  # demo: no e-mails
            email_sent_at=when,
            last_queued_at=when,
        )

    first_certificates = Certificate.objects.bulk_create(
        [
            certificate(user, when, status, completion=completion)
            for (user, when, status), completion in zip(issued, completions, strict=True)
        ]
    )
    Certificate.objects.bulk_create(
        [
            certificate(previous.user, when, Certificate.Status.VALID, completion=None, generation=2, supersedes=previous)
            for previous, when in zip(first_certificates, picture.renewed, strict=False)
        ]
    )
    # Written in bulk above, past the services: the dashboard's summary is recomputed for these people.
    coverage_summary_rebuild(user_ids=[user.pk for user in users])

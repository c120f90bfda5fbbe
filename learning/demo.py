"""Demo content for the embedded setup. Every step is idempotent: running it twice changes nothing.

Other apps add their demo content by appending a dotted path to DEMO_SEEDERS; each seeder takes
the report and may add lines to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.module_loading import import_string

from .mfa import user_mfa_provision
from .models import Department, JobRole
from .roles import ROLE_LABELS, ROLES_REQUIRING_MFA, Role, roles_sync
from .services import department_upsert, municipality_upsert, user_mark_email_verified, user_upsert

DEMO_PASSWORD = "demo-Forebyg-2026"  # noqa: S105  (printed on purpose: demo setup only)
DEMO_EMAIL_DOMAIN = "forebyg.example"

MUNICIPALITIES = [
    {
        "slug": "koege",
        "name": "Køge Kommune",
        "departments": [
            ("Skoleområdet", Department.Kind.SCHOOL),
            ("Dagtilbud", Department.Kind.DAYCARE),
            ("Børne- og familierådgivningen", Department.Kind.FAMILY),
            ("Jobcenter Køge", Department.Kind.JOBCENTRE),
            ("Klubber og Ungdomsskolen", Department.Kind.CLUB),
        ],
    },
    {
        "slug": "ishoej",
        "name": "Ishøj Kommune",
        "departments": [
            ("Skoleområdet", Department.Kind.SCHOOL),
            ("Familiecenteret", Department.Kind.FAMILY),
            ("Jobcenter Ishøj", Department.Kind.JOBCENTRE),
            ("Ungdomsskole og klubber", Department.Kind.CLUB),
        ],
    },
    {
        "slug": "roedovre",
        "name": "Rødovre Kommune",
        "departments": [
            ("Skoleområdet", Department.Kind.SCHOOL),
            ("Børne- og familieafdelingen", Department.Kind.FAMILY),
            ("Jobcenter Rødovre", Department.Kind.JOBCENTRE),
            ("Fritid og klubber", Department.Kind.CLUB),
        ],
    },
]

# One demo person per role per municipality: (role, e-mail prefix, first name, job role, department index)
DEMO_PEOPLE = [
    (Role.LEARNER, "medarbejder", "Mette", JobRole.TEACHER, 0),
    (Role.SSP_TEACHER, "ssp", "Sami", JobRole.SSP_CONSULTANT, 3),
    (Role.COORDINATOR, "koordinator", "Karin", JobRole.SSP_CONSULTANT, 3),
    (Role.EDITOR, "redaktoer", "Rasmus", JobRole.OTHER, 0),
    (Role.ADMINISTRATOR, "admin", "Anna", JobRole.OTHER, 0),
]

DEMO_SEEDERS: list[str] = [
    "learning.demo.demo_seed_directory",
    "courses.demo.demo_seed_site_pages",
    "courses.demo.demo_seed_courses",
    "learning.demo.demo_seed_concern_guide",
    "classroom.demo.demo_seed_decks",
    "interactive.demo.demo_seed_h5p_activities",
    "quizzes.demo.demo_seed_scenarios",
    "coverage.demo.demo_seed_coverage",
    "certificates.demo.demo_seed_certificates",
]


@dataclass
class DemoUserRow:
    email: str
    password: str
    role_label: str


@dataclass
class DemoReport:
    users: list[DemoUserRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def demo_email(*, prefix: str, municipality_slug: str) -> str:
    return f"{prefix}.{municipality_slug}@{DEMO_EMAIL_DOMAIN}"


@transaction.atomic
def demo_seed_organisations(report: DemoReport) -> None:
    roles_sync()
    for data in MUNICIPALITIES:
        municipality = municipality_upsert(slug=data["slug"], name=data["name"])
        departments = [
            department_upsert(municipality=municipality, name=name, kind=kind) for name, kind in data["departments"]
        ]
        for role, prefix, first_name, job_role, department_index in DEMO_PEOPLE:
            email = demo_email(prefix=prefix, municipality_slug=municipality.slug)
            user = user_upsert(
                email=email,
                first_name=first_name,
                last_name=f"Demo ({municipality.name})",
                municipality=municipality,
                department=departments[department_index],
                job_role=job_role,
                roles={role} if role != Role.SSP_TEACHER else {role, Role.LEARNER},
                password=DEMO_PASSWORD,
            )
            user_mark_email_verified(user=user)
            if role in ROLES_REQUIRING_MFA:
                user_mfa_provision(user=user)
            report.users.append(DemoUserRow(email, DEMO_PASSWORD, f"{ROLE_LABELS[role]}, {municipality.name}"))


def demo_seed() -> DemoReport:
    report = DemoReport()
    demo_seed_organisations(report)
    for dotted in DEMO_SEEDERS:
        import_string(dotted)(report)
    return report


@transaction.atomic
def demo_seed_directory(report: DemoReport) -> None:
    """Load the shipped routing directory for every municipality that has no contact points yet.

    Municipalities that already have contacts are left alone, so an administrator's edits survive
    running the demo seed again.
    """
    from .directory import directory_import
    from .models import Municipality
    from .rules import load_default_directory

    shipped = load_default_directory().to_dict()
    with_contacts = set(
        Municipality.objects.filter(contact_points__isnull=False).values_list("slug", flat=True).distinct()
    )
    missing = [entry for entry in shipped["municipalities"] if entry["slug"] not in with_contacts]
    if missing:
        directory_import(data={"municipalities": missing})
        report.notes.append(f"Kontaktkatalog indlæst for {len(missing)} kommune(r).")


GUIDE_INTRO_DA = (
    "<p>Er du bekymret for, at en person eller en gruppe er ved at blive radikaliseret? Svar på et par "
    "korte spørgsmål, så viser guiden, hvad du skal gøre nu, hvem du skal kontakte og hvorfor – efter "
    "din kommunes procedure.</p>"
)


@transaction.atomic
def demo_seed_concern_guide(report: DemoReport) -> None:
    """The concern guide under the home page (Danish), with its English translation."""
    from wagtail.models import Locale

    from courses.models import HomePage
    from courses.services import page_ensure_translation

    from .models import ConcernGuidePage

    danish = Locale.objects.get_or_create(language_code="da")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    home = HomePage.objects.filter(locale=danish).first()
    if home is None:
        return
    guide = ConcernGuidePage.objects.filter(locale=danish).first()
    if guide is None:
        guide = ConcernGuidePage(title="Bekymringsguide – hvad gør jeg?", slug="bekymringsguide", intro=GUIDE_INTRO_DA)
        home.add_child(instance=guide)
        guide.save_revision().publish()
    page_ensure_translation(page=guide, locale=english, title="Concern guide – what do I do?")

"""Demo content for the embedded setup. Every step is idempotent: running it twice changes nothing.

Other apps add their demo content by appending a dotted path to DEMO_SEEDERS; each seeder takes
the report and may add lines to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.module_loading import import_string

from .models import Department, JobRole
from .mfa import user_mfa_provision
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
    "courses.demo.demo_seed_site_pages",
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

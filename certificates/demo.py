"""Demo certificates for the demo learners (idempotent): Køge's learner holds a valid certificate,
Ishøj's learner one that expires in three weeks (to show the reminder and the refresher).
Rødovre's learner has none, so the whole flow can be tried by completing the course."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from learning.demo import demo_email

from .badges import signing_key_active
from .models import Certificate
from .services import add_months, certificate_issue_for_completion


@transaction.atomic
def demo_seed_certificates(report) -> None:
    from courses.models import CourseCompletion, CoursePage, ModuleCompletion, ModulePage
    from learning.models import User

    now = timezone.now()
    signing_key_active(at=now)
    course = CoursePage.objects.live().filter(locale__language_code="da").order_by("path").first()
    if course is None:
        return
    plan = {
        "koege": now - timedelta(days=40),
        "ishoej": add_months(now, -(course.certificate_validity_months or 24)) + timedelta(days=21),
    }
    modules = list(ModulePage.objects.child_of(course))
    for slug, completed_at in plan.items():
        user = User.objects.filter(email=demo_email(prefix="medarbejder", municipality_slug=slug)).first()
        if user is None:
            continue
        for module in modules:
            ModuleCompletion.objects.get_or_create(
                user=user, module=module, defaults={"completed_at": completed_at}
            )
        completion, _created = CourseCompletion.objects.get_or_create(
            user=user, course=course, defaults={"completed_at": completed_at}
        )
        certificate = certificate_issue_for_completion(completion=completion, at=completion.completed_at)
        # Demo data: no e-mail goes out (the PDF is still rendered after commit).
        Certificate.objects.filter(pk=certificate.pk, email_status=Certificate.EmailStatus.PENDING).update(
            email_status=Certificate.EmailStatus.SENT, email_sent_at=certificate.issued_at
        )
        report.notes.append(
            f"Kursusbevis for {user.email}: /certificates/verify/{certificate.code}/ (offentlig kontrol)"
        )

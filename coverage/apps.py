from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _invitation_accepted(sender, request, user, **_kwargs) -> None:
    from django.utils import timezone

    from .roster import invitation_accept

    invitation_accept(user=user, at=timezone.now())


class CoverageConfig(AppConfig):
    """Training coverage against each municipality's target: dashboard, roster, reminders, reports."""

    name = "coverage"
    verbose_name = _("Uddannelsesdækning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from allauth.account.signals import password_reset

        password_reset.connect(_invitation_accepted, dispatch_uid="coverage_invitation_accepted")

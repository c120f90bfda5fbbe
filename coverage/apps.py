from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The administrator role edits training targets in the Wagtail admin (snippet permissions).
ADMINISTRATOR_PERMISSIONS = [
    "add_trainingtarget",
    "change_trainingtarget",
    "delete_trainingtarget",
    "view_trainingtarget",
]


def _grant_administrator_permissions(**_kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    from learning.roles import ROLE_GROUP_NAMES, Role

    group = Group.objects.filter(name=ROLE_GROUP_NAMES[Role.ADMINISTRATOR]).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="coverage", codename__in=ADMINISTRATOR_PERMISSIONS)
        )


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

        post_migrate.connect(_grant_administrator_permissions, sender=self)
        password_reset.connect(_invitation_accepted, dispatch_uid="coverage_invitation_accepted")

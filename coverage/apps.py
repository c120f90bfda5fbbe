from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoverageConfig(AppConfig):
    """Training coverage against each municipality's target: dashboard, roster, reminders, reports."""

    name = "coverage"
    verbose_name = _("Uddannelsesdækning")
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomConfig(AppConfig):
    """Live classroom scenarios: SSP teachers run a deck, pupils join anonymously with a code."""

    name = "classroom"
    verbose_name = _("Klasseforløb")
    default_auto_field = "django.db.models.BigAutoField"

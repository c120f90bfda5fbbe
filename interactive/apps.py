from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractiveConfig(AppConfig):
    """H5P packages: upload checks, extraction, sandboxed playback and xAPI statements.

    Its own app because it is a security boundary: untrusted archives and untrusted JavaScript.
    """

    name = "interactive"
    verbose_name = _("Interaktivt indhold (H5P)")
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Scenarieopgaver")
    default_auto_field = "django.db.models.BigAutoField"

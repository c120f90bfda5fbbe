from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Forebyg: konti og organisationer")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .roles import sync_roles_after_migrate

        # Groups need the permissions that only exist after migrate, so they are synced then.
        post_migrate.connect(sync_roles_after_migrate, sender=self)

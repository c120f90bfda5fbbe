from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Forebyg: konti og organisationer")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (registers the directory's system check)
            security,  # noqa: F401  (registers the Redis eviction-policy check)
        )
        from .cache import page_cache_signals_connect
        from .roles import sync_roles_after_migrate
        from .sessions import session_signals_connect

        # Groups need the permissions that only exist after migrate, so they are synced then.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="learning_roles_sync")
        # Password and second-factor changes end the user's other sessions (learning.sessions).
        session_signals_connect()
        # Publishing, unpublishing, moving or deleting a page invalidates the anonymous page cache.
        page_cache_signals_connect()
        # Admin forms shown again with a malformed id in a chooser field: the form's error, not a 500.
        from .wagtail_compat import chooser_tolerate_malformed_ids

        chooser_tolerate_malformed_ids()

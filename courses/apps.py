from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Kurser")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .page_cache import page_cache_snippets_connect

        # Saving a snippet that lesson bodies show (an H5P activity, a practice scenario) invalidates the
        # cached lesson bodies (courses.page_cache), like publishing a page does.
        page_cache_snippets_connect()

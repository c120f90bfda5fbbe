from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .admin_views import ModulesDueForReviewView


class EditorMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Page).user_has_any_permission(
            request.user, ["add", "change", "publish"]
        )


@hooks.register("register_admin_urls")
def register_course_admin_urls():
    return [
        path("kurser/moduler-til-gennemgang/", ModulesDueForReviewView.as_view(), name="courses_modules_due"),
        path(
            "kurser/moduler-til-gennemgang/resultater/",
            ModulesDueForReviewView.as_view(results_only=True),
            name="courses_modules_due_results",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_modules_due_menu_item():
    return EditorMenuItem(
        _("Moduler der skal gennemgås"),
        reverse("courses_modules_due"),
        name="moduler-til-gennemgang",
        icon_name="time",
        order=250,
    )

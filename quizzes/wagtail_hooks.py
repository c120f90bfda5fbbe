"""Wagtail admin: the scenario snippet (with the rules' verdict in live preview and the stored key as a
read-only panel), the "Scenarier der skal gennemgås" menu item, the insight report, and the hooks
that refresh the keys after a directory edit and clear the review flag after an editor's save."""

from __future__ import annotations

from django.db import transaction
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagWidget
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from learning.roles import Role, user_has_role

from . import views
from .forms import ScenarioQuestionAdminForm
from .models import ScenarioQuestion
from .services import scenario_review_complete

# Models whose edits change the municipal directory the rules read.
DIRECTORY_MODELS = {"learning.municipality", "learning.contactpoint"}


class ScenarioKeyPanel(Panel):
    """Read-only: the key as last saved (computed by the rules, never typed in) and the review flag."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "quizzes/admin/key_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["scenario"] = self.instance
            return context


class ScenarioQuestionViewSet(SnippetViewSet):
    model = ScenarioQuestion
    icon = "help"
    menu_label = _("Scenarier")
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        "title",
        "municipality",
        Column("key_first_action_label", label=_("Første handling (nøgle)")),
        BooleanColumn("needs_review", label=_("Skal gennemgås")),
    ]
    list_filter = ["needs_review", "municipality", "ask_level", "ask_urgency"]
    search_fields = ["title", "slug", "story"]
    edit_handler = ObjectList(
        [
            ScenarioKeyPanel(heading=_("Nøglen, som den blev gemt")),
            MultiFieldPanel(
                [
                    FieldPanel("title"),
                    FieldPanel("slug"),
                    FieldPanel("story"),
                    FieldPanel("source"),
                    # taggit's plain text input (comma-separated) instead of Wagtail's tag-it widget, whose
                    # run-time input has no label (WCAG 1.3.1/4.1.2); the field's own label then applies.
                    FieldPanel("tags", widget=TagWidget),
                ],
                heading=_("Scenariet"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("municipality"),
                    FieldRowPanel([FieldPanel("subject"), FieldPanel("reporter"), FieldPanel("age")]),
                    FieldPanel("signs"),
                    FieldPanel("illegal_act"),
                    FieldPanel("danger_to_life"),
                    FieldPanel("in_extremist_milieu"),
                    FieldPanel("wants_exit"),
                    FieldPanel("returnee"),
                    FieldPanel("within_opening_hours"),
                ],
                heading=_("Fakta (det, reglerne vurderer)"),
            ),
            MultiFieldPanel(
                [FieldPanel("ask_level"), FieldPanel("ask_urgency")],
                heading=_("Hvad spørges medarbejderen om"),
            ),
        ],
        base_form_class=ScenarioQuestionAdminForm,
    )


scenario_viewset = ScenarioQuestionViewSet()
register_snippet(scenario_viewset)


def _model_label(instance) -> str:
    return instance._meta.label_lower


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def scenario_saved_or_directory_changed(request, instance):
    if isinstance(instance, ScenarioQuestion):
        # The editor has looked at the scenario: store its key as it is now and clear the flag.
        scenario_review_complete(scenario=instance, on=timezone.localdate(), at=timezone.now())
    elif _model_label(instance) in DIRECTORY_MODELS or type(instance).__module__.startswith(
        "learning.directory"
    ):
        from .tasks import scenario_keys_refresh_task

        transaction.on_commit(scenario_keys_refresh_task.delay)


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("quizzes.change_scenarioquestion")


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    url = reverse(scenario_viewset.get_url_name("list")) + "?needs_review=true"
    return ReviewMenuItem(
        _("Scenarier der skal gennemgås"),
        url,
        name="scenarios-needing-review",
        icon_name="warning",
        order=251,
    )


@hooks.register("register_admin_urls")
def register_insight_url():
    return [path("quizzes/indsigt/", views.admin_insight, name="quizzes_admin_insight")]


class InsightMenuItem(MenuItem):
    def is_shown(self, request):
        return user_has_role(request.user, Role.EDITOR) or user_has_role(request.user, Role.ADMINISTRATOR)


@hooks.register("register_reports_menu_item")
def register_insight_menu_item():
    return InsightMenuItem(
        _("Scenarier: sådan svarer medarbejderne"),
        reverse("quizzes_admin_insight"),
        name="scenario-insight",
        icon_name="help",
        order=900,
    )

"""Wagtail admin: training targets as a snippet, edited by administrators; the training summary follows
users created or edited in the admin.

Coordinators see their own municipality's targets on the dashboard (/koordinator/); the snippet
permissions (add/change/delete/view trainingtarget) are given to the administrator role only.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from learning.wagtail_choosers import PermissionRequiredSnippetChooserViewSet

from .models import TrainingTarget
from .summary import staff_member_refresh


class TrainingTargetViewSet(SnippetViewSet):
    model = TrainingTarget
    chooser_viewset_class = PermissionRequiredSnippetChooserViewSet  # a municipality's own data
    icon = "crosshairs"
    menu_label = _("Uddannelsesmål")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["name", "municipality", "period_start", "period_end", "target_count"]
    list_filter = ["municipality"]
    search_fields = ["name"]
    panels = [
        FieldPanel("municipality"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end"), FieldPanel("target_count")]),
        FieldPanel("courses", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [FieldPanel("audience_job_roles"), FieldPanel("audience_departments", widget=forms.CheckboxSelectMultiple)],
            heading=_("Målgruppe"),
        ),
    ]


register_snippet(TrainingTargetViewSet)


@hooks.register("after_create_user")
@hooks.register("after_edit_user")
def staff_member_refresh_after_admin_edit(request, user) -> None:
    """An administrator may change a person's active state or roles in the admin's user screens: keep
    the dashboard's copy of them in step."""
    staff_member_refresh(user=user)

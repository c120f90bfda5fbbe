"""Wagtail admin: training targets as a snippet, edited by administrators.

Coordinators see their own municipality's targets on the dashboard (/koordinator/); the snippet
permissions (add/change/delete/view trainingtarget) are given to the administrator role only.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import TrainingTarget


class TrainingTargetViewSet(SnippetViewSet):
    model = TrainingTarget
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

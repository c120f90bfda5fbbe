"""The editors' report "Moduler der skal gennemgås": modules whose professional review date has passed."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.reports import PageReportView

from .services import modules_due_for_review


class ModulesDueForReviewView(PageReportView):
    page_title = _("Moduler der skal gennemgås")
    header_icon = "time"
    results_template_name = "courses/admin/modules_due_results.html"
    index_url_name = "courses_modules_due"
    index_results_url_name = "courses_modules_due_results"
    any_permission_required = ["add", "change", "publish"]
    list_export = ["title", "next_review", "status_string"]
    export_headings = {
        "title": _("Modul"),
        "next_review": _("Næste faglige gennemgang"),
        "status_string": _("Status"),
    }

    def get_filename(self) -> str:
        return f"moduler-til-gennemgang-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        editable = self.permission_policy.instances_user_has_permission_for(self.request.user, "change")
        self.queryset = modules_due_for_review(today=timezone.localdate()).filter(
            pk__in=editable.values("pk")
        )
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        today = timezone.localdate()
        for module in object_list:
            module.days_overdue = (today - module.next_review).days
            parent = module.get_parent()
            module.course_title = parent.title if parent is not None else ""
        return object_list

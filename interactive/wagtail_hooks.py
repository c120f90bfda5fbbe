"""H5P activities in the Wagtail admin: a snippet with upload, status and the Danish rejection reason.

Editors need the permissions interactive.add_h5pactivity, interactive.change_h5pactivity and
interactive.delete_h5pactivity (granted to the editor group by the lead).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView, SnippetViewSet

from .forms import H5PActivityForm
from .models import H5PActivity
from .services import h5p_activity_files_discard, h5p_activity_queue_processing


class H5PActivityCreateView(CreateView):
    def save_instance(self):
        instance = super().save_instance()
        h5p_activity_queue_processing(activity=instance)
        return instance


class H5PActivityEditView(EditView):
    def save_instance(self):
        package_changed = "package" in self.form.changed_data
        instance = super().save_instance()
        if package_changed:
            h5p_activity_queue_processing(activity=instance)
        return instance


class H5PActivityDeleteView(DeleteView):
    def delete_action(self):
        super().delete_action()
        h5p_activity_files_discard(activity=self.object)


class H5PActivityViewSet(SnippetViewSet):
    model = H5PActivity
    icon = "media"
    menu_label = _("H5P-aktiviteter")
    add_to_admin_menu = True
    menu_order = 300
    add_view_class = H5PActivityCreateView
    edit_view_class = H5PActivityEditView
    delete_view_class = H5PActivityDeleteView
    list_display = ["title", "slug", "status", "rejection_reason", "created_at"]
    list_filter = ["status"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("slug"),
            FieldPanel(
                "package",
                help_text=_(
                    "En .h5p-fil på højst 50 MB. Pakken kontrolleres, før den kan bruges: status skifter fra "
                    "»Venter på kontrol« til »Klar« eller »Afvist« med en begrundelse."
                ),
            ),
            FieldPanel("status", read_only=True),
            FieldPanel("rejection_reason", read_only=True),
            FieldPanel("main_library", read_only=True),
        ],
        base_form_class=H5PActivityForm,
    )


register_snippet(H5PActivityViewSet)

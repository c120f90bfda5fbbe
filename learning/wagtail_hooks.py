"""Wagtail admin for the organisations and the routing directory.

Municipalities (with their local procedure and contact points) and departments are snippets. Only
roles with the model permissions (the administrators, see ``learning.roles.ROLE_PERMISSIONS``) can
add or change them; routing reads the edited rows at once (``learning.directory.directory_current``).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Department, Municipality
from .wagtail_choosers import PermissionRequiredSnippetChooserViewSet


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "site"
    menu_label = _("Kommuner")
    list_display = ["name", "slug", "leader_first", "child_also_local_unit"]
    search_fields = ["name", "slug"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        MultiFieldPanel(
            [
                FieldPanel("leader_first"),
                FieldPanel("child_also_local_unit"),
                FieldPanel("opening_hours"),
                FieldPanel("procedure_source"),
            ],
            heading=_("Lokal procedure for bekymringer"),
        ),
        InlinePanel(
            "contact_points",
            heading=_("Kontaktpunkter"),
            label=_("Kontaktpunkt"),
            help_text=_(
                "Hvem der skal kontaktes for hver handling. Den første, der passer på handling, alder og "
                "afsender, bruges. Systemtjekket learning.E001 melder, hvis en handling mangler en kontakt."
            ),
        ),
    ]


class DepartmentViewSet(SnippetViewSet):
    model = Department
    chooser_viewset_class = PermissionRequiredSnippetChooserViewSet  # a municipality's own data
    icon = "group"
    menu_label = _("Afdelinger")
    list_display = ["name", "municipality", "kind"]
    list_filter = ["municipality", "kind"]
    search_fields = ["name"]
    panels = [FieldPanel("municipality"), FieldPanel("name"), FieldPanel("kind")]


class OrganisationViewSetGroup(SnippetViewSetGroup):
    items = (MunicipalityViewSet, DepartmentViewSet)
    menu_icon = "site"
    menu_label = _("Organisation")
    menu_name = "organisation"


register_snippet(OrganisationViewSetGroup)

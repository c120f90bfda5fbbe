"""Decks are Wagtail snippets: editors write them in the admin under »Klasseforløb«.

A snippet (not a page) because a deck is never a public page of its own: it is material a logged-in
SSP teacher runs live, so it needs no place in the page tree, no URL and no page permissions.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ClassroomDeck


class ClassroomDeckViewSet(SnippetViewSet):
    model = ClassroomDeck
    icon = "group"
    menu_label = _("Klasseforløb")
    menu_name = "classroom-decks"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "theme", "age_min", "age_max", "updated_at"]
    list_filter = ["age_min"]
    search_fields = ["title", "theme", "summary"]
    ordering = ["age_min", "title"]


register_snippet(ClassroomDeckViewSet)

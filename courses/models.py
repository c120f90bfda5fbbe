"""Wagtail page types of the site: the home page and plain information pages (e.g. the accessibility statement)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from learning.blocks import CalloutBlock, SourceQuoteBlock, TextBlock

BASIC_BLOCKS = [
    ("text", TextBlock()),
    ("callout", CalloutBlock()),
    ("source_quote", SourceQuoteBlock()),
]


class HomePage(Page):
    intro = RichTextField(_("introduktion"), features=["bold", "italic", "link"], blank=True)
    body = StreamField(BASIC_BLOCKS, blank=True, verbose_name=_("indhold"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.InfoPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("forside")


class InfoPage(Page):
    """A plain page of text: the accessibility statement, about the platform, privacy."""

    body = StreamField(BASIC_BLOCKS, verbose_name=_("indhold"))
    last_reviewed = models.DateField(_("senest gennemgået"), null=True, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body"), FieldPanel("last_reviewed")]

    parent_page_types = ["courses.HomePage", "courses.InfoPage"]
    subpage_types = ["courses.InfoPage"]

    class Meta:
        verbose_name = _("informationsside")

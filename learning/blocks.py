"""StreamField blocks shared by every page type: text, a "remember" box and a quote from a source."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .validators import validate_no_cpr

SOURCE_CHOICES = [
    ("000", "000 · Ishøj Kommune: Forebyggelse af radikalisering og ekstremisme (2018)"),
    ("001", "001 · Ishøj Kommune: Organisering af den forebyggende indsats (2018)"),
    ("002", "002 · Rødovre Kommune: Viden og aktiviteter i den forebyggende indsats"),
    ("003", "003 · Køge Kommune: Handleplan for Infohus Køge 2024-2027"),
    ("004", "004 · Ishøj Kommune: Handleplan med bilag I"),
]

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link"]


class TextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        # Added here rather than by callers, so it is not part of the block's migration definition.
        kwargs["validators"] = [*kwargs.get("validators", ()), validate_no_cpr]
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Tekst")
        template = "blocks/text.html"
        preview_value = "<p>Radikalisering er en proces, ikke en tilstand.</p>"
        description = _("Almindelig brødtekst med mellemrubrikker, lister og links.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("remember", _("Husk")), ("warning", _("Vigtigt")), ("tip", _("Godt råd"))],
        default="remember",
        label=_("Type"),
    )
    title = blocks.CharBlock(label=_("Overskrift"), max_length=80, validators=[validate_no_cpr])
    text = blocks.RichTextBlock(features=["bold", "italic", "ul", "link"], label=_("Tekst"), validators=[validate_no_cpr])

    class Meta:
        icon = "warning"
        label = _("Husk-boks")
        template = "blocks/callout.html"
        preview_value = {
            "kind": "remember",
            "title": "Husk",
            "text": "<p>Ét tegn alene er ikke nok til en bekymring.</p>",
        }
        description = _("En fremhævet boks med det, læseren skal huske.")


class SourceQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Citat"), help_text=_("Ordret citat fra kilden."), validators=[validate_no_cpr])
    source = blocks.ChoiceBlock(choices=SOURCE_CHOICES, label=_("Kilde"))
    section = blocks.CharBlock(label=_("Afsnit"), max_length=40, required=False, validators=[validate_no_cpr])

    class Meta:
        icon = "openquote"
        label = _("Citat fra kilde")
        template = "blocks/source_quote.html"
        preview_value = {
            "quote": "Der skal være flere tegn til stede samtidig.",
            "source": "002",
            "section": "§3",
        }
        description = _("Et ordret citat fra et kildedokument med kildehenvisning.")

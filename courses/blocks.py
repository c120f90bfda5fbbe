"""StreamField blocks of the course pages: warning signs, the prevention triangle, H5P activities and
module sources. The plain text, callout and source-quote blocks come from ``learning.blocks``."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

from learning.blocks import SOURCE_CHOICES, CalloutBlock, SourceQuoteBlock, TextBlock
from learning.rules import LEVELS, SIGN_GROUPS, SIGNS
from learning.validators import validate_no_cpr
from quizzes.blocks import ScenarioQuestionBlock

SIGN_GROUP_CHOICES = [(code, label.label_da) for code, label in SIGN_GROUPS.items()]
SIGN_CHOICES = [
    (code, f"{SIGN_GROUPS[sign.group].label_da}: {sign.label_da}") for code, sign in SIGNS.items()
]
LEVEL_CHOICES = [(code, label.label_da) for code, label in LEVELS.items()]

# The Danish names of the three levels as the sources word them (002 §2, 003 §3.1).
LEVEL_SHORT_NAMES = {"general": "Generel", "specific": "Specifik", "targeted": "Målrettet"}
LEVEL_NAMES = {
    "general": "Generel / opbyggende",
    "specific": "Specifik / foregribende",
    "targeted": "Målrettet / indgribende",
}


class WarningSignGroupBlock(blocks.StructBlock):
    group = blocks.ChoiceBlock(choices=SIGN_GROUP_CHOICES, label=_("Gruppe"))
    signs = blocks.MultipleChoiceBlock(
        choices=SIGN_CHOICES,
        label=_("Tegn"),
        help_text=_("Vælg tegn fra gruppen. Ordlyden kommer fra kilderne (002 §3, 004 bilag I)."),
    )

    def clean(self, value):
        value = super().clean(value)
        stray = [code for code in value["signs"] if SIGNS[code].group != value["group"]]
        if stray:
            raise StructBlockValidationError(
                block_errors={
                    "signs": ErrorList(
                        [
                            ValidationError(
                                _("Disse tegn hører ikke til gruppen: %(signs)s")
                                % {"signs": ", ".join(SIGNS[code].label_da for code in stray)}
                            )
                        ]
                    )
                }
            )
        return value


class WarningSignsBlock(blocks.StructBlock):
    intro = blocks.TextBlock(label=_("Indledning"), required=False, validators=[validate_no_cpr])
    groups = blocks.ListBlock(WarningSignGroupBlock(), min_num=1, max_num=3, label=_("Grupper"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["cards"] = [
            {
                "code": group["group"],
                "title": SIGN_GROUPS[group["group"]].label_da,
                "signs": [SIGNS[code].label_da for code in group["signs"] if code in SIGNS],
            }
            for group in value["groups"]
        ]
        return context

    class Meta:
        icon = "list-ul"
        label = _("Bekymringstegn")
        template = "blocks/warning_signs.html"
        preview_value = {
            "intro": "Ét tegn alene beviser ingenting – det er flere tegn på samme tid, der bør få dig til at handle.",
            "groups": [
                {"group": "attitudes", "signs": ["attitudes.intolerance", "attitudes.rejects_democracy"]},
                {"group": "behaviour", "signs": ["behaviour.extremist_material"]},
                {"group": "relations", "signs": ["relations.family_isolation"]},
            ],
        }
        description = _("Bekymringstegn i tre kort: holdninger, adfærd og relationer, med kildernes ordlyd.")


class TriangleLevelBlock(blocks.StructBlock):
    level = blocks.ChoiceBlock(choices=LEVEL_CHOICES, label=_("Niveau"))
    title = blocks.CharBlock(label=_("Overskrift"), max_length=80, required=False, validators=[validate_no_cpr])
    description = blocks.TextBlock(label=_("Beskrivelse"), validators=[validate_no_cpr])
    who = blocks.ListBlock(blocks.CharBlock(max_length=120, validators=[validate_no_cpr]), label=_("Hvem arbejder her"))
    source = blocks.CharBlock(
        label=_("Kilde"), max_length=60, required=False, help_text=_("Fx »003 §3.1; 002 §2«."), validators=[validate_no_cpr]
    )


class PreventionTriangleBlock(blocks.StructBlock):
    intro = blocks.TextBlock(label=_("Indledning"), required=False, validators=[validate_no_cpr])
    levels = blocks.ListBlock(TriangleLevelBlock(), min_num=1, max_num=3, label=_("Niveauer"))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        by_level = {level["level"]: level for level in value["levels"]}
        # The drawing always lists the levels from the top of the triangle (targeted) to the base.
        context["bands"] = [
            {
                "code": code,
                "short": LEVEL_SHORT_NAMES[code],
                "title": by_level[code]["title"] or LEVEL_NAMES[code],
                "present": code in by_level,
            }
            for code in ("targeted", "specific", "general")
        ]
        # The text lists them from the base up, in the order the sources introduce them.
        context["levels"] = [
            {
                "code": code,
                "title": by_level[code]["title"] or LEVEL_NAMES[code],
                "description": by_level[code]["description"],
                "who": list(by_level[code]["who"]),
                "source": by_level[code]["source"],
            }
            for code in ("general", "specific", "targeted")
            if code in by_level
        ]
        # A stable id from the content, so the buttons can point at their panels.
        digest = hashlib.sha1(
            repr(sorted((k, v["title"]) for k, v in by_level.items())).encode(), usedforsecurity=False
        )
        context["uid"] = f"trekant-{digest.hexdigest()[:8]}"
        return context

    class Meta:
        icon = "site"
        label = _("Forebyggelsestrekanten")
        template = "blocks/prevention_triangle.html"
        preview_value = {
            "intro": "Forebyggelsestrekanten: tre niveauer med hver sin målgruppe.",
            "levels": [
                {
                    "level": "general",
                    "title": "Generel / opbyggende",
                    "description": "Omfatter i princippet alle borgere.",
                    "who": ["Dagtilbud og skoler"],
                    "source": "003 §3.1",
                },
                {
                    "level": "specific",
                    "title": "Specifik / foregribende",
                    "description": "Personer og grupper med risikoadfærd.",
                    "who": ["SSP"],
                    "source": "003 §3.1",
                },
                {
                    "level": "targeted",
                    "title": "Målrettet / indgribende",
                    "description": "Personer i et ekstremistisk miljø.",
                    "who": ["Politiet og PET"],
                    "source": "003 §3.1",
                },
            ],
        }
        description = _(
            "Interaktiv trekant med de tre forebyggelsesniveauer; uden JavaScript vises alle niveauer som tekst."
        )


class H5PActivityBlock(SnippetChooserBlock):
    def __init__(self, **kwargs):
        super().__init__("interactive.H5PActivity", **kwargs)

    def deconstruct(self):
        # The target model is fixed by the class, so it is not a constructor argument here.
        path, _args, kwargs = super().deconstruct()
        return path, (), kwargs

    class Meta:
        icon = "media"
        label = _("H5P-aktivitet")
        template = "blocks/h5p_activity.html"
        preview_value = None
        description = _("En interaktiv H5P-aktivitet. Lektionen gennemføres, når aktiviteten er gennemført.")


class ModuleSourceBlock(blocks.StructBlock):
    source = blocks.ChoiceBlock(choices=SOURCE_CHOICES, label=_("Kildedokument"))
    section = blocks.CharBlock(label=_("Afsnit"), max_length=120, required=False, validators=[validate_no_cpr])
    note = blocks.CharBlock(label=_("Note"), max_length=300, required=False, validators=[validate_no_cpr])

    class Meta:
        icon = "doc-full"
        label = _("Kilde")
        template = "blocks/module_source.html"
        preview_value = {"source": "003", "section": "§3.2.3", "note": ""}
        description = _("Et kildedokument og afsnit, modulet bygger på.")


class OrganisationBodyBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Navn"), max_length=120, validators=[validate_no_cpr])
    description = blocks.TextBlock(label=_("Hvad gør de?"), validators=[validate_no_cpr])
    source = blocks.ChoiceBlock(choices=SOURCE_CHOICES, label=_("Kildedokument"))
    section = blocks.CharBlock(label=_("Afsnit"), max_length=120, required=False, validators=[validate_no_cpr])

    class Meta:
        icon = "group"
        label = _("Samarbejdsforum eller enhed")
        template = "blocks/organisation_body.html"
        preview_value = {
            "name": "Infohus Køge",
            "description": "Et præventivt samarbejdsforum mellem politi og kommune.",
            "source": "003",
            "section": "§2.0",
        }
        description = _("En enhed eller et samarbejdsforum i kommunen, med kildehenvisning.")


LOCAL_ORGANISATION_BLOCKS = [
    ("organisation", OrganisationBodyBlock()),
    ("text", TextBlock()),
    ("callout", CalloutBlock()),
]

LESSON_BLOCKS = [
    ("text", TextBlock()),
    ("callout", CalloutBlock()),
    ("source_quote", SourceQuoteBlock()),
    ("warning_signs", WarningSignsBlock()),
    ("prevention_triangle", PreventionTriangleBlock()),
    ("h5p", H5PActivityBlock()),
    # The quizzes app's practice scenario (graded at once; does not gate completion).
    ("scenario", ScenarioQuestionBlock()),
]

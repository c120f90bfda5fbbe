"""The steps of a classroom deck, as StreamField blocks: intro, dilemma, routing and discussion.

Option keys are not typed by editors: an option's key is its letter by position (a, b, c …), frozen
into the live session's snapshot when a session starts, so editing a deck never disturbs a running
session.
"""

from __future__ import annotations

from string import ascii_lowercase

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from learning.rules import ACTIONS, SIGNS, ConcernInputError, DirectoryError
from learning.validators import validate_no_cpr

# Classroom-only option: telling a trusted adult is always an acceptable answer for a pupil.
TELL_TRUSTED_ADULT = "tell_trusted_adult"
ROUTING_OPTION_ACTIONS = [
    *[(code, f"{info.label_da} ({code})") for code, info in ACTIONS.items()],
    (TELL_TRUSTED_ADULT, "Fortæl det til en voksen, du stoler på (tell_trusted_adult)"),
]
MIN_OPTIONS, MAX_OPTIONS = 2, 5
VOTING_STEP_TYPES = frozenset({"dilemma", "routing"})


def _municipality_choices() -> list[tuple[str, str]]:
    from .services import routing_directory

    return [(m.slug, m.name) for m in routing_directory()]


def option_key(index: int) -> str:
    return ascii_lowercase[index]


class StepValue(blocks.StructValue):
    """A step's value with the keyed options the live views and the vote service use."""

    def keyed_options(self) -> list[tuple[str, blocks.StructValue]]:
        return [(option_key(i), option) for i, option in enumerate(self.get("options") or [])]

    def option_keys(self) -> list[str]:
        return [key for key, _option in self.keyed_options()]

    def prompts(self) -> list[str]:
        return list(self.get("discussion_prompts") or self.get("prompts_list") or [])


def _text(label, **kwargs) -> blocks.TextBlock:
    return blocks.TextBlock(label=label, validators=[validate_no_cpr], **kwargs)


def _char(label, max_length=200, **kwargs) -> blocks.CharBlock:
    return blocks.CharBlock(label=label, max_length=max_length, validators=[validate_no_cpr], **kwargs)


def _prompts(label=None) -> blocks.ListBlock:
    return blocks.ListBlock(
        _char(_("Spørgsmål"), max_length=300),
        label=label or _("Spørgsmål til samtalen"),
        required=False,
        default=[],
    )


def _check_option_count(options) -> None:
    if not MIN_OPTIONS <= len(options or []) <= MAX_OPTIONS:
        raise StructBlockValidationError(
            block_errors={
                "options": ValidationError(
                    _("Et trin skal have mellem %(min)d og %(max)d svarmuligheder.")
                    % {"min": MIN_OPTIONS, "max": MAX_OPTIONS}
                )
            }
        )


class OptionBlock(blocks.StructBlock):
    text = _char(_("Svarmulighed"), max_length=300)

    class Meta:
        icon = "radio-full"
        label = _("Svarmulighed")


class RoutingOptionBlock(blocks.StructBlock):
    text = _char(_("Svarmulighed"), max_length=300)
    action = blocks.ChoiceBlock(
        choices=ROUTING_OPTION_ACTIONS,
        label=_("Handling i reglerne"),
        help_text=_(
            "Den handling svaret svarer til. Afsløringen viser, om reglerne peger på den. "
            "»Fortæl det til en voksen« tæller altid som et godt svar."
        ),
    )

    class Meta:
        icon = "radio-full"
        label = _("Svarmulighed")


class IntroStepBlock(blocks.StructBlock):
    title = _char(_("Overskrift"), max_length=120)
    text = _text(_("Fortælling"), help_text=_("Situationen, eleverne skal tage stilling til. Personerne er opdigtede."))

    class Meta:
        icon = "doc-full"
        label = _("Introduktion")
        template = "classroom/blocks/intro_step.html"
        value_class = StepValue
        preview_value = {
            "title": "Søndag aften i klassens chat",
            "text": "Oskar deler en video i klassens chat. De fleste skriver ingenting.",
        }
        description = _("En fortælling, der sætter scenen. Ingen afstemning.")


class DilemmaStepBlock(blocks.StructBlock):
    title = _char(_("Overskrift"), max_length=120)
    question = _char(_("Spørgsmål"), max_length=300)
    options = blocks.ListBlock(
        OptionBlock(), label=_("Svarmuligheder"), min_num=MIN_OPTIONS, max_num=MAX_OPTIONS
    )
    discussion_prompts = _prompts()
    reveal = _text(_("Afsløring"), help_text=_("Vises, når læreren afslører: hvad kan man tænke om svarene?"))

    class Meta:
        icon = "help"
        label = _("Dilemma")
        template = "classroom/blocks/dilemma_step.html"
        value_class = StepValue
        preview_value = {
            "title": "Hvad gør du i chatten?",
            "question": "Du har set videoen. Hvad ville du gøre?",
            "options": [{"text": "Ingenting."}, {"text": "Skriver privat til Oskar."}],
            "discussion_prompts": ["Hvorfor kan det være svært at sige noget?"],
            "reveal": "Der er ikke ét rigtigt svar.",
        }
        description = _("Eleverne stemmer på 2–5 svarmuligheder; læreren afslører en forklaring.")

    def clean(self, value):
        _check_option_count(value.get("options"))
        return super().clean(value)


class RoutingStepBlock(blocks.StructBlock):
    """A concern seen by a pupil (reporter "citizen"): the reveal is computed by the routing rules."""

    title = _char(_("Overskrift"), max_length=120)
    question = _char(_("Spørgsmål"), max_length=300)
    municipality = blocks.ChoiceBlock(choices=_municipality_choices, label=_("Kommune"))
    subject = blocks.ChoiceBlock(
        choices=[("person", _("En bestemt person")), ("group", _("En gruppe, et sted eller et miljø"))],
        default="person",
        label=_("Bekymringen gælder"),
    )
    age = blocks.IntegerBlock(label=_("Alder"), required=False, min_value=0, max_value=120,
                              help_text=_("Tom = alder ukendt."))
    signs = blocks.MultipleChoiceBlock(
        choices=[(code, f"{sign.label_da}") for code, sign in SIGNS.items()],
        label=_("Bekymringstegn"),
        required=False,
        help_text=_("Tegn, der ses på samme tid. Ét tegn alene er ikke nok til en bekymring."),
    )
    illegal_act = blocks.ChoiceBlock(
        choices=[("none", _("Nej")), ("suspected", _("Mistanke om en ulovlig handling"))],
        default="none",
        label=_("Ulovlig handling"),
    )
    danger_to_life = blocks.BooleanBlock(label=_("Fare for liv eller sikkerhed lige nu"), required=False)
    in_extremist_milieu = blocks.BooleanBlock(label=_("Del af et ekstremistisk miljø"), required=False)
    wants_exit = blocks.BooleanBlock(label=_("Ønsker hjælp til at komme ud af et miljø"), required=False)
    returnee = blocks.BooleanBlock(label=_("Vendt hjem fra en konfliktzone"), required=False)
    within_opening_hours = blocks.BooleanBlock(
        label=_("Inden for kommunens åbningstid"), required=False, default=True
    )
    options = blocks.ListBlock(
        RoutingOptionBlock(), label=_("Svarmuligheder"), min_num=MIN_OPTIONS, max_num=MAX_OPTIONS
    )
    discussion_prompts = _prompts()

    class Meta:
        icon = "site"
        label = _("Hvem skal vide det?")
        template = "classroom/blocks/routing_step.html"
        value_class = StepValue
        form_classname = "struct-block classroom-routing-step"
        preview_value = {
            "title": "Hvad gør du nu?",
            "question": "Hvad kan du gøre?",
            "municipality": "koege",
            "subject": "person",
            "age": 13,
            "signs": ["behaviour.extremist_material"],
            "illegal_act": "none",
            "within_opening_hours": True,
            "options": [
                {"text": "Ringe 112.", "action": "police_112"},
                {"text": "Fortælle det til en voksen, jeg stoler på.", "action": TELL_TRUSTED_ADULT},
            ],
        }
        description = _(
            "Eleverne vælger, hvem der skal vide det. Afsløringen kommer fra reglerne for en borger/ung, "
            "med telefonnumre fra kommunens kontaktliste."
        )

    def get_context(self, value, parent_context=None):
        """With ``today`` in the parent context (passed by the view), add the rules' verdict."""
        context = super().get_context(value, parent_context=parent_context)
        on = (parent_context or {}).get("today")
        if on is not None:
            from .services import routing_reveal_for_step

            try:
                context["reveal"] = routing_reveal_for_step(step=value, on=on)
            except (ConcernInputError, DirectoryError):
                context["reveal_error"] = True
        return context

    def clean(self, value):
        _check_option_count(value.get("options"))
        from .services import routing_concern_for_step

        try:
            routing_concern_for_step(step=value)
        except ConcernInputError as error:
            name = error.field.split("[", 1)[0]
            target = name if name in self.child_blocks else None
            message = ValidationError(_("Reglerne kan ikke bruge oplysningen: %(msg)s") % {"msg": error.message_da})
            if target:
                raise StructBlockValidationError(block_errors={target: message}) from error
            raise StructBlockValidationError(non_block_errors=[message]) from error
        return super().clean(value)


class DiscussionStepBlock(blocks.StructBlock):
    title = _char(_("Overskrift"), max_length=120)
    prompts_list = blocks.ListBlock(_char(_("Spørgsmål"), max_length=300), label=_("Spørgsmål"), min_num=1)

    class Meta:
        icon = "group"
        label = _("Samtale")
        template = "classroom/blocks/discussion_step.html"
        value_class = StepValue
        preview_value = {
            "title": "Kritisk blik på videoer",
            "prompts_list": ["Hvem har lavet videoen, og hvad vil de have dig til at føle?"],
        }
        description = _("Spørgsmål til en fælles samtale. Ingen afstemning.")


class DeckStepsBlock(blocks.StreamBlock):
    intro = IntroStepBlock()
    dilemma = DilemmaStepBlock()
    routing = RoutingStepBlock()
    discussion = DiscussionStepBlock()

    class Meta:
        min_num = 1


__all__ = [
    "MAX_OPTIONS",
    "MIN_OPTIONS",
    "TELL_TRUSTED_ADULT",
    "VOTING_STEP_TYPES",
    "DeckStepsBlock",
    "DilemmaStepBlock",
    "DiscussionStepBlock",
    "IntroStepBlock",
    "RoutingStepBlock",
]

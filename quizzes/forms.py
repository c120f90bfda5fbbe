"""Forms: the learner's answer to one scenario, and the editor's scenario form (signs as checkboxes,
facts checked against the rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.utils import parse_tags
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.tags import TagField

from learning.rules import ConcernInputError

from .models import ACTION_CHOICES, LEVEL_CHOICES, SIGN_CHOICES, URGENCY_CHOICES, ScenarioQuestion
from .services import AnswerInput, routing_directory, scenario_concern

FIRST_ACTION_ERRORS = {
    "required": _("Vælg, hvad du vil gøre først."),
    "invalid_choice": _("»%(value)s« er ikke en af handlingerne på listen. Vælg en af de viste handlinger."),
}
ACTIONS_ERRORS = {
    "invalid_choice": _(
        "»%(value)s« er ikke en af handlingerne på listen. Vælg kun blandt de viste handlinger."
    ),
    "invalid_list": _("Vælg handlingerne ved at sætte flueben."),
}


class ScenarioAnswerForm(forms.Form):
    """One scenario's answer. Each question of a quiz uses its own prefix (``q<scenario id>``)."""

    first_action = forms.ChoiceField(
        label=_("Hvad gør du først?"),
        choices=ACTION_CHOICES,
        widget=forms.RadioSelect,
        error_messages=FIRST_ACTION_ERRORS,
    )
    actions = forms.MultipleChoiceField(
        label=_("Hvad gør du ellers? (vælg alle, der skal gøres)"),
        choices=ACTION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages=ACTIONS_ERRORS,
    )
    level = forms.ChoiceField(
        label=_("Hvilket forebyggelsesniveau er sagen på?"),
        choices=LEVEL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vælg forebyggelsesniveauet."),
            "invalid_choice": _("»%(value)s« er ikke et af niveauerne. Vælg et af de viste niveauer."),
        },
    )
    urgency = forms.ChoiceField(
        label=_("Er sagen akut?"),
        choices=URGENCY_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vælg, om sagen er akut eller ikke akut."),
            "invalid_choice": _("»%(value)s« er ikke et gyldigt svar. Vælg akut eller ikke akut."),
        },
    )

    def __init__(self, *args, scenario: ScenarioQuestion, **kwargs) -> None:
        kwargs.setdefault("prefix", f"q{scenario.pk}")
        super().__init__(*args, **kwargs)
        self.scenario = scenario
        if not scenario.ask_level:
            del self.fields["level"]
        if not scenario.ask_urgency:
            del self.fields["urgency"]

    def answer(self) -> AnswerInput:
        data = self.cleaned_data
        first = data["first_action"]
        return AnswerInput(
            first_action=first,
            actions=tuple(code for code in data.get("actions", []) if code != first),
            level=data.get("level", ""),
            urgency=data.get("urgency", ""),
        )


class ScenarioTagField(TagField):
    """Wagtail's tag field, with its length check in Danish (Wagtail's Danish catalogue lacks that message)."""

    def clean(self, value):
        limit = self.tag_model.name.field.max_length
        too_long = [tag for tag in parse_tags(value) if len(tag) > limit] if isinstance(value, str) else []
        if too_long:
            raise forms.ValidationError(
                _("Et emneord må højst have %(limit)d tegn. For langt: %(tags)s")
                % {"limit": limit, "tags": ", ".join(too_long)}
            )
        return super().clean(value)


class ScenarioQuestionAdminForm(WagtailAdminModelForm):
    """The snippet form: the 14 signs as Danish checkboxes; the facts must be routable."""

    signs = forms.MultipleChoiceField(
        label=_("Bekymringstegn, der er observeret samtidig"),
        choices=SIGN_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if type(self.fields.get("tags")) is TagField:  # built by Wagtail from the TaggableManager
            self.fields["tags"].__class__ = ScenarioTagField

    def clean(self):
        cleaned = super().clean()
        if self.errors or not cleaned.get("municipality"):
            return cleaned
        probe = ScenarioQuestion(
            **{
                name: cleaned.get(name)
                for name in (
                    "municipality",
                    "subject",
                    "age",
                    "reporter",
                    "illegal_act",
                    "danger_to_life",
                    "in_extremist_milieu",
                    "wants_exit",
                    "returnee",
                    "within_opening_hours",
                )
            },
            signs=list(cleaned.get("signs") or []),
        )
        try:
            scenario_concern(scenario=probe, directory=routing_directory())
        except ConcernInputError as exc:
            field = exc.field if exc.field in self.fields else None
            message = _("Reglerne kan ikke vurdere disse fakta: %(error)s") % {"error": exc.message_da}
            if exc.field == "municipality":
                message = _(
                    "Kommunen findes ikke i kontaktkataloget, så reglerne kan ikke vurdere scenariet."
                )
            self.add_error(field, message)
        return cleaned

"""The concern guide (Bekymringsguide): its form, the opening-hours default and how a decision is shown.

Everything here is pure (no DB, no clock): the view passes in the directory and the time. The guide
has no free text anywhere, so nothing a user types about a real person can end up in the platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .rules import (
    ACTIONS,
    LEGAL_BASES,
    LEVELS,
    RULES_BY_ID,
    SIGN_GROUPS,
    SIGNS,
    Decision,
    Directory,
)

# Only the form's default answer: weekdays 8–15 local time count as open (the sources give the units'
# hours as daytime, e.g. »kl. 7–15«). Public holidays are not known here; the user can always change
# the answer in the form.
OPEN_FROM_HOUR = 8
OPEN_UNTIL_HOUR = 15


def municipality_open_at(*, at: datetime) -> bool:
    """Whether the municipality is open at the local time ``at``: Monday–Friday, 8.00–14.59."""
    return at.weekday() < 5 and OPEN_FROM_HOUR <= at.hour < OPEN_UNTIL_HOUR


@dataclass(frozen=True, slots=True)
class AgeBand:
    code: str
    label: Any  # lazy Danish string
    age: int | None


# Each band routes as its lowest age. The directory splits contacts by age only at 18 today (under 18:
# children's services, SSP; 18 and over: the adult units), so the bands decide exactly as the exact age
# would. A municipality that one day splits at another age needs a band boundary there too.
AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("under_12", _("Under 12 år"), 0),
    AgeBand("12_17", _("12–17 år"), 12),
    AgeBand("18_24", _("18–24 år"), 18),
    AgeBand("25_plus", _("25 år eller ældre"), 25),
    AgeBand("unknown", _("Ved ikke"), None),
)
AGE_BY_BAND = {band.code: band.age for band in AGE_BANDS}

YES_NO = [("yes", _("Ja")), ("no", _("Nej"))]
STATUS_FIELDS = ("in_extremist_milieu", "wants_exit", "returnee")


def _label(item: Any, language: str) -> str:
    return item.label_en if language.startswith("en") else item.label_da


class ConcernGuideForm(forms.Form):
    """The guide's questions; ``concern_data()`` turns valid answers into the routing contract's input."""

    municipality = forms.ChoiceField(label=_("Hvilken kommune drejer det sig om?"))
    reporter = forms.ChoiceField(
        label=_("Hvem er du?"),
        choices=[
            ("employee", _("Jeg er ansat i kommunen eller en anden offentlig myndighed")),
            ("citizen", _("Jeg er borger, fx forælder, nabo, ven eller familie")),
        ],
        initial="employee",
        widget=forms.RadioSelect,
    )
    subject = forms.ChoiceField(
        label=_("Handler din bekymring om én person eller om en gruppe eller et miljø?"),
        choices=[
            ("person", _("Én bestemt person")),
            ("group", _("En gruppe, et sted eller et miljø")),
        ],
        initial="person",
        widget=forms.RadioSelect,
    )
    age_band = forms.ChoiceField(
        label=_("Hvor gammel er personen?"),
        help_text=_("Vælg »Ved ikke«, hvis du ikke kender alderen. Er det en gruppe, betyder alderen ikke noget."),
        choices=[(band.code, band.label) for band in AGE_BANDS],
        initial="unknown",
    )
    signs = forms.MultipleChoiceField(
        label=_("Hvad har du set?"),
        choices=[(code, sign.label_da) for code, sign in SIGNS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
    )
    in_extremist_milieu = forms.BooleanField(
        label=_("Personen er en del af et ekstremistisk miljø eller har begået kriminalitet med ekstremistisk motiv"),
        required=False,
    )
    wants_exit = forms.BooleanField(
        label=_("Personen ønsker hjælp til at forlade et ekstremistisk miljø"), required=False
    )
    returnee = forms.BooleanField(label=_("Personen er vendt hjem fra en konfliktzone"), required=False)
    illegal_act = forms.ChoiceField(
        label=_("Er der sket, eller er der planer om, en ulovlig handling?"),
        help_text=_(
            "Svar ja, hvis du har en begrundet mistanke om en ulovlig handling med forbindelse til ekstremisme: "
            "vold, trusler, hærværk, terror eller udrejse for at tilslutte sig en terrorbevægelse eller en "
            "væbnet konflikt."
        ),
        choices=[("suspected", _("Ja")), ("none", _("Nej"))],
        initial="none",
        widget=forms.RadioSelect,
    )
    danger_to_life = forms.ChoiceField(
        label=_("Er nogen i fare lige nu?"),
        help_text=_("Svar ja, hvis der er igangværende eller overhængende fare for nogens liv eller sikkerhed."),
        choices=YES_NO,
        initial="no",
        widget=forms.RadioSelect,
    )
    within_opening_hours = forms.ChoiceField(
        label=_("Har kommunen åbent nu?"),
        help_text=_("Kommunen har typisk åbent på hverdage kl. 8–15. Svaret er udfyldt ud fra klokken nu."),
        choices=[("yes", _("Ja, kommunen har åbent")), ("no", _("Nej, kommunen har lukket"))],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, directory: Directory, open_now: bool, municipality: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = sorted(((m.slug, m.name) for m in directory), key=lambda c: c[1])
        if municipality in directory:
            self.fields["municipality"].initial = municipality
        self.fields["within_opening_hours"].initial = "yes" if open_now else "no"
        for name, field in self.fields.items():
            # CheckboxSelectMultiple is a subclass of RadioSelect in Django: test it first.
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                field.widget.attrs["class"] = "form-checkbox"
            elif isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-radio"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            if isinstance(field, forms.ChoiceField):
                # Never echo a submitted value back: only tampered requests can miss the choices.
                field.error_messages["invalid_choice"] = _("Vælg en af svarmulighederne.")
            if field.help_text and field.widget.attrs["class"] == "form-radio":
                # Django links hints itself for single controls; radio groups get it on each radio.
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    def sign_groups(self) -> list[tuple[str, str, list[Any]]]:
        """The sign checkboxes grouped as in the sources: (group code, legend, bound checkboxes)."""
        by_code = {widget.data["value"]: widget for widget in self["signs"]}
        return [
            (group, str(label.label_da), [by_code[code] for code, sign in SIGNS.items() if sign.group == group])
            for group, label in SIGN_GROUPS.items()
        ]

    def status_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in STATUS_FIELDS]

    def concern_data(self) -> dict[str, Any]:
        """The routing contract's input for the (valid) answers."""
        data = self.cleaned_data
        return {
            "municipality": data["municipality"],
            "subject": data["subject"],
            "age": AGE_BY_BAND[data["age_band"]],
            "reporter": data["reporter"],
            "signs": list(data["signs"]),
            "illegal_act": data["illegal_act"],
            "danger_to_life": data["danger_to_life"] == "yes",
            "in_extremist_milieu": data["in_extremist_milieu"],
            "wants_exit": data["wants_exit"],
            "returnee": data["returnee"],
            "within_opening_hours": data["within_opening_hours"] == "yes",
        }


AGE_NOTE = _(
    "Du valgte et aldersinterval: guiden regner med den laveste alder i intervallet. Reglerne skelner "
    "i dag kun mellem under og over 18 år, så svaret er det samme for hele intervallet."
)


def age_note(*, data: dict[str, Any]) -> str:
    """The note under the explanation when an age band (not an exact age) stood in for the age."""
    return str(AGE_NOTE) if data["subject"] == "person" and data["age"] is not None else ""


def phone_href(phone: str) -> str:
    """``tel:`` address for a phone number as written in the directory ("41 74 90 90" → "tel:41749090")."""
    return "tel:" + "".join(phone.split())


def urgency_text(*, urgency: str, timing: str, language: str = "da") -> str:
    """Urgency and timing in plain words: "Ring nu", "Næste hverdag" or "I dag"."""
    en = language.startswith("en")
    if urgency == "acute":
        return "Call now – this is acute" if en else "Ring nu – det er akut"
    if timing == "next_working_day":
        return "Next working day – it is not acute" if en else "Næste hverdag – det er ikke akut"
    return "Today – it is not acute" if en else "I dag – det er ikke akut"


def guide_vocabulary(*, language: str = "da") -> dict[str, Any]:
    """Labels the page's script needs to show a decision (the API answers with codes only)."""
    return {
        "actions": {code: {"label": _label(info, language), "description": info.description_da}
                    for code, info in ACTIONS.items()},
        "legal": {code: _label(basis, language) for code, basis in LEGAL_BASES.items()},
        "levels": {code: _label(level, language) for code, level in LEVELS.items()},
        "rules": {rule_id: rule.source for rule_id, rule in RULES_BY_ID.items()},
        "age_note": str(AGE_NOTE),
        "urgency": {
            "acute": urgency_text(urgency="acute", timing="now", language=language),
            "now": urgency_text(urgency="non_acute", timing="now", language=language),
            "next_working_day": urgency_text(urgency="non_acute", timing="next_working_day", language=language),
        },
    }


def decision_present(*, decision: Decision, language: str = "da") -> dict[str, Any]:
    """The decision as the result card shows it: the first step large, then the rest, in order."""
    contacts: dict[str, list[dict[str, str]]] = {}
    for contact in decision.contacts:
        item = contact.to_dict()
        item["phone_href"] = phone_href(contact.phone) if contact.phone else ""
        contacts.setdefault(contact.action, []).append(item)
    steps = [
        {
            "code": code,
            "label": _label(ACTIONS[code], language),
            "description": ACTIONS[code].description_da,
            "contacts": contacts.get(code, []),
        }
        for code in decision.actions
    ]
    return {
        "first": steps[0] if steps else None,
        "rest": steps[1:],
        "urgency": urgency_text(urgency=decision.urgency, timing=decision.timing, language=language),
        "acute": decision.urgency == "acute",
        "level": _label(LEVELS[decision.level], language),
        "explanation": decision.explanation,
        "legal": [_label(LEGAL_BASES[code], language) for code in decision.legal_basis],
        "sources": [{"rule": rule_id, "source": RULES_BY_ID[rule_id].source} for rule_id in decision.rules_fired],
        "rules_version": decision.rules_version,
    }

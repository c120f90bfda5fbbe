"""Forms of the classroom: a pupil's join form (code + a nickname from fixed word lists)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    NICKNAME_ANIMALS,
    NICKNAME_COLOURS,
    join_code_normalise,
)


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Kode"),
        max_length=20,
        help_text=_("Koden står på tavlen: 8 tegn, fx ABCD EFGH."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                   "class": "classroom-code-input"}
        ),
    )
    colour = forms.ChoiceField(
        label=_("Kaldenavn: farve"),
        required=False,
        choices=[("", _("Ingen farve"))] + [(c, c) for c in NICKNAME_COLOURS],
    )
    animal = forms.ChoiceField(
        label=_("Kaldenavn: dyr"),
        required=False,
        choices=[("", _("Intet kaldenavn"))] + [(a, a) for a in NICKNAME_ANIMALS],
        help_text=_("Du behøver ikke vælge et kaldenavn. Skriv aldrig dit rigtige navn."),
    )

    def clean_code(self) -> str:
        code = join_code_normalise(self.cleaned_data["code"])
        if len(code) != JOIN_CODE_LENGTH or any(ch not in JOIN_CODE_ALPHABET for ch in code):
            raise forms.ValidationError(
                _("Koden skal have %(n)d tegn (bogstaver og tal, ingen 0, O, 1, I eller L).") % {"n": JOIN_CODE_LENGTH}
            )
        return code

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("colour") and not cleaned.get("animal"):
            self.add_error("animal", _("Vælg også et dyr – eller ingen farve."))
        return cleaned

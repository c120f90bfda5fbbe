from django import forms
from django.utils.translation import gettext_lazy as _

from learning.models import Department
from learning.validators import validate_no_cpr


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verifikationskode"),
        max_length=300,
        help_text=_("Koden står på beviset under QR-koden. Du kan også indsætte hele linket."),
        error_messages={"required": _("Skriv bevisets verifikationskode.")},
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text=_("Fx at kurset blev gennemført på en andens konto. Skriv aldrig CPR-numre."),
        validators=[validate_no_cpr],
        error_messages={"required": _("Skriv en begrundelse for tilbagekaldelsen.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Skriv en begrundelse for tilbagekaldelsen."))
        return reason


class ExportForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Afdeling"),
        queryset=Department.objects.none(),
        empty_label=_("Vælg afdeling"),
        error_messages={
            "required": _("Vælg den afdeling, du vil hente beviser for."),
            "invalid_choice": _("Vælg en afdeling i din egen kommune."),
        },
    )

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReminderSettings
from .roster import MAX_UPLOAD_BYTES


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Medarbejderliste (CSV eller XLSX)"),
        help_text=_(
            "Kolonner: navn, e-mail, afdeling, stillingsfunktion (engelske overskrifter virker også). "
            "Højst 2 MB og 5.000 rækker."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Filen er for stor (højst 2 MB)."))
        name = (upload.name or "").lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx") or name.endswith(".txt")):
            raise forms.ValidationError(_("Upload en CSV- eller XLSX-fil."))
        return upload


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = ["cadence_days", "stalled_after_days", "paused"]

    def clean_stalled_after_days(self):
        value = self.cleaned_data["stalled_after_days"]
        if not 3 <= value <= 365:
            raise forms.ValidationError(_("Vælg mellem 3 og 365 dage."))
        return value

"""The editor's upload form for H5P activities (used by the Wagtail snippet views)."""

from __future__ import annotations

import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from .packages import h5p_limits


class H5PActivityForm(WagtailAdminModelForm):
    """Refuses what is obviously not a package before it is stored; the full check runs in a task."""

    def clean_package(self):
        package = self.cleaned_data.get("package")
        if not package:
            if not self.instance.package:
                raise ValidationError(_("Vælg en H5P-pakke (.h5p) at uploade."), code="required")
            return package
        if not isinstance(package, UploadedFile):
            return package
        if not package.name.lower().endswith(".h5p"):
            raise ValidationError(_("Filen skal være en H5P-pakke med endelsen .h5p."), code="extension")
        limit = h5p_limits().max_package_bytes
        if package.size > limit:
            raise ValidationError(
                _("Pakken fylder {size:.1f} MB. Den må højst fylde {limit:.0f} MB.").format(
                    size=package.size / (1024 * 1024), limit=limit / (1024 * 1024)
                ),
                code="too_large",
            )
        is_zip = zipfile.is_zipfile(package)
        package.seek(0)
        if not is_zip:
            raise ValidationError(
                _("Filen er ikke en gyldig H5P-pakke (en .h5p-fil er et zip-arkiv)."), code="not_zip"
            )
        return package

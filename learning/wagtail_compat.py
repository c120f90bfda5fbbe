"""A workaround for Wagtail's chooser widgets, applied at start-up (``LearningConfig.ready``).

``BaseChooser.get_instance`` (Wagtail 8.0) looks a submitted id up with ``objects.get(pk=value)`` and
catches only ``DoesNotExist``. When an admin form is shown again with its errors, the widget is rendered
with the value as it was posted: a tampered id such as ``1.5`` or ``abc`` (which the form's
ModelChoiceField has already refused with a Danish error) then raises ValueError, and the editor gets a
500 instead of the form. Such an id names no object, so the widget shows it as empty, as it does an
unknown id. Found by tests/security/test_fuzz_inputs.py.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from wagtail.admin.widgets.chooser import BaseChooser


def chooser_tolerate_malformed_ids() -> None:
    original = BaseChooser.get_instance
    if getattr(original, "tolerates_malformed_ids", False):
        return

    def get_instance(self, value):
        try:
            return original(self, value)
        except (ValueError, TypeError, OverflowError, ValidationError):
            return None

    get_instance.tolerates_malformed_ids = True  # type: ignore[attr-defined]
    BaseChooser.get_instance = get_instance  # type: ignore[method-assign]

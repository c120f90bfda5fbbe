"""Validators that keep real citizen data out of the platform."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# DDMMYY, an optional hyphen or space, four digits. No modulus-11 check: valid CPR numbers without it
# have been issued since 2007. Digits directly before or after would make it part of a longer number.
_CPR_CANDIDATE = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[- ]?(\d{4})(?!\d)")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # any year: 29 February may be valid

CPR_MESSAGE = _(
    "Teksten ser ud til at indeholde et CPR-nummer. Skriv aldrig CPR-numre eller andre oplysninger "
    "om rigtige personer her – personer i opgaver og scenarier skal være opdigtede."
)


def contains_cpr_number(text: str) -> bool:
    """True when `text` contains something shaped like a Danish CPR number with a valid date."""
    for match in _CPR_CANDIDATE.finditer(text):
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]:
            return True
    return False


def validate_no_cpr(value: object) -> None:
    """Refuse text containing a CPR number. The refused text is never included in the error or logged."""
    if isinstance(value, str) and contains_cpr_number(value):
        raise ValidationError(CPR_MESSAGE, code="cpr_number")

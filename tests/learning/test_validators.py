import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from learning.validators import CPR_MESSAGE, contains_cpr_number, validate_no_cpr


@pytest.mark.parametrize(
    "text",
    [
        "010190-1234",
        "0101901234",
        "010190 1234",
        "Elevens cpr er 311299-4321, ring til mor",
        "290200-1111",  # 29 February exists in leap years
        "CPR:150687-0001.",
    ],
)
def test_cpr_numbers_are_refused(text):
    assert contains_cpr_number(text)
    with pytest.raises(ValidationError) as excinfo:
        validate_no_cpr(text)
    assert excinfo.value.messages == [str(CPR_MESSAGE)]
    assert text not in str(excinfo.value)  # the refused text is never echoed


@pytest.mark.parametrize(
    "text",
    [
        "321290-1234",  # no day 32
        "011390-1234",  # no month 13
        "310490-1234",  # 31 April does not exist
        "000190-1234",
        "Ring 41 74 90 90 eller 72 58 74 19",  # phone numbers
        "12345678901",  # longer number
        "010190-12345",
        "Mødet er 2024-04-01 kl. 10",
        "",
    ],
)
def test_other_numbers_are_allowed(text):
    assert not contains_cpr_number(text)
    validate_no_cpr(text)


@given(
    day=st.integers(1, 28),
    month=st.integers(1, 12),
    year=st.integers(0, 99),
    serial=st.integers(0, 9999),
    sep=st.sampled_from(["", "-", " "]),
    before=st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=20),
    after=st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=20),
)
def test_any_valid_date_cpr_is_found_anywhere_in_text(day, month, year, serial, sep, before, after):
    text = f"{before}{day:02d}{month:02d}{year:02d}{sep}{serial:04d}{after}"
    assert contains_cpr_number(text)


def test_non_strings_pass_through():
    validate_no_cpr(None)
    validate_no_cpr(12)

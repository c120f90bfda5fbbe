"""`manage.py coverage`: JSON shape, exit code 2 for unknown municipality or period."""

import json

import pytest
from django.core.management import call_command

from tests.factories import DepartmentFactory

from .conftest import aware
from .factories import certify, make_staff, make_target


def run(capsys, *args):
    code = 0
    try:
        call_command("coverage", *args)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def koege_2024(roles, koege, course):
    target = make_target(municipality=koege, course=course, target_count=4)
    school = DepartmentFactory(municipality=koege, name="Skoleområdet")
    for month in (2, 5):
        certify(user=make_staff(municipality=koege, department=school), course=course, issued_at=aware(2024, month, 1))
    make_staff(municipality=koege, department=school)
    return target


def test_json_shape(capsys, koege_2024):
    code, out, err = run(capsys, "--municipality", "koege", "--period", "2024", "--as-of", "2024-06-30", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["target"] == 4
    assert data["trained"] == 2
    assert data["percent"] == 50.0
    assert data["forecast_date"] is not None  # one in the last 90 days: 2 more at 1/90 a day
    assert data["by_department"] == [
        {"department": "Skoleområdet", "trained": 2, "in_progress": 0, "not_started": 1, "expiring_60d": 0}
    ]


def test_period_by_target_id(capsys, koege_2024):
    code, out, _err = run(capsys, "--municipality", "koege", "--period", str(koege_2024.pk), "--as-of", "2024-12-31", "--json")
    assert code == 0
    assert json.loads(out)["trained"] == 2


def test_no_recent_pace_gives_null_forecast(capsys, koege_2024):
    code, out, _err = run(capsys, "--municipality", "koege", "--period", "2024", "--as-of", "2024-12-31", "--json")
    assert code == 0
    assert json.loads(out)["forecast_date"] is None


@pytest.mark.parametrize(
    "args",
    [
        ["--municipality", "atlantis", "--period", "2024"],
        ["--municipality", "koege", "--period", "1999"],
        ["--municipality", "koege", "--period", "999999"],
        ["--municipality", "koege", "--period", "2024", "--as-of", "21-11-2026"],
    ],
)
def test_exit_2_with_error_on_stderr_and_nothing_on_stdout(capsys, koege_2024, ishoej, args):
    code, out, err = run(capsys, *args, "--json")
    assert code == 2
    assert out == ""
    assert err.strip()


def test_target_of_another_municipality_is_unknown(capsys, koege_2024, ishoej):
    code, out, _err = run(capsys, "--municipality", "ishoej", "--period", str(koege_2024.pk), "--json")
    assert (code, out) == (2, "")

"""System check learning.E001: a municipality whose routing can need a contact it lacks."""

import copy

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import OperationalError

from learning.checks import check_directory_contacts
from learning.directory import directory_import
from learning.models import ContactPoint
from learning.rules import load_default_directory

pytestmark = pytest.mark.django_db

SHIPPED = load_default_directory().to_dict()


def e001(messages):
    return [message for message in messages if message.id == "learning.E001"]


def test_quiet_for_the_demo_data(demo):
    assert e001(check_directory_contacts()) == []
    # And through Django's own check framework (the registered check runs with the others).
    assert e001(checks.run_checks()) == []


def test_fires_for_a_municipality_missing_its_children_services_contact():
    data = copy.deepcopy(SHIPPED)
    koege = data["municipalities"][0]
    koege["contacts"] = [c for c in koege["contacts"] if c["action"] != "notify_children_services"]
    directory_import(data=data)

    errors = e001(check_directory_contacts())
    assert len(errors) == 1
    assert errors[0].level == checks.ERROR
    assert "Køge Kommune" in errors[0].msg
    assert "notify_children_services" in errors[0].msg
    assert errors[0].obj == "koege"


def test_fires_when_an_admin_deletes_the_adult_unit():
    directory_import(data=SHIPPED)
    ContactPoint.objects.filter(municipality__slug="roedovre", action="local_prevention_unit", min_age=18).delete()
    errors = e001(check_directory_contacts())
    assert [error.obj for error in errors] == ["roedovre"]
    assert "local_prevention_unit" in errors[0].msg


def test_a_municipality_with_no_contacts_at_all_is_reported(roles):
    from tests.factories import MunicipalityFactory

    directory_import(data=SHIPPED)
    MunicipalityFactory(slug="nyby", name="Nyby Kommune")
    errors = e001(check_directory_contacts())
    assert [error.obj for error in errors] == ["nyby"]
    assert "police_112" in errors[0].msg


def test_manage_py_check_fails_with_e001():
    data = copy.deepcopy(SHIPPED)
    data["municipalities"][2]["contacts"] = [
        c for c in data["municipalities"][2]["contacts"] if c["action"] != "exit_programme"
    ]
    directory_import(data=data)
    with pytest.raises(SystemCheckError, match=r"learning\.E001"):
        call_command("check")


def test_the_check_does_not_crash_before_migrations(monkeypatch):
    def no_table(**_kwargs):
        raise OperationalError("no such table: learning_contactpoint")

    monkeypatch.setattr("learning.directory.directory_rows", no_table)
    assert check_directory_contacts() == []

"""The directory as DB rows: import, read back, edit, and a fourth municipality by data alone."""

import copy
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.directory import concern_route, directory_current, directory_import
from learning.models import ContactPoint, Municipality
from learning.rules import Concern, DirectoryError, load_default_directory, route
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2026, 3, 2)
SHIPPED = load_default_directory().to_dict()
ADULT_THREE_SIGNS = {
    "municipality": "koege",
    "age": 34,
    "signs": ["attitudes.rejects_democracy", "relations.dropped_friends", "behaviour.extremist_material"],
}

# A made-up municipality: its data exists only in this test, no code knows its name.
NORDBY = {
    "slug": "nordby",
    "name": "Nordby Kommune (fiktiv)",
    "procedure": {"leader_first": True, "child_also_local_unit": False, "opening_hours": "", "source": "test"},
    "contacts": [
        {"action": "police_112", "name": "Politiet – alarmcentralen", "phone": "112", "source": "test"},
        {"action": "police_114", "name": "Nordby Politi", "phone": "114", "source": "test"},
        {"action": "notify_children_services", "name": "Nordby Børn og Familie", "email": "boern@nordby.example",
         "max_age": 17, "source": "test"},
        {"action": "local_prevention_unit", "name": "Nordby SSP", "phone": "11 22 33 44", "max_age": 17,
         "source": "test"},
        {"action": "local_prevention_unit", "name": "Nordby Voksenteam", "phone": "55 66 77 88", "min_age": 18,
         "source": "test"},
        {"action": "exit_programme", "name": "Nordby Exit", "email": "exit@nordby.example", "source": "test"},
        {"action": "national_hotline", "name": "Den Nationale Hotline", "phone": "41 74 90 90",
         "hours": "Dagligt kl. 8.00–22.00", "source": "000"},
    ],
}


@pytest.fixture
def imported():
    directory_import(data=SHIPPED)


def test_import_creates_every_municipality_with_its_contacts_in_order(imported):
    assert set(Municipality.objects.values_list("slug", flat=True)) == {"koege", "ishoej", "roedovre"}
    roedovre = Municipality.objects.get(slug="roedovre")
    assert roedovre.leader_first is True
    assert roedovre.child_also_local_unit is True
    assert roedovre.procedure_source == "002 §5"
    names = list(roedovre.contact_points.order_by("sort_order").values_list("name", flat=True))
    shipped = next(m for m in SHIPPED["municipalities"] if m["slug"] == "roedovre")
    assert names == [contact["name"] for contact in shipped["contacts"]]


def test_import_is_idempotent(imported):
    before = (Municipality.objects.count(), ContactPoint.objects.count(), directory_current().to_dict())
    directory_import(data=SHIPPED)
    after = (Municipality.objects.count(), ContactPoint.objects.count(), directory_current().to_dict())
    assert after == before


def test_import_replaces_a_municipalitys_contacts_with_the_files(imported):
    data = copy.deepcopy(SHIPPED)
    koege = data["municipalities"][0]
    koege["contacts"] = [c for c in koege["contacts"] if c["action"] != "exit_programme"]
    directory_import(data={"municipalities": [koege]})
    assert not ContactPoint.objects.filter(municipality__slug="koege", action="exit_programme").exists()
    # Municipalities not in the data are left alone.
    assert ContactPoint.objects.filter(municipality__slug="ishoej", action="exit_programme").exists()


def test_import_keeps_existing_users_municipality_row():
    existing = MunicipalityFactory(slug="koege", name="Køge Kommune")
    directory_import(data=SHIPPED)
    assert Municipality.objects.get(slug="koege").pk == existing.pk


def test_bad_data_is_refused_whole_and_names_the_field(imported):
    data = copy.deepcopy(SHIPPED)
    data["municipalities"][1]["contacts"][0]["action"] = "call_a_friend"
    with pytest.raises(DirectoryError, match=r"municipalities\[1\]\.contacts\[0\]\.action"):
        directory_import(data=data)
    assert ContactPoint.objects.filter(municipality__slug="ishoej").count() == len(
        SHIPPED["municipalities"][1]["contacts"]
    )


def test_directory_current_equals_the_file_after_import(imported):
    current = directory_current()
    assert current.to_dict() == load_default_directory().to_dict()
    assert current == load_default_directory()


def test_directory_current_takes_two_queries(imported):
    with CaptureQueriesContext(connection) as queries:
        directory_current()
    assert len(queries) == 2


def test_directory_current_falls_back_to_the_file_only_when_no_municipality_has_contacts():
    MunicipalityFactory(slug="tom", name="Tom Kommune")
    assert directory_current() == load_default_directory()
    directory_import(data={"municipalities": [NORDBY]})
    # Now the DB is the truth: the shipped municipalities are not there, the contactless one is left out.
    assert directory_current().slugs == ("nordby",)


def test_editing_a_contact_changes_the_decision_without_code_changes(imported):
    before = concern_route(data=ADULT_THREE_SIGNS, on=ON)
    unit = next(c for c in before.contacts if c.action == "local_prevention_unit")
    assert unit.email == "infohuskoege@koege.dk"
    assert unit.phone == ""

    # What the admin's edit form saves (the Wagtail snippet edits these very rows).
    point = ContactPoint.objects.get(municipality__slug="koege", action="local_prevention_unit")
    point.phone = "56 67 00 00"
    point.save()

    after = concern_route(data=ADULT_THREE_SIGNS, on=ON)
    unit = next(c for c in after.contacts if c.action == "local_prevention_unit")
    assert unit.phone == "56 67 00 00"
    assert after.actions == before.actions


def test_procedure_flag_edit_changes_the_order_of_actions(imported):
    data = {**ADULT_THREE_SIGNS}
    assert concern_route(data=data, on=ON).actions[0] == "local_prevention_unit"
    Municipality.objects.filter(slug="koege").update(leader_first=True)
    assert concern_route(data=data, on=ON).actions[0] == "inform_leader"


def test_a_fourth_municipality_needs_data_only(imported):
    directory_import(data={"municipalities": [NORDBY]})
    directory = directory_current()
    assert set(directory.slugs) == {"koege", "ishoej", "roedovre", "nordby"}
    assert directory.missing_contacts("nordby") == []

    decision = concern_route(
        data={"municipality": "nordby", "age": 16, "signs": ["attitudes.intolerance", "behaviour.violent_clashes"]},
        on=ON,
    )
    assert decision.actions[0] == "inform_leader"  # its procedure flag, not its name
    assert "notify_children_services" in decision.actions
    notify = next(c for c in decision.contacts if c.action == "notify_children_services")
    assert notify.name == "Nordby Børn og Familie"

    adult = concern_route(data={"municipality": "nordby", "age": 40, "wants_exit": True}, on=ON)
    assert [c.name for c in adult.contacts if c.action == "local_prevention_unit"] == ["Nordby Voksenteam"]
    # The same as the pure rules say for the same data.
    assert adult == route(
        Concern(municipality="nordby", age=40, wants_exit=True), directory=directory, on=ON
    )


def test_concern_route_refuses_a_municipality_that_is_not_in_the_directory(imported):
    from learning.rules import ConcernInputError

    with pytest.raises(ConcernInputError) as error:
        concern_route(data={"municipality": "nordby"}, on=ON)
    assert error.value.field == "municipality"

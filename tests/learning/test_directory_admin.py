"""Administrators edit the directory in the Wagtail admin; routing follows at once. Others cannot."""

import datetime

import pytest

from learning.directory import concern_route, directory_import
from learning.mfa import user_mfa_provision
from learning.models import ContactPoint, Municipality
from learning.roles import Role
from learning.rules import load_default_directory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CASE = {"municipality": "koege", "age": 34, "signs": ["attitudes.intolerance", "relations.dropped_friends"]}
ON = datetime.date(2026, 3, 2)


@pytest.fixture
def koege(roles):
    directory_import(data=load_default_directory().to_dict())
    return Municipality.objects.get(slug="koege")


def staff(client, role):
    user = UserFactory(roles={role})
    user_mfa_provision(user=user)
    client.force_login(user)
    return user


def edit_url(municipality):
    return f"/admin/snippets/learning/municipality/edit/{municipality.pk}/"


def edit_form(municipality, **changes_by_action):
    """The admin edit form's POST data for the municipality as it is, with some contacts changed."""
    data = {
        "name": municipality.name,
        "slug": municipality.slug,
        "opening_hours": municipality.opening_hours,
        "procedure_source": municipality.procedure_source,
    }
    if municipality.leader_first:
        data["leader_first"] = "on"
    if municipality.child_also_local_unit:
        data["child_also_local_unit"] = "on"
    points = list(municipality.contact_points.order_by("sort_order"))
    prefix = "contact_points"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(len(points)),
            f"{prefix}-INITIAL_FORMS": str(len(points)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    )
    for index, point in enumerate(points):
        values = {
            "id": point.pk,
            "action": point.action,
            "name": point.name,
            "phone": point.phone,
            "email": point.email,
            "hours": point.hours,
            "min_age": "" if point.min_age is None else point.min_age,
            "max_age": "" if point.max_age is None else point.max_age,
            "applies_to": point.applies_to,
            "source": point.source,
            "ORDER": index + 1,
        }
        values.update(changes_by_action.get(point.action, {}))
        data.update({f"{prefix}-{index}-{key}": value for key, value in values.items()})
    return data


def test_administrator_changes_a_phone_number_and_the_decision_follows(client, koege):
    staff(client, Role.ADMINISTRATOR)
    assert client.get(edit_url(koege)).status_code == 200

    response = client.post(edit_url(koege), edit_form(koege, local_prevention_unit={"phone": "56 67 12 34"}))
    assert response.status_code == 302, response.content.decode()[:2000]

    point = ContactPoint.objects.get(municipality=koege, action="local_prevention_unit")
    assert point.phone == "56 67 12 34"
    decision = concern_route(data=CASE, on=ON)
    unit = next(c for c in decision.contacts if c.action == "local_prevention_unit")
    assert unit.phone == "56 67 12 34"


def test_the_admin_refuses_a_cpr_number_and_a_reversed_age_range(client, koege):
    staff(client, Role.ADMINISTRATOR)
    response = client.post(
        edit_url(koege),
        edit_form(
            koege,
            local_prevention_unit={"name": "Infohus Køge, sag 010190-1234"},
            notify_children_services={"min_age": 17, "max_age": 5},
        ),
    )
    assert response.status_code == 200  # the form again, with errors
    html = response.content.decode()
    assert "CPR-nummer" in html
    assert "må ikke være lavere" in html
    assert ContactPoint.objects.get(municipality=koege, action="local_prevention_unit").name == "Infohus Køge"


@pytest.mark.parametrize("role", [Role.EDITOR, Role.COORDINATOR])
def test_other_roles_cannot_edit_the_directory(client, koege, role):
    staff(client, role)
    response = client.get(edit_url(koege))
    assert response.status_code in (302, 403)
    response = client.post(edit_url(koege), edit_form(koege, local_prevention_unit={"phone": "11 11 11 11"}))
    assert response.status_code in (302, 403)
    assert ContactPoint.objects.get(municipality=koege, action="local_prevention_unit").phone == ""


def test_municipalities_and_departments_are_listed_for_administrators(client, koege):
    staff(client, Role.ADMINISTRATOR)
    response = client.get("/admin/snippets/learning/municipality/")
    assert response.status_code == 200
    assert "Køge Kommune" in response.content.decode()
    assert client.get("/admin/snippets/learning/department/").status_code == 200

"""POST /api/route/: the same decision as the command line, as JSON; clear errors; nothing stored."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning.directory import concern_route, directory_import
from learning.rules import load_default_directory

pytestmark = pytest.mark.django_db

URL = "/api/route/"
CASE = {
    "municipality": "roedovre",
    "reporter": "employee",
    "age": 16,
    "signs": ["attitudes.intolerance", "relations.concerning_contacts"],
}


@pytest.fixture(autouse=True)
def imported(db):
    directory_import(data=load_default_directory().to_dict())


def post(client, body, content_type="application/json"):
    return client.post(URL, data=body, content_type=content_type)


def test_the_url_has_its_name_outside_the_language_prefix():
    assert reverse("route_concern_api") == URL


def test_200_returns_the_decision_the_cli_prints(client):
    response = post(client, json.dumps(CASE))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert data == concern_route(data=CASE, on=timezone.localdate()).to_dict()
    assert data["actions"][0] == "inform_leader"
    assert "Rødovre" in response.content.decode("utf-8")  # not \u-escaped


def test_csrf_is_not_needed_because_nothing_is_changed():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, data=json.dumps(CASE), content_type="application/json").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{", "input"),
        ("[]", "input"),
        ('{"municipality": "aarhus"}', "municipality"),
        ('{"municipality": "koege", "age": -3}', "age"),
        ('{"municipality": "koege", "age": true}', "age"),
        ('{"municipality": "koege", "signs": ["x"]}', "signs[0]"),
        ('{"municipality": "koege", "name": "Ali"}', "name"),
        ('{"municipality": "koege", "returnee": 1}', "returnee"),
    ],
)
def test_400_names_the_field_in_english_and_danish(client, body, field):
    response = post(client, body)
    assert response.status_code == 400
    assert response["Cache-Control"] == "no-store"
    error = response.json()["error"]
    assert error["field"] == field
    assert error["message"]
    assert error["message_da"]


def test_400_for_bytes_that_are_not_utf8(client):
    response = post(client, b"\xff\xfe{}")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "input"


def test_405_for_get(client):
    response = client.get(URL)
    assert response.status_code == 405
    assert "POST" in response["Allow"]


def test_413_for_a_body_over_16_kb(client):
    big = json.dumps({**CASE, "signs": ["attitudes.intolerance"] * 1000})
    assert len(big.encode()) > 16 * 1024
    response = post(client, big)
    assert response.status_code == 413
    assert response.json()["error"]["field"] == "input"


def test_a_body_just_under_the_limit_is_read(client):
    body = json.dumps(CASE)
    body = body + " " * (16 * 1024 - len(body.encode()))
    assert post(client, body).status_code == 200


def test_nothing_is_written_and_no_session_is_made(client):
    with CaptureQueriesContext(connection) as queries:
        response = post(client, json.dumps(CASE))
    assert response.status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert "sessionid" not in response.cookies


def test_a_directory_gap_is_a_clear_503_not_a_500(client):
    from learning.models import ContactPoint

    ContactPoint.objects.filter(municipality__slug="roedovre", action="notify_children_services").delete()
    response = post(client, json.dumps(CASE))
    assert response.status_code == 503
    assert response.json()["error"]["field"] == "directory"

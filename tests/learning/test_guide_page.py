"""The concern guide page: the questions, the answer without JavaScript, and nothing stored."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning.directory import concern_route
from learning.guide import AGE_BANDS, municipality_open_at, phone_href
from learning.models import ConcernGuidePage
from learning.rules import SIGN_GROUPS, SIGNS

pytestmark = pytest.mark.django_db

URL = "/bekymringsguide/"


@pytest.fixture
def site(roles):
    """Just what the guide needs, seeded as the demo seeds it: the directory, home page and guide."""
    from courses.demo import demo_seed_site_pages
    from learning.demo import DemoReport, demo_seed_concern_guide, demo_seed_directory

    report = DemoReport()
    demo_seed_directory(report)
    demo_seed_site_pages(report)
    demo_seed_concern_guide(report)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html):
    parser = Tags()
    parser.feed(html)
    return parser.tags


def form_data(**overrides):
    data = {
        "municipality": "roedovre",
        "reporter": "employee",
        "subject": "person",
        "age_band": "12_17",
        "signs": ["attitudes.intolerance", "relations.concerning_contacts"],
        "illegal_act": "none",
        "danger_to_life": "no",
        "within_opening_hours": "yes",
    }
    data.update(overrides)
    return data


def test_the_demo_has_the_guide_under_the_home_page_in_both_languages(demo):
    guide = ConcernGuidePage.objects.get(locale__language_code="da")
    assert guide.slug == "bekymringsguide"
    assert guide.title == "Bekymringsguide – hvad gør jeg?"
    assert guide.get_parent().specific.__class__.__name__ == "HomePage"
    english = ConcernGuidePage.objects.get(locale__language_code="en")
    assert english.title == "Concern guide – what do I do?"
    assert english.live


def test_anonymous_get_shows_every_sign_in_its_group(site):
    response = Client().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for code, sign in SIGNS.items():
        assert f'value="{code}"' in html
        assert sign.label_da in html
    for group in SIGN_GROUPS.values():
        assert f'<legend class="form-label">{group.label_da}</legend>' in html
    assert "Andre forhold" in html
    for band in AGE_BANDS:
        assert f">{band.label}</option>" in html
    assert "csrfmiddlewaretoken" in html
    assert response["Cache-Control"] == "no-store"


def test_every_control_is_labelled_and_there_is_no_free_text(site):
    html = Client().get(URL).content.decode()
    assert "<textarea" not in html
    found = tags(html)
    inputs = [attrs for tag, attrs in found if tag == "input"]
    assert {attrs.get("type") for attrs in inputs} <= {"hidden", "radio", "checkbox"}
    labelled = {attrs["for"] for tag, attrs in found if tag == "label" and "for" in attrs}
    controls = [attrs for tag, attrs in found if tag in {"input", "select"} and attrs.get("type") != "hidden"]
    assert len(controls) >= 14 + 3 + 2 + 2 + 2 + 2 + 2  # signs, statuses, and the choices
    for attrs in controls:
        assert attrs["id"] in labelled, attrs
    signs = [attrs for attrs in inputs if attrs.get("name") == "signs"]
    assert [attrs["value"] for attrs in signs] == list(SIGNS)
    assert {(attrs["type"], attrs["class"]) for attrs in signs} == {("checkbox", "form-checkbox")}
    radios = [attrs for attrs in inputs if attrs.get("type") == "radio"]
    assert radios and {attrs["class"] for attrs in radios} == {"form-radio"}
    legends = html.count("<legend")
    assert legends == html.count("<fieldset")


def test_no_inline_scripts_or_styles(site):
    found = tags(Client().get(URL).content.decode())
    for tag, attrs in found:
        if tag == "script":
            assert "src" in attrs or attrs.get("type") == "application/json", attrs
        assert "style" not in attrs
        assert not any(name.startswith("on") for name in attrs)
    assert ("link", {"rel": "stylesheet", "href": "/static/css/guide.css"}) in found


def test_post_without_javascript_renders_the_same_decision_as_the_cli(site):
    response = Client().post(URL, form_data())
    assert response.status_code == 200
    result = response.context["result"]
    decision = concern_route(
        data={
            "municipality": "roedovre",
            "reporter": "employee",
            "subject": "person",
            "age": 12,
            "signs": ["attitudes.intolerance", "relations.concerning_contacts"],
            "within_opening_hours": True,
        },
        on=timezone.localdate(),
    )
    shown = [result["first"], *result["rest"]]
    assert [step["code"] for step in shown] == list(decision.actions)
    assert [c["name"] for step in shown for c in step["contacts"]] == [c.name for c in decision.contacts]
    html = response.content.decode()
    assert "Det skal du gøre nu" in html
    assert "Informér din leder" in html  # Rødovre: the leader first
    assert 'href="tel:36377718"' in html  # SSP, spaces removed from the href only
    assert ">36 37 77 18</a>" in html
    assert 'href="mailto:cn16511@rk.dk"' in html
    assert "Barnets Lov § 133" in html
    assert "R2-notify-child" in html  # sources: rule id and its source
    assert '<p class="meta guide-age-note">Du valgte et aldersinterval' in html  # the band stood in for the age


def test_acute_answer_says_call_now(site):
    response = Client().post(URL, form_data(illegal_act="suspected", danger_to_life="yes"))
    result = response.context["result"]
    assert result["first"]["code"] == "police_112"
    html = response.content.decode()
    assert "Ring nu" in html
    assert 'href="tel:112"' in html


def test_closed_municipality_says_next_working_day(site):
    response = Client().post(URL, form_data(age_band="25_plus", within_opening_hours="no"))
    assert "Næste hverdag" in response.content.decode()


def test_age_bands_route_as_their_age(site):
    adult = Client().post(URL, form_data(age_band="18_24")).context["result"]
    codes = [adult["first"]["code"], *(step["code"] for step in adult["rest"])]
    assert "notify_children_services" not in codes
    response = Client().post(URL, form_data(age_band="unknown"))
    assert '<p class="meta guide-age-note">Du valgte' not in response.content.decode()
    unknown = response.context["result"]
    codes = [unknown["first"]["code"], *(step["code"] for step in unknown["rest"])]
    assert "notify_children_services" in codes


def test_a_guide_post_writes_nothing(site):
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, form_data(returnee=True, wants_exit=True))
    assert response.status_code == 200
    assert response.context["result"] is not None
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert "sessionid" not in response.cookies


def test_tampered_answers_get_a_danish_error_not_a_500(site):
    response = Client().post(URL, form_data(signs=["not.a.sign"], municipality="aarhus"))
    assert response.status_code == 200
    assert response.context["result"] is None
    html = response.content.decode()
    assert "Svarene kunne ikke bruges" in html
    assert "Vælg en af svarmulighederne." in html
    assert "aarhus" not in html  # the submitted value is not echoed


def test_logged_in_user_gets_their_municipality_preselected(site, client):
    from learning.models import Municipality
    from tests.factories import UserFactory

    client.force_login(UserFactory(municipality=Municipality.objects.get(slug="ishoej")))
    html = client.get(URL).content.decode()
    assert re.search(r'<option value="ishoej" selected>', html)


def test_english_page_is_served(site):
    response = Client().get("/en/bekymringsguide/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_navigation_links_to_the_guide(site):
    html = Client().get("/").content.decode()
    assert '<a href="/bekymringsguide/">Bekymringsguide</a>' in html


@pytest.mark.parametrize(
    ("at", "open_"),
    [
        (datetime.datetime(2026, 3, 2, 8, 0), True),  # Monday 8.00
        (datetime.datetime(2026, 3, 2, 14, 59), True),
        (datetime.datetime(2026, 3, 2, 15, 0), False),
        (datetime.datetime(2026, 3, 2, 7, 59), False),
        (datetime.datetime(2026, 3, 6, 12, 0), True),  # Friday
        (datetime.datetime(2026, 3, 7, 12, 0), False),  # Saturday
        (datetime.datetime(2026, 3, 8, 12, 0), False),  # Sunday
    ],
)
def test_municipality_open_at(at, open_):
    assert municipality_open_at(at=at) is open_


def test_phone_href_removes_spaces():
    assert phone_href("41 74 90 90") == "tel:41749090"
    assert phone_href("112") == "tel:112"


def test_seeding_again_changes_nothing_and_keeps_admin_edits(site):
    from courses.demo import demo_seed_site_pages
    from learning.demo import DemoReport, demo_seed_concern_guide, demo_seed_directory
    from learning.models import ContactPoint

    ContactPoint.objects.filter(municipality__slug="koege", action="local_prevention_unit").update(phone="56 67 00 00")
    counts = (ConcernGuidePage.objects.count(), ContactPoint.objects.count())
    report = DemoReport()
    demo_seed_directory(report)
    demo_seed_site_pages(report)
    demo_seed_concern_guide(report)
    assert (ConcernGuidePage.objects.count(), ContactPoint.objects.count()) == counts == (2, counts[1])
    assert ContactPoint.objects.get(municipality__slug="koege", action="local_prevention_unit").phone == "56 67 00 00"

"""The scenario snippet in the Wagtail admin: live preview of the rules' verdict, CPR refused, the key
computed on save, the review flag (listing filter, menu item, cleared by saving), directory hook."""

import pytest
from django.urls import reverse

from learning.models import Municipality
from learning.rules import load_default_directory
from quizzes.models import ScenarioQuestion
from quizzes.services import scenario_keys_refresh
from quizzes.wagtail_hooks import scenario_saved_or_directory_changed
from tests.factories import TEST_PASSWORD, UserFactory

from .factories import ScenarioFactory, municipality, roedovre_two_signs
from .helpers import ON

pytestmark = pytest.mark.django_db
URL = "wagtailsnippets_quizzes_scenarioquestion"


@pytest.fixture
def admin_client(client, roles):
    from learning.roles import Role

    user = UserFactory(roles={Role.ADMINISTRATOR})
    user.is_superuser = True
    user.save()
    client.login(email=user.email, password=TEST_PASSWORD)
    return client


def form_data(**overrides):
    data = {
        "title": "Sara, 15 år",
        "slug": "sara-15",
        "story": "Sara er opdigtet. Hun har ændret sig over flere uger.",
        "source": "003 §3.2.3",
        "tags": "",
        "municipality": municipality("koege").pk,
        "subject": "person",
        "reporter": "employee",
        "age": "15",
        "signs": ["attitudes.rejects_democracy", "relations.dropped_friends"],
        "illegal_act": "none",
        "within_opening_hours": "on",
    }
    data.update(overrides)
    return data


def test_creating_a_scenario_computes_its_key(admin_client):
    response = admin_client.post(reverse(f"{URL}:add"), form_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    scenario = ScenarioQuestion.objects.get(slug="sara-15")
    assert scenario.signs == ["attitudes.rejects_democracy", "relations.dropped_friends"]
    assert scenario.key_first_action == "notify_children_services" and scenario.key_computed_at


def test_tags_are_typed_comma_separated_in_a_labelled_plain_input(admin_client):
    form = admin_client.get(reverse(f"{URL}:add")).content.decode()
    assert 'id="id_tags"' in form and 'for="id_tags"' in form
    assert "data-w-tag" not in form  # not Wagtail's tag-it widget (its run-time input has no label)

    response = admin_client.post(reverse(f"{URL}:add"), form_data(tags="modul-2, afsluttende prøve"))
    assert response.status_code == 302, response.content.decode()[:3000]
    tags = set(ScenarioQuestion.objects.get(slug="sara-15").tags.names())
    assert tags == {"modul-2", "afsluttende prøve"}


def test_a_cpr_number_in_the_story_is_refused_in_the_admin(admin_client):
    response = admin_client.post(reverse(f"{URL}:add"), form_data(story="Saras CPR er 121212-1212."))
    assert response.status_code == 200
    assert "CPR-nummer" in response.content.decode()
    assert not ScenarioQuestion.objects.exists()


def test_unroutable_facts_and_unknown_signs_are_refused(admin_client):
    other = Municipality.objects.create(slug="andeby", name="Andeby Kommune")
    html = admin_client.post(reverse(f"{URL}:add"), form_data(municipality=other.pk)).content.decode()
    assert "Kommunen findes ikke i kontaktkataloget" in html
    html = admin_client.post(reverse(f"{URL}:add"), form_data(signs=["attitudes.made_up"])).content.decode()
    assert "attitudes.made_up" in html
    assert not ScenarioQuestion.objects.exists()


def test_live_preview_shows_the_rules_verdict_for_the_facts_being_edited(admin_client):
    url = reverse(f"{URL}:preview_on_add")
    response = admin_client.post(url, form_data(age="34"))
    assert response.json()["is_valid"] is True
    html = admin_client.get(url).content.decode()
    assert "Reglernes svar for disse fakta" in html
    assert "Kontakt den lokale enhed" in html and "Underret kommunen om barnet" not in html
    assert "Servicelovens § 12 b" in html and "R4-adult-local-unit" in html
    # The editor types a different age: the verdict follows.
    admin_client.post(url, form_data(age="15"))
    assert "Underret kommunen om barnet" in admin_client.get(url).content.decode()


def test_flagged_scenarios_are_listed_and_saving_clears_the_flag(admin_client):
    flagged = roedovre_two_signs()
    calm = ScenarioFactory(title="Uændret")
    ScenarioQuestion.objects.filter(pk=flagged.pk).update(
        needs_review=True, needs_review_reason="Nøglen har ændret sig: første handling A → B."
    )
    listing = admin_client.get(reverse(f"{URL}:list") + "?needs_review=true").content.decode()
    assert flagged.title in listing and calm.title not in listing
    dashboard = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    # The sidebar menu is JSON in the page: the item's name and its filtered listing URL.
    assert "scenarios-needing-review" in dashboard and "?needs_review=true" in dashboard
    edit = admin_client.get(reverse(f"{URL}:edit", args=[flagged.pk])).content.decode()
    assert "Nøglen har ændret sig: første handling A → B." in edit
    data = form_data(
        title=flagged.title,
        slug=flagged.slug,
        municipality=flagged.municipality_id,
        age="16",
        signs=flagged.signs,
    )
    assert admin_client.post(reverse(f"{URL}:edit", args=[flagged.pk]), data).status_code == 302
    flagged.refresh_from_db()
    assert not flagged.needs_review and flagged.needs_review_reason == ""
    assert flagged.key_first_action == "inform_leader"


def test_a_directory_edit_queues_the_refresh_on_commit(django_capture_on_commit_callbacks, rf):
    from learning.directory import directory_import

    scenario = roedovre_two_signs()
    scenario_keys_refresh(on=ON, at=scenario_time())
    data = load_default_directory().to_dict()
    for entry in data["municipalities"]:
        if entry["slug"] == "roedovre":
            entry["procedure"]["leader_first"] = False
    directory_import(data=data)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        scenario_saved_or_directory_changed(rf.get("/"), Municipality.objects.get(slug="roedovre"))
    assert len(callbacks) == 1
    scenario.refresh_from_db()
    assert (
        scenario.needs_review
        and "Informér din leder → Underret kommunen om barnet" in scenario.needs_review_reason
    )


def scenario_time():
    import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(2026, 3, 2, 4, 0))

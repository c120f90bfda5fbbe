"""The editor's journey in the Wagtail admin, in Chromium.

The demo editor logs in with a second factor, creates a scenario question (a snippet) and sees the key
the routing rules computed from its facts, then uploads two H5P packages: a good one, which ends
"Klar", and a hostile one carrying an HTML file in its content folder, which is refused with the Danish
reason. Package checks run in a task after commit (eagerly in tests).

axe runs on the admin pages too. The Wagtail admin's own markup is not ours; what of it fails a rule
and cannot be fixed from our templates is listed per page type in ADMIN_EXCLUSIONS, with the reason:
rule ids switched off for the page, or (preferably, being narrower) the offending Wagtail widget left out.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.interactive.h5p_builders import Member, forebyg_package, package_with

from .conftest import axe, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "redaktoer.koege@forebyg.example"
SCENARIOS = "/admin/snippets/quizzes/scenarioquestion/"
H5P = "/admin/snippets/interactive/h5pactivity/"

# Per admin page type: {"rules": rule ids switched off, "nodes": CSS selectors left out}. Only Wagtail
# core markup we do not control may go here; today nothing is left out.
ADMIN_EXCLUSIONS: dict[str, dict[str, tuple[str, ...]]] = {}


def admin_axe(page, name: str, kind: str) -> None:
    exclusions = ADMIN_EXCLUSIONS.get(kind, {})
    axe(page, name, exclude_rules=exclusions.get("rules", ()), exclude=exclusions.get("nodes", ()))


def test_editor_creates_a_scenario_and_uploads_h5p_packages(site, new_page):
    from interactive.models import H5PActivity
    from learning.rules import ACTIONS, route
    from quizzes.models import ScenarioQuestion
    from quizzes.services import routing_directory, scenario_concern

    page = new_page(width=1366, height=900)
    log_in(page, site, email=EMAIL, check=lambda p, _state: axe(p, "to-faktor-kode"))
    page.goto(f"{site}/admin/")
    admin_axe(page, "redaktionens forside", "dashboard")

    # --- A scenario question: the key is computed, never typed ----------------------------------------
    page.goto(f"{site}{SCENARIOS}add/")
    admin_axe(page, "nyt scenarie", "snippet-form")
    page.get_by_role("button", name="Gem").first.click()
    expect(page.locator(".error-message, .w-field__errors").first).to_be_visible()
    admin_axe(page, "nyt scenarie med fejl", "snippet-form")
    page.get_by_label("titel", exact=False).first.fill("Emil, 14 år, deler voldelige videoer")
    page.locator("#id_slug").fill("e2e-emil-14")
    page.locator("#id_story").fill(
        "Emil på 14 år har i en periode delt voldelige videoer i klassens chat og taler om, at »de skyldige "
        "skal straffes«. Han har fået nye venner uden for skolen."
    )
    # The municipality is chosen in Wagtail's chooser modal.
    page.locator("#id_municipality-chooser [data-chooser-action-choose]").first.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name="Køge Kommune").click()
    expect(modal).to_be_hidden()
    page.locator("#id_age").fill("14")
    page.locator('input[name="signs"][value="behaviour.extremist_material"]').check()
    page.locator('input[name="signs"][value="relations.concerning_contacts"]').check()
    page.get_by_role("button", name="Gem").first.click()
    page.wait_for_url(f"**{SCENARIOS}")
    scenario = ScenarioQuestion.objects.get(slug="e2e-emil-14")
    directory = routing_directory()
    decision = route(
        scenario_concern(scenario=scenario, directory=directory), directory=directory, on=timezone.localdate()
    )
    expected_first = ACTIONS[decision.actions[0]].label_da
    listing_row = page.locator("tr", has_text="Emil, 14 år")
    expect(listing_row).to_contain_text(expected_first)
    admin_axe(page, "scenarieoversigt", "snippet-list")
    listing_row.get_by_role("link", name="Emil, 14 år", exact=False).first.click()
    panel = page.locator("dl", has_text="Første handling")
    expect(panel).to_contain_text(expected_first)
    expect(panel).to_contain_text(decision.rules_version)
    admin_axe(page, "scenarie med gemt nøgle", "snippet-form")
    shot(page, "editor-scenario-key")

    # --- H5P packages: a good one and a hostile one ------------------------------------------------
    def upload(title: str, slug: str, data: bytes) -> None:
        page.goto(f"{site}{H5P}add/")
        page.locator("#id_title").fill(title)
        page.locator("#id_slug").fill(slug)
        page.locator("#id_package").set_input_files(
            {"name": f"{slug}.h5p", "mimeType": "application/zip", "buffer": data}
        )
        page.get_by_role("button", name="Gem").first.click()
        page.wait_for_url(f"**{H5P}")

    page.goto(f"{site}{H5P}add/")
    admin_axe(page, "upload af H5P-pakke", "snippet-form")
    upload("Videnstjek fra e2e", "e2e-god", forebyg_package())
    upload(
        "Ondsindet pakke",
        "e2e-ond",
        package_with(extra=[Member("content/evil.html", b"<script>parent.document.cookie</script>")]),
    )
    page.reload()
    expect(page.locator("tr", has_text="Videnstjek fra e2e")).to_contain_text("Klar")
    expect(page.locator("tr", has_text="Ondsindet pakke")).to_contain_text("Afvist")
    admin_axe(page, "H5P-oversigt", "snippet-list")
    assert H5PActivity.objects.get(slug="e2e-god").status == H5PActivity.Status.READY
    hostile = H5PActivity.objects.get(slug="e2e-ond")
    assert hostile.status == H5PActivity.Status.REJECTED
    page.locator("tr", has_text="Ondsindet pakke").get_by_role("link", name="Ondsindet pakke").first.click()
    expect(page.get_by_text("ikke er tilladt i indholdsmappen", exact=False).first).to_be_visible()
    admin_axe(page, "afvist H5P-pakke", "snippet-form")
    shot(page, "editor-h5p-refused")
    assert page.errors == []

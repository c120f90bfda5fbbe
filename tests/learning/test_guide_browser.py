"""The concern guide in a real browser at phone width: step by step, the card, no horizontal scroll."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.browser import CHROMIUM, NO_CHROMIUM, chromium_launch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def site(roles):
    from courses.demo import demo_seed_site_pages
    from learning.demo import DemoReport, demo_seed_concern_guide, demo_seed_directory

    report = DemoReport()
    demo_seed_directory(report)
    demo_seed_site_pages(report)
    demo_seed_concern_guide(report)


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = chromium_launch(playwright)
        yield chromium
        chromium.close()


def cli_decision(data):
    import io

    out = io.StringIO()
    path = RESULTS / "guide-case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("route_concern", "--input", str(path), "--on", timezone.localdate().isoformat(), stdout=out)
    return json.loads(out.getvalue())


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [360, 320])
def test_step_by_step_to_the_card_at_phone_width(site, live_server, browser, width):
    from learning.rules import ACTIONS

    RESULTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 740})
    page.goto(f"{live_server.url}/bekymringsguide/")

    counter = page.locator("[data-guide-counter]")
    assert counter.inner_text() == "Trin 1 af 6"
    assert not page.locator("#guide-step-2").is_visible()
    assert not page.locator("[data-guide-back]").is_visible()
    assert no_horizontal_scroll(page)

    # 1. Who and where
    page.select_option("#id_municipality", "roedovre")
    page.get_by_label("Jeg er ansat i kommunen eller en anden offentlig myndighed").check()
    page.get_by_role("button", name="Næste").click()
    assert counter.inner_text() == "Trin 2 af 6"
    # 2. One person
    page.get_by_label("Én bestemt person").check()
    page.get_by_role("button", name="Næste").click()
    # 3. Age
    page.select_option("#id_age_band", "12_17")
    page.get_by_role("button", name="Næste").click()
    # 4. Two signs at once
    page.get_by_label("intolerant over for andres synspunkter").check()
    page.get_by_label("nye venner/relationer, der giver anledning til bekymring").check()
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(RESULTS / f"guide-{width}-signs.png"), full_page=True)
    page.get_by_role("button", name="Tilbage").click()
    assert counter.inner_text() == "Trin 3 af 6"
    page.get_by_role("button", name="Næste").click()
    page.get_by_role("button", name="Næste").click()
    # 5. No illegal act, nobody in danger
    page.locator("#id_illegal_act_1").check()
    page.locator("#id_danger_to_life_1").check()
    page.get_by_role("button", name="Næste").click()
    assert counter.inner_text() == "Trin 6 af 6"
    assert not page.locator("[data-guide-next]").is_visible()
    # 6. Open now
    page.get_by_label("Ja, kommunen har åbent").check()
    page.get_by_role("button", name="Se hvad du skal gøre").click()

    card = page.locator("#guide-result .guide-result")
    card.wait_for()
    assert page.evaluate("document.activeElement.id") == "guide-result-heading"
    assert no_horizontal_scroll(page)

    expected = cli_decision(
        {
            "municipality": "roedovre",
            "reporter": "employee",
            "subject": "person",
            "age": 12,
            "signs": ["attitudes.intolerance", "relations.concerning_contacts"],
            "illegal_act": "none",
            "danger_to_life": False,
            "within_opening_hours": True,
        }
    )
    first = expected["actions"][0]
    assert card.locator(".guide-first-action").inner_text() == ACTIONS[first].label_da
    shown_rest = card.locator(".guide-rest-label").all_inner_texts()
    assert shown_rest == [ACTIONS[code].label_da for code in expected["actions"][1:]]
    shown_contacts = card.locator(".guide-contact-name").all_inner_texts()
    assert shown_contacts == [contact["name"] for contact in expected["contacts"]]
    hrefs = card.locator("a.guide-phone").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    phones = [c["phone"] for c in expected["contacts"] if c["phone"]]
    assert hrefs == ["tel:" + phone.replace(" ", "") for phone in phones]
    assert "tel:36377718" in hrefs
    assert "den laveste alder i intervallet" in card.inner_text()
    assert page.locator(".guide-print").is_visible()

    page.screenshot(path=str(RESULTS / f"guide-{width}.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator(".guide-form").is_visible()
    assert card.is_visible()
    page.close()


def test_without_javascript_the_form_posts_and_shows_the_card(site, live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/bekymringsguide/")
    assert page.locator("#guide-step-6").is_visible()  # every step shows at once
    page.select_option("#id_municipality", "koege")
    page.select_option("#id_age_band", "25_plus")
    page.get_by_label("Personen ønsker hjælp til at forlade et ekstremistisk miljø").check()
    page.get_by_role("button", name="Se hvad du skal gøre").click()
    card = page.locator("#guide-result .guide-result")
    assert card.is_visible()
    assert "infohuskoege@koege.dk" in card.inner_text()
    assert no_horizontal_scroll(page)
    context.close()

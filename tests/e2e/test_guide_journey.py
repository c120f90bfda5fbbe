"""Anyone, logged out, on a 360 px phone: the concern guide (Bekymringsguide) from the first step to the
card with what to do, checked with axe at every step and on the result, and without sideways scrolling
at 320 px. The error state (the routing API failing) and the server-rendered card without the guide's
script are checked too.

tests/learning/test_guide_browser.py compares the card with the routing command in detail.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_horizontal_scroll, axe, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_concern_guide_on_a_phone(site, new_page):
    from learning.rules import ACTIONS

    page = new_page(width=360, height=740)
    page.goto(f"{site}/bekymringsguide/")
    counter = page.locator("[data-guide-counter]")
    expect(counter).to_have_text("Trin 1 af 6")
    axe(page, "guide trin 1")

    page.select_option("#id_municipality", "ishoej")
    page.get_by_label("Jeg er ansat i kommunen eller en anden offentlig myndighed").check()
    page.get_by_role("button", name="Næste").click()
    expect(counter).to_have_text("Trin 2 af 6")
    axe(page, "guide trin 2")
    page.get_by_label("Én bestemt person").check()
    page.get_by_role("button", name="Næste").click()
    expect(counter).to_have_text("Trin 3 af 6")
    axe(page, "guide trin 3")
    page.select_option("#id_age_band", "12_17")
    page.get_by_role("button", name="Næste").click()
    expect(counter).to_have_text("Trin 4 af 6")
    axe(page, "guide trin 4")
    page.get_by_label("intolerant over for andres synspunkter").check()
    page.get_by_label("nye venner/relationer, der giver anledning til bekymring").check()
    page.get_by_role("button", name="Næste").click()
    expect(counter).to_have_text("Trin 5 af 6")
    axe(page, "guide trin 5")
    page.locator("#id_illegal_act_1").check()
    page.locator("#id_danger_to_life_1").check()
    page.get_by_role("button", name="Næste").click()
    expect(counter).to_have_text("Trin 6 af 6")
    axe(page, "guide trin 6")
    page.get_by_label("Ja, kommunen har åbent").check()
    page.get_by_role("button", name="Se hvad du skal gøre").click()

    card = page.locator("#guide-result .guide-result")
    card.wait_for()
    first = card.locator(".guide-first-action").inner_text()
    assert first in {action.label_da for action in ACTIONS.values()}
    assert card.locator("a.guide-phone").count() >= 1
    axe(page, "guidens resultat")
    shot(page, "guide-result-360")
    page.set_viewport_size({"width": 320, "height": 700})
    assert_no_horizontal_scroll(page, "guidens resultat")
    page.goto(f"{site}/bekymringsguide/")
    assert_no_horizontal_scroll(page, "guidens første trin")
    assert page.errors == []

    # When the routing API refuses the answers, the guide shows its Danish reason (the error state).
    failing = new_page(width=360, height=740)
    refusal = '{"error": {"field": "municipality", "message_da": "Kommunen findes ikke i kontaktkataloget."}}'
    failing.route(
        "**/api/route/**",
        lambda route: route.fulfill(status=400, body=refusal, content_type="application/json"),
    )
    failing.goto(f"{site}/bekymringsguide/")
    for _step in range(5):
        failing.get_by_role("button", name="Næste").click()
    failing.get_by_role("button", name="Se hvad du skal gøre").click()
    expect(failing.get_by_text("Kommunen findes ikke i kontaktkataloget.")).to_be_visible()
    axe(failing, "guide, når svaret ikke kan hentes (fejl)")
    shot(failing, "guide-error-360")

    # Without the guide's script (as without JavaScript) every step shows at once and the form posts;
    # the server renders the card. The script is blocked rather than JavaScript switched off, because
    # axe itself needs JavaScript in the page.
    no_js = new_page(width=360, height=740)
    no_js.route("**/js/guide.js", lambda route: route.abort())
    no_js.goto(f"{site}/bekymringsguide/")
    assert no_js.locator("#guide-step-6").is_visible()
    axe(no_js, "guide uden script")
    no_js.select_option("#id_municipality", "koege")
    no_js.get_by_role("button", name="Se hvad du skal gøre").click()
    no_js.locator("#guide-result .guide-result").wait_for()
    axe(no_js, "guidens resultat uden script")
    assert_no_horizontal_scroll(no_js, "guidens resultat uden script")

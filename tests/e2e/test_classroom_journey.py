"""The SSP teacher runs a live classroom session with three pupils, checked for accessibility.

The demo SSP teacher logs in through the form, starts the demo deck on the projector and three pupils
join on 360 px phones: one only with the keyboard (types the code, chooses a nickname, joins and votes
with Tab, typing and Enter), two with the mouse. axe checks the deck page, the projector and the pupil
view in every state they pass through (joining, with an error, waiting, voting, voted, revealed,
ended). The pupil view must not scroll sideways at 320 px.

tests/classroom/test_browser.py covers the live counts and what is stored in more detail.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_horizontal_scroll, axe, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DECK = "ven-deler-voldsom-video"


def tab_to_field(page, name: str) -> None:
    """Press Tab until the form field called `name` has the focus."""
    for _press in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == name:
            return
    pytest.fail(f"Tab nåede aldrig feltet {name}")


def choose_with_arrow_keys(page, value: str) -> None:
    """Move through the focused (closed) select with the arrow key until `value` is chosen."""
    for _press in range(30):
        if page.evaluate("document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"{value} kunne ikke vælges med piletasterne")


def test_teacher_and_three_pupils_accessibly(site, new_page):
    from classroom.models import LiveSession, StepResult

    projector = new_page(width=1366, height=900)
    log_in(projector, site, email="ssp.koege@forebyg.example")
    projector.goto(f"{site}/klasse/")
    axe(projector, "forløbsoversigt")
    projector.goto(f"{site}/klasse/forloeb/{DECK}/")
    axe(projector, "forløbets side")
    projector.get_by_role("button", name="Start med klassen").click()
    code = projector.locator("[data-join-code]").get_attribute("data-join-code")
    assert code and len(code) == 8
    expect(projector.locator("img.classroom-qr")).to_be_visible()
    axe(projector, "projektor: venter på elever")

    # A pupil with the keyboard only; a wrong code first.
    keyboard = new_page(width=360, height=740)
    keyboard.goto(f"{site}/deltag/")
    axe(keyboard, "elev: deltag")
    tab_to_field(keyboard, "code")
    keyboard.keyboard.type("ZZZZ9999")
    with keyboard.expect_navigation():
        keyboard.keyboard.press("Enter")
    assert keyboard.locator(".form-error-message, .alert-error").first.is_visible()
    axe(keyboard, "elev: forkert kode (fejl)")
    shot(keyboard, "pupil-join-error")

    tab_to_field(keyboard, "code")  # after the reload, back to the field (the wrong code is still in it)
    keyboard.keyboard.press("Control+A")
    keyboard.keyboard.type(code)
    keyboard.keyboard.press("Tab")
    assert keyboard.evaluate("document.activeElement.getAttribute('aria-label') || document.activeElement.id")
    choose_with_arrow_keys(keyboard, "Grøn")
    keyboard.keyboard.press("Tab")
    choose_with_arrow_keys(keyboard, "Ræv")
    assert keyboard.get_by_label("Kaldenavn: farve").input_value() == "Grøn"
    assert keyboard.get_by_label("Kaldenavn: dyr").input_value() == "Ræv"
    keyboard.keyboard.press("Tab")
    assert keyboard.evaluate("document.activeElement.textContent.trim()") == "Vær med"
    keyboard.keyboard.press("Enter")
    expect(keyboard.locator(".classroom-step-title")).to_have_text("Søndag aften i klassens chat")

    pupils = [keyboard]
    for colour, animal in [("Blå", "Ugle"), ("", "")]:
        page = new_page(width=360, height=740)
        page.goto(f"{site}/deltag/?kode={code}")
        if animal:
            page.get_by_label("Kaldenavn: farve").select_option(colour)
            page.get_by_label("Kaldenavn: dyr").select_option(animal)
        page.get_by_role("button", name="Vær med").click()
        expect(page.locator(".classroom-step-title")).to_have_text("Søndag aften i klassens chat")
        pupils.append(page)
    axe(keyboard, "elev: første trin")
    keyboard.set_viewport_size({"width": 320, "height": 700})
    assert_no_horizontal_scroll(keyboard, "elevvisning")
    keyboard.set_viewport_size({"width": 360, "height": 740})
    expect(projector.locator(".classroom-participant-count, [data-participants]").first).to_contain_text("3")
    axe(projector, "projektor: tre elever med")

    projector.get_by_role("button", name="Næste trin").click()
    axe(projector, "projektor: spørgsmål før afstemning")
    expect(keyboard.locator(".classroom-question")).to_be_visible(timeout=5000)
    axe(keyboard, "elev: spørgsmål før afstemning")
    projector.get_by_role("button", name="Åbn afstemningen").click()
    axe(projector, "projektor: afstemning åben")

    # The keyboard pupil votes with Tab and Enter once the buttons arrive.
    expect(keyboard.locator(".classroom-vote-button[value='b']")).to_be_visible(timeout=5000)
    axe(keyboard, "elev: afstemning")
    shot(keyboard, "pupil-voting")
    keyboard.locator(".classroom-step-title").focus()
    for _press in range(10):
        keyboard.keyboard.press("Tab")
        if keyboard.evaluate("document.activeElement.value") == "b":
            break
    assert keyboard.evaluate("document.activeElement.value") == "b"
    keyboard.keyboard.press("Enter")
    expect(keyboard.get_by_text("Tak! Du har stemt.")).to_be_visible()
    axe(keyboard, "elev: har stemt")
    for page, letter in zip(pupils[1:], ["b", "c"], strict=True):
        page.locator(f".classroom-vote-button[value='{letter}']").click()
        expect(page.get_by_text("Tak! Du har stemt.")).to_be_visible()
    expect(projector.locator(".classroom-total")).to_have_text("3 stemmer", timeout=5000)
    axe(projector, "projektor: live-optælling")
    shot(projector, "projector-live-counts")

    projector.get_by_role("button", name="Afslør").click()
    for page in pupils:
        expect(page.get_by_text("Sådan stemte klassen")).to_be_visible(timeout=5000)
    axe(projector, "projektor: afsløret")
    axe(keyboard, "elev: afsløret")
    shot(keyboard, "pupil-revealed")
    keyboard.set_viewport_size({"width": 320, "height": 700})
    assert_no_horizontal_scroll(keyboard, "elevvisning, afsløret")
    keyboard.set_viewport_size({"width": 360, "height": 740})

    # The routing step's reveal comes from the rules.
    for _step in range(2):
        projector.get_by_role("button", name="Næste trin").click()
    projector.get_by_role("button", name="Afslør").click()
    expect(projector.locator("a[href='tel:+4541749090']")).to_be_visible()
    expect(pupils[1].locator("a[href='tel:+4541749090']")).to_be_visible(timeout=5000)
    axe(projector, "projektor: henvisningstrin afsløret")
    axe(pupils[1], "elev: henvisningstrin afsløret")
    shot(projector, "projector-routing-reveal")
    shot(pupils[1], "pupil-routing-reveal")

    projector.locator("summary", has_text="Afslut forløbet").click()
    axe(projector, "projektor: afslut-dialog åben")
    projector.get_by_role("button", name="Afslut nu").click()
    expect(projector.get_by_text("kun antal stemmer pr. svar er gemt")).to_be_visible()
    axe(projector, "projektor: opsummering")
    for page in pupils:
        expect(page.get_by_role("heading", name="Forløbet er slut")).to_be_visible(timeout=5000)
    axe(keyboard, "elev: forløbet er slut")
    assert all(page.errors == [] for page in [projector, *pupils])

    session = LiveSession.objects.get(join_code=code)
    assert session.ended_at is not None
    assert {(r.option_key, r.count) for r in StepResult.objects.filter(session=session, step_index=1)} == {
        ("b", 2),
        ("c", 1),
    }

"""A teacher and three pupils in Chromium: start → join with the code → vote → live counts → reveal → end.

Set CLASSROOM_SCREENSHOTS=<dir> to save the projector and the 360 px pupil screens while it runs.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.browser import BROWSER_MARKS, chromium_launch

pytestmark = BROWSER_MARKS


def _shot(page, name: str) -> None:
    folder = os.environ.get("CLASSROOM_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_teacher_and_three_pupils_run_a_live_session(live_server, client):
    from playwright.sync_api import expect, sync_playwright

    from classroom.models import LiveSession, Participant, StepResult

    from .factories import make_deck, make_teacher

    deck = make_deck("ven-deler-voldsom-video")
    teacher = make_teacher()
    client.force_login(teacher)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}

    with sync_playwright() as playwright:
        browser = chromium_launch(playwright)
        try:
            projector_context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="da-DK")
            projector_context.add_cookies([cookie])
            projector = projector_context.new_page()
            projector.goto(f"{live_server.url}/klasse/forloeb/{deck.slug}/")
            projector.get_by_role("button", name="Start med klassen").click()
            code = projector.locator("[data-join-code]").get_attribute("data-join-code")
            assert code and len(code) == 8
            expect(projector.locator("img.classroom-qr")).to_be_visible()

            pupils = []
            for colour, animal in [("Grøn", "Ræv"), ("", ""), ("Blå", "Ugle")]:
                context = browser.new_context(viewport={"width": 360, "height": 740}, locale="da-DK")
                page = context.new_page()
                page.goto(f"{live_server.url}/deltag/?kode={code}")  # as the QR code opens it
                expect(page.get_by_label("Kode")).to_have_value(code)
                if animal:
                    page.get_by_label("Kaldenavn: farve").select_option(colour)
                    page.get_by_label("Kaldenavn: dyr").select_option(animal)
                page.get_by_role("button", name="Vær med").click()
                expect(page.locator(".classroom-step-title")).to_have_text("Søndag aften i klassens chat")
                pupils.append(page)
            _shot(pupils[0], "pupil-1-intro")
            assert Participant.objects.filter(session__join_code=code).count() == 3

            projector.get_by_role("button", name="Næste trin").click()
            projector.get_by_role("button", name="Åbn afstemningen").click()
            for page, letter in zip(pupils, ["B", "B", "C"], strict=True):
                button = page.locator(".classroom-vote-button", has_text=letter)
                expect(button.first).to_be_visible(timeout=5000)  # arrives by polling
                page.locator(f".classroom-vote-button[value='{letter.lower()}']").click()
                expect(page.get_by_text("Tak! Du har stemt.")).to_be_visible()
            started = time.monotonic()
            expect(projector.locator(".classroom-result[data-option='b']")).to_have_attribute(
                "data-count", "2", timeout=5000
            )
            expect(projector.locator(".classroom-result[data-option='c']")).to_have_attribute("data-count", "1")
            assert time.monotonic() - started < 2.5  # the projector polls every second
            expect(projector.locator(".classroom-total")).to_have_text("3 stemmer")
            _shot(projector, "projector-live-counts")
            # Pupils see no counts before the reveal.
            assert pupils[2].locator(".classroom-result-count").count() == 0
            _shot(pupils[2], "pupil-2-voted")

            projector.get_by_role("button", name="Afslør").click()
            for page in pupils:
                expect(page.get_by_text("Sådan stemte klassen")).to_be_visible(timeout=5000)
            expect(pupils[0].locator(".classroom-result", has_text="(dit svar)")).to_contain_text("Skriver i chatten")
            _shot(pupils[0], "pupil-3-revealed")
            _shot(projector, "projector-revealed")

            # On to the routing step: its reveal comes from the rules, with the hotline as a tel: link.
            for _step in range(2):
                projector.get_by_role("button", name="Næste trin").click()
            projector.get_by_role("button", name="Afslør").click()
            expect(projector.locator("a[href='tel:+4541749090']")).to_be_visible()
            expect(pupils[1].locator("a[href='tel:+4541749090']")).to_be_visible(timeout=5000)
            _shot(pupils[1], "pupil-4-routing-reveal")
            _shot(projector, "projector-routing-reveal")

            projector.locator("summary", has_text="Afslut forløbet").click()
            projector.get_by_role("button", name="Afslut nu").click()
            expect(projector.get_by_text("kun antal stemmer pr. svar er gemt")).to_be_visible()
            for page in pupils:
                expect(page.get_by_role("heading", name="Forløbet er slut")).to_be_visible(timeout=5000)
        finally:
            browser.close()

    session = LiveSession.objects.get(join_code=code)
    assert session.ended_at is not None
    assert not Participant.objects.filter(session=session).exists()
    assert {(r.option_key, r.count) for r in StepResult.objects.filter(session=session, step_index=1)} == {
        ("b", 2), ("c", 1)
    }

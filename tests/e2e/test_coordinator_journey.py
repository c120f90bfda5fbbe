"""The coordinator's journey in Chromium: log in with a second factor, read the coverage dashboard,
drill down to the people behind a number, export the people as XLSX and get the annual report as PDF.

axe checks each page and state (the second-factor page, the dashboard, the drill-down, the report page);
the dashboard must not scroll sideways at 320 px. Report tasks run eagerly in tests.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from .conftest import assert_no_horizontal_scroll, axe, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "koordinator.koege@forebyg.example"


def test_coordinator_reads_coverage_exports_and_gets_the_annual_report(site, new_page):
    from coverage.models import TrainingTarget

    page = new_page()
    log_in(page, site, email=EMAIL, check=lambda p, _state: axe(p, "to-faktor-kode"))
    page.goto(f"{site}/koordinator/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uddannelsesdækning – Køge Kommune")
    axe(page, "koordinatorens dækning")
    shot(page, "coordinator-dashboard")
    target = TrainingTarget.objects.filter(municipality__slug="koege").order_by("pk").first()
    assert target is not None

    # Drill down: the number of people in the first department, then the people behind it.
    first_row = page.locator("table.coverage-breakdown tbody tr").first
    department = first_row.locator("th").inner_text().strip()
    total = int(first_row.locator("td").first.inner_text())
    first_row.locator("td a").first.click()
    page.wait_for_url("**/koordinator/personer/**")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert department in page.content()
    rows = page.locator("main table tbody tr")
    assert rows.count() == total
    axe(page, "personerne bag et tal")
    shot(page, "coordinator-people")
    page.go_back()

    # The people as XLSX.
    with page.expect_download() as download_info:
        page.locator("li", has_text="Personerne").get_by_role("link", name="Excel (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
    sheet = workbook.worksheets[0]
    rows_in_file = [row for row in sheet.iter_rows(values_only=True) if any(cell is not None for cell in row)]
    assert len(rows_in_file) > 1  # a header and people
    values = [str(cell) for row in rows_in_file for cell in row if cell is not None]
    assert any("@" in value for value in values)  # the people's e-mail addresses

    # The annual report: requested, made (eagerly), downloaded.
    page.get_by_role("button", name="Lav årsrapport (PDF) til SSP-styregruppen").click()
    page.wait_for_url("**/koordinator/rapporter/**")
    link = page.get_by_role("link", name="Hent årsrapporten (PDF)")
    expect(link).to_be_visible(timeout=15_000)  # the page updates itself when the task is done
    axe(page, "årsrapport klar")
    shot(page, "coordinator-report")
    with page.expect_download() as download_info:
        link.click()
    report = download_info.value
    assert report.suggested_filename.endswith(".pdf")
    assert Path(report.path()).read_bytes()[:5] == b"%PDF-"

    page.goto(f"{site}/koordinator/?target={target.pk}")
    page.set_viewport_size({"width": 320, "height": 700})
    assert_no_horizontal_scroll(page, "koordinatorens dækning")
    shot(page, "coordinator-dashboard-320")
    assert page.errors == []

"""Exports (CSV injection, XLSX opens, own municipality only, audit) and the annual report PDF."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from openpyxl import load_workbook

from coverage.exports import cell_safe, to_csv
from coverage.models import AuditAction, ReportExport
from coverage.report import report_build
from learning.models import AuditEvent
from tests.certificates.pdftext import pdf_text

from .conftest import aware
from .factories import certify, make_staff, make_target


@pytest.mark.parametrize("value", ["=1+1", "+4512", "-2", "@SUM(A1)", "\tx"])
def test_cell_safe_prefixes_formula_starts(value):
    assert cell_safe(value) == "'" + value


def test_cell_safe_leaves_other_values():
    assert cell_safe("Anne") == "Anne"
    assert cell_safe(5) == 5


def test_csv_is_injection_safe():
    content = to_csv(header=["Navn", "Tal"], rows=[["=HYPERLINK(1)", "-3"]]).decode("utf-8-sig")
    assert content.splitlines() == ["Navn;Tal", "'=HYPERLINK(1);'-3"]


@pytest.fixture
def setup(roles, koege, ishoej, course, coordinator):
    target = make_target(municipality=koege, course=course)
    person = make_staff(municipality=koege, first_name="=CMD()", last_name="Havtorn")
    certify(user=person, course=course, issued_at=aware(2024, 3, 1))
    stranger = make_staff(municipality=ishoej, email="stranger@forebyg.example")
    certify(user=stranger, course=course, issued_at=aware(2024, 3, 1))
    return target


def test_people_csv_only_own_municipality_and_audited(client, coordinator, setup):
    client.force_login(coordinator)
    response = client.get(f"/koordinator/eksport/personer/?target={setup.pk}&format=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Navn;E-mail;Afdeling;Stillingsfunktion;Status")
    assert "stranger@forebyg.example" not in text
    assert "'=CMD() Havtorn" in text
    assert AuditEvent.objects.filter(action=AuditAction.PEOPLE_EXPORTED, actor=coordinator).count() == 1


def test_people_xlsx_opens_and_is_safe(client, coordinator, setup):
    client.force_login(coordinator)
    response = client.get(f"/koordinator/eksport/personer/?target={setup.pk}&format=xlsx&status=trained")
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Navn", "E-mail")
    assert len(rows) == 2
    assert rows[1][0] == "'=CMD() Havtorn"
    assert rows[1][4] == "Uddannet (udløbet)"  # issued 2024, 24 months: expired by now


def test_figures_xlsx_and_csv(client, coordinator, setup):
    client.force_login(coordinator)
    workbook = load_workbook(io.BytesIO(client.get(f"/koordinator/eksport/tal/?target={setup.pk}&format=xlsx").content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Opdeling"
    assert rows[-1][0] == "I alt" and rows[-1][3] == 1
    csv_text = client.get(f"/koordinator/eksport/tal/?target={setup.pk}&format=csv").content.decode("utf-8-sig")
    assert "I alt;;1;1" in csv_text


def test_people_view_is_audited(client, coordinator, setup):
    client.force_login(coordinator)
    response = client.get(f"/koordinator/personer/?target={setup.pk}&status=trained")
    assert response.status_code == 200
    assert "Havtorn" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.PEOPLE_VIEWED)
    assert event.actor == coordinator
    assert event.detail["status"] == "trained"


def test_annual_report_is_built_in_the_background(client, coordinator, setup, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/koordinator/rapporter/", {"target": setup.pk})
    assert response.status_code == 302
    export = ReportExport.objects.get()
    assert export.status == ReportExport.Status.DONE
    assert client.get(response["Location"] + "?format=json").json()["status"] == "done"
    download = client.get(f"/koordinator/rapporter/{export.public_id}/hent/")
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF")
    assert b"/Lang (da)" in content
    title = re.search(rb"/Title <feff([0-9a-f]+)>", content)
    assert bytes.fromhex(title.group(1).decode()).decode("utf-16-be") == "Uddannelsesdækning 2024: Køge Kommune"
    text = pdf_text(content)
    assert "Fordelt på afdelinger" in text
    assert "Udvikling måned for måned" in text
    # Building again changes nothing.
    assert report_build(export_id=export.pk, at=aware(2026, 11, 21)).file.name == export.file.name
    assert default_storage.exists(export.file.name)

"""Roster import: preview errors, all-or-nothing, re-import updates, invitations once, password set → verified."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from openpyxl import Workbook

from coverage.models import AuditAction, Invitation, RosterUpload
from coverage.roster import (
    RosterFileError,
    RosterInvalid,
    invitation_send,
    roster_import,
    roster_parse,
    roster_validate,
)
from learning.models import AuditEvent, JobRole, User
from learning.roles import Role, user_has_role
from tests.factories import DepartmentFactory, UserFactory

from .conftest import aware

AT = aware(2026, 11, 21, 10)


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_parse_csv_with_danish_headers_and_semicolons():
    rows = roster_parse(
        filename="liste.csv",
        content=csv_bytes("Navn;E-mail;Afdeling;Stillingsfunktion", "Anne Havtorn;ANNE@forebyg.example;Skoleområdet;Lærer"),
    )
    assert rows == [
        {"name": "Anne Havtorn", "email": "ANNE@forebyg.example", "department": "Skoleområdet", "job_role": "Lærer", "_extra": ""}
    ]


def test_control_characters_in_cells_are_read_as_spaces():
    # NUL cannot be stored in PostgreSQL text or JSON; escape sequences mean nothing in a name.
    (row,) = roster_parse(
        filename="liste.csv",
        content=b"navn;e-mail;afdeling\nAnne\x00Hansen;anne@koege.example;Skole\x1b[31m\n",
    )
    assert row["name"] == "Anne Hansen"
    assert row["department"] == "Skole [31m"
    assert "\x00" not in row["_extra"]


def test_parse_xlsx_with_english_headers():
    content = xlsx_bytes([["Name", "Email", "Department", "Job role"], ["Mads Engblom", "mads@forebyg.example", "Skole", "teacher"]])
    (row,) = roster_parse(filename="staff.xlsx", content=content)
    assert (row["name"], row["email"], row["department"], row["job_role"]) == (
        "Mads Engblom", "mads@forebyg.example", "Skole", "teacher"
    )


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("liste.pdf", b"%PDF", "CSV- eller XLSX"),
        ("liste.csv", b"", "tom"),
        ("liste.csv", csv_bytes("fornavn;telefon", "Anne;12345678"), "navn"),
        ("liste.xlsx", b"not a zip", "Excel"),
        ("liste.csv", b"x" * (2 * 1024 * 1024 + 1), "2 MB"),
    ],
)
def test_unreadable_files_get_a_danish_error(filename, content, message):
    with pytest.raises(RosterFileError, match=message):
        roster_parse(filename=filename, content=content)


def test_too_many_rows_are_refused():
    lines = ["navn,e-mail"] + [f"Person {i},p{i}@forebyg.example" for i in range(5001)]
    with pytest.raises(RosterFileError, match="5000"):
        roster_parse(filename="liste.csv", content=csv_bytes(*lines))


def _rows(*rows):
    return [dict(zip(("name", "email", "department", "job_role"), row, strict=True), _extra="") for row in rows]


def test_row_level_errors_in_danish(roles, koege, ishoej, school):
    UserFactory(email="taken@forebyg.example", municipality=ishoej)
    rows = _rows(
        ("Anne Havtorn", "anne@forebyg.example", "Skoleområdet", "Lærer"),
        ("Uden Mail", "ikke-en-mail", "Skoleområdet", "Lærer"),
        ("Ukendt Afdeling", "ua@forebyg.example", "Rådhuset", "Lærer"),
        ("Ukendt Rolle", "ur@forebyg.example", "Skoleområdet", "Astronaut"),
        ("Dobbelt", "ANNE@forebyg.example", "Skoleområdet", "Lærer"),
        ("Anden Kommune", "taken@forebyg.example", "Skoleområdet", "Lærer"),
        ("CPR Person 010190-1234", "cpr@forebyg.example", "Skoleområdet", "Lærer"),
    )
    checked = roster_validate(municipality=koege, rows=rows)
    errors = [" ".join(r.errors) for r in checked]
    assert errors[0] == ""
    assert "ikke en gyldig e-mailadresse" in errors[1]
    assert "Afdelingen »Rådhuset« findes ikke" in errors[2] and "Skoleområdet" in errors[2]
    assert "Stillingsfunktionen »Astronaut« kendes ikke" in errors[3]
    assert "også i række 2" in errors[4]
    assert "kan ikke bruges" in errors[5]
    assert "Ishøj" not in errors[5]  # nothing about the other municipality is revealed
    assert "CPR-nummer" in errors[6] and "010190" not in errors[6]


def test_no_partial_import_when_one_row_is_invalid(roles, koege, school):
    rows = _rows(("Anne Havtorn", "anne@forebyg.example", "Skoleområdet", "Lærer"), ("B", "bad", "", ""))
    with pytest.raises(RosterInvalid):
        roster_import(municipality=koege, rows=rows, invited_by=None, at=AT)
    assert not User.objects.filter(email="anne@forebyg.example").exists()
    assert not Invitation.objects.exists()


def test_import_creates_learners_with_invitations_sent_once(roles, koege, school, coordinator, django_capture_on_commit_callbacks):
    rows = _rows(("Anne Marie Havtorn", "Anne@Forebyg.example", "skoleområdet", "Lærer"))
    with django_capture_on_commit_callbacks(execute=True):
        result = roster_import(municipality=koege, rows=rows, invited_by=coordinator, at=AT)
    assert (result.created, result.invited) == (1, 1)
    user = User.objects.get(email="anne@forebyg.example")
    assert (user.first_name, user.last_name, user.department, user.job_role) == ("Anne Marie", "Havtorn", school, JobRole.TEACHER)
    assert not user.has_usable_password()
    assert user_has_role(user, Role.LEARNER)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anne@forebyg.example"]
    assert "/konto/password/reset/key/" in mail.outbox[0].body
    invitation = Invitation.objects.get(user=user)
    assert invitation.sent_at is not None
    assert invitation_send(invitation_id=invitation.pk, at=AT) is False  # a second run sends nothing
    assert len(mail.outbox) == 1


def test_reimport_updates_instead_of_duplicating(roles, koege, school, django_capture_on_commit_callbacks):
    daycare = DepartmentFactory(municipality=koege, name="Dagtilbud")
    with django_capture_on_commit_callbacks(execute=True):
        roster_import(municipality=koege, rows=_rows(("Anne Havtorn", "anne@forebyg.example", "Skoleområdet", "Lærer")), invited_by=None, at=AT)
        result = roster_import(
            municipality=koege, rows=_rows(("Anne Lyng", "ANNE@forebyg.example", "Dagtilbud", "Pædagog")), invited_by=None, at=AT
        )
    assert (result.created, result.updated) == (0, 1)
    user = User.objects.get(email="anne@forebyg.example")
    assert (user.last_name, user.department, user.job_role) == ("Lyng", daycare, JobRole.PEDAGOGUE)
    assert User.objects.filter(email__iexact="anne@forebyg.example").count() == 1
    assert len(mail.outbox) == 1  # no second invitation


def test_setting_the_password_via_the_invitation_verifies_the_email(client, roles, koege, school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        roster_import(municipality=koege, rows=_rows(("Anne Havtorn", "anne@forebyg.example", "", "")), invited_by=None, at=AT)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/key/" in line).strip()
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    response = client.post(form_url, {"password1": "Et-Godt-Kodeord-42", "password2": "Et-Godt-Kodeord-42"})
    assert response.status_code in (200, 302)
    user = User.objects.get(email="anne@forebyg.example")
    assert user.check_password("Et-Godt-Kodeord-42")
    assert EmailAddress.objects.filter(user=user, email="anne@forebyg.example", verified=True).exists()
    assert Invitation.objects.get(user=user).accepted_at is not None


def _upload(client, name, content):
    return client.post("/koordinator/medarbejdere/import/", {"file": io.BytesIO(content) and _file(name, content)})


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_upload_preview_then_confirm(client, coordinator, koege, school, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    content = xlsx_bytes([["navn", "e-mail", "afdeling", "stillingsfunktion"], ["Anne Havtorn", "anne@forebyg.example", "Skoleområdet", "Lærer"]])
    response = client.post("/koordinator/medarbejdere/import/", {"file": _file("liste.xlsx", content)})
    assert response.status_code == 302
    preview_url = response["Location"]
    response = client.get(preview_url)
    assert "Alle rækker er i orden" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(preview_url)
    assert response.status_code == 302
    assert User.objects.filter(email="anne@forebyg.example", municipality=koege).exists()
    assert AuditEvent.objects.filter(action=AuditAction.ROSTER_IMPORTED, actor=coordinator).exists()
    assert client.get(preview_url).status_code == 404  # an imported upload cannot be confirmed again


def test_preview_with_errors_cannot_be_confirmed(client, coordinator, koege, school):
    client.force_login(coordinator)
    content = csv_bytes("navn;e-mail", "Anne Havtorn;anne@forebyg.example", "Bo 010190-1234;bo@forebyg.example")
    response = client.post("/koordinator/medarbejdere/import/", {"file": _file("liste.csv", content)})
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert "1 række har fejl" in page
    assert "CPR-nummer" in page
    assert "Importér og send invitationer" not in page
    response = client.post(preview_url)
    assert response.status_code == 302
    assert not User.objects.filter(email="anne@forebyg.example").exists()


def test_upload_of_a_bad_file_shows_the_error_on_the_form(client, coordinator):
    client.force_login(coordinator)
    response = client.post("/koordinator/medarbejdere/import/", {"file": _file("liste.csv", b"fornavn\nAnne\n")})
    assert response.status_code == 200
    assert "mindst kolonnerne" in response.content.decode()
    assert not RosterUpload.objects.exists()

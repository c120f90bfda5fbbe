"""Access: anonymous → login, other roles → 403, and a coordinator of another municipality → 404 for
every coordinator URL that names something (targets, departments, reports, uploads)."""

import pytest
from django.urls import reverse

from coverage.models import ReportExport, RosterUpload
from learning.roles import Role
from tests.factories import DepartmentFactory, UserFactory

from .conftest import aware
from .factories import make_staff, make_target

EVERY_URL = [
    "/koordinator/",
    "/koordinator/personer/?target={target}",
    "/koordinator/eksport/tal/?target={target}&format=csv",
    "/koordinator/eksport/personer/?target={target}&format=csv",
    "/koordinator/rapporter/{report}/",
    "/koordinator/rapporter/{report}/hent/",
    "/koordinator/medarbejdere/import/",
    "/koordinator/medarbejdere/import/{upload}/",
    "/koordinator/paamindelser/",
]

# URLs naming Køge's objects, as a coordinator of Ishøj would try them.
FOREIGN_URLS = [
    ("get", "/koordinator/?target={target}"),
    ("get", "/koordinator/personer/?target={target}"),
    ("get", "/koordinator/personer/?target={own_target}&department={department}"),
    ("get", "/koordinator/eksport/tal/?target={target}&format=csv"),
    ("get", "/koordinator/eksport/tal/?target={target}&format=xlsx"),
    ("get", "/koordinator/eksport/personer/?target={target}&format=csv"),
    ("get", "/koordinator/eksport/personer/?target={own_target}&department={department}&format=xlsx"),
    ("get", "/koordinator/rapporter/{report}/"),
    ("get", "/koordinator/rapporter/{report}/?format=json"),
    ("get", "/koordinator/rapporter/{report}/hent/"),
    ("post", "/koordinator/rapporter/?target={target}"),
    ("get", "/koordinator/medarbejdere/import/{upload}/"),
    ("post", "/koordinator/medarbejdere/import/{upload}/"),
]


@pytest.fixture
def objects(roles, koege, ishoej, course, coordinator, other_coordinator, school):
    target = make_target(municipality=koege, course=course)
    own_target = make_target(municipality=ishoej, course=course)
    make_staff(municipality=koege, department=school)
    report = ReportExport.objects.create(
        municipality=koege, target=target, requested_by=coordinator, requested_at=aware(2026, 11, 21), as_of=aware(2026, 11, 21).date(),
        status=ReportExport.Status.DONE, file="coverage/reports/x.pdf",
    )
    upload = RosterUpload.objects.create(municipality=koege, uploaded_by=coordinator, uploaded_at=aware(2026, 11, 21), rows=[])
    return {
        "target": target.pk,
        "own_target": own_target.pk,
        "department": school.pk,
        "report": report.public_id,
        "upload": upload.public_id,
    }


@pytest.mark.parametrize("url", EVERY_URL)
def test_anonymous_is_sent_to_login(client, objects, url):
    response = client.get(url.format(**objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", [*EVERY_URL, "/koordinator/national/"])
@pytest.mark.parametrize("role", [Role.LEARNER, Role.EDITOR, Role.SSP_TEACHER])
def test_other_roles_are_forbidden(client, objects, koege, url, role):
    client.force_login(UserFactory(municipality=koege, roles=[role]))
    assert client.get(url.format(**objects)).status_code == 403


@pytest.mark.parametrize(("method", "url"), FOREIGN_URLS)
def test_coordinator_of_another_municipality_gets_404(client, objects, other_coordinator, method, url):
    client.force_login(other_coordinator)
    response = getattr(client, method)(url.format(**objects))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query",
    ["target=abc", "target=999999", "target={own_target}&department=abc", "target={own_target}&status=bogus",
     "target={own_target}&job_role=astronaut", "target={own_target}&department=999999"],
)
def test_malformed_ids_are_404_not_500(client, objects, other_coordinator, query):
    client.force_login(other_coordinator)
    assert client.get("/koordinator/personer/?" + query.format(**objects)).status_code == 404


def test_upload_of_another_coordinator_in_the_same_municipality_is_404(client, objects, koege, school):
    colleague = UserFactory(municipality=koege, department=school, roles=[Role.COORDINATOR])
    client.force_login(colleague)
    assert client.get(f"/koordinator/medarbejdere/import/{objects['upload']}/").status_code == 404


def test_own_pages_render(client, objects, coordinator):
    client.force_login(coordinator)
    for url in [
        "/koordinator/",
        "/koordinator/?target={target}",
        "/koordinator/personer/?target={target}&department={department}&status=not_started",
        "/koordinator/medarbejdere/import/",
        "/koordinator/paamindelser/",
    ]:
        response = client.get(url.format(**objects))
        assert response.status_code == 200, url
    page = client.get("/koordinator/").content.decode()
    assert 'role="img"' in page and "<title id=\"burnup-title\">" in page and "<details" in page
    assert "<progress" in page
    assert "Sådan tæller vi" in page


def test_reminder_settings_are_saved(client, objects, coordinator, koege):
    client.force_login(coordinator)
    response = client.post("/koordinator/paamindelser/", {"cadence_days": 30, "stalled_after_days": 10, "paused": "on"})
    assert response.status_code == 302
    settings_row = koege.reminder_settings
    assert (settings_row.cadence_days, settings_row.stalled_after_days, settings_row.paused) == (30, 10, True)
    response = client.post("/koordinator/paamindelser/", {"cadence_days": 5, "stalled_after_days": 1})
    assert response.status_code == 200
    assert "form-error-message" in response.content.decode()


def test_national_overview_for_administrators(client, objects, koege):
    admin = UserFactory(municipality=koege, roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    page = client.get("/koordinator/national/").content.decode()
    assert "Køge Kommune" in page and "Ishøj Kommune" in page


def test_department_filter_uses_the_departments_of_the_own_municipality(client, objects, other_coordinator, ishoej):
    client.force_login(other_coordinator)
    own = DepartmentFactory(municipality=ishoej)
    assert client.get(f"/koordinator/personer/?target={objects['own_target']}&department={own.pk}").status_code == 200

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.roles import Role
from tests.factories import UserFactory

from .factories import make_deck, make_teacher, start_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def deck(roles):
    return make_deck()


def _teacher_urls(deck, session):
    return [
        ("get", reverse("classroom:deck_list")),
        ("get", reverse("classroom:deck_detail", args=[deck.slug])),
        ("post", reverse("classroom:deck_start", args=[deck.slug])),
        ("get", reverse("classroom:projector", args=[session.public_id])),
        ("get", reverse("classroom:projector_poll", args=[session.public_id])),
        ("post", reverse("classroom:control", args=[session.public_id])),
        ("get", reverse("classroom:qr", args=[session.public_id])),
        ("get", reverse("classroom:results_json", args=[session.public_id])),
    ]


def test_anonymous_is_sent_to_login(client, deck):
    session = start_session(at=timezone.now(), deck=deck)
    for method, url in _teacher_urls(deck, session):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


@pytest.mark.parametrize("role", [Role.LEARNER, Role.COORDINATOR, Role.EDITOR])
def test_other_roles_get_403(client, deck, role):
    session = start_session(at=timezone.now(), deck=deck)
    client.force_login(UserFactory(roles=[role]))
    for method, url in _teacher_urls(deck, session):
        assert getattr(client, method)(url).status_code == 403, url


def test_ssp_teacher_starts_a_session_and_sees_the_projector(client, deck):
    teacher = make_teacher()
    client.force_login(teacher)
    assert deck.title in client.get(reverse("classroom:deck_list")).content.decode()
    response = client.post(reverse("classroom:deck_start", args=[deck.slug]))
    session = teacher.classroom_sessions.get()
    assert response["Location"] == reverse("classroom:projector", args=[session.public_id])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert session.join_code_display in html
    assert "/deltag" in html
    qr = client.get(reverse("classroom:qr", args=[session.public_id]))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith(b"<?xml") and b"<svg" in qr.content


def test_a_teacher_cannot_control_another_teachers_session(client, deck):
    session = start_session(at=timezone.now(), deck=deck)
    client.force_login(make_teacher())
    assert client.get(reverse("classroom:projector", args=[session.public_id])).status_code == 404
    assert client.post(reverse("classroom:control", args=[session.public_id]), {"action": "end"}).status_code == 404
    session.refresh_from_db()
    assert session.ended_at is None


def test_unknown_action_is_a_clear_400_not_a_500(client, deck):
    teacher = make_teacher()
    session = start_session(at=timezone.now(), deck=deck, teacher=teacher)
    client.force_login(teacher)
    response = client.post(reverse("classroom:control", args=[session.public_id]), {"action": "explode"})
    assert response.status_code == 400

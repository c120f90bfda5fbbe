"""Signed playback tokens, the sandboxed player page, its token-scoped files and the embed."""

from __future__ import annotations

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from interactive.models import H5PActivity
from interactive.services import PlaybackTokenInvalid, playback_grant_read, playback_token_create
from tests.courses.factories import build_tree
from tests.factories import UserFactory

from .factories import H5PActivityFactory, ready_activity

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def activity():
    return ready_activity()


@pytest.fixture
def learner():
    return UserFactory()


def play_url(token: str) -> str:
    return reverse("interactive:play", kwargs={"token": token})


# --- Tokens ----------------------------------------------------------------------------------------------


def test_token_names_activity_user_and_lesson(activity, learner):
    token = playback_token_create(activity=activity, user=learner, lesson_page_id=42, at=NOW)
    grant = playback_grant_read(token=token, at=NOW + datetime.timedelta(minutes=14))
    assert (grant.activity, grant.user, grant.lesson_page_id) == (activity, learner, 42)


def test_token_expires_after_fifteen_minutes(activity, learner):
    token = playback_token_create(activity=activity, user=learner, lesson_page_id=None, at=NOW)
    with pytest.raises(PlaybackTokenInvalid):
        playback_grant_read(token=token, at=NOW + datetime.timedelta(minutes=15, seconds=1))
    # A longer window is used only where the caller asks for it (content and xAPI of a running activity).
    assert playback_grant_read(token=token, at=NOW + datetime.timedelta(hours=1), max_age=2 * 3600)


def test_token_from_the_future_is_refused(activity, learner):
    token = playback_token_create(
        activity=activity, user=learner, lesson_page_id=None, at=NOW + datetime.timedelta(hours=1)
    )
    with pytest.raises(PlaybackTokenInvalid):
        playback_grant_read(token=token, at=NOW)


@pytest.mark.parametrize("position", [0, 10, -1])
def test_tampered_token_is_refused(activity, learner, position):
    token = playback_token_create(activity=activity, user=learner, lesson_page_id=1, at=NOW)
    chars = list(token)
    chars[position] = "A" if chars[position] != "A" else "B"
    with pytest.raises(PlaybackTokenInvalid):
        playback_grant_read(token="".join(chars), at=NOW)


def test_token_signed_for_another_purpose_is_refused(activity, learner):
    from django.core import signing

    forged = signing.TimestampSigner(salt="noget-andet").sign_object(
        {"a": str(activity.uid), "u": learner.pk, "l": 1}
    )
    with pytest.raises(PlaybackTokenInvalid):
        playback_grant_read(token=forged, at=timezone.now())


def test_token_of_unready_activity_or_inactive_user_is_refused(activity, learner):
    token = playback_token_create(activity=activity, user=learner, lesson_page_id=None, at=NOW)
    H5PActivity.objects.filter(pk=activity.pk).update(status=H5PActivity.Status.PENDING)
    with pytest.raises(PlaybackTokenInvalid):
        playback_grant_read(token=token, at=NOW)
    H5PActivity.objects.filter(pk=activity.pk).update(status=H5PActivity.Status.READY)
    learner.is_active = False
    learner.save()
    with pytest.raises(PlaybackTokenInvalid):
        playback_grant_read(token=token, at=NOW)


# --- Player page -----------------------------------------------------------------------------------------


def test_player_page_is_isolated_by_its_headers(client, activity, learner):
    token = playback_token_create(activity=activity, user=learner, lesson_page_id=None, at=timezone.now())
    response = client.get(play_url(token))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "frame-ancestors 'self'",
    ):
        assert directive in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    html = response.content.decode()
    # Our own scripts only, no inline script: the strict CSP allows nothing else.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/h5p-standalone/main.bundle.js">',
        '<script src="/static/js/interactive-player.js">',
    ]
    assert f'data-xapi-url="{reverse("interactive:xapi", kwargs={"token": token})}"' in html
    assert f'data-h5p-json-path="{play_url(token)}content"' in html
    assert "csrfmiddlewaretoken" not in html


def test_other_pages_stay_unframeable(client):
    response = client.get("/konto/login/")
    assert response["X-Frame-Options"] == "DENY"


def test_expired_player_link_gets_short_danish_403(client, activity, learner):
    token = playback_token_create(
        activity=activity,
        user=learner,
        lesson_page_id=None,
        at=timezone.now() - datetime.timedelta(minutes=20),
    )
    response = client.get(play_url(token))
    assert response.status_code == 403
    assert "udløbet eller ugyldigt" in response.content.decode()


def test_someone_elses_token_is_refused_to_a_signed_in_user(client, activity, learner):
    token = playback_token_create(activity=activity, user=learner, lesson_page_id=None, at=timezone.now())
    client.force_login(UserFactory())
    assert client.get(play_url(token)).status_code == 403
    client.force_login(learner)
    assert client.get(play_url(token)).status_code == 200


# --- Token-scoped files ----------------------------------------------------------------------------------


def content_url(token: str, path: str) -> str:
    return reverse("interactive:content", kwargs={"token": token, "path": path})


def test_content_is_served_with_types_nosniff_and_sandbox(client, activity, learner):
    token = playback_token_create(activity=activity, user=learner, lesson_page_id=None, at=timezone.now())
    response = client.get(content_url(token, "h5p.json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert b"".join(response.streaming_content).startswith(b"{")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "sandbox" in response["Content-Security-Policy"]
    script = client.get(content_url(token, "H5P.ForebygCheck-1.0/forebyg-check.js"))
    assert script["Content-Type"].startswith("text/javascript")
    assert client.get(content_url(token, "H5P.ForebygCheck-1.0/forebyg-check.css"))[
        "Content-Type"
    ].startswith("text/css")


@pytest.mark.parametrize(
    "path",
    [
        "../h5p.json",
        "content/../../x.json",
        "nope.json",
        "content/missing.png",
        ".hidden.json",
        "H5P.ForebygCheck-1.0/",
    ],
)
def test_content_outside_the_package_is_not_found(client, activity, learner, path):
    token = playback_token_create(activity=activity, user=learner, lesson_page_id=None, at=timezone.now())
    assert client.get(content_url(token, path)).status_code == 404


def test_content_of_another_activity_is_out_of_reach(client, activity, learner):
    other = ready_activity()
    token = playback_token_create(activity=activity, user=learner, lesson_page_id=None, at=timezone.now())
    assert client.get(content_url(token, f"../{other.uid}/h5p.json")).status_code == 404


def test_content_with_bad_token_is_refused(client, activity, learner):
    token = playback_token_create(activity=activity, user=learner, lesson_page_id=None, at=timezone.now())
    assert client.get(content_url(token[:-2] + "xx", "h5p.json")).status_code == 403


# --- Embed ---------------------------------------------------------------------------------------------


def render_embed(*, activity, user, page=None) -> str:
    request = RequestFactory().get("/kurser/lektion/")
    request.user = user
    return render_to_string(
        "interactive/player_embed.html", {"activity": activity, "request": request, "page": page}
    )


def test_embed_is_an_opaque_origin_sandboxed_iframe(client, activity, learner):
    html = render_embed(activity=activity, user=learner)
    iframe = re.search(r"<iframe[^>]*>", html, re.S).group(0)
    assert 'sandbox="allow-scripts"' in iframe
    assert "allow-same-origin" not in html
    assert f'title="Interaktiv aktivitet: {activity.title}"' in iframe
    src = re.search(r'src="([^"]+)"', iframe).group(1)
    token = src.rstrip("/").rsplit("/", 1)[1]
    grant = playback_grant_read(token=token, at=timezone.now())
    assert (grant.user, grant.activity, grant.lesson_page_id) == (learner, activity, None)
    assert client.get(src).status_code == 200


def test_embed_for_anonymous_or_unready_activity_has_no_player(activity):
    from django.contrib.auth.models import AnonymousUser

    assert "<iframe" not in (html := render_embed(activity=activity, user=AnonymousUser()))
    assert "Log ind for at lave aktiviteten" in html
    pending = H5PActivityFactory()
    assert "ikke klar endnu" in render_embed(activity=pending, user=UserFactory())


def test_lesson_page_embeds_the_player_with_its_own_id_in_the_token(client, activity, learner):
    tree = build_tree(modules=1, lessons=1)
    lesson = tree.lessons[0][0]
    lesson.body = [{"type": "h5p", "value": activity.pk}]
    lesson.save_revision().publish()
    client.force_login(learner)
    response = client.get(lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    src = re.search(r'<iframe[^>]*src="([^"]+)"', html, re.S).group(1)
    assert 'sandbox="allow-scripts"' in html
    grant = playback_grant_read(token=src.rstrip("/").rsplit("/", 1)[1], at=timezone.now())
    assert grant.lesson_page_id == lesson.pk
    assert grant.user == learner

"""Editors upload packages through the Wagtail snippet views; the check runs in a task after commit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interactive.models import H5PActivity
from learning.mfa import user_mfa_provision
from learning.roles import Role
from tests.factories import UserFactory

from .h5p_builders import Member, forebyg_package, package_with

pytestmark = pytest.mark.django_db

H5P_PERMISSIONS = ("add_h5pactivity", "change_h5pactivity", "delete_h5pactivity")
ADD_URL = "wagtailsnippets_interactive_h5pactivity:add"


@pytest.fixture
def editor(roles):
    # The editor role's group carries the H5P permissions (learning.roles); nothing is added by hand.
    user = UserFactory(roles=[Role.EDITOR])
    assert all(user.has_perm(f"interactive.{codename}") for codename in H5P_PERMISSIONS)
    user_mfa_provision(user=user)
    return user


def upload(
    client, data: bytes, *, name: str = "tjek.h5p", title: str = "Videnstjek", slug: str = "videnstjek"
):
    return client.post(
        reverse(ADD_URL),
        {
            "title": title,
            "slug": slug,
            "package": SimpleUploadedFile(name, data, content_type="application/zip"),
        },
    )


def test_upload_queues_the_check_on_commit_and_ends_ready(client, editor, django_capture_on_commit_callbacks):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, forebyg_package())
    assert response.status_code == 302
    activity = H5PActivity.objects.get(slug="videnstjek")
    assert activity.status == H5PActivity.Status.PENDING  # nothing checked before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    activity.refresh_from_db()
    assert activity.status == H5PActivity.Status.READY
    assert activity.main_library == "H5P.ForebygCheck 1.0"
    listing = client.get(reverse("wagtailsnippets_interactive_h5pactivity:list"))
    assert "Klar" in listing.content.decode()


def test_refused_package_shows_the_danish_reason_to_the_editor(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, package_with(extra=[Member("content/side.html", b"<script></script>")]))
    activity = H5PActivity.objects.get()
    assert activity.status == H5PActivity.Status.REJECTED
    edit = client.get(reverse("wagtailsnippets_interactive_h5pactivity:edit", args=[activity.pk]))
    assert "ikke er tilladt i indholdsmappen" in edit.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tjek.zip", None, "endelsen .h5p"),
        ("tjek.h5p", b"ikke et zip-arkiv", "ikke en gyldig H5P-pakke"),
    ],
)
def test_upload_form_refuses_wrong_files(client, editor, name, data, message):
    client.force_login(editor)
    response = upload(client, data or forebyg_package(), name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not H5PActivity.objects.exists()


def test_upload_form_refuses_oversize_files(client, editor, settings):
    settings.H5P_MAX_PACKAGE_BYTES = 2048
    client.force_login(editor)
    response = upload(client, forebyg_package() + b"\0" * 4096)
    assert "Den må højst fylde" in response.content.decode()
    assert not H5PActivity.objects.exists()


def test_editing_the_title_does_not_recheck_but_a_new_package_does(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, forebyg_package())
    activity = H5PActivity.objects.get()
    checked_at = activity.processed_at
    edit_url = reverse("wagtailsnippets_interactive_h5pactivity:edit", args=[activity.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(edit_url, {"title": "Nyt navn", "slug": activity.slug})
    assert callbacks == []
    activity.refresh_from_db()
    assert (activity.title, activity.processed_at, activity.status) == (
        "Nyt navn",
        checked_at,
        H5PActivity.Status.READY,
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(
            edit_url,
            {
                "title": "Nyt navn",
                "slug": activity.slug,
                "package": SimpleUploadedFile("ny.h5p", b"PK\x05\x06" + b"\0" * 18),
            },
        )
    assert len(callbacks) == 1
    activity.refresh_from_db()
    assert activity.status == H5PActivity.Status.REJECTED


def test_staff_without_the_h5p_permissions_cannot_upload(client, roles):
    # A coordinator reaches the admin but holds none of the H5P permissions.
    user = UserFactory(roles=[Role.COORDINATOR])
    assert not user.has_perm("interactive.add_h5pactivity")
    user_mfa_provision(user=user)
    client.force_login(user)
    response = client.get(reverse(ADD_URL))
    assert response.status_code in (302, 403)
    response = upload(client, forebyg_package())
    assert response.status_code in (302, 403)
    assert not H5PActivity.objects.exists()


def test_deleting_an_activity_removes_its_package_and_files(
    client, editor, django_capture_on_commit_callbacks
):
    from pathlib import Path

    from django.conf import settings

    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, forebyg_package())
    activity = H5PActivity.objects.get()
    media = Path(settings.MEDIA_ROOT)
    assert (media / activity.package.name).exists()
    assert (media / "h5p" / "content" / str(activity.uid) / "h5p.json").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailsnippets_interactive_h5pactivity:delete", args=[activity.pk]))
    assert response.status_code == 302
    assert not H5PActivity.objects.exists()
    assert not (media / activity.package.name).exists()
    assert not (media / "h5p" / "content" / str(activity.uid)).exists()

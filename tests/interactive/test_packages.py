"""Package checks: our own packages pass; hostile archives are refused with a Danish message and leave
nothing behind (neither in media storage nor in the temporary folder)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from interactive.models import H5PActivity
from interactive.packages import H5PPackageRejected, h5p_package_validate
from interactive.services import h5p_activity_process

from .factories import H5PActivityFactory
from .h5p_builders import (
    Member,
    forebyg_package,
    h5p_json,
    package_members,
    package_with,
    tree,
    with_corrupted_member,
    with_encrypted_flag,
    with_non_utf8_name,
    write,
    zip_archive,
)

LIB = "H5P.ForebygCheck-1.0"


def test_our_package_is_built_from_our_library_and_passes(tmp_path):
    package = forebyg_package()
    members = package_members(package)
    assert set(members) == {
        "h5p.json",
        "content/content.json",
        f"{LIB}/library.json",
        f"{LIB}/semantics.json",
        f"{LIB}/forebyg-check.js",
        f"{LIB}/forebyg-check.css",
    }
    content = json.loads(members["content/content.json"])
    assert content["answers"][0]["correct"] is True
    validated = h5p_package_validate(path=write(tmp_path, package))
    assert validated.main_library == "H5P.ForebygCheck 1.0"
    assert validated.title == "Testtjek"
    assert "h5p.json" in validated.files


def test_clean_svg_icon_in_a_library_is_allowed(tmp_path):
    icon = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'
    validated = h5p_package_validate(
        path=write(tmp_path, package_with(extra=[Member(f"{LIB}/icon.svg", icon)]))
    )
    assert f"{LIB}/icon.svg" in validated.files


def test_system_files_of_zip_tools_are_not_extracted(tmp_path):
    package = package_with(extra=[Member("__MACOSX/._h5p.json", b"x"), Member("content/.DS_Store", b"x")])
    validated = h5p_package_validate(path=write(tmp_path, package))
    assert not any("MACOSX" in name or "DS_Store" in name for name in validated.files)


def _bomb() -> bytes:
    return b"\0" * (2 * 1024 * 1024)


def _many_files() -> bytes:
    return package_with(extra=[Member(f"content/images/{n}.png", b"png") for n in range(2001)])


HOSTILE = {
    "traversal": (lambda: package_with(extra=[Member("content/../../evil.json")]), "uden for pakken"),
    "traversal-top": (lambda: package_with(extra=[Member("../evil.json")]), "uden for pakken"),
    "absolute": (lambda: package_with(extra=[Member("/etc/evil.json")]), "absolutte sti"),
    "drive-letter": (lambda: package_with(extra=[Member("C:/evil.json")]), "absolutte sti"),
    "backslash": (lambda: package_with(extra=[Member("content\\..\\evil.json")]), "omvendt skråstreg"),
    "symlink": (
        lambda: package_with(extra=[Member("content/link.json", b"/etc/passwd", mode=0o120777)]),
        "symbolsk genvej",
    ),
    "zip-bomb": (lambda: package_with(extra=[Member("content/bomb.txt", _bomb())]), "zip-bombe"),
    "too-many-files": (_many_files, "Der må højst være 2000"),
    "html-in-content": (
        lambda: package_with(extra=[Member("content/side.html", b"<script>alert(1)</script>")]),
        "ikke er tilladt i indholdsmappen",
    ),
    "js-in-content": (
        lambda: package_with(extra=[Member("content/x.js", b"alert(1)")]),
        "ikke er tilladt i indholdsmappen",
    ),
    "mjs-in-content": (
        lambda: package_with(extra=[Member("content/x.mjs", b"alert(1)")]),
        "ikke er tilladt i indholdsmappen",
    ),
    "svg-in-content": (
        lambda: package_with(extra=[Member("content/x.svg", b"<svg onload='alert(1)'/>")]),
        "ikke er tilladt i indholdsmappen",
    ),
    "php-in-content": (
        lambda: package_with(extra=[Member("content/x.php", b"<?php system($_GET['c']);")]),
        "ikke er tilladt i indholdsmappen",
    ),
    "exe-in-content": (
        lambda: package_with(extra=[Member("content/x.exe", b"MZ")]),
        "ikke er tilladt i indholdsmappen",
    ),
    "html-in-library": (lambda: package_with(extra=[Member(f"{LIB}/x.html", b"<p>")]), "Biblioteksfilen"),
    "php-in-library": (lambda: package_with(extra=[Member(f"{LIB}/x.php", b"<?php")]), "Biblioteksfilen"),
    "script-svg-in-library": (
        lambda: package_with(extra=[Member(f"{LIB}/icon.svg", b"<svg><script>alert(1)</script></svg>")]),
        "SVG-filen",
    ),
    "extensionless": (lambda: package_with(extra=[Member("content/run", b"#!/bin/sh")]), "ingen filendelse"),
    "stray-root-file": (lambda: package_with(extra=[Member("index.json", b"{}")]), "i roden"),
    "missing-h5p-json": (lambda: package_with(drop=("h5p.json",)), "mangler filen h5p.json"),
    "invalid-h5p-json": (
        lambda: package_with(replace={"h5p.json": b"{ikke json"}),
        "h5p.json er ikke gyldig JSON",
    ),
    "missing-content-json": (lambda: package_with(drop=("content/content.json",)), "content/content.json"),
    "main-library-missing": (
        lambda: package_with(
            replace={
                "h5p.json": h5p_json(
                    mainLibrary="H5P.Andet",
                    preloadedDependencies=[
                        {"machineName": "H5P.Andet", "majorVersion": 1, "minorVersion": 0}
                    ],
                )
            }
        ),
        "Hovedbiblioteket »H5P.Andet« findes ikke",
    ),
    "main-library-folder-missing": (
        lambda: package_with(
            drop=(
                f"{LIB}/library.json",
                f"{LIB}/semantics.json",
                f"{LIB}/forebyg-check.js",
                f"{LIB}/forebyg-check.css",
            )
        ),
        "Hovedbiblioteket »H5P.ForebygCheck« findes ikke",
    ),
    "duplicate": (lambda: package_with(extra=[Member("content/content.json", b"{}")]), "mere end én gang"),
    "non-utf8-name": (lambda: with_non_utf8_name(package_with(extra=[Member("content/QQ.json")])), "UTF-8"),
    "encrypted": (
        lambda: with_encrypted_flag(
            package_with(extra=[Member("content/hemmelig.json")]), "content/hemmelig.json"
        ),
        "krypteret",
    ),
    "corrupt-content-json": (
        lambda: with_corrupted_member(
            zip_archive(
                [
                    Member(name, data, compress=zipfile.ZIP_STORED)
                    for name, data in package_members(forebyg_package()).items()
                ]
            ),
            b'"question":"Hvorn',
        ),
        "beskadiget",
    ),
    "not-a-zip": (lambda: b"Dette er ikke et zip-arkiv", "ikke en gyldig H5P-pakke"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_archive_is_refused_with_danish_message(case, tmp_path):
    build, expected = HOSTILE[case]
    path = write(tmp_path, build())
    before = tree(tmp_path)
    with pytest.raises(H5PPackageRejected) as refused:
        h5p_package_validate(path=path)
    assert expected in refused.value.message
    assert tree(tmp_path) == before  # validation only reads


def test_too_large_package_is_refused(settings, tmp_path):
    settings.H5P_MAX_PACKAGE_BYTES = 1024
    with pytest.raises(H5PPackageRejected) as refused:
        h5p_package_validate(path=write(tmp_path, forebyg_package()))
    assert "Den må højst fylde" in refused.value.message


def test_too_large_unpacked_is_refused(settings, tmp_path):
    settings.H5P_MAX_UNCOMPRESSED_BYTES = 4000
    with pytest.raises(H5PPackageRejected) as refused:
        h5p_package_validate(path=write(tmp_path, forebyg_package()))
    assert "når den pakkes ud" in refused.value.message


def test_small_repetitive_files_are_not_taken_for_bombs(tmp_path):
    # 3 KB of spaces compresses more than 100 times, but a file this small cannot be a bomb.
    package = package_with(extra=[Member("content/notes.txt", b" " * 3000)])
    assert h5p_package_validate(path=write(tmp_path, package))


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_processing_a_hostile_upload_ends_rejected_and_leaves_nothing_behind(case, h5p_temp_dir):
    build, expected = HOSTILE[case]
    activity = H5PActivityFactory(package=ContentFile(build(), name="upload.h5p"))
    media = Path(settings.MEDIA_ROOT)
    media_before, temp_before = tree(media), tree(h5p_temp_dir)

    h5p_activity_process(activity=activity, at=timezone.now())

    activity.refresh_from_db()
    assert activity.status == H5PActivity.Status.REJECTED
    assert expected in activity.rejection_reason
    assert tree(media) == media_before
    assert not (media / "h5p" / "content").exists()
    assert tree(h5p_temp_dir) == temp_before == set()


@pytest.mark.django_db
def test_processing_a_valid_upload_extracts_into_storage_under_the_uid(h5p_temp_dir):
    activity = H5PActivityFactory()
    at = timezone.now()
    h5p_activity_process(activity=activity, at=at)
    activity.refresh_from_db()
    assert activity.status == H5PActivity.Status.READY
    assert activity.main_library == "H5P.ForebygCheck 1.0"
    assert activity.processed_at == at
    extracted = tree(Path(settings.MEDIA_ROOT) / "h5p" / "content" / str(activity.uid))
    assert {"h5p.json", "content/content.json", f"{LIB}/forebyg-check.js"} <= extracted
    assert tree(h5p_temp_dir) == set()


@pytest.mark.django_db
def test_processing_is_idempotent_for_ready_and_rejected_activities():
    activity = H5PActivityFactory()
    h5p_activity_process(activity=activity, at=timezone.now())
    target = Path(settings.MEDIA_ROOT) / "h5p" / "content" / str(activity.uid) / "h5p.json"
    target.write_text("changed")  # a second run must not re-extract
    h5p_activity_process(activity=activity, at=timezone.now())
    assert target.read_text() == "changed"

    rejected = H5PActivityFactory(package=ContentFile(b"nej", name="x.h5p"))
    h5p_activity_process(activity=rejected, at=timezone.now())
    processed_at = rejected.processed_at
    h5p_activity_process(activity=rejected, at=timezone.now())
    rejected.refresh_from_db()
    assert rejected.status == H5PActivity.Status.REJECTED
    assert rejected.processed_at == processed_at


@pytest.mark.django_db
def test_activity_without_package_is_rejected():
    activity = H5PActivityFactory(package=None)
    h5p_activity_process(activity=activity, at=timezone.now())
    assert activity.status == H5PActivity.Status.REJECTED
    assert "ikke uploadet" in activity.rejection_reason


def test_zip_archive_helper_writes_names_unsanitised():
    # Guards the hostile cases above: the helper must not clean names on the way in.
    data = zip_archive([Member("../x.json"), Member("/abs.json"), Member("a\\b.json")])
    import io

    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["../x.json", "/abs.json", "a\\b.json"]


@pytest.mark.django_db
def test_member_that_breaks_only_when_extracted_is_rejected_and_cleaned_up(h5p_temp_dir):
    # Validation never reads the library's JavaScript; extraction does and finds the CRC mismatch.
    stored = zip_archive(
        [
            Member(name, data, compress=zipfile.ZIP_STORED)
            for name, data in package_members(forebyg_package()).items()
        ]
    )
    broken = with_corrupted_member(stored, b"ForebygCheck 1.0: a knowledge check")
    activity = H5PActivityFactory(package=ContentFile(broken, name="upload.h5p"))
    h5p_activity_process(activity=activity, at=timezone.now())
    assert activity.status == H5PActivity.Status.REJECTED
    assert "beskadiget" in activity.rejection_reason
    assert not (Path(settings.MEDIA_ROOT) / "h5p" / "content" / str(activity.uid)).exists()
    assert tree(h5p_temp_dir) == set()


@pytest.mark.django_db
def test_an_outcome_for_a_replaced_package_is_not_stored():
    activity = H5PActivityFactory()
    stale = H5PActivity.objects.get(pk=activity.pk)
    # The editor uploads another package while the first one is being checked.
    H5PActivity.objects.filter(pk=activity.pk).update(package="h5p/uploads/nyere.h5p")
    result = h5p_activity_process(activity=stale, at=timezone.now())
    assert result.status == H5PActivity.Status.PENDING
    assert result.package.name == "h5p/uploads/nyere.h5p"

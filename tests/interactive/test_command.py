"""`manage.py import_h5p`: the upload's checks, synchronously, with exit codes 0 and 2."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.management import base as base_command
from django.core.management import execute_from_command_line

from interactive.models import H5PActivity

from .h5p_builders import Member, forebyg_package, package_with, write

pytestmark = pytest.mark.django_db


def run(*args: str) -> int:
    """Run the command as `manage.py` does (argv parsing, stderr, exit code) inside the test transaction.

    run_from_argv closes every DB connection when it ends; on PostgreSQL that would close the test
    transaction's connection, so closing is suspended for the call.
    """
    with mock.patch.object(base_command.connections, "close_all"):
        try:
            execute_from_command_line(["manage.py", "import_h5p", *args])
        except SystemExit as exit_:
            return int(exit_.code)
    return 0


def test_import_prints_the_slug_and_exits_0(tmp_path, capsys):
    path = write(tmp_path, forebyg_package())
    assert run(str(path), "--title", "Videnstjek: Tipping point") == 0
    assert capsys.readouterr().out.strip() == "videnstjek-tipping-point"
    activity = H5PActivity.objects.get()
    assert activity.status == H5PActivity.Status.READY
    assert activity.title == "Videnstjek: Tipping point"


def test_import_with_slug(tmp_path, capsys):
    assert run(str(write(tmp_path, forebyg_package())), "--title", "Tjek", "--slug", "mit-tjek") == 0
    assert capsys.readouterr().out.strip() == "mit-tjek"


def test_rejected_package_exits_2_with_danish_error(tmp_path, capsys):
    path = write(tmp_path, package_with(extra=[Member("../../udenfor.json")]))
    assert run(str(path), "--title", "Ondsindet") == 2
    assert "Pakken er afvist" in capsys.readouterr().err
    assert not H5PActivity.objects.exists()


def test_missing_file_and_taken_slug_exit_2(tmp_path, capsys):
    assert run(str(tmp_path / "findes-ikke.h5p"), "--title", "X") == 2
    assert "Filen findes ikke" in capsys.readouterr().err
    path = write(tmp_path, forebyg_package())
    assert run(str(path), "--title", "Første", "--slug", "tjek") == 0
    assert run(str(path), "--title", "Anden", "--slug", "tjek") == 2
    assert "eksisterer allerede" in capsys.readouterr().err
    assert H5PActivity.objects.count() == 1

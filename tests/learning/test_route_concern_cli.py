"""`manage.py route_concern`: the contract's public examples and every kind of bad input.

Through call_command (in-process, the test DB) and through a real subprocess (a copy of the test
database with the directory imported), as a user or a script would run it.
"""

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from learning.directory import directory_import
from learning.rules import Concern, load_default_directory, route

# Every test needs the test database set up: in-process tests use it, the process tests copy it.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ON = "2026-03-02"
DIRECTORY = load_default_directory()
THREE_SIGNS = ["attitudes.rejects_democracy", "relations.dropped_friends", "behaviour.extremist_material"]

EXAMPLES = {
    "1-koege-15-three-signs": {"municipality": "koege", "reporter": "employee", "age": 15, "signs": THREE_SIGNS},
    "2-koege-34-three-signs": {"municipality": "koege", "reporter": "employee", "age": 34, "signs": THREE_SIGNS},
    **{
        f"3-{slug}-acute-danger": {"municipality": slug, "illegal_act": "suspected", "danger_to_life": True}
        for slug in ("koege", "ishoej", "roedovre")
    },
    "4-roedovre-16-two-signs": {
        "municipality": "roedovre",
        "reporter": "employee",
        "age": 16,
        "signs": ["attitudes.intolerance", "relations.concerning_contacts"],
    },
    "5-ishoej-19-one-sign": {
        "municipality": "ishoej",
        "reporter": "employee",
        "age": 19,
        "signs": ["behaviour.totalitarian_symbols"],
    },
}


def check_example(name, out):
    """The contract's statements about each public example."""
    police = {"police_112", "police_114"}
    if name.startswith("1-"):
        assert out["level"] == "specific"
        assert out["urgency"] == "non_acute"
        assert "notify_children_services" in out["actions"]
        assert not police & set(out["actions"])
        assert "barnets_lov_133" in out["legal_basis"]
    elif name.startswith("2-"):
        assert "local_prevention_unit" in out["actions"]
        unit = next(c for c in out["contacts"] if c["action"] == "local_prevention_unit")
        assert unit["email"] == "infohuskoege@koege.dk"
        assert "notify_children_services" not in out["actions"]
    elif name.startswith("3-"):
        assert out["actions"][0] == "police_112"
        assert out["urgency"] == "acute"
        assert out["level"] == "targeted"
    elif name.startswith("4-"):
        assert out["actions"][0] == "inform_leader"
    elif name.startswith("5-"):
        assert "observe_and_discuss" in out["actions"]
        assert "local_prevention_unit" not in out["actions"]
        assert not police & set(out["actions"])


def expected(data):
    return route(Concern(**data), directory=DIRECTORY, on=datetime.date.fromisoformat(ON)).to_dict()


BAD_INPUTS = {
    "invalid-json": ("{not json", "input"),
    "array": ("[1, 2]", "input"),
    "unknown-municipality": ('{"municipality": "aarhus"}', "municipality"),
    "missing-municipality": ('{"age": 12}', "municipality"),
    "unknown-sign": ('{"municipality": "koege", "signs": ["behaviour.tiktok"]}', "signs[0]"),
    "signs-not-a-list": ('{"municipality": "koege", "signs": "attitudes.intolerance"}', "signs"),
    "wrong-type": ('{"municipality": "koege", "danger_to_life": "yes"}', "danger_to_life"),
    "age-as-text": ('{"municipality": "koege", "age": "15"}', "age"),
    "bool-for-age": ('{"municipality": "koege", "age": true}', "age"),
    "negative-age": ('{"municipality": "koege", "age": -1}', "age"),
    "unknown-key": ('{"municipality": "koege", "cpr": "x"}', "cpr"),
    "bad-choice": ('{"municipality": "koege", "reporter": "police"}', "reporter"),
}


# --- In-process -----------------------------------------------------------------------------------------


@pytest.fixture
def imported(db):
    directory_import(data=DIRECTORY.to_dict())


def run(monkeypatch, text, *args):
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("route_concern", "--input", "-", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", EXAMPLES)
def test_public_examples_through_call_command(imported, monkeypatch, name):
    code, out, err = run(monkeypatch, json.dumps(EXAMPLES[name]), "--on", ON)
    assert (code, err) == (0, "")
    decision = json.loads(out)
    check_example(name, decision)
    assert decision == expected(EXAMPLES[name])


def test_reads_a_file_and_defaults_to_today(imported, tmp_path):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(EXAMPLES["2-koege-34-three-signs"]), encoding="utf-8")
    out = io.StringIO()
    call_command("route_concern", "--input", str(case), stdout=out)
    decision = json.loads(out.getvalue())
    assert decision["actions"] == expected(EXAMPLES["2-koege-34-three-signs"])["actions"]


def test_output_keeps_danish_letters(imported, monkeypatch):
    _code, out, _err = run(monkeypatch, json.dumps(EXAMPLES["1-koege-15-three-signs"]), "--on", ON)
    assert "Køge" in out
    assert "\\u00f8" not in out


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_through_call_command(imported, monkeypatch, name):
    text, field = BAD_INPUTS[name]
    code, out, err = run(monkeypatch, text, "--on", ON)
    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {field}")


def test_missing_file_through_call_command(imported, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("route_concern", "--input", str(tmp_path / "nope.json"), stdout=out, stderr=err)
    assert exit_.value.code == 2
    assert out.getvalue() == ""
    assert err.getvalue().startswith("error: --input: file not found")


def test_bad_date(imported, monkeypatch):
    code, out, err = run(monkeypatch, json.dumps(EXAMPLES["5-ishoej-19-one-sign"]), "--on", "2. marts")
    assert (code, out) == (2, "")
    assert err.startswith("error: --on")


# --- As a real process -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def process_env(django_db_setup, django_db_blocker, tmp_path_factory):
    """A database file for manage.py in a subprocess: the migrated test schema, directory imported."""
    import sqlite3

    from django.db import connection

    database = tmp_path_factory.mktemp("cli") / "cli.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "learning.settings.test", "DATABASE_URL": f"sqlite:///{database}"}
    manage = [sys.executable, "manage.py"]
    with django_db_blocker.unblock():
        vendor = connection.vendor
        name = str(connection.settings_dict["NAME"])
    if vendor == "sqlite":
        # Copy the migrated test schema to a file (no test transaction is open at module setup).
        source = sqlite3.connect(name, uri=name.startswith("file:"))
        target = sqlite3.connect(database)
        source.backup(target)
        source.close()
        target.close()
    if vendor != "sqlite":
        migrated = subprocess.run(  # noqa: S603  (a fixed argument list, no shell)
            [*manage, "migrate", "--noinput", "--skip-checks"], cwd=ROOT, env=env, capture_output=True, text=True,
            check=False,
        )
        assert migrated.returncode == 0, migrated.stderr
    script = (
        "from learning.directory import directory_import; from learning.rules import load_default_directory; "
        "directory_import(data=load_default_directory().to_dict())"
    )
    imported = subprocess.run(  # noqa: S603
        [*manage, "shell", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert imported.returncode == 0, imported.stderr
    return env


def test_the_process_reads_the_directory_from_the_database(process_env, tmp_path):
    import shutil
    import sqlite3

    # On a copy of the process's database, change a phone number: the process's answer shows it.
    source = process_env["DATABASE_URL"].removeprefix("sqlite:///")
    copy = tmp_path / "edited.sqlite3"
    shutil.copyfile(source, copy)
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE learning_contactpoint SET phone = '56 67 00 00' WHERE email = 'infohuskoege@koege.dk'"
                   " AND action = 'local_prevention_unit'")
    env = {**process_env, "DATABASE_URL": f"sqlite:///{copy}"}
    result = run_process(env, json.dumps(EXAMPLES["2-koege-34-three-signs"]), "--on", ON)
    assert result.returncode == 0, result.stderr
    unit = next(c for c in json.loads(result.stdout)["contacts"] if c["action"] == "local_prevention_unit")
    assert unit["phone"] == "56 67 00 00"


def run_process(env, text, *args):
    return subprocess.run(  # noqa: S603  (a fixed argument list, no shell)
        [sys.executable, "manage.py", "route_concern", "--input", "-", *args],
        cwd=ROOT, env=env, input=text, capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.parametrize("name", EXAMPLES)
def test_public_examples_as_a_process(process_env, name):
    result = run_process(process_env, json.dumps(EXAMPLES[name]), "--on", ON)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # Exactly one JSON object, nothing before or after it.
    decoded, end = json.JSONDecoder().raw_decode(result.stdout)
    assert result.stdout[end:].strip() == ""
    assert isinstance(decoded, dict)
    check_example(name, decoded)
    assert decoded == expected(EXAMPLES[name])


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_as_a_process(process_env, name):
    text, field = BAD_INPUTS[name]
    result = run_process(process_env, text)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {field}")
    assert "Traceback" not in result.stderr


def test_missing_file_as_a_process(process_env, tmp_path):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "route_concern", "--input", str(tmp_path / "missing.json")],
        cwd=ROOT, env=process_env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "--input" in result.stderr

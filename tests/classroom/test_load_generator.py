"""bench/classroom_load.py end to end against a live server, at toy scale: the whole model runs (teacher
login, sessions, joins, polls, the vote window, the reveal) and every acknowledged vote is counted once."""

import json

import pytest

from bench import classroom_load
from classroom.models import LiveSession, StepResult

from .factories import make_deck, make_teacher


@pytest.mark.django_db(transaction=True)
def test_a_small_burst_runs_the_whole_model_and_counts_every_vote_once(live_server, tmp_path, capsys):
    from tests.factories import TEST_PASSWORD

    make_deck()
    teacher = make_teacher()
    out = tmp_path / "classroom.json"
    status = classroom_load.main([
        live_server.url, "--sessions", "2", "--pupils", "4", "--teacher", teacher.email, "--password", TEST_PASSWORD,
        "--join-min", "0.2", "--join-max", "0.5", "--window", "1.5", "--poll-interval", "0.3",
        "--teacher-interval", "0.3", "--teacher-spread", "0.1", "--connections", "4", "--deadline", "60",
        "--seed", "7", "--json", str(out),
    ])
    printed = capsys.readouterr().out
    data = json.loads(out.read_text(encoding="utf-8"))
    assert status == 0, printed
    assert data["votes"] == data["votes_expected"] == 8 and data["votes_ok"] and data["errors"] == 0
    assert data["joined"] == 8
    assert data["by_kind"]["vote"]["n"] >= 8 and data["by_kind"]["poll"]["n"] > 8
    assert data["teacher_lag_ms"]["unseen"] == 0
    assert data["pupil_follow_ms"]["open"]["n"] == 8 and data["pupil_follow_ms"]["reveal"]["n"] == 8
    assert "OK: hver stemme talt præcis én gang." in data["summary"]
    # The generator ended the sessions: only the aggregates are left, and they add up.
    assert LiveSession.objects.filter(ended_at__isnull=True).count() == 0
    assert sum(StepResult.objects.values_list("count", flat=True)) == 8


def test_it_refuses_anything_but_the_loop_back(capsys):
    assert classroom_load.main(["http://example.org"]) == 2
    assert "kun mod" in capsys.readouterr().err

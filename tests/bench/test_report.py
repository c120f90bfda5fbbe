"""The benchmark report writer (bench.report) and the wrk driver's pure parts (bench.run)."""

from __future__ import annotations

import json

from bench import report, run


def _run(rps: float, p95: float = 5.0, p99: float = 8.0, bad: int = 0) -> dict:
    return {"rps": rps, "p50_ms": 2.0, "p95_ms": p95, "p99_ms": p99, "requests": int(rps * 10),
            "unexpected_status": bad, "socket_errors": 0}


def _http(**targets) -> dict:
    groups, out = [], {}
    for name, (scenario_runs, refs) in targets.items():
        out[name] = {"label": name, "connections": 4, "unavailable": "", "runs": scenario_runs}
        group_runs = {name: scenario_runs}
        for ref, ref_runs in refs.items():
            out.setdefault(ref, {"label": ref, "connections": 4, "unavailable": "", "runs": []})["runs"] += ref_runs
            group_runs[ref] = ref_runs
        groups.append({"scenario": name, "references": list(refs), "runs": group_runs})
    return {"config": {"connections": 4, "runs": 3}, "targets": out, "groups": groups}


def test_ratios_are_taken_within_the_group_from_medians():
    http = _http(
        public=([_run(700), _run(800), _run(760)], {"ceiling": [_run(1000), _run(1000), _run(1100)]}),
        xapi=([_run(300), _run(310), _run(290)], {"insert_json": [_run(600), _run(400), _run(500)]}),
    )
    results = report.scenario_results(http, {"public": {"queries": 0}})
    assert results["public"]["rps"] == 760
    assert results["public"]["ratios"] == {"ceiling": 0.76}
    assert results["xapi"]["ratios"] == {"insert_json": 0.6}
    assert results["public"]["queries"] == 0


def test_targets_are_met_missed_or_not_measured():
    http = _http(
        public=([_run(600)] * 3, {"ceiling": [_run(1000)] * 3}),
        quiz=([_run(300, p99=120)] * 3, {"insert_form": [_run(500)] * 3}),
    )
    evaluated = report.evaluate(report.scenario_results(http, {}), {"per_second_per_core": 4.2, "certificates": 60}, None)
    assert evaluated["public"]["met"] is False  # 60 % < 70 %
    assert evaluated["quiz"]["met"] is True
    assert evaluated["certificate_pdf"]["met"] is True
    assert evaluated["lesson"]["available"] is False
    assert evaluated["classroom"]["met"] is None


def test_errors_fail_a_scenario_even_when_fast():
    http = _http(xapi=([_run(900, bad=3)] * 3, {"insert_json": [_run(1000)] * 3}))
    evaluated = report.evaluate(report.scenario_results(http, {}), None, None)
    assert evaluated["xapi"]["met"] is False
    assert {"target": "no errors", "met": False} in evaluated["xapi"]["targets"]


def test_classroom_targets():
    good = {"votes_ok": True, "errors": 0, "p95_ms": 120.0, "teacher_lag_ms": {"max": 1500}}
    assert report.classroom_evaluate(good)["met"] is True
    assert report.classroom_evaluate({**good, "teacher_lag_ms": {"max": 2500}})["met"] is False
    assert report.classroom_evaluate({**good, "teacher_lag_ms": {"max": None}})["met"] is None
    assert report.classroom_evaluate({**good, "teacher_lag_ms": {"max": None, "unseen": 3}})["met"] is False


def test_main_writes_markdown_and_json(tmp_path):
    http = _http(lesson=([_run(120, p99=90)] * 3, {"plain_page": [_run(150)] * 3, "ceiling": [_run(1000)] * 3}))
    http["targets"]["xapi"] = {"label": "xapi", "connections": 4, "unavailable": "not available (404)", "runs": []}
    (tmp_path / "http.json").write_text(json.dumps(http))
    (tmp_path / "queries.json").write_text(json.dumps({"lesson": {"queries": 5}}))
    (tmp_path / "machine.json").write_text(json.dumps({"nproc": 2, "wall_s": 900}))
    md, js = tmp_path / "b.md", tmp_path / "b.json"
    assert report.main(["--dir", str(tmp_path), "--md", str(md), "--json", str(js)]) == 0
    text = md.read_text()
    assert "| lesson | 120 |" in text
    assert "plain_page: 0.80×" in text
    assert "not available: not available (404)" in text
    data = json.loads(js.read_text())
    assert data["scenarios"]["lesson"]["met"] is True
    assert data["scenarios"]["lesson"]["ratios"] == {"plain_page": 0.8, "ceiling": 0.12}
    assert data["scenarios"]["xapi"]["available"] is False
    assert data["machine"]["wall_s"] == 900


def test_lua_strings_escape_everything_but_printable_ascii():
    assert run.lua_string('a"b\\c') == '"a\\034b\\092c"'
    assert run.lua_string("ø\n") == '"\\195\\184\\010"'


def test_targets_from_setup_mark_missing_endpoints_unavailable():
    setup = {
        "session_cookie": "s", "csrf_cookie": "c", "csrf_secret": "x" * 32, "learner_sessions": ["a", "b"],
        "coordinator_session": "k", "coordinator_large_session": "l", "admin_session": "m",
        "largest_municipality": {"name": "X", "staff": 9000}, "koege_staff": 800,
        "lesson": {"path": "/l/", "title": "L"}, "module": {"path": "/m/", "title": "M"},
        "plain": {"path": "/p/?uncached=1", "title": "L"}, "public": {"path": "/", "title": "H"},
        "quiz": None, "xapi": None,
    }
    targets, groups = run.build_targets(setup, page_connections=4, latency_connections=1)
    assert targets["quiz"].unavailable and targets["xapi"].unavailable
    assert targets["lesson"].cookies == ["s=a; c=" + "x" * 32, "s=b; c=" + "x" * 32]
    assert targets["dashboard"].connections == 1
    assert {g.scenario: g.references for g in groups}["lesson"] == ["plain_page", "ceiling"]
    assert 'expect = 201' in run.lua_spec(targets["insert_json"])


def test_ratios_pair_the_runs_of_each_round_so_machine_drift_cancels():
    # The machine got twice as fast in round 3 for both: the paired ratio stays 0.5.
    mine = [{**_run(50), "round": 1}, {**_run(50), "round": 2}, {**_run(100), "round": 3}]
    ref = [{**_run(100), "round": 1}, {**_run(100), "round": 2}, {**_run(200), "round": 3}]
    assert report.paired_ratio(mine, ref) == 0.5
    assert report.paired_ratio(mine, []) is None


def test_the_quiz_is_sent_like_htmx_sends_it_and_its_answer_must_hold_the_feedback():
    setup = {
        "session_cookie": "s", "csrf_cookie": "c", "csrf_secret": "x" * 32, "learner_sessions": ["a"],
        "coordinator_session": "k", "coordinator_large_session": "l", "admin_session": "m",
        "largest_municipality": {"name": "X", "staff": 9000}, "koege_staff": 800,
        "lesson": {"path": "/l/", "title": "L"}, "module": {"path": "/m/", "title": "M"},
        "plain": {"path": "/p/?uncached=1", "title": "L"}, "public": {"path": "/", "title": "H"},
        "quiz": {"path": "/quiz/oevelse/7/", "body": "lesson=3&q7-first_action=police_112",
                 "headers": {"HX-Request": "true", "HX-Target": "oevelse-7-svar"}, "must_contain": "Din feedback"},
        "xapi": None,
    }
    targets, _groups = run.build_targets(setup, page_connections=4, latency_connections=1)
    quiz, reference = targets["quiz"], targets["insert_form"]
    assert quiz.headers["HX-Request"] == "true" and quiz.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert quiz.body == reference.body  # the same fields as the form without JavaScript
    assert 'contains = "Din feedback"' in run.lua_spec(quiz)
    assert 'contains = ""' in run.lua_spec(reference)  # no marker: only the status is checked

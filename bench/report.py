"""Write docs/benchmarks.md and docs/benchmarks.json from the files `make bench` leaves in var/bench/.

    python bench/report.py --dir var/bench --md docs/benchmarks.md --json docs/benchmarks.json

Standard library only. Ratios are always taken within one scenario's group (the scenario and its
references measured alternately in the same minutes), round by round, never across the run.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

NOTES = Path(__file__).resolve().parent / "notes.md"


@dataclass(frozen=True)
class Check:
    """One target: a description, and a test on the scenario's figures (None = could not be measured)."""

    text: str
    test: Callable[[dict], bool | None]


def _ratio(name: str, minimum: float) -> Callable[[dict], bool | None]:
    return lambda s: None if s["ratios"].get(name) is None else s["ratios"][name] >= minimum


def _below(key: str, limit: float) -> Callable[[dict], bool | None]:
    return lambda s: None if s.get(key) is None else s[key] < limit


def _at_most(key: str, limit: float) -> Callable[[dict], bool | None]:
    return lambda s: None if s.get(key) is None else s[key] <= limit


def _no_bad(s: dict) -> bool | None:
    return None if s.get("bad") is None else s["bad"] == 0


# Scenario → its targets (docs/benchmarks.md explains each). "≥ 1.5× the plain Wagtail page" is read as
# "at most 1.5× the plain page's time per request", i.e. throughput ≥ 1/1.5 ≈ 0.667 of the plain page.
TARGETS: dict[str, list[Check]] = {
    "lesson": [
        Check("time ≤ 1.5× the plain Wagtail page (req/s ≥ 0.667× plain)", _ratio("plain_page", 1 / 1.5)),
        Check("≥ 12 % of the ceiling", _ratio("ceiling", 0.12)),
        Check("p99 < 100 ms", _below("p99_ms", 100)),
        Check("≤ 6 queries", _at_most("queries", 6)),
        Check("no errors", _no_bad),
    ],
    "module": [
        Check("time ≤ 1.5× the plain Wagtail page (req/s ≥ 0.667× plain)", _ratio("plain_page", 1 / 1.5)),
        Check("≥ 12 % of the ceiling", _ratio("ceiling", 0.12)),
        Check("p99 < 100 ms", _below("p99_ms", 100)),
        Check("≤ 6 queries", _at_most("queries", 6)),
        Check("no errors", _no_bad),
    ],
    "public": [Check("≥ 70 % of the ceiling", _ratio("ceiling", 0.70)), Check("no errors", _no_bad)],
    "quiz": [
        Check("≥ 50 % of the INSERT view", _ratio("insert_form", 0.50)),
        Check("p99 < 150 ms", _below("p99_ms", 150)),
        Check("no errors", _no_bad),
    ],
    "xapi": [Check("≥ 60 % of the INSERT view", _ratio("insert_json", 0.60)), Check("no errors", _no_bad)],
    "dashboard": [
        Check("p95 < 50 ms", _below("p95_ms", 50)),
        Check("same number of queries as the largest municipality", lambda s: s.get("fixed_queries")),
        Check("no errors", _no_bad),
    ],
    "dashboard_large": [
        Check("p95 < 50 ms", _below("p95_ms", 50)),
        Check("same number of queries as Køge", lambda s: s.get("fixed_queries")),
        Check("no errors", _no_bad),
    ],
    "national": [Check("p95 < 150 ms", _below("p95_ms", 150)), Check("no errors", _no_bad)],
}
REFERENCE_NAMES = ("ceiling", "ceiling_latency", "insert_form", "insert_json", "plain_page")


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def summarize_runs(runs: list[dict]) -> dict:
    """Median over runs of req/s and latency percentiles, and the requests that went wrong."""
    if not runs:
        return {"rps": None, "p50_ms": None, "p95_ms": None, "p99_ms": None, "runs": 0, "bad": None}
    return {
        "rps": median([r["rps"] for r in runs]),
        "p50_ms": median([r["p50_ms"] for r in runs]),
        "p95_ms": median([r["p95_ms"] for r in runs]),
        "p99_ms": median([r["p99_ms"] for r in runs]),
        "runs": len(runs),
        "rps_each": [round(r["rps"], 1) for r in runs],
        "requests": sum(r["requests"] for r in runs),
        "bad": sum(r["unexpected_status"] + r["socket_errors"] for r in runs),
    }


def paired_ratio(mine: list[dict], theirs: list[dict]) -> float | None:
    """The scenario's req/s relative to a reference: the median of the per-round ratios (each round runs the
    scenario and the reference back to back, so drift of the shared machine cancels out); without round
    numbers, the ratio of the medians."""
    by_round = {r["round"]: r["rps"] for r in theirs if "round" in r}
    pairs = [r["rps"] / by_round[r["round"]] for r in mine if by_round.get(r.get("round"))]
    if pairs:
        return round(statistics.median(pairs), 3)
    a, b = median([r["rps"] for r in mine]), median([r["rps"] for r in theirs])
    return round(a / b, 3) if a and b else None


def scenario_results(http: dict, queries: dict) -> dict[str, dict]:
    """Per scenario (and per reference): figures, query count and ratios to the group's references."""
    targets = http.get("targets", {})
    out: dict[str, dict] = {}
    for name, target in targets.items():
        summary = summarize_runs(target.get("runs") or [])
        summary.update(
            label=target.get("label", name),
            connections=target.get("connections"),
            unavailable=target.get("unavailable") or "",
            queries=(queries.get(name) or {}).get("queries"),
            reference=name in REFERENCE_NAMES,
            ratios={},
        )
        out[name] = summary
    for group in http.get("groups", []):
        scenario = out.get(group["scenario"])
        if scenario is None:
            continue
        runs = group.get("runs") or {}
        for ref in group["references"]:
            scenario["ratios"][ref] = paired_ratio(runs.get(group["scenario"], []), runs.get(ref, []))
    if "dashboard" in out and "dashboard_large" in out:
        a, b = out["dashboard"]["queries"], out["dashboard_large"]["queries"]
        fixed = None if a is None or b is None else a == b
        out["dashboard"]["fixed_queries"] = out["dashboard_large"]["fixed_queries"] = fixed
    return out


def evaluate(results: dict[str, dict], pdf: dict | None, classroom: dict | None) -> dict[str, dict]:
    """Every scenario with its targets met (True), missed (False) or not measured (None)."""
    evaluated: dict[str, dict] = {}
    for name, checks in TARGETS.items():
        s = results.get(name)
        if s is None or s["unavailable"] or not s["runs"]:
            reason = (s or {}).get("unavailable") or "not measured"
            evaluated[name] = {
                "label": (s or {}).get("label", name), "available": False, "reason": reason,
                "targets": [{"target": c.text, "met": None} for c in checks], "met": None,
            }
            continue
        checked = [{"target": c.text, "met": c.test(s)} for c in checks]
        evaluated[name] = {
            "label": s["label"], "available": True, "median_rps": s["rps"], "p50_ms": s["p50_ms"],
            "p95_ms": s["p95_ms"], "p99_ms": s["p99_ms"], "queries": s["queries"], "ratios": s["ratios"],
            "connections": s["connections"], "runs": s["runs"], "bad": s["bad"],
            "targets": checked, "met": _all_met(checked),
        }
    if pdf is not None:
        rate = pdf.get("per_second_per_core")
        checked = [{"target": "bulk ≥ 3 per second per core", "met": None if rate is None else rate >= 3}]
        evaluated["certificate_pdf"] = {"label": "Certificate PDF, bulk rendering (one process)", "available": True,
                                        "per_second_per_core": rate, "targets": checked, "met": _all_met(checked), **pdf}
    else:
        evaluated["certificate_pdf"] = {"label": "Certificate PDF, bulk rendering", "available": False,
                                        "reason": "not measured", "targets": [], "met": None}
    evaluated["classroom"] = classroom_evaluate(classroom)
    return evaluated


def classroom_evaluate(classroom: dict | None) -> dict:
    label = "Classroom burst: 50 classes × 30 pupils voting within 10 s, polling"
    if not classroom:
        return {"label": label, "available": False, "reason": "not measured", "targets": [], "met": None}
    lag = classroom.get("teacher_lag_ms") or {}
    checked = [
        {"target": "every vote counted exactly once", "met": classroom.get("votes_ok")},
        {"target": "0 errors", "met": classroom.get("errors") == 0},
        {"target": "p95 < 300 ms", "met": None if classroom.get("p95_ms") is None else classroom["p95_ms"] < 300},
        {"target": "teacher view updated < 2 s", "met": _lag_met(lag)},
    ]
    return {"label": label, "available": True, **classroom, "targets": checked, "met": _all_met(checked)}


def _lag_met(lag: dict) -> bool | None:
    if lag.get("unseen"):
        return False  # some acknowledged votes never reached the teacher's screen
    return None if lag.get("max") is None else lag["max"] < 2000


def _all_met(checked: list[dict]) -> bool | None:
    values = [c["met"] for c in checked]
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _fmt(value, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{suffix}" if isinstance(value, float) else f"{value}{suffix}"


def _mark(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "n/a"}[met]


def render_markdown(results: dict, evaluated: dict, *, machine: dict, http: dict, queries: dict, pdf: dict | None,
                    classroom: dict | None, profile: str, notes: str) -> str:
    cfg = http.get("config", {})
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (bench/run.sh → bench/report.py); do not edit by hand: edit bench/notes.md and run",
        "`make bench` again. Absolute figures on a shared 2-core machine drift from run to run; the **ratios** to the",
        "references, measured alternately within the same minutes, are what the targets are judged on.",
        "",
        "## Result",
        "",
        "| scenario | median req/s | p50 ms | p95 ms | p99 ms | queries | ratio to references | targets | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for name, e in evaluated.items():
        if name in ("certificate_pdf", "classroom"):
            continue
        if not e["available"]:
            lines.append(f"| {e['label']} | – | – | – | – | – | – | not available: {e['reason']} | n/a |")
            continue
        ratios = ", ".join(f"{r}: {_fmt(v, 2)}×" for r, v in e["ratios"].items()) or "–"
        goals = "; ".join(f"{t['target']} ({_mark(t['met'])})" for t in e["targets"])
        lines.append(
            f"| {e['label']} | {_fmt(e['median_rps'])} | {_fmt(e['p50_ms'])} | {_fmt(e['p95_ms'])} | {_fmt(e['p99_ms'])} | "
            f"{_fmt(e['queries'])} | {ratios} | {goals} | {_mark(e['met'])} |"
        )
    p = evaluated["certificate_pdf"]
    if p["available"]:
        lines.append(
            f"| {p['label']} | {_fmt(p['per_second_per_core'], 2)} PDF/s per core | – | – | – | – | – | "
            f"bulk ≥ 3 per second per core ({_mark(p['met'])}) | {_mark(p['met'])} |"
        )
    c = evaluated["classroom"]
    if c["available"]:
        goals = "; ".join(f"{t['target']} ({_mark(t['met'])})" for t in c["targets"])
        lines.append(
            f"| {c['label']} | {_fmt(c.get('rps'))} | {_fmt(c.get('p50_ms'))} | {_fmt(c.get('p95_ms'))} | "
            f"{_fmt(c.get('p99_ms'))} | – | – | {goals} | {_mark(c['met'])} |"
        )
    else:
        lines.append(f"| {c['label']} | – | – | – | – | – | – | not available: {c['reason']} | n/a |")

    lines += ["", "### References (same run)", "", "| reference | median req/s | p50 ms | p95 ms | p99 ms | queries | runs (req/s) |",
              "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for name in REFERENCE_NAMES:
        r = results.get(name)
        if r is None:
            continue
        lines.append(
            f"| {r['label']} | {_fmt(r['rps'])} | {_fmt(r['p50_ms'])} | {_fmt(r['p95_ms'])} | {_fmt(r['p99_ms'])} | "
            f"{_fmt(r['queries'])} | {', '.join(str(x) for x in r.get('rps_each', []))} |"
        )
    lines += ["", "### Every run", "", "| scenario | connections | req/s per run | requests | errors |", "| --- | ---: | --- | ---: | ---: |"]
    for name, r in results.items():
        if r["runs"]:
            lines.append(f"| {name} | {r['connections']} | {', '.join(str(x) for x in r['rps_each'])} | {r['requests']:,} | {r['bad']} |")

    if classroom:
        lines += ["", "### Classroom burst", "", "```", classroom.get("summary", "").rstrip(), "```"]
    if pdf:
        lines += ["", "### Certificate PDF", "",
                  f"{pdf['certificates']} certificates rendered by `certificates.services.certificate_render_pdf` (render, store, "
                  f"mark done) in one process: {pdf['wall_s']} s wall, {pdf['cpu_s']} s CPU of this process → "
                  f"**{pdf['per_second_per_core']} per second per core** (wall; {pdf.get('per_cpu_second')} per CPU-second of "
                  f"Python), {pdf['mean_pdf_bytes']:,} bytes per PDF on average. PDFs are rendered once, at issue, by the "
                  f"Celery worker; downloads serve the stored file."]

    lines += ["", "## How it was measured", "",
              f"* Machine: {machine.get('nproc')} cores ({machine.get('cpu')}), {machine.get('memory_gib')} GiB RAM, "
              f"{machine.get('os')}, kernel {machine.get('kernel')}.",
              f"* Software: Python {machine.get('python')}, Django {machine.get('django')}, Wagtail {machine.get('wagtail')}, "
              f"PostgreSQL {machine.get('postgresql')}, {machine.get('redis')}, {machine.get('gunicorn')}, "
              f"Celery {machine.get('celery')}, {machine.get('wrk')}.",
              f"* Server: `gunicorn learning.wsgi --workers {machine.get('gunicorn_workers')} --threads "
              f"{machine.get('gunicorn_threads')} --worker-class gthread` with `learning.settings.production` "
              "(DEBUG off, SECURE_SSL_REDIRECT=false because the loop-back has no TLS, ALLOWED_HOSTS=127.0.0.1,localhost, a "
              "SECRET_KEY generated for the run), PostgreSQL on 127.0.0.1 (scratch database `forebyg_bench`), Redis db 14 "
              "(cache and broker), one Celery worker. wrk, the server, PostgreSQL and Redis share the same cores.",
              f"* Data: 98 municipalities, 5,000 departments, 100,000 staff, 1,000,000 lesson-progress rows, 50,000 "
              f"certificates (plus the demo content), loaded with COPY in {machine.get('data_s')} s including migrate and "
              "`seed_demo`.",
              f"* Load: wrk, {cfg.get('runs')} runs × {cfg.get('duration_s')} s per scenario and per reference, alternating "
              f"(scenario, reference, …) after a {cfg.get('warmup_s')} s unrecorded warm-up; {cfg.get('connections')} "
              "connections for the pages and POSTs (one per server thread: saturates both cores without queueing in the "
              f"backlog), {cfg.get('latency_connections')} for the coordinator pages (the latency one coordinator sees). "
              "Learner requests rotate over 64 signed-in learners with real progress; every request's status is checked "
              "(a redirect to the login page would count as an error).",
              "* Queries per request: a separate request through the full middleware stack (Django test client, "
              "`CaptureQueriesContext`) on the same data after one warm-up request (`manage.py bench_queries`).",
              f"* Wall time of the whole `make bench`: **{machine.get('wall_s')} s**.",
              "", "Commands:", "", "```sh", "make bench                      # everything below, unattended",
              "bench/run.sh                    # the same, directly", "# inside bench/run.sh:",
              ".venv/bin/python manage.py migrate && seed_demo && generate_bench_data && bench_prepare",
              ".venv/bin/python manage.py bench_queries && bench_pdf",
              f".venv/bin/gunicorn learning.wsgi --workers {machine.get('gunicorn_workers')} --threads "
              f"{machine.get('gunicorn_threads')} --worker-class gthread -b 127.0.0.1:8765",
              ".venv/bin/celery -A learning worker --concurrency 1",
              f".venv/bin/python bench/run.py --runs {cfg.get('runs')} --duration {cfg.get('duration_s')}   # wrk -s bench/lua/scenario.lua",
              ".venv/bin/python bench/classroom_load.py http://127.0.0.1:8765 --sessions 50 --pupils 30",
              ".venv/bin/python manage.py bench_profile", "```"]
    lines += ["", "## Queries per request", "", "| request | queries |", "| --- | ---: |"]
    for name, q in queries.items():
        lines.append(f"| {name} | {q['queries']} |")
    lines += ["", "## Profiling notes", "", notes.strip(), ""]
    if profile:
        lines += ["### Profile of the slowest scenario (cProfile, top functions by cumulative time)", "", "```",
                  "\n".join(profile.strip().splitlines()[:60]), "```", ""]
    return "\n".join(lines) + "\n"


def report_json(evaluated: dict, machine: dict, http: dict) -> dict:
    scenarios = {}
    for name, e in evaluated.items():
        item = {k: e.get(k) for k in ("label", "available", "median_rps", "p50_ms", "p95_ms", "p99_ms", "queries",
                                        "ratios", "connections", "runs", "bad") if k in e}
        item.update(targets=e["targets"], met=e["met"])
        if not e["available"]:
            item["reason"] = e.get("reason")
        for extra in ("per_second_per_core", "votes_ok", "errors", "teacher_lag_ms", "votes"):
            if extra in e:
                item[extra] = e[extra]
        scenarios[name] = item
    return {"machine": machine, "config": http.get("config", {}), "scenarios": scenarios}


def _load(path: Path) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", default="var/bench")
    parser.add_argument("--md", default="docs/benchmarks.md")
    parser.add_argument("--json", default="docs/benchmarks.json")
    args = parser.parse_args(argv)
    d = Path(args.dir)
    http = _load(d / "http.json") or {"targets": {}, "groups": [], "config": {}}
    queries = _load(d / "queries.json") or {}
    results = scenario_results(http, queries)
    pdf, classroom = _load(d / "pdf.json"), _load(d / "classroom.json")
    evaluated = evaluate(results, pdf, classroom)
    machine = _load(d / "machine.json") or {}
    profile = (d / "profile.txt").read_text(encoding="utf-8") if (d / "profile.txt").exists() else ""
    notes = NOTES.read_text(encoding="utf-8") if NOTES.exists() else ""
    Path(args.md).parent.mkdir(parents=True, exist_ok=True)
    Path(args.md).write_text(
        render_markdown(results, evaluated, machine=machine, http=http, queries=queries, pdf=pdf, classroom=classroom,
                        profile=profile, notes=notes),
        encoding="utf-8",
    )
    Path(args.json).write_text(json.dumps(report_json(evaluated, machine, http), indent=2, ensure_ascii=False) + "\n",
                               encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

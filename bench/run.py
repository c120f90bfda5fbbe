"""Drive wrk against the local server: every scenario alternated with its references, N runs each.

    python bench/run.py --setup var/bench/setup.json --base http://127.0.0.1:8765 --out var/bench/http.json

Standard library only (runs outside Django). Only talks to 127.0.0.1/localhost; every wrk run is
bounded (duration + timeout) and the whole run has a hard deadline.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LUA = Path(__file__).resolve().parent / "lua" / "scenario.lua"


@dataclass
class Target:
    name: str
    label: str
    method: str
    paths: list[str]
    expect: int
    connections: int
    cookies: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    uuid_body: bool = False
    must_contain: str = ""
    unavailable: str = ""  # why the scenario cannot run (e.g. the endpoint is not there yet)


@dataclass
class Group:
    scenario: str
    references: list[str]


def lua_string(value: str) -> str:
    """A Lua 5.1 string literal: printable ASCII as is, every other byte as a decimal escape."""
    out = []
    for byte in value.encode("utf-8"):
        char = chr(byte)
        if char in ('"', "\\") or not 32 <= byte < 127:
            out.append(f"\\{byte:03d}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def lua_spec(target: Target) -> str:
    def items(values: list[str]) -> str:
        return "{" + ", ".join(lua_string(v) for v in values) + "}"

    headers = "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in target.headers.items()) + "}"
    body = lua_string(target.body) if target.body is not None else "nil"
    return (
        f"return {{method = {lua_string(target.method)}, paths = {items(target.paths)}, cookies = {items(target.cookies)}, "
        f"headers = {headers}, body = {body}, uuid_body = {'true' if target.uuid_body else 'false'}, "
        f"expect = {target.expect}, contains = {lua_string(target.must_contain)}}}\n"
    )


def build_targets(setup: dict, *, page_connections: int, latency_connections: int) -> tuple[dict[str, Target], list[Group]]:
    """The references and scenarios of docs/benchmarks.md, from bench_prepare's setup."""
    sc, cc = setup["session_cookie"], setup["csrf_cookie"]
    secret = setup["csrf_secret"]
    learners = [f"{sc}={key}; {cc}={secret}" for key in setup["learner_sessions"]]
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    quiz, xapi = setup.get("quiz"), setup.get("xapi")
    xapi_body = xapi["body"] if xapi else "{}"
    quiz_body = quiz["body"] if quiz else f"csrfmiddlewaretoken={secret}"
    t = {
        "ceiling": Target("ceiling", "Reference: minimal Django view (framework ceiling)", "GET", ["/bench/ceiling/"], 200, page_connections),
        "ceiling_latency": Target(
            "ceiling_latency", "Reference: minimal Django view, coordinator-page connections", "GET", ["/bench/ceiling/"],
            200, latency_connections,
        ),
        "insert_form": Target(
            "insert_form", "Reference: one INSERT, form POST with CSRF (quiz-sized body)", "POST", ["/bench/insert/"], 201,
            page_connections, cookies=[f"{cc}={secret}"], headers=form, body=quiz_body,
        ),
        "insert_json": Target(
            "insert_json", "Reference: one INSERT, JSON POST without CSRF (~2 KB, xAPI-sized)", "POST", ["/bench/insert-json/"],
            201, page_connections, headers={"Content-Type": "application/json"}, body=xapi_body,
        ),
        "plain_page": Target(
            "plain_page", "Reference: plain Wagtail page, same blocks as the lesson (anonymous)", "GET",
            [setup["plain"]["path"]], 200, page_connections, must_contain=setup["plain"]["title"],
        ),
        "lesson": Target(
            "lesson", "Lesson page, signed-in learner with progress", "GET", [setup["lesson"]["path"]], 200, page_connections,
            cookies=learners, must_contain=setup["lesson"]["title"],
        ),
        "module": Target(
            "module", "Module page, signed-in learner with progress", "GET", [setup["module"]["path"]], 200, page_connections,
            cookies=learners, must_contain=setup["module"]["title"],
        ),
        "public": Target(
            "public", "Public home page, anonymous visitor (cached)", "GET", [setup["public"]["path"]], 200, page_connections,
        ),
        "quiz": Target(
            "quiz", "Quiz answer submission (practice scenario in the lesson, htmx: graded, stored, feedback fragment)",
            "POST", [quiz["path"]] if quiz else ["/quiz/"], 200, page_connections, cookies=learners,
            headers={**form, **(quiz.get("headers") or {})} if quiz else form, body=quiz_body,
            must_contain=(quiz or {}).get("must_contain", ""),
            unavailable="" if quiz else "no practice scenario in the benchmark lesson",
        ),
        "xapi": Target(
            "xapi", "H5P xAPI statement ingest (~2 KB)", "POST", xapi["paths"] if xapi else ["/h5p/xapi/x/"], 201,
            page_connections, headers={"Content-Type": "application/json"}, body=xapi_body, uuid_body=True,
            unavailable="" if xapi else "no ready H5P activity in the benchmark lesson",
        ),
        "dashboard": Target(
            "dashboard", f"Coordinator dashboard, Køge ({setup.get('koege_staff', '?')} staff)", "GET", ["/koordinator/"], 200,
            latency_connections, cookies=[f"{sc}={setup['coordinator_session']}; {cc}={secret}"],
        ),
        "dashboard_large": Target(
            "dashboard_large",
            f"Coordinator dashboard, largest municipality ({setup['largest_municipality']['staff']} staff)", "GET",
            ["/koordinator/"], 200, latency_connections, cookies=[f"{sc}={setup['coordinator_large_session']}; {cc}={secret}"],
        ),
        "national": Target(
            "national", "National overview, 98 municipalities (administrator)", "GET", ["/koordinator/national/"], 200,
            latency_connections, cookies=[f"{sc}={setup['admin_session']}; {cc}={secret}"],
        ),
    }
    groups = [
        Group("lesson", ["plain_page", "ceiling"]),
        Group("module", ["plain_page", "ceiling"]),
        Group("public", ["ceiling"]),
        Group("quiz", ["insert_form"]),
        Group("xapi", ["insert_json"]),
        Group("dashboard", ["ceiling_latency"]),
        Group("dashboard_large", ["ceiling_latency"]),
        Group("national", ["ceiling_latency"]),
    ]
    return t, groups


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def preflight(base: str, target: Target) -> str:
    """One request as wrk would send it: '' when it answers as expected, else why not."""
    opener = urllib.request.build_opener(NoRedirect)
    headers = dict(target.headers)
    if target.cookies:
        headers["Cookie"] = target.cookies[0]
    body = target.body
    if body is not None and target.uuid_body:
        body = body.replace("STATEMENT_ID", f"00000000-0000-4000-8000-{int(time.time() * 1000 % 1e12):012d}")
    request = urllib.request.Request(  # noqa: S310 (local only)
        base + target.paths[0], data=body.encode() if body is not None else None, headers=headers, method=target.method
    )
    try:
        with opener.open(request, timeout=30) as response:
            status, text = response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode(errors="replace")
    except OSError as error:
        return f"{type(error).__name__}: {error}"
    if status == 404:
        return "not available (404: the endpoint is not there)"
    if status != target.expect:
        return f"answered {status}, expected {target.expect}"
    if target.must_contain and target.must_contain not in text:
        return f"the response does not contain {target.must_contain!r}"
    return ""


def wrk_run(base: str, target: Target, *, duration: float, threads: int, scratch: Path) -> dict:
    spec = scratch / f"{target.name}.lua"
    spec.write_text(lua_spec(target), encoding="utf-8")
    result = scratch / f"{target.name}.json"
    result.unlink(missing_ok=True)
    env = {**os.environ, "BENCH_SCENARIO": str(spec), "BENCH_RESULT": str(result)}
    command = [
        "wrk", f"-t{min(threads, target.connections)}", f"-c{target.connections}", f"-d{duration:g}s", "--timeout", "5s",
        "-s", str(LUA), base + target.paths[0],
    ]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=duration + 60)  # noqa: S603
    return json.loads(result.read_text())


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs) if runs else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--setup", default="var/bench/setup.json")
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--out", default="var/bench/http.json")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of unrecorded warm-up per target")
    parser.add_argument("--connections", type=int, default=4, help="connections for the page and POST scenarios")
    parser.add_argument("--latency-connections", type=int, default=1, help="connections for the coordinator pages")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--deadline", type=float, default=1200.0)
    args = parser.parse_args(argv)

    url = urllib.parse.urlparse(args.base)
    if url.hostname not in LOCAL_HOSTS:
        print(f"Refused: the benchmark only targets 127.0.0.1/localhost, not {args.base!r}.", file=sys.stderr)
        return 2
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk (as root).", file=sys.stderr)
        return 2
    deadline = time.monotonic() + args.deadline
    setup = json.loads(Path(args.setup).read_text(encoding="utf-8"))
    targets, groups = build_targets(setup, page_connections=args.connections, latency_connections=args.latency_connections)
    if args.only:
        wanted = set(args.only.split(","))
        groups = [g for g in groups if g.scenario in wanted]

    for target in targets.values():
        if not target.unavailable:
            problem = preflight(args.base, target)
            if problem:
                target.unavailable = problem
                print(f"  {target.name}: {problem}")

    runs: dict[str, list[dict]] = {name: [] for name in targets}
    group_results = []
    with tempfile.TemporaryDirectory(prefix="forebyg-bench-") as tmp:
        scratch = Path(tmp)
        warmed: set[str] = set()
        for group in groups:
            names = [group.scenario, *group.references]
            if targets[group.scenario].unavailable:
                group_results.append({"scenario": group.scenario, "references": group.references, "runs": {}})
                continue
            per_group: dict[str, list[dict]] = {name: [] for name in names}
            for name in names:
                if name not in warmed and not targets[name].unavailable and args.warmup > 0:
                    wrk_run(args.base, targets[name], duration=args.warmup, threads=args.threads, scratch=scratch)
                    warmed.add(name)
            for round_no in range(args.runs):
                for name in names:  # alternate: scenario, its references, scenario, …
                    if targets[name].unavailable:
                        continue
                    if time.monotonic() > deadline:
                        print("Deadline reached: stopping the HTTP runs.", file=sys.stderr)
                        break
                    result = wrk_run(args.base, targets[name], duration=args.duration, threads=args.threads, scratch=scratch)
                    result["round"] = round_no + 1
                    per_group[name].append(result)
                    runs[name].append(result)
                    print(
                        f"  {group.scenario:<16} {name:<16} run {round_no + 1}: {result['rps']:8.1f} req/s  "
                        f"p95 {result['p95_ms']:7.1f} ms  p99 {result['p99_ms']:7.1f} ms  "
                        f"bad {result['unexpected_status'] + result['socket_errors']}",
                        flush=True,
                    )
            group_results.append({"scenario": group.scenario, "references": group.references, "runs": per_group})

    out = {
        "config": {
            "base": args.base, "runs": args.runs, "duration_s": args.duration, "warmup_s": args.warmup,
            "connections": args.connections, "latency_connections": args.latency_connections, "threads": args.threads,
        },
        "targets": {name: {**asdict(t), "cookies": len(t.cookies), "body_bytes": len((t.body or "").encode()),
                           "runs": runs[name]} for name, t in targets.items()},
        "groups": group_results,
    }
    for item in out["targets"].values():
        item.pop("body", None)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

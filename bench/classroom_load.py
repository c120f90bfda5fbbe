"""Load test of the live classroom (standard library only): N sessions × M pupils join, poll and vote.

    python bench/classroom_load.py http://127.0.0.1:8000 --sessions 50 --pupils 30

One SSP teacher (the demo account by default) starts the sessions and opens the vote on the first
voting step. Every pupil joins with the code, polls the state every second and votes once at a
random moment within the vote window (10 s); one in ten also double-taps (a second vote that must be
refused). Afterwards the script reads the aggregate counts (live, then again after ending each
session, when only the aggregates are left) and checks that every vote was counted exactly once.

It prints p50/p95/p99 per request kind and the errors, exits 0 when everything checks out and 1
otherwise. It only talks to 127.0.0.1/localhost and stops by itself (hard deadline).

Each session also has a teacher screen polling the projector every second, like templates/classroom/
projector.html: the "teacher lag" of a vote is the time from the vote being acknowledged to the end of
the first projector poll, started after it, that returned the new state (200, not 204). With --json the
figures are also written to a file (bench/report.py reads it). Like a browser on http://localhost (a
secure context), the client sends Secure and __Host- cookies over plain HTTP to the loop-back, so the
script also works against the production settings.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
DEMO_TEACHER = "ssp.koege@forebyg.example"
DEMO_PASSWORD = "demo-Forebyg-2026"  # noqa: S105 (the printed demo password)
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class LoopbackCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Secure cookies go back over plain HTTP to the loop-back only (browsers treat localhost as secure)."""

    def return_ok_secure(self, cookie, request) -> bool:
        host = urllib.parse.urlparse(request.get_full_url()).hostname
        return host in LOCAL_HOSTS or super().return_ok_secure(cookie, request)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)

    def record(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.timings[kind].append(seconds)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] += 1


class Client:
    """A browser-like client: its own cookie jar, no redirects followed unless asked."""

    def __init__(self, base: str, stats: Stats, timeout: float) -> None:
        self.base = base.rstrip("/")
        self.stats = stats
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar(policy=LoopbackCookiePolicy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, kind: str, path: str, data: dict | None = None, headers: dict | None = None):
        url = path if path.startswith("http") else self.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310 (local only)
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=self.timeout) as response:
                status, text, hdrs = response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            status, text, hdrs = error.code, error.read().decode(errors="replace"), error.headers
        except OSError as error:
            self.stats.error(f"{kind}: {type(error).__name__}")
            return None, "", {}
        self.stats.record(kind, time.perf_counter() - started)
        return status, text, hdrs


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


@dataclass
class Session:
    path: str  # /klasse/session/<uuid>/
    code: str
    expected: Counter = field(default_factory=Counter)
    step: int = 0
    version: str = ""  # the projector's "state.activity" version
    acks: list[float] = field(default_factory=list)  # monotonic times votes were acknowledged
    polls: list[tuple[float, float, int]] = field(default_factory=list)  # (start, end, status) of projector polls


def teacher_screen(client: Client, session: Session, stop: threading.Event, interval: float) -> None:
    """The projector page's poll loop (templates/classroom/projector.html: every second)."""
    while not stop.is_set():
        started = time.monotonic()
        status, _t, headers = client.request("projector", session.path + f"tilstand/?v={session.version}")
        ended = time.monotonic()
        if status == 200:
            session.version = headers.get("X-Classroom-Version", session.version)
        elif status not in (204, None):
            client.stats.error(f"projector: status {status}")
        session.polls.append((started, ended, status or 0))
        stop.wait(max(0.0, interval - (ended - started)))


def teacher_lags(session: Session) -> list[float]:
    """Per acknowledged vote: seconds until a projector poll started after it returned the new state."""
    lags = []
    for ack in session.acks:
        seen = next((end for start, end, status in session.polls if start >= ack and status == 200), None)
        if seen is not None:
            lags.append(seen - ack)
        else:
            lags.append(float("inf"))
    return lags


def teacher_login(client: Client, email: str, password: str) -> None:
    _status, html, _h = client.request("login_page", "/konto/login/")
    token = CSRF_RE.search(html)
    if not token:
        raise SystemExit("Fandt ikke login-formularen på /konto/login/")
    status, _text, headers = client.request(
        "login", "/konto/login/", {"csrfmiddlewaretoken": token.group(1), "login": email, "password": password}
    )
    if status != 302 or "/konto/login" in (headers.get("Location") or ""):
        raise SystemExit(f"Login som {email} mislykkedes (status {status}).")


def teacher_start(client: Client, deck: str) -> Session:
    _s, html, _h = client.request("teacher", f"/klasse/forloeb/{deck}/")
    token = CSRF_RE.search(html)
    if not token:
        raise SystemExit(f"Forløbet {deck!r} findes ikke, eller brugeren er ikke SSP-underviser.")
    status, _t, headers = client.request(
        "teacher", f"/klasse/forloeb/{deck}/start/", {"csrfmiddlewaretoken": token.group(1)}
    )
    path = urllib.parse.urlparse(headers.get("Location", "")).path
    if status != 302 or "/klasse/session/" not in path:
        raise SystemExit(f"Kunne ikke starte et forløb (status {status}).")
    for _ in range(20):  # move to the first voting step and open the vote
        _s, html, _h = client.request("teacher", path)
        token = CSRF_RE.search(html).group(1)
        if 'value="open_voting"' in html:
            code = re.search(r'data-join-code="([A-Z0-9]+)"', html).group(1)
            step = int(re.search(r"Trin (\d+) af", html).group(1)) - 1
            client.request("teacher", path + "styring/", {"csrfmiddlewaretoken": token, "action": "open_voting"})
            return Session(path=path, code=code, step=step)
        client.request("teacher", path + "styring/", {"csrfmiddlewaretoken": token, "action": "next"})
    raise SystemExit("Forløbet har intet trin med afstemning.")


@dataclass
class Burst:
    """Everyone joins first (spread over --join-spread seconds, screens polling while they wait); then the
    vote window opens for all classes at once."""

    total: int
    joined: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    go: threading.Event = field(default_factory=threading.Event)
    window_start: float = 0.0

    def arrived(self) -> None:
        with self.lock:
            self.joined += 1


def pupil(base: str, session: Session, stats: Stats, args, deadline: float, lock: threading.Lock, burst: Burst) -> None:
    time.sleep(random.uniform(0, args.join_spread))  # noqa: S311 (load spread, not security)
    client = Client(base, stats, args.request_timeout)
    _s, html, _h = client.request("join_page", f"/deltag/?kode={session.code}")
    token = CSRF_RE.search(html)
    if not token:
        stats.error("join_page: no form")
        return
    status, _t, headers = client.request("join", "/deltag/", {"csrfmiddlewaretoken": token.group(1),
                                                               "code": session.code})
    if status != 302:
        stats.error(f"join: status {status}")
        return
    page_path = urllib.parse.urlparse(headers["Location"]).path
    _s, html, _h = client.request("pupil_page", page_path)
    found = re.search(r'data-version="([^"]*)"', html)
    csrf = CSRF_RE.search(html)
    if not found or not csrf:
        stats.error("pupil_page: no vote form")
        return
    version = found.group(1)
    burst.arrived()
    while not burst.go.is_set() and time.monotonic() < deadline:  # the screen polls while the class gathers
        status, _t, hdrs = client.request("poll_wait", page_path + f"tilstand/?v={version}")
        if status == 200:
            version = hdrs.get("X-Classroom-Version", version)
        elif status != 204:
            stats.error(f"poll: status {status}")
        burst.go.wait(args.poll_interval)
    vote_at = burst.window_start + random.uniform(0, args.window)  # noqa: S311 (load spread, not security)
    stop_at = min(deadline, burst.window_start + args.window + 2 * args.poll_interval)
    voted = False
    option = random.choice("abcde"[: args.options])  # noqa: S311
    while time.monotonic() < stop_at:
        if not voted and time.monotonic() >= vote_at:
            data = {"csrfmiddlewaretoken": csrf.group(1), "step": session.step, "option": option}
            status, _t, hdrs = client.request("vote", page_path + "stem/", data, {"X-Requested-With": "fetch"})
            if status == 200 and hdrs.get("X-Classroom-Vote") == "recorded":
                with lock:
                    session.expected[option] += 1
                    session.acks.append(time.monotonic())
            else:
                stats.error(f"vote: status {status} {hdrs.get('X-Classroom-Vote') if hdrs else ''}")
            voted = True
            if random.random() < 0.1:  # noqa: S311 - a double tap must be refused, never counted
                status, _t, hdrs = client.request("vote", page_path + "stem/", data, {"X-Requested-With": "fetch"})
                if status != 409:
                    stats.error(f"double vote not refused: {status}")
        status, _t, hdrs = client.request("poll", page_path + f"tilstand/?v={version}")
        if status == 200:
            version = hdrs.get("X-Classroom-Version", version)
        elif status != 204:
            stats.error(f"poll: status {status}")
        time.sleep(args.poll_interval)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("server", help="fx http://127.0.0.1:8000 (kun localhost)")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--pupils", type=int, default=30)
    parser.add_argument("--window", type=float, default=10.0, help="afstemningsvinduet i sekunder")
    parser.add_argument("--poll-interval", type=float, default=1.0)
    parser.add_argument("--deck", default="ven-deler-voldsom-video")
    parser.add_argument("--options", type=int, default=4, help="hvor mange af svarene (a, b, …) der stemmes på")
    parser.add_argument("--teacher", default=DEMO_TEACHER)
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--request-timeout", type=float, default=15.0)
    parser.add_argument("--deadline", type=float, default=300.0, help="stop senest efter så mange sekunder")
    parser.add_argument("--teacher-interval", type=float, default=1.0, help="projektorens poll-interval")
    parser.add_argument("--json", default="", help="skriv tallene som JSON til denne fil")
    parser.add_argument("--join-spread", type=float, default=30.0, help="eleverne deltager inden for så mange sekunder")
    parser.add_argument("--join-timeout", type=float, default=150.0, help="afstemningen åbner senest efter så længe")
    args = parser.parse_args(argv)

    url = urllib.parse.urlparse(args.server)
    if url.scheme not in ("http", "https") or url.hostname not in LOCAL_HOSTS:
        print(f"Afvist: belastningstesten kører kun mod 127.0.0.1/localhost, ikke {args.server!r}.", file=sys.stderr)
        return 2
    deadline = time.monotonic() + args.deadline
    base = f"{url.scheme}://{url.netloc}"
    stats = Stats()
    teacher = Client(base, stats, args.request_timeout)
    teacher_login(teacher, args.teacher, args.password)
    sessions = [teacher_start(teacher, args.deck) for _ in range(args.sessions)]
    print(f"{len(sessions)} forløb startet; {args.pupils} elever pr. forløb deltager og stemmer …")

    for session in sessions:  # the projector's version right after the vote opened
        status, _t, headers = teacher.request("projector", session.path + "tilstand/")
        if status == 200:
            session.version = headers.get("X-Classroom-Version", "")
    lock = threading.Lock()
    stop_screens = threading.Event()
    screens = [
        threading.Thread(target=teacher_screen, args=(teacher, s, stop_screens, args.teacher_interval), daemon=True)
        for s in sessions
    ]
    for screen in screens:
        screen.start()
    burst = Burst(total=args.sessions * args.pupils)
    join_started = time.monotonic()
    with ThreadPoolExecutor(max_workers=min(2000, args.sessions * args.pupils)) as pool:
        futures = [
            pool.submit(pupil, base, session, stats, args, deadline, lock, burst)
            for session in sessions
            for _ in range(args.pupils)
        ]
        join_deadline = min(deadline, join_started + args.join_timeout)
        while burst.joined < burst.total and time.monotonic() < join_deadline and not all(f.done() for f in futures):
            time.sleep(0.2)
        joined_after = time.monotonic() - join_started
        say_later = f"{burst.joined} af {burst.total} elever deltog på {joined_after:.1f} s; afstemningen åbner."
        print(say_later, flush=True)
        burst.window_start = started = time.monotonic() + 0.5
        burst.go.set()
        for future in futures:
            try:
                future.result(timeout=max(1.0, deadline - time.monotonic()))
            except Exception as error:
                stats.error(f"pupil: {type(error).__name__}")
    elapsed = time.monotonic() - started
    time.sleep(min(3 * args.teacher_interval, max(0.0, deadline - time.monotonic())))  # let the screens catch up
    stop_screens.set()
    for screen in screens:
        screen.join(timeout=args.request_timeout)
    lags = sorted(lag for session in sessions for lag in teacher_lags(session))

    summary: list[str] = []

    def say(line: str) -> None:
        print(line)
        summary.append(line)

    mismatches = 0
    for phase in ("live", "after end"):
        for session in sessions:
            if phase == "after end":
                _s, html, _h = teacher.request("teacher", session.path)
                token = CSRF_RE.search(html)
                if token:
                    teacher.request("teacher", session.path + "styring/",
                                    {"csrfmiddlewaretoken": token.group(1), "action": "end"})
            _s, text, _h = teacher.request("results", session.path + "resultater.json")
            data = json.loads(text or "{}")
            step = next((s for s in data.get("steps", []) if s["step"] == session.step), {"counts": {}})
            counted = {k: v for k, v in step["counts"].items() if v}
            if counted != dict(session.expected):
                mismatches += 1
                say(f"  AFVIGELSE ({phase}) {session.code}: talt {counted}, forventet {dict(session.expected)}")

    votes = sum(sum(s.expected.values()) for s in sessions)
    say(f"\n{len(sessions)} forløb × {args.pupils} elever, {votes} stemmer talt; {say_later}")
    say(f"afstemningsvindue {args.window:.0f} s, alle færdige efter {elapsed:.1f} s")
    say(f"{'forespørgsel':<12} {'antal':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind in ("join_page", "join", "pupil_page", "poll_wait"):
        values = stats.timings.get(kind, [])
        say(f"{kind:<12} {len(values):>7} {percentile(values, 50) * 1000:>8.1f} "
            f"{percentile(values, 95) * 1000:>8.1f} {percentile(values, 99) * 1000:>8.1f}")
    say("i afstemningsvinduet:")
    everything: list[float] = []
    for kind in ("poll", "vote", "results"):
        values = stats.timings.get(kind, [])
        everything += values if kind != "results" else []
        say(f"{kind:<12} {len(values):>7} {percentile(values, 50) * 1000:>8.1f} "
              f"{percentile(values, 95) * 1000:>8.1f} {percentile(values, 99) * 1000:>8.1f}")
    if everything:
        say(f"{'elever':<12} {len(everything):>7} {statistics.median(everything) * 1000:>8.1f} "
              f"{percentile(everything, 95) * 1000:>8.1f} {percentile(everything, 99) * 1000:>8.1f}")
    projector = stats.timings.get("projector", [])
    say(f"{'projector':<12} {len(projector):>7} {percentile(projector, 50) * 1000:>8.1f} "
          f"{percentile(projector, 95) * 1000:>8.1f} {percentile(projector, 99) * 1000:>8.1f}")
    finite = [lag for lag in lags if lag != float("inf")]
    unseen = len(lags) - len(finite)
    say(f"lærerskærm opdateret efter en stemme: p50 {percentile(finite, 50) * 1000:.0f} ms, "
          f"p95 {percentile(finite, 95) * 1000:.0f} ms, max {max(finite, default=0) * 1000:.0f} ms"
          + (f", {unseen} stemmer aldrig vist" if unseen else ""))
    say(f"fejl: {sum(stats.errors.values())}" + "".join(f"\n  {k}: {v}" for k, v in stats.errors.most_common()))
    ok = mismatches == 0 and not stats.errors and votes == args.sessions * args.pupils
    say("OK: hver stemme talt præcis én gang." if ok else "FEJL: se ovenfor.")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "sessions": len(sessions), "pupils": args.pupils, "votes": votes,
            "votes_expected": args.sessions * args.pupils, "votes_ok": mismatches == 0 and votes == args.sessions * args.pupils,
            "mismatches": mismatches, "errors": sum(stats.errors.values()), "error_kinds": dict(stats.errors),
            "elapsed_s": round(elapsed, 1), "requests": len(everything), "joined": burst.joined,
            "join_s": round(joined_after, 1), "window_s": args.window,
            "rps": round(len(everything) / elapsed, 1) if elapsed else None,
            "p50_ms": round(statistics.median(everything) * 1000, 1) if everything else None,
            "p95_ms": round(percentile(everything, 95) * 1000, 1), "p99_ms": round(percentile(everything, 99) * 1000, 1),
            "by_kind": {kind: {"n": len(v), "p50_ms": round(percentile(v, 50) * 1000, 1),
                               "p95_ms": round(percentile(v, 95) * 1000, 1), "p99_ms": round(percentile(v, 99) * 1000, 1)}
                        for kind, v in stats.timings.items()},
            "teacher_lag_ms": {"p50": round(percentile(finite, 50) * 1000), "p95": round(percentile(finite, 95) * 1000),
                               "max": round(max(finite) * 1000) if finite and not unseen else None, "unseen": unseen},
            "summary": "\n".join(summary),
        }, indent=2), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

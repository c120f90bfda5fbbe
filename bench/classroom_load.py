"""Load test of the live classroom (standard library only): N sessions × M pupils join, poll and vote.

    python bench/classroom_load.py http://127.0.0.1:8000 --sessions 50 --pupils 30

One SSP teacher (the demo account by default) starts the sessions and opens the vote on the first
voting step. Every pupil joins with the code, polls the state every second and votes once at a
random moment within the vote window (10 s); one in ten also double-taps (a second vote that must be
refused). Afterwards the script reads the aggregate counts (live, then again after ending each
session, when only the aggregates are left) and checks that every vote was counted exactly once.

It prints p50/p95/p99 per request kind and the errors, exits 0 when everything checks out and 1
otherwise. It only talks to 127.0.0.1/localhost and stops by itself (hard deadline).
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

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
DEMO_TEACHER = "ssp.koege@forebyg.example"
DEMO_PASSWORD = "demo-Forebyg-2026"  # noqa: S105 (the printed demo password)
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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
        self.jar = http.cookiejar.CookieJar()
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


def pupil(base: str, session: Session, stats: Stats, args, deadline: float, lock: threading.Lock) -> None:
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
    version = re.search(r'data-version="([^"]*)"', html).group(1)
    csrf = CSRF_RE.search(html)
    if not csrf:
        stats.error("pupil_page: no vote form")
        return
    vote_at = time.monotonic() + random.uniform(0, args.window)  # noqa: S311 (load spread, not security)
    stop_at = min(deadline, time.monotonic() + args.window + 2 * args.poll_interval)
    voted = False
    option = random.choice("abcde"[: args.options])  # noqa: S311
    while time.monotonic() < stop_at:
        if not voted and time.monotonic() >= vote_at:
            data = {"csrfmiddlewaretoken": csrf.group(1), "step": session.step, "option": option}
            status, _t, hdrs = client.request("vote", page_path + "stem/", data, {"X-Requested-With": "fetch"})
            if status == 200 and hdrs.get("X-Classroom-Vote") == "recorded":
                with lock:
                    session.expected[option] += 1
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

    lock = threading.Lock()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=min(2000, args.sessions * args.pupils)) as pool:
        futures = [
            pool.submit(pupil, base, session, stats, args, deadline, lock)
            for session in sessions
            for _ in range(args.pupils)
        ]
        for future in futures:
            try:
                future.result(timeout=max(1.0, deadline - time.monotonic()))
            except Exception as error:
                stats.error(f"pupil: {type(error).__name__}")
    elapsed = time.monotonic() - started

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
                print(f"  AFVIGELSE ({phase}) {session.code}: talt {counted}, forventet {dict(session.expected)}")

    votes = sum(sum(s.expected.values()) for s in sessions)
    print(f"\n{len(sessions)} forløb × {args.pupils} elever, {votes} stemmer talt, {elapsed:.1f} s")
    print(f"{'forespørgsel':<12} {'antal':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    everything: list[float] = []
    for kind in ("join", "pupil_page", "poll", "vote", "results"):
        values = stats.timings.get(kind, [])
        everything += values
        print(f"{kind:<12} {len(values):>7} {percentile(values, 50) * 1000:>8.1f} "
              f"{percentile(values, 95) * 1000:>8.1f} {percentile(values, 99) * 1000:>8.1f}")
    if everything:
        print(f"{'alle':<12} {len(everything):>7} {statistics.median(everything) * 1000:>8.1f} "
              f"{percentile(everything, 95) * 1000:>8.1f} {percentile(everything, 99) * 1000:>8.1f}")
    print(f"fejl: {sum(stats.errors.values())}" + "".join(f"\n  {k}: {v}" for k, v in stats.errors.most_common()))
    ok = mismatches == 0 and not stats.errors and votes == args.sessions * args.pupils
    print("OK: hver stemme talt præcis én gang." if ok else "FEJL: se ovenfor.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Load test of the live classroom (standard library only): N classes × M pupils join, follow the teacher, vote.

    python bench/classroom_load.py http://127.0.0.1:8000 --sessions 50 --pupils 30

The model, a fair reading of "50 simultaneous classes of 30 pupils, each voting within a 10-second window,
and their screens polling" (docs/benchmarks.md, bench/notes.md):

1. One SSP teacher account starts the N sessions and moves each to its first voting step (vote still
   closed). Every session's projector screen polls like templates/classroom/projector.html (every second).
2. All classes begin at the same moment; each class's pupils arrive spread over that class's own join
   window (drawn per class, uniformly 30–60 s): the QR link's join page, the join POST, the pupil page.
   From then on the pupil's screen polls like static/js/classroom-live.js (every 2 s; the first poll at
   a random point of the interval, as pages open at different moments).
3. When everybody has joined, every teacher opens the vote, all within 3 seconds of each other (the
   classes' 10-second windows overlap for at least 7 seconds: simultaneous classes, not one synchronised
   click), then lands on the projector page the button's redirect leads to. A pupil votes at a random
   moment of their class's window, once the screen shows the vote buttons; one in ten also double-taps
   (a second vote that must be refused, never counted).
4. Two seconds after the windows, every teacher reveals (again within 3 seconds); pupils' screens follow.
5. The live counts, and again the aggregates left after ending each session, must equal the votes the
   server acknowledged: every vote counted exactly once.

Figures: latency per request kind (from the moment the page wants to send it, so waiting for a connection
counts), p50/p95/p99 over every request of the burst and over the vote window; the teacher lag (from a
vote's acknowledgement to the end of the first projector poll started after it whose vote total includes
it; target < 2 s); the pupil lag (from a teacher's click to the pupil's screen showing it); errors (any
unexpected status, timeout or connection error); the generator's own CPU use and the load average.

The client is one asyncio loop with one pool of keep-alive HTTP/1.1 connections (like wrk's fixed
connections, recycled every few hundred requests so both gunicorn workers get their share), a cookie jar
per pupil and only as much parsing as the checks need. Like a browser on http://localhost (a secure
context), it sends Secure and __Host- cookies over plain HTTP to the loop-back, so it also works against
the production settings. It only talks to 127.0.0.1/localhost, and stops by itself (hard deadline).
Exit status 0 when every vote was counted exactly once and nothing failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import resource
import sys
import urllib.parse
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
DEMO_TEACHER = "ssp.koege@forebyg.example"
DEMO_PASSWORD = "demo-Forebyg-2026"  # noqa: S105 (the printed demo password)
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_RE = re.compile(rb'data-version="([^"]*)"')
TOTAL_RE = re.compile(rb'data-total-votes="(\d+)"')
VOTE_FORM = b"data-classroom-vote"
REVEALED = b"classroom-results"  # the pupils' result list, shown only after the reveal
PUPIL_KINDS = ("join_page", "join", "pupil_page", "poll", "vote")


# --- A minimal HTTP/1.1 client: one pool of keep-alive connections -------------------------------------------


class HttpError(Exception):
    pass


@dataclass(slots=True)
class Response:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: bytes


class Connection:
    __slots__ = ("last", "reader", "uses", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer, self.uses, self.last = reader, writer, 0, 0.0

    def close(self) -> None:
        self.writer.close()


class Pool:
    """Up to ``size`` keep-alive connections shared by every simulated browser; callers queue for one."""

    def __init__(self, host: str, port: int, size: int, max_uses: int, idle_limit: float = 1.5) -> None:
        self.host, self.port, self.size, self.max_uses, self.idle_limit = host, port, size, max_uses, idle_limit
        self.idle: list[Connection] = []
        self.waiters: deque[asyncio.Future] = deque()
        self.count = 0
        self.opened = 0

    async def acquire(self) -> Connection:
        loop = asyncio.get_running_loop()
        while True:
            while self.idle:
                conn = self.idle.pop()
                # gunicorn closes a keep-alive connection idle for 2 s: don't race it.
                if loop.time() - conn.last < self.idle_limit:
                    return conn
                self._discard(conn, wake=False)
            if self.count < self.size:
                return await self._open()
            waiter = loop.create_future()
            self.waiters.append(waiter)
            try:
                conn = await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():  # handed a connection just as the caller gave up
                    handed = waiter.result()
                    if handed is not None:
                        self.release(handed, reusable=True)
                    else:
                        self._wake(None)
                raise
            if conn is not None:
                return conn

    async def _open(self) -> Connection:
        self.count += 1
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        except BaseException:
            self.count -= 1
            self._wake(None)
            raise
        self.opened += 1
        return Connection(reader, writer)

    def _wake(self, conn: Connection | None) -> bool:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return True
        return False

    def _discard(self, conn: Connection, *, wake: bool = True) -> None:
        conn.close()
        self.count -= 1
        if wake:
            self._wake(None)  # a waiter may open a fresh connection in its place

    def release(self, conn: Connection, *, reusable: bool) -> None:
        if not reusable or conn.uses >= self.max_uses:
            self._discard(conn)
            return
        conn.last = asyncio.get_running_loop().time()
        if not self._wake(conn):
            self.idle.append(conn)

    async def fetch(self, request: bytes) -> Response:
        for attempt in (1, 2):
            conn = await self.acquire()
            reused = conn.uses > 0
            try:
                response, reusable = await self._exchange(conn, request)
            except BaseException as error:
                self._discard(conn)
                # The server closed an idle keep-alive connection as we reused it (nothing came back): once
                # more on a new connection, as browsers do.
                silent = isinstance(error, ConnectionError) or (
                    isinstance(error, asyncio.IncompleteReadError) and not error.partial)
                if attempt == 1 and reused and silent:
                    continue
                raise
            self.release(conn, reusable=reusable)
            return response
        raise AssertionError("unreachable")

    async def _exchange(self, conn: Connection, request: bytes) -> tuple[Response, bool]:
        conn.uses += 1
        conn.writer.write(request)
        raw = await conn.reader.readuntil(b"\r\n\r\n")
        lines = raw[:-4].split(b"\r\n")
        status = int(lines[0][9:12])
        headers: dict[str, str] = {}
        cookies: list[str] = []
        for line in lines[1:]:
            name, _sep, value = line.partition(b":")
            key = name.strip().lower().decode("latin-1")
            if key == "set-cookie":
                cookies.append(value.strip().decode("latin-1"))
            else:
                headers[key] = value.strip().decode("latin-1")
        if status in (204, 304) or 100 <= status < 200:
            body = b""
        elif "content-length" in headers:
            body = await conn.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await conn.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await conn.reader.readuntil(b"\r\n")
                    break
                parts.append(await conn.reader.readexactly(size))
                await conn.reader.readexactly(2)
            body = b"".join(parts)
        else:
            body = await conn.reader.read()
            return Response(status, headers, cookies, body), False
        return Response(status, headers, cookies, body), headers.get("connection", "").lower() != "close"


# --- Measurements ---------------------------------------------------------------------------------------------


@dataclass
class Stats:
    # kind → [(start, seconds)], start on the loop's clock
    timings: dict[str, list[tuple[float, float]]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)

    def error(self, what: str) -> None:
        self.errors[what] += 1


class Browser:
    """One phone or projector screen: its own cookie jar, the shared connection pool."""

    def __init__(self, pool: Pool, stats: Stats, host: str, timeout: float, cookies: dict | None = None) -> None:
        self.pool, self.stats, self.host, self.timeout = pool, stats, host, timeout
        self.cookies: dict[str, str] = {} if cookies is None else cookies

    async def request(self, kind: str, path: str, form: dict | None = None, headers: dict | None = None,
                      *, record: bool = True) -> Response | None:
        body = urllib.parse.urlencode(form).encode() if form is not None else b""
        lines = [f"{'POST' if form is not None else 'GET'} {path} HTTP/1.1", f"Host: {self.host}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with asyncio.timeout(self.timeout):
                response = await self.pool.fetch(request)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
            self.stats.error(f"{kind}: {type(error).__name__}")
            return None
        if record:
            self.stats.timings[kind].append((started, loop.time() - started))
        for cookie in response.cookies:
            name, _sep, value = cookie.split(";", 1)[0].partition("=")
            if 'max-age=0' in cookie.lower() or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


# --- The teacher ---------------------------------------------------------------------------------------------


@dataclass
class Session:
    path: str  # /klasse/session/<uuid>/
    code: str
    step: int
    projector_version: str = ""
    expected: Counter = field(default_factory=Counter)
    acks: list[float] = field(default_factory=list)  # loop times votes were acknowledged, in order
    polls: list[tuple[float, float, int]] = field(default_factory=list)  # (start, end, vote total shown)
    opened_at: float = 0.0  # when the teacher's "open the vote" was acknowledged
    revealed_at: float = 0.0
    # When the teacher clicked (the request was sent): the pupils' follow lag counts from here, since a
    # pupil's poll can show the change before the teacher's own response has arrived.
    open_clicked_at: float = 0.0
    reveal_clicked_at: float = 0.0
    csrf: str = ""


async def teacher_login(teacher: Browser, email: str, password: str) -> None:
    page = await teacher.request("teacher", "/konto/login/", record=False)
    token = CSRF_RE.search(page.body) if page else None
    if not token:
        raise SystemExit("Fandt ikke login-formularen på /konto/login/")
    done = await teacher.request("teacher", "/konto/login/", {"csrfmiddlewaretoken": token.group(1).decode(),
                                                              "login": email, "password": password}, record=False)
    if done is None or done.status != 302 or "/konto/login" in done.headers.get("location", ""):
        raise SystemExit(f"Login som {email} mislykkedes (status {done.status if done else None}).")


async def teacher_start(teacher: Browser, deck: str) -> Session:
    page = await teacher.request("teacher", f"/klasse/forloeb/{deck}/", record=False)
    token = CSRF_RE.search(page.body) if page else None
    if not token:
        raise SystemExit(f"Forløbet {deck!r} findes ikke, eller brugeren er ikke SSP-underviser.")
    started = await teacher.request("teacher", f"/klasse/forloeb/{deck}/start/",
                                    {"csrfmiddlewaretoken": token.group(1).decode()}, record=False)
    path = urllib.parse.urlparse(started.headers.get("location", "") if started else "").path
    if started is None or started.status != 302 or "/klasse/session/" not in path:
        raise SystemExit("Kunne ikke starte et forløb.")
    for _ in range(20):  # move to the first voting step; the vote opens later, for all classes at once
        page = await teacher.request("teacher", path, record=False)
        html = page.body
        csrf = CSRF_RE.search(html).group(1).decode()
        if b'value="open_voting"' in html:
            code = re.search(rb'data-join-code="([A-Z0-9]+)"', html).group(1).decode()
            step = int(re.search(rb"Trin (\d+) af", html).group(1)) - 1
            version = VERSION_RE.search(html.split(b'id="classroom-stage"', 1)[1]).group(1).decode()
            return Session(path=path, code=code, step=step, projector_version=version, csrf=csrf)
        await teacher.request("teacher", path + "styring/", {"csrfmiddlewaretoken": csrf, "action": "next"},
                              record=False)
    raise SystemExit("Forløbet har intet trin med afstemning.")


async def teacher_act(teacher: Browser, session: Session, action: str, acknowledged: asyncio.Event) -> None:
    """A control button: POST, then the projector page the redirect leads to (as the browser does)."""
    clicked = "open_clicked_at" if action == "open_voting" else "reveal_clicked_at"
    setattr(session, clicked, asyncio.get_running_loop().time())
    done = await teacher.request("teacher", session.path + "styring/",
                                 {"csrfmiddlewaretoken": session.csrf, "action": action})
    if done is None or done.status != 302:
        if done is not None:
            teacher.stats.error(f"teacher {action}: status {done.status}")
        return
    setattr(session, "opened_at" if action == "open_voting" else "revealed_at", asyncio.get_running_loop().time())
    acknowledged.set()
    page = await teacher.request("teacher", session.path)
    if page is not None and page.status != 200:
        teacher.stats.error(f"teacher page: status {page.status}")


async def projector_screen(screen: Browser, session: Session, stop: asyncio.Event, interval: float) -> None:
    """The projector page's poll loop (every ``interval`` seconds, one poll at a time, like the JS)."""
    loop = asyncio.get_running_loop()
    await asyncio.sleep(random.uniform(0, interval))  # noqa: S311 (load spread, not security)
    total = 0
    while not stop.is_set():
        started = loop.time()
        response = await screen.request("projector", session.path + f"tilstand/?v={session.projector_version}")
        if response is not None:
            if response.status == 200:
                session.projector_version = response.headers.get("x-classroom-version", session.projector_version)
                found = TOTAL_RE.search(response.body)
                total = int(found.group(1)) if found else total
            elif response.status != 204:
                screen.stats.error(f"projector: status {response.status}")
            session.polls.append((started, loop.time(), total))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), max(0.0, interval - (loop.time() - started)))


def teacher_lags(session: Session) -> list[float]:
    """Per acknowledged vote: seconds until a projector poll started after it showed a total including it."""
    lags = []
    for rank, ack in enumerate(session.acks, start=1):
        seen = next((end for start, end, total in session.polls if start >= ack and total >= rank), None)
        lags.append(seen - ack if seen is not None else float("inf"))
    return lags


# --- The pupils ----------------------------------------------------------------------------------------------


@dataclass
class Burst:
    total: int
    joined: int = 0
    all_joined: asyncio.Event = field(default_factory=asyncio.Event)
    opened: dict[int, asyncio.Event] = field(default_factory=dict)  # per session index
    revealed: dict[int, asyncio.Event] = field(default_factory=dict)
    window_start: float = 0.0
    stop_at: float = 0.0
    follow_lags: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def arrived(self) -> None:
        self.joined += 1
        if self.joined >= self.total:
            self.all_joined.set()


async def pupil(index: int, session: Session, burst: Burst, browser: Browser, args, join_at: float,
                deadline: float) -> None:
    loop = asyncio.get_running_loop()
    stats = browser.stats
    await asyncio.sleep(max(0.0, join_at - loop.time()))
    page = await browser.request("join_page", f"/deltag/?kode={session.code}")
    token = CSRF_RE.search(page.body) if page is not None and page.status == 200 else None
    if not token:
        if page is not None:
            stats.error(f"join_page: status {page.status}, no form")
        return
    joined = await browser.request("join", "/deltag/", {"csrfmiddlewaretoken": token.group(1).decode(),
                                                         "code": session.code})
    if joined is None or joined.status != 302:
        if joined is not None:
            stats.error(f"join: status {joined.status}")
        return
    page_path = urllib.parse.urlparse(joined.headers["location"]).path
    page = await browser.request("pupil_page", page_path)
    found = VERSION_RE.search(page.body) if page is not None and page.status == 200 else None
    if not found:
        if page is not None:
            stats.error(f"pupil_page: status {page.status}, no live stage")
        return
    version = found.group(1).decode()
    csrf = CSRF_RE.search(page.body)  # the vote form's token (the form comes with a poll if the vote opens later)
    csrf_token = csrf.group(1).decode() if csrf else ""
    form_seen = VOTE_FORM in page.body
    revealed_seen = False
    burst.arrived()

    opened = burst.opened[index]
    vote_at: float | None = None
    voted = False
    option = random.choice("abcde"[: args.options])  # noqa: S311 (load spread, not security)
    next_poll = loop.time() + random.uniform(0, args.poll_interval)  # noqa: S311
    while loop.time() < deadline:
        now = loop.time()
        if vote_at is None and (opened.is_set() or form_seen):
            vote_at = (session.opened_at or now) + random.uniform(0, args.window)  # noqa: S311
        if vote_at is not None and not voted and form_seen and now >= vote_at:
            voted = True
            data = {"csrfmiddlewaretoken": csrf_token, "step": session.step, "option": option}
            response = await browser.request("vote", page_path + "stem/", data, {"X-Requested-With": "fetch"})
            if response is not None and response.status == 200 and response.headers.get("x-classroom-vote") == "recorded":
                session.expected[option] += 1
                session.acks.append(loop.time())
            elif response is not None:
                stats.error(f"vote: status {response.status} {response.headers.get('x-classroom-vote', '')}")
            if random.random() < 0.1:  # noqa: S311 - a double tap must be refused, never counted
                again = await browser.request("vote", page_path + "stem/", data, {"X-Requested-With": "fetch"})
                # Refused (409 "already voted"; or "closed" when it arrives after the reveal), never recorded.
                recorded = again is not None and again.headers.get("x-classroom-vote") == "recorded"
                if again is not None and (recorded or again.status not in (200, 409)):
                    stats.error(f"double vote not refused: {again.status}")
            continue
        if revealed_seen or (burst.stop_at and now >= burst.stop_at):
            break
        if now >= next_poll:
            next_poll = now + args.poll_interval
            response = await browser.request("poll", page_path + f"tilstand/?v={version}")
            if response is None:
                continue
            if response.status == 200:
                version = response.headers.get("x-classroom-version", version)
                end = loop.time()
                if not form_seen and VOTE_FORM in response.body:
                    form_seen = True
                    csrf = CSRF_RE.search(response.body)
                    csrf_token = csrf.group(1).decode() if csrf else csrf_token
                    if session.open_clicked_at:
                        burst.follow_lags["open"].append(max(0.0, end - session.open_clicked_at))
                if REVEALED in response.body:
                    revealed_seen = True
                    if session.reveal_clicked_at:
                        burst.follow_lags["reveal"].append(max(0.0, end - session.reveal_clicked_at))
            elif response.status != 204:
                stats.error(f"poll: status {response.status}")
            continue
        # Sleep until the next poll or the vote, or until the teacher acts (the wait ends early then).
        wake = next_poll if vote_at is None or voted or not form_seen else min(next_poll, vote_at)
        await asyncio.sleep(max(0.0, wake - loop.time()))


# --- The run -------------------------------------------------------------------------------------------------


async def run(args, host: str, port: int) -> dict:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + args.deadline
    stats = Stats()
    pool = Pool(host, port, size=args.connections, max_uses=args.max_uses)
    host_header = f"{host}:{port}"

    def browser(cookies: dict | None = None) -> Browser:
        return Browser(pool, stats, host_header, args.request_timeout, cookies)

    teacher = browser()
    await teacher_login(teacher, args.teacher, args.password)
    sessions = [await teacher_start(teacher, args.deck) for _ in range(args.sessions)]
    print(f"{len(sessions)} forløb startet; {args.pupils} elever pr. forløb deltager og stemmer …", flush=True)

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    wall_before = loop.time()
    load_before = os.getloadavg()
    stop_screens = asyncio.Event()
    screens = [asyncio.create_task(projector_screen(browser(teacher.cookies), s, stop_screens, args.teacher_interval))
               for s in sessions]
    burst = Burst(total=args.sessions * args.pupils)
    start = loop.time()
    tasks = []
    for index, session in enumerate(sessions):
        burst.opened[index], burst.revealed[index] = asyncio.Event(), asyncio.Event()
        spread = random.uniform(args.join_min, args.join_max)  # noqa: S311 - this class's join window
        for _ in range(args.pupils):
            join_at = start + random.uniform(0, spread)  # noqa: S311
            tasks.append(asyncio.create_task(pupil(index, session, burst, browser(), args, join_at, deadline)))

    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(burst.all_joined.wait(), min(args.join_timeout, deadline - loop.time()))
    joined_after = loop.time() - start
    say_join = f"{burst.joined} af {burst.total} elever deltog på {joined_after:.1f} s"
    print(say_join + "; afstemningen åbner.", flush=True)
    loadavg_join = os.getloadavg()

    async def teacher_does(index: int, session: Session, action: str, delay: float) -> None:
        await asyncio.sleep(delay)
        events = burst.opened if action == "open_voting" else burst.revealed
        await teacher_act(teacher, session, action, events[index])

    await asyncio.sleep(1.0)
    burst.window_start = loop.time()
    await asyncio.gather(*(teacher_does(i, s, "open_voting", random.uniform(0, args.teacher_spread))  # noqa: S311
                           for i, s in enumerate(sessions)))
    await asyncio.sleep(max(0.0, burst.window_start + args.teacher_spread + args.window + 2.0 - loop.time()))
    await asyncio.gather(*(teacher_does(i, s, "reveal", random.uniform(0, args.teacher_spread))  # noqa: S311
                           for i, s in enumerate(sessions)))
    burst.stop_at = loop.time() + 3 * args.poll_interval  # screens still waiting for the reveal give up then
    await asyncio.gather(*tasks, return_exceptions=True)
    window_end = loop.time()
    await asyncio.sleep(min(args.teacher_interval, max(0.0, deadline - loop.time())))
    stop_screens.set()
    await asyncio.gather(*screens, return_exceptions=True)
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    wall = loop.time() - wall_before
    load_after = os.getloadavg()
    generator_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is not None:
            stats.error(f"pupil: {type(task.exception()).__name__}")

    # Exactly once: live counts, then the aggregates left after ending each session.
    mismatches: list[str] = []
    for phase in ("live", "after end"):
        for session in sessions:
            if phase == "after end":
                await teacher.request("teacher", session.path + "styring/",
                                      {"csrfmiddlewaretoken": session.csrf, "action": "end"}, record=False)
            response = await teacher.request("results", session.path + "resultater.json", record=False)
            data = json.loads(response.body or b"{}") if response is not None else {}
            step = next((s for s in data.get("steps", []) if s["step"] == session.step), {"counts": {}})
            counted = {k: v for k, v in step["counts"].items() if v}
            if counted != dict(session.expected):
                mismatches.append(f"  AFVIGELSE ({phase}) {session.code}: talt {counted}, "
                                  f"forventet {dict(session.expected)}")

    lags = sorted(lag for session in sessions for lag in teacher_lags(session))
    return {"stats": stats, "sessions": sessions, "burst": burst, "lags": lags, "mismatches": mismatches,
            "joined_after": joined_after, "window": (burst.window_start, window_end), "say_join": say_join,
            "generator_cpu": generator_cpu, "wall": wall, "connections_opened": pool.opened,
            "load": {"before": load_before, "joined": loadavg_join, "after": load_after}}


def report(args, result: dict) -> tuple[dict, bool]:
    stats: Stats = result["stats"]
    sessions: list[Session] = result["sessions"]
    burst: Burst = result["burst"]
    window_start, window_end = result["window"]
    summary: list[str] = []

    def say(line: str) -> None:
        print(line)
        summary.append(line)

    def row(label: str, values: list[float]) -> str:
        return (f"{label:<14} {len(values):>7} {percentile(values, 50) * 1000:>8.1f} "
                f"{percentile(values, 95) * 1000:>8.1f} {percentile(values, 99) * 1000:>8.1f}")

    for line in result["mismatches"]:
        say(line)
    votes = sum(sum(s.expected.values()) for s in sessions)
    everything = [d for kind, values in stats.timings.items() for _s, d in values]
    in_window = [d for kind, values in stats.timings.items() for s, d in values if window_start <= s <= window_end]
    say(f"\n{len(sessions)} forløb × {args.pupils} elever, {votes} stemmer talt; {result['say_join']} "
        f"(hver klasse over {args.join_min:.0f}–{args.join_max:.0f} s)")
    say(f"afstemningsvindue {args.window:.0f} s; elevskærme poller hver {args.poll_interval:g} s, "
        f"projektoren hver {args.teacher_interval:g} s; {args.connections} forbindelser")
    say(f"{'forespørgsel':<14} {'antal':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind in (*PUPIL_KINDS, "projector", "teacher"):
        say(row(kind, [d for _s, d in stats.timings.get(kind, [])]))
    say(row("alle", everything))
    say(row("i vinduet", in_window))
    finite = [lag for lag in result["lags"] if lag != float("inf")]
    unseen = len(result["lags"]) - len(finite)
    say(f"lærerskærm opdateret efter en stemme: p50 {percentile(finite, 50) * 1000:.0f} ms, "
        f"p95 {percentile(finite, 95) * 1000:.0f} ms, max {max(finite, default=0) * 1000:.0f} ms"
        + (f", {unseen} stemmer aldrig vist" if unseen else ""))
    for action, label in (("open", "åbner afstemningen"), ("reveal", "afslører")):
        values = burst.follow_lags.get(action, [])
        say(f"elevskærm følger, når læreren {label}: {len(values)} skærme, p50 {percentile(values, 50) * 1000:.0f} ms, "
            f"p95 {percentile(values, 95) * 1000:.0f} ms, max {max(values, default=0) * 1000:.0f} ms")
    load = result["load"]
    say(f"generatorens CPU: {result['generator_cpu']:.1f} s på {result['wall']:.0f} s "
        f"({100 * result['generator_cpu'] / result['wall']:.0f} % af én kerne); "
        f"load average før/efter join/slut: {load['before'][0]:.2f} / {load['joined'][0]:.2f} / {load['after'][0]:.2f}")
    say(f"fejl: {sum(stats.errors.values())}" + "".join(f"\n  {k}: {v}" for k, v in stats.errors.most_common()))
    expected_votes = args.sessions * args.pupils
    votes_ok = not result["mismatches"] and votes == expected_votes
    ok = votes_ok and not stats.errors
    say("OK: hver stemme talt præcis én gang." if ok else "FEJL: se ovenfor.")
    rps = len(in_window) / (window_end - window_start) if window_end > window_start else None
    data = {
        "sessions": len(sessions), "pupils": args.pupils, "votes": votes, "votes_expected": expected_votes,
        "votes_ok": votes_ok, "mismatches": len(result["mismatches"]), "errors": sum(stats.errors.values()),
        "error_kinds": dict(stats.errors), "joined": burst.joined, "join_s": round(result["joined_after"], 1),
        "window_s": args.window, "poll_interval_s": args.poll_interval, "connections": args.connections,
        "requests": len(everything), "requests_in_window": len(in_window),
        "rps": round(rps, 1) if rps else None,
        # The target "95 % of requests under 300 ms" is read over every request of the burst.
        "p50_ms": round(percentile(everything, 50) * 1000, 1), "p95_ms": round(percentile(everything, 95) * 1000, 1),
        "p99_ms": round(percentile(everything, 99) * 1000, 1),
        "window_p95_ms": round(percentile(in_window, 95) * 1000, 1),
        "by_kind": {kind: {"n": len(v), "p50_ms": round(percentile([d for _s, d in v], 50) * 1000, 1),
                           "p95_ms": round(percentile([d for _s, d in v], 95) * 1000, 1),
                           "p99_ms": round(percentile([d for _s, d in v], 99) * 1000, 1)}
                    for kind, v in stats.timings.items()},
        "teacher_lag_ms": {"p50": round(percentile(finite, 50) * 1000), "p95": round(percentile(finite, 95) * 1000),
                           "max": round(max(finite) * 1000) if finite and not unseen else None, "unseen": unseen},
        "pupil_follow_ms": {action: {"n": len(v), "p95": round(percentile(v, 95) * 1000),
                                     "max": round(max(v, default=0) * 1000)}
                            for action, v in burst.follow_lags.items()},
        "generator_cpu_s": round(result["generator_cpu"], 1), "generator_wall_s": round(result["wall"], 1),
        "loadavg": {k: round(v[0], 2) for k, v in load.items()},
        "summary": "\n".join(summary),
    }
    return data, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("server", help="fx http://127.0.0.1:8000 (kun localhost)")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--pupils", type=int, default=30)
    parser.add_argument("--window", type=float, default=10.0, help="afstemningsvinduet i sekunder")
    parser.add_argument("--poll-interval", type=float, default=2.0,
                        help="elevskærmens poll-interval (static/js/classroom-live.js: data-interval)")
    parser.add_argument("--teacher-interval", type=float, default=1.0, help="projektorens poll-interval")
    parser.add_argument("--join-min", type=float, default=30.0, help="en klasses elever deltager over mindst …")
    parser.add_argument("--join-max", type=float, default=60.0, help="… og højst så mange sekunder")
    parser.add_argument("--teacher-spread", type=float, default=3.0,
                        help="lærerne åbner (og afslører) inden for så mange sekunder af hinanden")
    parser.add_argument("--deck", default="ven-deler-voldsom-video")
    parser.add_argument("--options", type=int, default=4, help="hvor mange af svarene (a, b, …) der stemmes på")
    parser.add_argument("--teacher", default=DEMO_TEACHER)
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--connections", type=int, default=64, help="keep-alive-forbindelser i puljen")
    parser.add_argument("--max-uses", type=int, default=200, help="forespørgsler pr. forbindelse før en ny")
    parser.add_argument("--request-timeout", type=float, default=15.0)
    parser.add_argument("--join-timeout", type=float, default=150.0, help="afstemningen åbner senest efter så længe")
    parser.add_argument("--deadline", type=float, default=300.0, help="stop senest efter så mange sekunder")
    parser.add_argument("--seed", type=int, default=None, help="fast tilfældighed (gentagelige kørsler)")
    parser.add_argument("--json", default="", help="skriv tallene som JSON til denne fil")
    args = parser.parse_args(argv)

    url = urllib.parse.urlparse(args.server)
    if url.scheme != "http" or url.hostname not in LOCAL_HOSTS:
        print(f"Afvist: belastningstesten kører kun mod http://127.0.0.1/localhost, ikke {args.server!r}.",
              file=sys.stderr)
        return 2
    random.seed(args.seed)
    result = asyncio.run(run(args, url.hostname, url.port or 80))
    data, ok = report(args, result)
    if args.json:
        Path(args.json).write_text(json.dumps(data, indent=2), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

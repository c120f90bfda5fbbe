"""In-process requests for the benchmark: the same requests wrk sends, through Django's test client and the
full middleware stack, to count queries (CaptureQueriesContext) and to profile (cProfile)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.test import Client

HOST = "127.0.0.1"


@dataclass(frozen=True)
class InProcessRequest:
    name: str
    method: str
    path: str
    session: str | None = None
    body: str | None = None
    content_type: str = ""
    expect: int = 200
    headers: tuple[tuple[str, str], ...] = ()


def requests_from_setup(setup: dict) -> list[InProcessRequest]:
    learner = setup["learner_sessions"][0]
    out = [
        InProcessRequest("ceiling", "GET", "/bench/ceiling/"),
        InProcessRequest("plain_page", "GET", setup["plain"]["path"]),
        InProcessRequest("lesson", "GET", setup["lesson"]["path"], session=learner),
        InProcessRequest("module", "GET", setup["module"]["path"], session=learner),
        InProcessRequest("public", "GET", setup["public"]["path"]),
        InProcessRequest("insert_form", "POST", "/bench/insert/", body=(setup.get("quiz") or {}).get("body", "x=1"),
                         content_type="application/x-www-form-urlencoded", expect=201),
        InProcessRequest("insert_json", "POST", "/bench/insert-json/", body=(setup.get("xapi") or {}).get("body", "{}"),
                         content_type="application/json", expect=201),
        InProcessRequest("dashboard", "GET", "/koordinator/", session=setup["coordinator_session"]),
        InProcessRequest("dashboard_large", "GET", "/koordinator/", session=setup["coordinator_large_session"]),
        InProcessRequest("national", "GET", "/koordinator/national/", session=setup["admin_session"]),
    ]
    if setup.get("quiz"):
        out.append(InProcessRequest("quiz", "POST", setup["quiz"]["path"], session=learner, body=setup["quiz"]["body"],
                                    content_type="application/x-www-form-urlencoded",
                                    headers=tuple((setup["quiz"].get("headers") or {}).items())))
    if setup.get("xapi"):
        out.append(InProcessRequest("xapi", "POST", setup["xapi"]["paths"][0], body=setup["xapi"]["body"],
                                    content_type="application/json", expect=201))
    return out


class Runner:
    """Sends one InProcessRequest at a time; xAPI bodies get a fresh statement id each time."""

    def __init__(self, setup: dict) -> None:
        self.setup = setup
        # One client (one handler, middleware loaded once, like a server process); cookies reset per request.
        self.client = Client(HTTP_HOST=HOST)

    def send(self, request: InProcessRequest):
        import uuid

        client = self.client
        client.cookies.clear()
        if request.session:
            client.cookies[self.setup["session_cookie"]] = request.session
        if request.method == "GET":
            return client.get(request.path)
        body = request.body or ""
        if "STATEMENT_ID" in body:
            body = body.replace("STATEMENT_ID", str(uuid.uuid4()))
        return client.generic("POST", request.path, body.encode(), content_type=request.content_type,
                              headers=dict(request.headers))


def load_setup(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))

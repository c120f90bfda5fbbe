"""Queries per request of every benchmark scenario (a separate, instrumented request on the same data)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.inprocess import Runner, load_setup, requests_from_setup


class Command(BaseCommand):
    help = "Tæller databaseforespørgsler pr. request for hvert benchmark-scenarie."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--setup", default="var/bench/setup.json")
        parser.add_argument("--out", default="var/bench/queries.json")

    def handle(self, *args, **options) -> None:
        runner = Runner(load_setup(options["setup"]))
        result = {}
        for request in requests_from_setup(runner.setup):
            runner.send(request)  # warm: first-request caches (site root paths, directory, cached page)
            with CaptureQueriesContext(connection) as captured:
                response = runner.send(request)
            result[request.name] = {
                "queries": len(captured.captured_queries),
                "status": response.status_code,
                "expected_status": request.expect,
                "sql": [q["sql"][:300] for q in captured.captured_queries],
            }
            self.stdout.write(f"  {request.name:<16} {response.status_code}  {len(captured.captured_queries):>3} queries")
        Path(options["out"]).write_text(json.dumps(result, indent=2), encoding="utf-8")

"""Where the time goes: cProfile over repeated in-process requests of the slowest HTTP scenario."""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from bench.inprocess import Runner, load_setup, requests_from_setup

REFERENCES = {"ceiling", "ceiling_latency", "insert_form", "insert_json", "plain_page"}


def slowest_scenario(http: dict) -> str | None:
    """The scenario (not a reference) with the highest median p50 latency at page concurrency."""
    best, worst = None, -1.0
    for name, target in http.get("targets", {}).items():
        runs = target.get("runs") or []
        if name in REFERENCES or not runs or target.get("connections") != http["config"]["connections"]:
            continue
        p50 = sorted(run["p50_ms"] for run in runs)[len(runs) // 2]
        if p50 > worst:
            best, worst = name, p50
    return best


class Command(BaseCommand):
    help = "Profilerer det langsomste scenarie (cProfile) og skriver de dyreste funktioner."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--setup", default="var/bench/setup.json")
        parser.add_argument("--http", default="var/bench/http.json")
        parser.add_argument("--scenario", default="")
        parser.add_argument("--requests", type=int, default=50)
        parser.add_argument("--out", default="var/bench/profile.txt")

    def handle(self, *args, **options) -> None:
        runner = Runner(load_setup(options["setup"]))
        name = options["scenario"]
        if not name and Path(options["http"]).exists():
            name = slowest_scenario(json.loads(Path(options["http"]).read_text())) or ""
        name = name or "lesson"
        request = next(r for r in requests_from_setup(runner.setup) if r.name == name)
        runner.send(request)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(options["requests"]):
            runner.send(request)
        profiler.disable()
        elapsed = time.perf_counter() - started
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats("cumulative")
        stats.print_stats(35)
        header = (f"scenario: {name}\nrequests: {options['requests']} in process (Django test client, full middleware)\n"
                  f"mean: {1000 * elapsed / options['requests']:.1f} ms per request under cProfile\n\n")
        Path(options["out"]).write_text(header + buffer.getvalue(), encoding="utf-8")
        self.stdout.write(f"  profil af {name}: {options['out']}")

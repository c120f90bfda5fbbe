"""Generate the national-scale benchmark population (docs/benchmarks.md) into a scratch PostgreSQL database."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench.generator import Sizes
from bench.population import population_analyze, population_generate


class Command(BaseCommand):
    help = "Genererer benchmark-data: 98 kommuner, 5.000 afdelinger, 100.000 medarbejdere, 1 mio. forløb, 50.000 beviser."

    def add_arguments(self, parser) -> None:
        defaults = Sizes()
        for name in ("municipalities", "departments", "staff", "progress", "certificates"):
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("generate_bench_data skriver med COPY og kræver PostgreSQL (DATABASE_URL=postgres://…).")
        sizes = Sizes(**{k: options[k] for k in ("municipalities", "departments", "staff", "progress", "certificates")})
        started = time.perf_counter()
        try:
            report = population_generate(sizes=sizes, now=timezone.now(), log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
        population_analyze()
        for line in report.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(f"Benchmark-data klar på {time.perf_counter() - started:.0f} s."))

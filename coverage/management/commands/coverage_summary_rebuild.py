"""`manage.py coverage_summary_rebuild [--user ID ...]`: recompute the dashboard's training summary from the
source tables (lesson progress, restarts, certificates, users and their roles). Idempotent; run it after a
bulk load that went past the services, or to repair the summary."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from ...summary import coverage_summary_rebuild


class Command(BaseCommand):
    help = "Genberegner dækningens oversigt pr. medarbejder og kursus ud fra forløb, genstarter og beviser."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--user", dest="user_ids", type=int, action="append", help="Kun denne bruger (id); kan gentages."
        )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        result = coverage_summary_rebuild(user_ids=options["user_ids"])
        self.stdout.write(
            f"Oversigten er genberegnet: {result.staff:,} medarbejdere, {result.training_rows:,} "
            f"kursusrækker på {time.perf_counter() - started:.1f} s."
        )

"""Delete or anonymise data past its retention period (docs/retention.md). Also runs nightly via beat."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from learning.retention import retention_purge


class Command(BaseCommand):
    help = "Sletter eller anonymiserer data, hvis opbevaringsperiode er udløbet (se docs/retention.md)."

    def handle(self, *args, **options) -> None:
        result = retention_purge(at=timezone.now())
        for key, value in result.items():
            self.stdout.write(f"{key}: {value}")
        self.stdout.write(self.style.SUCCESS("Udløbne data er slettet."))

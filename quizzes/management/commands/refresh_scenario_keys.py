"""Recompute every scenario's answer key with the current rules and directory and flag changes."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from quizzes.services import scenario_keys_refresh


class Command(BaseCommand):
    help = "Genberegn alle scenariers svarnøgle og markér dem, hvis nøgle har ændret sig."

    def handle(self, *args, **options):
        now = timezone.now()
        changed = scenario_keys_refresh(on=timezone.localdate(now), at=now)
        for scenario in changed:
            self.stdout.write(f"{scenario.slug}: {scenario.needs_review_reason}")
        self.stdout.write(self.style.SUCCESS(f"{len(changed)} scenarie(r) skal gennemgås."))

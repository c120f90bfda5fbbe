"""Load the demo content, idempotently: municipalities, departments, pages and one user per role.

Demo users with known passwords exist only where settings.DEMO_MODE is on (the embedded dev setup).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from learning import demo


class Command(BaseCommand):
    help = "Indlæser demo-indhold (kan køres igen uden at lave dubletter)."

    def handle(self, *args, **options) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("seed_demo kører kun i demo-opsætningen (DEMO_MODE=true).")
        report = demo.demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo-indhold er klar."))
        self.stdout.write("")
        self.stdout.write("Demo-brugere (kun i demo-opsætningen):")
        width = max(len(row.email) for row in report.users)
        for row in report.users:
            self.stdout.write(f"  {row.email.ljust(width)}  {row.password}  {row.role_label}")
        self.stdout.write("")
        self.stdout.write(
            "Koordinatorer, redaktører og administratorer logger ind med to-faktor. Demo-koden vises med:\n"
            "  .venv/bin/python manage.py demo_totp koordinator.koege@forebyg.example"
        )

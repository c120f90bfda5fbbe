"""``manage.py backup --output DIR``: database (portable dumpdata) and media files in one archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from learning.backup import backup_create


class Command(BaseCommand):
    help = "Tager backup af databasen og mediefilerne i ét arkiv (.tar.gz), der kan gendannes med restore."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", required=True, help="Mappe, som arkivet skrives i.")

    def handle(self, *args, output: str, **options) -> None:
        path = backup_create(output_dir=Path(output), at=timezone.now())
        self.stdout.write(str(path))

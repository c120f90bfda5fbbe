"""``manage.py restore --input FILE``: restore a backup into an EMPTY, migrated database (exit 2 otherwise)."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learning.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Gendanner en backup i en tom, migreret database. Afviser (exit 2), hvis databasen ikke er tom."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--input", required=True, help="Backuparkivet (.tar.gz) fra manage.py backup.")

    def handle(self, *args, input: str, **options) -> None:
        path = Path(input)
        if not path.is_file():
            raise CommandError(f"Filen findes ikke: {path}")
        try:
            counts = backup_restore(archive_path=path)
        except BackupError as error:
            self.stderr.write(str(error))
            sys.exit(2 if error.code == "not_empty" else 1)
        self.stdout.write(self.style.SUCCESS(f"Gendannet: {sum(counts.values())} rækker i {len(counts)} modeller."))

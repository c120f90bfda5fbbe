"""Import an H5P package from the command line, with the same checks as an upload (synchronously)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from interactive.services import H5PPackageRejected, h5p_activity_import


class Command(BaseCommand):
    help = "Kontrollér og importér en H5P-pakke (.h5p). Skriver aktivitetens korte navn (slug) ved succes."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Stien til .h5p-filen")
        parser.add_argument("--title", required=True, help="Aktivitetens titel")
        parser.add_argument(
            "--slug", help="Aktivitetens korte navn (dannes ud fra titlen, hvis det udelades)"
        )

    def handle(self, *args, file: str, title: str, slug: str | None = None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Filen findes ikke: {path}", returncode=2)
        try:
            activity = h5p_activity_import(path=path, title=title, slug=slug, at=timezone.now())
        except H5PPackageRejected as rejected:
            raise CommandError(f"Pakken er afvist: {rejected.message}", returncode=2) from None
        except ValidationError as invalid:
            messages = "; ".join(
                message for messages in invalid.message_dict.values() for message in messages
            )
            raise CommandError(f"Aktiviteten kan ikke oprettes: {messages}", returncode=2) from None
        self.stdout.write(activity.slug)

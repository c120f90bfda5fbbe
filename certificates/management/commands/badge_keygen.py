"""Generate the platform's Open Badges signing key (Ed25519), or rotate it with --rotate."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from certificates.badges import signing_key_create


class Command(BaseCommand):
    help = "Opret platformens signeringsnøgle til Open Badges (Ed25519). --rotate laver en ny og beholder de gamle offentlige nøgler."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rotate", action="store_true", help="Lav en ny aktiv nøgle, også hvis der findes en."
        )

    def handle(self, *args, rotate: bool = False, **options):
        key = signing_key_create(at=timezone.now(), rotate=rotate)
        self.stdout.write(self.style.SUCCESS(f"Aktiv signeringsnøgle: kid={key.kid}"))

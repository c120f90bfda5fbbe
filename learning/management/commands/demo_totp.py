"""Print the current two-factor code of a demo account (demo setup only), so a tester can log in."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from learning.mfa import user_totp_code
from learning.models import User


class Command(BaseCommand):
    help = "Viser den aktuelle to-faktor-kode for en demo-bruger (kun i demo-opsætningen)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("demo_totp kører kun i demo-opsætningen (DEMO_MODE=true).", returncode=2)
        from learning.demo import DEMO_EMAIL_DOMAIN

        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None or not user.email.endswith("@" + DEMO_EMAIL_DOMAIN):
            raise CommandError(f"Ingen demo-bruger med e-mailen {email}.", returncode=2)
        try:
            code = user_totp_code(user=user, at=timezone.now())
        except Exception as error:  # the account has no TOTP authenticator
            raise CommandError(f"{email} har ikke to-faktor-godkendelse.", returncode=2) from error
        self.stdout.write(code)

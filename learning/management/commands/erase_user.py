"""Erase a person's personal data (the right to erasure): ``manage.py erase_user EMAIL --by ADMIN_EMAIL``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from learning.models import User
from learning.retention import user_erase, user_is_erased
from learning.roles import Role, user_has_role


class Command(BaseCommand):
    help = (
        "Sletter en brugers personoplysninger. Beviser bevares anonymiseret og tilbagekaldt som dokumentation "
        "for gennemført uddannelse (se docs/retention.md)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="E-mailadressen på den bruger, der skal slettes.")
        parser.add_argument("--by", dest="by", default="", help="E-mail på den administrator, der sletter.")

    def handle(self, *args, email: str, by: str, **options) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError("Der findes ingen bruger med den e-mailadresse.")
        if user_is_erased(user):
            self.stdout.write("Brugeren er allerede slettet.")
            return
        actor = None
        if by:
            actor = User.objects.filter(email__iexact=by.strip()).first()
            if actor is None or not user_has_role(actor, Role.ADMINISTRATOR):
                raise CommandError("--by skal være en administrators e-mailadresse.")
        counts = user_erase(user=user, by=actor, at=timezone.now())
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Brugeren er slettet og står nu som {user.email}."))

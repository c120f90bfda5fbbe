"""Route a described concern from the command line (stable interface: see the routing contract).

    python manage.py route_concern --input case.json     # or --input - (stdin)

Prints one JSON object (the decision) on stdout and exits 0. Bad input prints ``error: <field>: …``
on stderr, nothing on stdout, and exits 2.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from learning.directory import concern_route
from learning.rules import ConcernInputError, DirectoryError

EXIT_BAD_INPUT = 2


class BadInput(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise BadInput("--on", "must be a date YYYY-MM-DD") from error


class Command(BaseCommand):
    help = "Afgør, hvad der skal ske med en bekymring (JSON ind, JSON ud). Se routing-kontrakten."
    # stdout must hold exactly one JSON object: the system checks' warnings have no place in it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="JSON-fil med bekymringen, eller - for stdin.")
        parser.add_argument("--on", default=None, help="Datoen, reglerne gælder på (YYYY-MM-DD); standard: i dag.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = _date(options["on"]) if options["on"] else timezone.localdate()
            data = self._read(options["input"])
            decision = concern_route(data=data, on=on)
        except BadInput as error:
            self._fail(str(error))
        except ConcernInputError as error:
            self._fail(str(error))
        except DirectoryError as error:
            raise CommandError(f"directory: {error}") from error
        except DatabaseError as error:
            raise CommandError(f"database: {error} (has `manage.py migrate` been run?)") from error
        self.stdout.write(json.dumps(decision.to_dict(), ensure_ascii=False))

    def _read(self, source: str) -> object:
        try:
            if source == "-":
                text = sys.stdin.read()
            else:
                with open(source, encoding="utf-8") as handle:
                    text = handle.read()
        except FileNotFoundError as error:
            raise BadInput("--input", f"file not found: {source}") from error
        except (OSError, UnicodeDecodeError) as error:
            raise BadInput("--input", f"cannot read {source}: {error}") from error
        try:
            return json.loads(text)
        except ValueError as error:
            raise BadInput("input", f"not valid JSON ({error})") from error

    def _fail(self, message: str) -> None:
        self.stderr.write(f"error: {message}")
        sys.exit(EXIT_BAD_INPUT)

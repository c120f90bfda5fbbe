"""CSV and XLSX exports of the figures and of the people behind them (Danish headers, injection safe)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import JobRole

from .services import Coverage, PeopleFilter, Status, TargetContext, people_list, person_status

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas: text starting with = + - @ (or a tab/CR) gets a leading '."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def figures_table(*, coverage: Coverage) -> tuple[list[str], list[list[Any]]]:
    header = [
        _("Opdeling"),
        _("Navn"),
        _("Medarbejdere i målgruppen"),
        _("Uddannet"),
        _("Heraf udløbet"),
        _("I gang"),
        _("Ikke startet"),
        _("Udløber inden for 60 dage"),
    ]
    rows: list[list[Any]] = []
    for kind, breakdown in ((_("Afdeling"), coverage.by_department), (_("Stillingsfunktion"), coverage.by_job_role)):
        for row in breakdown:
            c = row.counts
            rows.append([kind, row.label, c.total, c.trained, c.expired, c.in_progress, c.not_started, c.expiring_60d])
    t = coverage.totals
    rows.append([_("I alt"), "", t.total, t.trained, t.expired, t.in_progress, t.not_started, t.expiring_60d])
    return header, rows


def _date(value) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def people_table(*, ctx: TargetContext, filters: PeopleFilter) -> tuple[list[str], Iterable[list[Any]]]:
    header = [
        _("Navn"),
        _("E-mail"),
        _("Afdeling"),
        _("Stillingsfunktion"),
        _("Status"),
        _("Uddannet dato"),
        _("Beviset udløber"),
        _("Seneste aktivitet"),
    ]
    roles = dict(JobRole.choices)

    def rows():
        for person in people_list(ctx=ctx, filters=filters):
            yield [
                person.get_full_name(),
                person.email,
                person.department.name if person.department_id else "",
                str(roles.get(person.job_role, "")),
                str(Status.LABELS[person_status(person)]),
                _date(person.trained_at),
                _date(person.expires_at),
                _date(person.last_activity_at),
            ]

    return header, rows()


def to_csv(*, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with BOM and `;` so Danish Excel opens it directly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([cell_safe(str(h)) for h in header])
    for row in rows:
        writer.writerow([cell_safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(*, header: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Ark1")
    sheet.append([cell_safe(str(h)) for h in header])
    for row in rows:
        sheet.append([cell_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

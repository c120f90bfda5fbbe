"""`manage.py coverage --municipality koege --period 2024 [--as-of YYYY-MM-DD] --json`"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from learning.models import Municipality

from ...services import coverage_compute, end_of_day, target_for_year_or_id


class Command(BaseCommand):
    help = "Print a municipality's coverage against a training target (by the period's year or the target id)."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="The municipality's short name, e.g. koege.")
        parser.add_argument("--period", required=True, help="The target period's year (e.g. 2024) or a target id.")
        parser.add_argument("--as-of", dest="as_of", help="Count as of this date (YYYY-MM-DD); default today.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        raise SystemExit(2)

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            self._fail(f"Ukendt kommune: {options['municipality']!r}")
        target = target_for_year_or_id(municipality=municipality, period=options["period"])
        if target is None:
            self._fail(f"Intet uddannelsesmål for {municipality.slug} og perioden {options['period']!r}")
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                self._fail(f"Ugyldig dato til --as-of: {options['as_of']!r} (brug ÅÅÅÅ-MM-DD)")
            at = end_of_day(as_of)
        else:
            at = timezone.now()
        coverage = coverage_compute(target=target, at=at)
        forecast = coverage.forecast
        data = {
            "municipality": municipality.slug,
            "target_name": target.name,
            "period_start": target.period_start.isoformat(),
            "period_end": target.period_end.isoformat(),
            "as_of": coverage.ctx.as_of.isoformat(),
            "target": target.target_count,
            "trained": coverage.totals.trained,
            "percent": coverage.percent,
            "forecast_date": forecast.forecast_date.isoformat() if forecast.forecast_date else None,
            "shortfall_at_end": forecast.shortfall_at_end,
            "by_department": [
                {
                    "department": row.label,
                    "trained": row.counts.trained,
                    "in_progress": row.counts.in_progress,
                    "not_started": row.counts.not_started,
                    "expiring_60d": row.counts.expiring_60d,
                }
                for row in coverage.by_department
            ],
        }
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(
            f"{target.name}: {data['trained']} af {data['target']} ({data['percent']} %), prognose: "
            f"{data['forecast_date'] or '–'}"
        )
        for row in data["by_department"]:
            self.stdout.write(
                f"  {row['department']}: uddannet {row['trained']}, i gang {row['in_progress']}, "
                f"ikke startet {row['not_started']}, udløber ≤60 dage {row['expiring_60d']}"
            )

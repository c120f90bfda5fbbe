"""The burn-up forecast: pure functions of dates and counts (no database, no clock)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

# The pace is measured over the last PACE_WINDOW_DAYS days up to the as-of date (or since the period
# started, when that is more recent): it follows the current pace rather than the pace of a slow start.
PACE_WINDOW_DAYS = 90
# A projection further away than this is not a forecast; it is shown as "not at the current pace".
MAX_FORECAST_DAYS = 365 * 10


@dataclass(frozen=True)
class Forecast:
    trained: int  # people trained in the period up to and including the as-of date
    target: int
    pace_per_day: float
    window_start: date
    window_days: int
    met_on: date | None  # the day the target was actually reached
    forecast_date: date | None  # met_on if met; else the projected day; None if the pace is zero
    projected_at_end: int
    shortfall_at_end: int
    period_over: bool

    @property
    def met(self) -> bool:
        return self.met_on is not None

    @property
    def on_track(self) -> bool:
        return self.shortfall_at_end == 0


def cumulative_by_day(*, period_start: date, until: date, daily_counts: dict[date, int]) -> list[tuple[date, int]]:
    """[(day, people trained from the period start up to and including day)] for every day."""
    series, total, day = [], 0, period_start
    while day <= until:
        total += daily_counts.get(day, 0)
        series.append((day, total))
        day += timedelta(days=1)
    return series


def forecast_compute(
    *, period_start: date, period_end: date, as_of: date, target: int, daily_counts: dict[date, int]
) -> Forecast:
    """Forecast when the target is met and how many will be short at the period's end.

    ``daily_counts`` maps a day to the number of people who became trained (first qualifying
    certificate) that day. The pace is linear over the last 90 days up to ``as_of`` (from the period
    start if that is less than 90 days ago): people trained in that window / days in the window.
    The projection continues that pace from ``as_of``; after the period has ended nothing is projected.
    """
    effective = min(max(as_of, period_start - timedelta(days=1)), period_end)
    counts = {day: n for day, n in daily_counts.items() if period_start <= day <= effective}
    trained = sum(counts.values())
    met_on = None
    if target > 0:
        running = 0
        for day in sorted(counts):
            running += counts[day]
            if running >= target:
                met_on = day
                break
    elif target == 0:
        met_on = period_start

    if effective < period_start:
        window_start, window_days, pace = period_start, 0, 0.0
    else:
        window_start = max(period_start, effective - timedelta(days=PACE_WINDOW_DAYS - 1))
        window_days = (effective - window_start).days + 1
        in_window = sum(n for day, n in counts.items() if day >= window_start)
        pace = in_window / window_days

    period_over = as_of >= period_end
    days_left = max(0, (period_end - effective).days)
    projected_at_end = trained + (0 if period_over else math.floor(pace * days_left + 1e-9))
    shortfall = max(0, target - projected_at_end)

    if met_on is not None:
        forecast_date = met_on
    elif pace <= 0 or period_over:
        forecast_date = None
    else:
        days_needed = math.ceil((target - trained) / pace - 1e-9)
        forecast_date = effective + timedelta(days=days_needed) if days_needed <= MAX_FORECAST_DAYS else None
    return Forecast(
        trained=trained,
        target=target,
        pace_per_day=pace,
        window_start=window_start,
        window_days=window_days,
        met_on=met_on,
        forecast_date=forecast_date,
        projected_at_end=projected_at_end,
        shortfall_at_end=shortfall,
        period_over=period_over,
    )

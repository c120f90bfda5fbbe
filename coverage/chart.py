"""Geometry of the burn-up chart, rendered server-side as inline SVG (no chart library, no script)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .forecast import Forecast, cumulative_by_day

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 34
MONTHS_SHORT_DA = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class BurnUpChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    actual_points: str
    target_y: float
    planned_points: str
    forecast_points: str
    today_x: float | None
    x_ticks: list[Tick]
    y_ticks: list[Tick]


def burnup_chart(
    *, period_start: dt.date, period_end: dt.date, as_of: dt.date, target: int, daily_counts: dict[dt.date, int],
    forecast: Forecast,
) -> BurnUpChart:
    days = max(1, (period_end - period_start).days)
    last = min(as_of, period_end)
    series = cumulative_by_day(period_start=period_start, until=last, daily_counts=daily_counts)
    top_value = max(target, forecast.projected_at_end, series[-1][1] if series else 0, 1)
    top_value = int(top_value * 1.1) + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return round(LEFT + plot_w * (day - period_start).days / days, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - value / top_value), 1)

    actual = " ".join(f"{x(day)},{y(value)}" for day, value in series)
    planned = f"{x(period_start)},{y(0)} {x(period_end)},{y(target)}"
    forecast_points = ""
    if series and as_of < period_end:
        forecast_points = f"{x(last)},{y(series[-1][1])} {x(period_end)},{y(forecast.projected_at_end)}"
    x_ticks = []
    month = period_start.replace(day=1)
    if month < period_start:
        month = (month + dt.timedelta(days=32)).replace(day=1)
    months = []
    while month <= period_end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    step = 1 if len(months) <= 12 else (len(months) + 11) // 12
    for month in months[::step]:
        label = MONTHS_SHORT_DA[month.month - 1] + (f" {month.year % 100:02d}" if month.month == 1 else "")
        x_ticks.append(Tick(x(month), HEIGHT - BOTTOM + 16, label))
    y_step = max(1, _nice_step(top_value / 5))
    y_ticks = [Tick(LEFT - 6, y(v), str(v)) for v in range(0, top_value + 1, y_step)]
    return BurnUpChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        actual_points=actual,
        target_y=y(target),
        planned_points=planned,
        forecast_points=forecast_points,
        today_x=x(as_of) if period_start <= as_of <= period_end else None,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
    )


def _nice_step(raw: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if step >= raw:
            return step
    return int(raw)

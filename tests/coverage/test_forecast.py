"""The forecast is a pure function of dates and counts."""

from datetime import date, timedelta

from coverage.forecast import PACE_WINDOW_DAYS, forecast_compute


def test_linear_pace_projects_the_date_and_the_shortfall():
    # 10 people in the first 100 days (the last 90 days hold 9 of them), target 50 over the year.
    daily = {date(2024, 1, 5): 1} | {date(2024, 1, 15) + timedelta(days=10 * i): 1 for i in range(9)}
    f = forecast_compute(
        period_start=date(2024, 1, 1), period_end=date(2024, 12, 31), as_of=date(2024, 4, 9), target=50, daily_counts=daily
    )
    assert f.trained == 10
    assert f.window_start == date(2024, 1, 11)
    assert f.window_days == PACE_WINDOW_DAYS
    assert f.pace_per_day == 9 / 90
    assert f.forecast_date == date(2024, 4, 9) + timedelta(days=400)  # 40 more at 0.1 a day
    assert f.projected_at_end == 36  # 266 days left at 0.1 a day
    assert f.shortfall_at_end == 14
    assert not f.met


def test_short_period_uses_the_days_since_start():
    f = forecast_compute(
        period_start=date(2024, 1, 1), period_end=date(2024, 12, 31), as_of=date(2024, 1, 10), target=20,
        daily_counts={date(2024, 1, 2): 5},
    )
    assert f.window_days == 10
    assert f.pace_per_day == 0.5
    assert f.forecast_date == date(2024, 2, 9)  # 15 more at 0.5 a day
    assert f.shortfall_at_end == 0
    assert f.on_track


def test_met_target_reports_the_day_it_was_met():
    daily = {date(2024, 2, 1): 3, date(2024, 3, 1): 4, date(2024, 5, 1): 2}
    f = forecast_compute(
        period_start=date(2024, 1, 1), period_end=date(2024, 12, 31), as_of=date(2024, 6, 1), target=7, daily_counts=daily
    )
    assert f.met_on == date(2024, 3, 1)
    assert f.forecast_date == date(2024, 3, 1)
    assert f.shortfall_at_end == 0


def test_no_recent_training_means_no_forecast_date():
    f = forecast_compute(
        period_start=date(2024, 1, 1), period_end=date(2024, 12, 31), as_of=date(2024, 9, 1), target=10,
        daily_counts={date(2024, 1, 10): 2},
    )
    assert f.pace_per_day == 0
    assert f.forecast_date is None
    assert f.projected_at_end == 2
    assert f.shortfall_at_end == 8


def test_after_the_period_nothing_is_projected_and_later_days_are_ignored():
    f = forecast_compute(
        period_start=date(2024, 1, 1), period_end=date(2024, 12, 31), as_of=date(2026, 11, 21), target=50,
        daily_counts={date(2024, 6, 1): 40, date(2025, 2, 1): 30},
    )
    assert f.period_over
    assert f.trained == 40
    assert f.projected_at_end == 40
    assert f.shortfall_at_end == 10
    assert f.forecast_date is None


def test_before_the_period_starts():
    f = forecast_compute(
        period_start=date(2027, 1, 1), period_end=date(2027, 12, 31), as_of=date(2026, 11, 21), target=30, daily_counts={}
    )
    assert f.trained == 0
    assert f.forecast_date is None
    assert f.shortfall_at_end == 30

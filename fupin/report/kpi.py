"""KPI arithmetic: target vs actual, 序时进度 (time-elapsed schedule) and year-on-year change."""

import calendar
import datetime as dt
import math
from dataclasses import dataclass


def schedule_share(as_of: dt.date) -> float:
    """Share of the year elapsed on the as-of date, counting the as-of day itself (1 Jan = 1/365)."""
    days_in_year = 366 if calendar.isleap(as_of.year) else 365
    return as_of.timetuple().tm_yday / days_in_year


def pct_done(actual: float, target: float | None) -> float | None:
    """Actual as a percentage of target, or None without a positive target."""
    if target is None or not target > 0:
        return None
    return actual / target * 100


def yoy_pct(current: float, previous: float | None) -> float | None:
    """Year-on-year change in percent, or None when the previous value is zero or missing."""
    if previous is None or previous == 0 or (isinstance(previous, float) and math.isnan(previous)):
        return None
    return (current - previous) / previous * 100


@dataclass(frozen=True)
class TargetProgress:
    """How one metric stands against its yearly target on the as-of date."""

    metric: str
    target: float
    actual: float
    pct_done: float | None
    schedule_pct: float
    ahead_pp: float | None

    @property
    def on_schedule(self) -> bool | None:
        return None if self.ahead_pp is None else self.ahead_pp >= 0


def progress(metric: str, actual: float, target: float, as_of: dt.date) -> TargetProgress:
    """Compare an actual with its yearly target and with the schedule on the as-of date."""
    done = pct_done(actual, target)
    schedule_pct = schedule_share(as_of) * 100
    ahead = None if done is None else done - schedule_pct
    return TargetProgress(metric, target, actual, done, schedule_pct, ahead)


def schedule_series(monthly_amounts: list[tuple[dt.date, float]], target: float, as_of: dt.date) -> list[dict]:
    """Month by month up to the as-of date: the cumulative actual and what the schedule expects by then."""
    rows, total = [], 0.0
    for month_start, amount in sorted(monthly_amounts):
        total += amount
        end = min(month_end(month_start), as_of)
        rows.append({"date": end, "cumulative": total, "expected": target * schedule_share(end)})
    return rows


def month_end(day: dt.date) -> dt.date:
    """The last day of a day's calendar month."""
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)

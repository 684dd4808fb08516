"""Pure rules of the season and trend analysis: the change in %, the period a year or a period
before, and ABC classes by cumulative share — all in exact integer arithmetic, rounded once.

ABC boundary rule: items are sorted by value, largest first (ties by code); an item is A when the
cumulative share of the items BEFORE it is below the A threshold (80 %), B when it is below A + B
(95 %), else C. So the item that crosses 80 % is still A, and the first item always is. Only
positive values count towards the whole; an item whose value is 0 or negative is C.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.periods import Period


def change_tenths(now: int, base: int) -> int | None:
    """(now − base) ÷ |base| in tenths of a percent, half away from zero; None when base is 0."""
    if base == 0:
        return None
    return div_round((now - base) * 1000, abs(base))


def tenths_as_pct(tenths: int | None) -> float | None:
    """Tenths of a percent as the number with one decimal the JSON carries (123 -> 12.3)."""
    return None if tenths is None else tenths / 10


def year_before(day: date) -> date:
    """The same day a year earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def same_period_last_year(period: Period) -> Period:
    return Period(year_before(period.first), year_before(period.last))


def previous_period(period: Period) -> Period:
    """The period just before this one (环比): as many whole calendar months when the period is
    whole months (November against October, a quarter against the quarter before), else the
    same number of days ending the day before it starts."""
    if period.first.day == 1 and (period.last + timedelta(days=1)).day == 1:
        months = (period.last.year - period.first.year) * 12 + period.last.month - period.first.month + 1
        first = period.first
        for _ in range(months):
            first = month_before(first)
        return Period(first, period.first - timedelta(days=1))
    return Period(period.first - timedelta(days=period.days), period.first - timedelta(days=1))


def month_before(day: date, *, month_end: bool = False) -> date:
    """The same day a month earlier (the 31st becomes the month's last day); ``month_end``: the
    last day of the month before."""
    first_of_month = day.replace(day=1)
    last_of_before = first_of_month - timedelta(days=1)
    if month_end:
        return last_of_before
    return last_of_before.replace(day=min(day.day, last_of_before.day))


def bucket_before(period: Period, grouping: str) -> Period:
    """The period one day / week / month earlier: a by-day, by-week or by-month table's rows then
    meet, position by position, the day, week or month before each (环比 of each row)."""
    if grouping == "month":
        is_end = (period.last + timedelta(days=1)).day == 1
        return Period(month_before(period.first), month_before(period.last, month_end=is_end))
    step = timedelta(days=7 if grouping == "week" else 1)
    return Period(period.first - step, period.last - step)


def months_of(period: Period) -> list[str]:
    """The ``YYYY-MM`` keys of the calendar months the period touches, in order."""
    out: list[str] = []
    y, m = period.first.year, period.first.month
    while (y, m) <= (period.last.year, period.last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def abc_classes(values: Sequence[int], a_pct: int, b_pct: int) -> list[tuple[str, int, int]]:
    """For values sorted largest first: (class, share_bp, cum_share_bp) of each.

    Shares are of the sum of the positive values, in basis points, rounded once each; the class
    compares the exact cumulative sum before the item with the thresholds (integer arithmetic)."""
    whole = sum(v for v in values if v > 0)
    out: list[tuple[str, int, int]] = []
    if whole == 0:
        return [("C", 0, 0) for _ in values]
    a_line, b_line = a_pct * whole, (a_pct + b_pct) * whole
    twice = 2 * whole
    before = 0
    for v in values:  # 100 000 products: the half-up divisions inlined (non-negative numerators)
        if v <= 0:
            cls = "C"
        elif before * 100 < a_line:
            cls = "A"
        elif before * 100 < b_line:
            cls = "B"
        else:
            cls = "C"
        if v > 0:
            before += v
        share = (v * 20000 + whole) // twice if v >= 0 else div_round(v * 10000, whole)
        out.append((cls, share, (before * 20000 + whole) // twice))
    return out

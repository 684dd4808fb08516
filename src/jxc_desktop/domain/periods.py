"""Report periods: runs of the shop's local calendar days (today, this month, custom...)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import div_round

# A report longer than this is a typo in a date, not a question a shop owner asks.
MAX_DAYS = 3700


class PeriodKind(StrEnum):
    TODAY = "today"
    YESTERDAY = "yesterday"
    THIS_WEEK = "this_week"
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    THIS_YEAR = "this_year"
    CUSTOM = "custom"


class Grouping(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    PRODUCT = "product"
    CATEGORY = "category"


TIME_GROUPINGS = (Grouping.DAY, Grouping.WEEK, Grouping.MONTH)


@dataclass(frozen=True)
class Period:
    """Local days ``first`` .. ``last`` inclusive."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValidationError("The period ends ({last}) before it starts ({first})",
                                  first=self.first.isoformat(), last=self.last.isoformat())
        if self.days > MAX_DAYS:
            raise ValidationError("The period is too long (at most {days} days)", days=MAX_DAYS)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def day_list(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]

    def next(self) -> Period:
        """The period of the same length right after this one."""
        return Period(self.last + timedelta(days=1), self.last + timedelta(days=self.days))

    def label(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def week_start(day: date) -> date:
    """Monday of the ISO week holding ``day``."""
    return day - timedelta(days=day.weekday())


def period_for(kind: PeriodKind | str, today: date, first: date | None = None,
               last: date | None = None) -> Period:
    """The period a picker choice means on ``today``; the "this ..." periods run to today."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.TODAY:
        return Period(today, today)
    if kind is PeriodKind.YESTERDAY:
        y = today - timedelta(days=1)
        return Period(y, y)
    if kind is PeriodKind.THIS_WEEK:
        return Period(week_start(today), today)
    if kind is PeriodKind.THIS_MONTH:
        return Period(month_start(today), today)
    if kind is PeriodKind.LAST_MONTH:
        end = month_start(today) - timedelta(days=1)
        return Period(month_start(end), end)
    if kind is PeriodKind.THIS_YEAR:
        return Period(today.replace(month=1, day=1), today)
    if first is None or last is None:
        raise ValidationError("A custom period needs a first and a last day")
    return Period(first, last)


def bucket(day: date, grouping: Grouping | str) -> str:
    """The key of the day/week/month a local day falls in (ISO text, sorts in time order)."""
    g = Grouping(grouping)
    if g is Grouping.DAY:
        return day.isoformat()
    if g is Grouping.WEEK:
        return week_start(day).isoformat()
    if g is Grouping.MONTH:
        return day.strftime("%Y-%m")
    raise ValueError(f"{g} is not a time grouping")


def ratio_bp(part: int, whole: int) -> int | None:
    """``part / whole`` in basis points (1/100 of a percent), half-up; None when whole is 0."""
    if whole == 0:
        return None
    return div_round(part * 10000, whole)


def format_bp(bp: int | None) -> str:
    """2345 -> ``23.45%``; None -> ``—``."""
    if bp is None:
        return "—"
    sign = "-" if bp < 0 else ""
    whole, frac = divmod(abs(bp), 100)
    return f"{sign}{whole}.{frac:02d}%"

"""SQL building blocks shared by the reports: local time of a UTC column, period bounds.

Timestamps are stored in UTC; reports speak the shop's local calendar days. The local time of a
stored instant is computed in SQL by adding the local UTC offset, which can change inside a period
(daylight saving), so the expression is a CASE over the offset's segments — usually just one.
Shifting by the offset is the only dialect-specific piece: db/dialect.py ``local_time``. The same
expression as SQL text, for reports written as text: local_text.py (which finds the segments).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, case, cast, func, literal

from jxc_desktop.db.dialect import local_time as dialect_local_time
from jxc_desktop.domain.clock import day_bounds_utc, day_start_utc
from jxc_desktop.domain.periods import Period
from jxc_desktop.services.reporting.local_text import offset_segments


def local_time(col: Any, period: Period) -> ColumnElement[Any]:
    """SQL text ``YYYY-MM-DD HH:MM:SS`` of the local time of UTC column ``col`` in ``period``."""
    start, end = day_bounds_utc(period.first, period.last)
    segments = offset_segments(start, end)

    def shifted(seconds: int) -> ColumnElement[Any]:
        return dialect_local_time(col, literal(seconds))

    if len(segments) == 1:
        return shifted(segments[0][1])
    whens = [(col < seg_end, shifted(off)) for (_, off), (seg_end, _) in zip(segments, segments[1:], strict=False)]
    return case(*whens, else_=shifted(segments[-1][1]))


def local_date(col: Any, period: Period) -> ColumnElement[Any]:
    """SQL ``YYYY-MM-DD`` local day of UTC column ``col``."""
    return func.substr(local_time(col, period), 1, 10)


def local_hour(col: Any, period: Period) -> ColumnElement[Any]:
    """SQL integer local hour (0..23) of UTC column ``col``."""
    return cast(func.substr(local_time(col, period), 12, 2), Integer)


def bounds(period: Period) -> tuple[datetime, datetime]:
    """[start, end) UTC instants of the period's local days."""
    return day_bounds_utc(period.first, period.last)


def end_of_day_utc(day: Any) -> datetime:
    """The UTC instant at which local ``day`` ends (the next day starts)."""
    return day_start_utc(day + timedelta(days=1))


def as_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)

"""Time: stored in UTC, but "today" and report days are the shop's local calendar days."""

from __future__ import annotations

import time as _time
from datetime import UTC, date, datetime, time, timedelta

# A shop's books never reach outside these years; beyond them, date arithmetic would overflow.
MIN_YEAR = 1970
MAX_YEAR = 2200


def utcnow() -> datetime:
    return datetime.now(UTC)


def monotonic() -> float:
    """Seconds on a clock that never goes back, for deadlines (not a time of day)."""
    return _time.monotonic()


def local_day(moment: datetime | None = None) -> date:
    """The shop's local calendar day of an aware moment (now if None)."""
    moment = moment or utcnow()
    return moment.astimezone().date()


def local_today() -> date:
    return local_day()


def day_start_utc(day: date) -> datetime:
    """The UTC instant at which local ``day`` begins."""
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        from jxc_desktop.domain.errors import ValidationError

        raise ValidationError("Dates must lie between the years {lo} and {hi}", lo=MIN_YEAR, hi=MAX_YEAR)
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def day_bounds_utc(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC covering local days ``first`` .. ``last`` inclusive."""
    return day_start_utc(first), day_start_utc(last + timedelta(days=1))


def parse_day(text: str) -> date:
    from jxc_desktop.domain.errors import ValidationError

    try:
        day = date.fromisoformat(text.strip())
    except (ValueError, AttributeError) as exc:
        raise ValidationError("'{value}' is not a date (YYYY-MM-DD)", value=str(text)[:40]) from exc
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValidationError("Dates must lie between the years {lo} and {hi}", lo=MIN_YEAR, hi=MAX_YEAR)
    return day

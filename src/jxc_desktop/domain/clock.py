"""Time: stored in UTC, but "today" and report days are the shop's local calendar days.

The one clock of the program: everything that needs "now" or "today" asks ``utcnow()`` /
``local_today()`` here (or takes it as an argument). ``JXC_NOW`` moves the clock for tests and
demonstrations: ``JXC_NOW=2027-01-01T00:05`` (naive = local time, or with an offset) starts the
clock at that instant and lets it run on from there, so time still moves forward. Processes that
must agree (a test and the ``jxc`` it starts) share ``JXC_NOW_ANCHOR``, the real Unix time at which
the clock read ``JXC_NOW``; without it the anchor is the moment this module first reads the clock.
"""

from __future__ import annotations

import os
import time as _time
from datetime import UTC, date, datetime, time, timedelta

# A shop's books never reach outside these years; beyond them, date arithmetic would overflow.
MIN_YEAR = 1970
MAX_YEAR = 2200


NOW_ENV = "JXC_NOW"
ANCHOR_ENV = "JXC_NOW_ANCHOR"
_shift: dict[tuple[str, str], timedelta] = {}


def parse_instant(text: str) -> datetime:
    """An ISO instant; a naive one is local time. ValueError if it is not one."""
    moment = datetime.fromisoformat(text.strip())
    return moment.astimezone(UTC)  # naive: astimezone() takes it as local time


def _offset() -> timedelta | None:
    """How far the moved clock is from the real one (None: not moved)."""
    text = os.environ.get(NOW_ENV)
    if not text:
        return None
    anchor = os.environ.get(ANCHOR_ENV, "")
    key = (text, anchor)
    shift = _shift.get(key)
    if shift is None:
        real_then = float(anchor) if anchor else _time.time()
        shift = parse_instant(text) - datetime.fromtimestamp(real_then, UTC)
        _shift[key] = shift
    return shift


def utcnow() -> datetime:
    now = datetime.now(UTC)
    shift = _offset()
    return now if shift is None else now + shift


def local_now() -> datetime:
    """Now as an aware local time (for stamps printed on reports and files)."""
    return utcnow().astimezone()


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

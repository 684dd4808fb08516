"""A moment as people and their files write it, read as the shop's local time.

Files from Excel, WPS, online shops and handhelds write times in a handful of shapes
(2026-12-04 09:30, 2026/12/4 9:30:15, 2026-12-04T09:30:00, 20261204 093000). A date alone is
taken at noon: a day of handwritten notes belongs to its day whatever the time zone of the reports.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from jxc_desktop.domain.clock import MAX_YEAR, MIN_YEAR
from jxc_desktop.domain.errors import ValidationError

_DATE_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M:%S", "%Y.%m.%d %H:%M", "%Y%m%d %H%M%S", "%Y%m%d %H:%M:%S", "%Y%m%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M",
)
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
NOON = time(12, 0)


def parse_local_time(text: str, what: str = "Time") -> datetime:
    """An aware UTC moment from local ``text``; ValidationError naming ``what`` if it is not one."""
    raw = " ".join(text.replace("T", " ").split())
    moment: datetime | None = None
    for fmt in _DATE_TIME_FORMATS:
        try:
            moment = datetime.strptime(raw, fmt)
            break
        except ValueError:
            continue
    if moment is None:
        for fmt in _DATE_FORMATS:
            try:
                moment = datetime.combine(datetime.strptime(raw, fmt).date(), NOON)
                break
            except ValueError:
                continue
    if moment is None:
        try:  # Excel's own rendering keeps fractions of a second: 2026-12-04 09:30:00.500000
            moment = datetime.fromisoformat(raw)
        except ValueError:
            moment = None
    if moment is None:
        raise ValidationError("{field}: '{value}' is not a time (YYYY-MM-DD HH:MM)", field=what, value=text.strip()[:40])
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValidationError("Dates must lie between the years {lo} and {hi}", lo=MIN_YEAR, hi=MAX_YEAR)
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    return moment.astimezone().astimezone(UTC)  # naive: astimezone() takes it as local time

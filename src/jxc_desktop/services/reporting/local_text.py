"""The local time of a stored UTC instant as SQL text, per dialect, and the period's binds — for
reports written as SQL text (profit.py) that either driver runs (db/text_reads.py): the window and
PostgreSQL through SQLAlchemy's ``text()``, ``jxc report`` on sqlite3 alone (issue 15). Standard
library only; what differs per dialect comes from db/dialect_text.py.

Timestamps are stored in UTC; reports speak the shop's local calendar days. The local time is the
stored instant plus the local UTC offset, which can change inside a period (daylight saving), so
the expression is a CASE over the offset's segments — usually just one. sql.py builds the same
expression as SQLAlchemy constructs for the reports still written with them."""

from __future__ import annotations

from datetime import datetime, timedelta

from jxc_desktop.db.dialect_text import day_bind, utc_bind, utc_literal, utc_stored
from jxc_desktop.db.dialect_text import local_time as shifted
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.periods import Period


def _offset_seconds(moment: datetime) -> int:
    off = moment.astimezone().utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def offset_segments(start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """``[(from_utc, offset_seconds), ...]`` covering [start, end): where the local offset changes.

    Offsets are checked once a day and, where a day's differs from the next, hour by hour — zones
    change offset on the hour or half hour, at most a few times a year."""
    segments = [(start, _offset_seconds(start))]
    day = start
    while day < end:
        nxt = min(day + timedelta(days=1), end)
        if _offset_seconds(nxt) != segments[-1][1]:
            step = day
            while step < nxt:
                step += timedelta(minutes=30)
                off = _offset_seconds(step)
                if off != segments[-1][1]:
                    segments.append((step, off))
        day = nxt
    return segments


def local_time(col: str, period: Period, dialect: str) -> str:
    """SQL text ``YYYY-MM-DD HH:MM:SS`` of the local time of UTC column ``col`` in ``period``
    (the offsets and their switch instants written into the text: a handful per year)."""
    start, end = day_bounds_utc(period.first, period.last)
    segments = offset_segments(start, end)
    if len(segments) == 1:
        return shifted(col, segments[0][1], dialect)
    whens = " ".join(f"WHEN {col} < {utc_literal(utc_stored(seg_end), dialect)} THEN {shifted(col, off, dialect)}"
                     for (_, off), (seg_end, _) in zip(segments, segments[1:], strict=False))
    return f"CASE {whens} ELSE {shifted(col, segments[-1][1], dialect)} END"


def local_date(col: str, period: Period, dialect: str) -> str:
    """SQL text ``YYYY-MM-DD``: the local day of UTC column ``col``."""
    return f"substr({local_time(col, period, dialect)}, 1, 10)"


def period_binds(period: Period, dialect: str) -> dict[str, object]:
    """``:first``/``:last`` (the period's days) and ``:start``/``:end`` (the UTC instants its local
    days begin and end), as the dialect's driver takes them."""
    start, end = day_bounds_utc(period.first, period.last)
    return {"first": day_bind(period.first, dialect), "last": day_bind(period.last, dialect),
            "start": utc_bind(start, dialect), "end": utc_bind(end, dialect)}

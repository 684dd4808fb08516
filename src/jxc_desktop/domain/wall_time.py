"""Wall-clock times as people and handheld collectors (盘点机) write them, read as the shop's local
time: ``2026-12-04 09:30``, ``2026/12/4 9:30:15``, ``2026.12.04 09:30``, ``2026-12-04T09:30:15``,
``20261204 093015``, ``20261204093015``, ``2026年12月4日 9:30`` or ``9时30分``. A time of day is
required (a date alone does not say when a shelf was counted). Pure: standard library only.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from jxc_desktop.domain.clock import MAX_YEAR, MIN_YEAR
from jxc_desktop.domain.errors import ValidationError

_SEPARATED = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(?:T|\s)\s*"
    r"(\d{1,2})\s*[:时]\s*(\d{1,2})\s*(?:[:分]\s*(\d{1,2}(?:\.\d+)?)\s*秒?|分)?\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})[\sT]?(\d{2})(\d{2})(\d{2})?\s*$")
_DATE_ONLY = re.compile(r"^\s*(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*[-/.月]?\s*(\d{1,2})\s*日?\s*$")
NOON = 12
HINT = "YYYY-MM-DD HH:MM"


def looks_like_time(text: str) -> bool:
    """A cell that is a date and time with separators (a compact ``20261204093015`` could be a batch)."""
    return bool(_SEPARATED.match(text or ""))


def parse_wall_time(text: str, *, compact: bool = True) -> datetime:
    """The aware UTC instant of a local wall-clock time; ValidationError naming the text if it is
    not one (or not a real date and time)."""
    raw = (text or "").strip()
    m = _SEPARATED.match(raw) or (_COMPACT.match(raw) if compact else None)
    if m is None:
        raise ValidationError("'{value}' is not a date and time ({hint})", value=raw[:40], hint=HINT)
    year, month, day, hour, minute = (int(g) for g in m.groups()[:5])
    second = int(float(m.group(6))) if m.group(6) else 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError("Dates must lie between the years {lo} and {hi}", lo=MIN_YEAR, hi=MAX_YEAR)
    try:
        local = datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise ValidationError("'{value}' is not a date and time ({hint})", value=raw[:40], hint=HINT) from exc
    return local.astimezone().astimezone(UTC)  # naive: astimezone() takes it as local time


def format_wall_time(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM`` in local time (what the import dialog and messages show)."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def parse_day_or_time(text: str) -> datetime:
    """Like :func:`parse_wall_time`, but a date alone is taken at noon: a day of handwritten sales
    notes belongs to its day, whatever the hour (the sales import)."""
    m = _DATE_ONLY.match(text or "")
    if m is None:
        return parse_wall_time(text)
    year, month, day = (int(g) for g in m.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError("Dates must lie between the years {lo} and {hi}", lo=MIN_YEAR, hi=MAX_YEAR)
    try:
        local = datetime(year, month, day, NOON)
    except ValueError as exc:
        raise ValidationError("'{value}' is not a date and time ({hint})", value=text.strip()[:40], hint=HINT) from exc
    return local.astimezone().astimezone(UTC)

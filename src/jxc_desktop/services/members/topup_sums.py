"""Stored-value top-ups per payment method and the stored value owed at a day as SQL text, run by
either driver (db/text_reads.py): the cash book and the 日结 in their sessions, ``jxc sales summary``
and ``jxc accounts cashbook`` on sqlite3 alone (issue 15)."""

from __future__ import annotations

from datetime import date

from jxc_desktop.db.dialect_text import day_bind
from jxc_desktop.db.text_reads import Rows

TOPUPS = ("SELECT method, sum(amount) FROM stored_value_move WHERE kind = 'topup' AND business_day >= :first "
          "AND business_day <= :last GROUP BY method")
STORED_VALUE_AT = "SELECT coalesce(sum(amount), 0) FROM stored_value_move WHERE business_day <= :day"


def topups_by_method(rows: Rows, first: date, last: date) -> dict[str, int]:
    """Money received by stored-value top-ups in [first, last] (local days), per method, fen."""
    return {method: int(total or 0) for method, total in rows.all(
        TOPUPS, first=day_bind(first, rows.dialect), last=day_bind(last, rows.dialect))}


def stored_value_at(rows: Rows, day: date) -> int:
    """The stored value members held at the end of ``day``: the shop's liability then, fen."""
    return int(rows.all(STORED_VALUE_AT, day=day_bind(day, rows.dialect))[0][0] or 0)

"""Stored-value top-ups per payment method as SQL text, run by either driver (db/text_reads.py):
the cash book and the 日结 in their sessions, ``jxc sales summary`` on sqlite3 alone (issue 15)."""

from __future__ import annotations

from datetime import date

from jxc_desktop.db.dialect_text import day_bind
from jxc_desktop.db.text_reads import Rows

TOPUPS = ("SELECT method, sum(amount) FROM stored_value_move WHERE kind = 'topup' AND business_day >= :first "
          "AND business_day <= :last GROUP BY method")


def topups_by_method(rows: Rows, first: date, last: date) -> dict[str, int]:
    """Money received by stored-value top-ups in [first, last] (local days), per method, fen."""
    return {method: int(total or 0) for method, total in rows.all(
        TOPUPS, first=day_bind(first, rows.dialect), last=day_bind(last, rows.dialect))}

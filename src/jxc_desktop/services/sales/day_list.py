"""A local day's sales and returns as SQL text, run by either driver (db/text_reads.py): by the
checkout service on its unit of work (the window's reprint list, SQLite or PostgreSQL) and by
``jxc sales list`` on sqlite3 alone (issue 15: the command never builds SQLAlchemy)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from jxc_desktop.db.dialect_text import utc_bind
from jxc_desktop.db.text_reads import Rows, as_utc
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.services.sales.dto import SaleRow

IN_DAY = "s.created_at >= :start AND s.created_at < :end"
SALES = f"SELECT s.id, s.number, s.kind, s.created_at, s.total FROM sale s WHERE {IN_DAY} ORDER BY s.id DESC"
LINES = (f"SELECT l.sale_id, count(*), sum(l.qty) FROM sale_line l JOIN sale s ON s.id = l.sale_id "
         f"WHERE {IN_DAY} GROUP BY l.sale_id")
# The methods paid with, in the order they were paid (a refund's negative amounts are not shown).
METHODS = (f"SELECT p.sale_id, p.method FROM payment p JOIN sale s ON s.id = p.sale_id "
           f"WHERE {IN_DAY} AND p.amount > 0 ORDER BY p.id")


def list_day(rows: Rows, day: date) -> list[SaleRow]:
    """Sales and returns created on a local day, newest first."""
    start, end = day_bounds_utc(day, day)
    binds = {"start": utc_bind(start, rows.dialect), "end": utc_bind(end, rows.dialect)}
    counts = {int(sid): (int(n), int(q or 0)) for sid, n, q in rows.all(LINES, **binds)}
    methods: dict[int, list[str]] = defaultdict(list)
    for sid, method in rows.all(METHODS, **binds):
        methods[int(sid)].append(method)
    out = []
    for sid, number, kind, created, total in rows.all(SALES, **binds):
        when = as_utc(created)
        assert when is not None  # NOT NULL
        out.append(SaleRow(number, kind, when, *counts.get(int(sid), (0, 0)), int(total), tuple(methods[int(sid)])))
    return out

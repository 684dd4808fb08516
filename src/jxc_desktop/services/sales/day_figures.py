"""A local day's takings as SQL text, run by either driver (db/text_reads.py): the day summary of
today's panel and the 日结 slip (day_summary.py, in the checkout service's session) and ``jxc sales
summary`` on sqlite3 alone (issue 15). The day's shifts and top-ups come from their own packages;
the caller passes them in."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from jxc_desktop.db.dialect_text import utc_bind
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.tender import METHODS
from jxc_desktop.services.sales.dto import DaySummary
from jxc_desktop.services.staff.dto import DayShifts

POSTED_IN_DAY = "s.created_at >= :start AND s.created_at < :end AND s.status = 'posted'"
KINDS = f"SELECT s.kind, count(*), sum(s.total), sum(s.cost) FROM sale s WHERE {POSTED_IN_DAY} GROUP BY s.kind"
BY_METHOD = (f"SELECT s.kind, p.method, sum(p.amount) FROM payment p JOIN sale s ON s.id = p.sale_id "
             f"WHERE {POSTED_IN_DAY} GROUP BY s.kind, p.method")
LINE_DISCOUNTS = (f"SELECT sum(l.discount) FROM sale_line l JOIN sale s ON s.id = l.sale_id "
                  f"WHERE {POSTED_IN_DAY} AND s.kind = 'sale'")


def day_figures(rows: Rows, day: date, shifts: DayShifts, topups: Mapping[str, int]) -> DaySummary:
    """Posted sales and returns of a local day; refunds are subtracted from their payment method."""
    start, end = day_bounds_utc(day, day)
    binds = {"start": utc_bind(start, rows.dialect), "end": utc_bind(end, rows.dialect)}
    kinds = {kind: (int(n), int(t or 0), int(c or 0)) for kind, n, t, c in rows.all(KINDS, **binds)}
    by_method: dict[str, int] = {}
    for kind, method, amount in rows.all(BY_METHOD, **binds):
        sign = -1 if kind == "return" else 1
        by_method[method] = by_method.get(method, 0) + sign * int(amount or 0)
    line_disc = rows.all(LINE_DISCOUNTS, **binds)[0][0] or 0
    sn, st, sc = kinds.get("sale", (0, 0, 0))
    rn, rt, rc = kinds.get("return", (0, 0, 0))
    return DaySummary(day, sn, st, rn, rt, int(line_disc), sc - rc,
                      {m: by_method[m] for m in METHODS if m in by_method}, shifts, dict(topups))

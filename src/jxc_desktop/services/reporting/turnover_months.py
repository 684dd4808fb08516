"""Stock turnover (库存周转率) and days of inventory by calendar month, for the shop and per
category: the same flow as the turnover report (stock_value.py), month by month.

Linear in the moves: the stock value at the period's start comes from the ledger once
(stock_value.positions_at: the cheaper side of the time index), the moves inside the period are
summed once per (product, kind of flow) in each local month's range of the time index; each month's opening is the previous month's
closing (opening + the month's flows), so no month re-reads the history before it. A month at the
edge of the period counts its days inside the period only.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Category, Product, StockMove
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.trend import months_of
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.season import month_periods
from jxc_desktop.services.reporting.sql import bounds
from jxc_desktop.services.reporting.stock_value import (
    COUNT_KINDS,
    FIX_KINDS,
    PURCHASE_KINDS,
    SALE_KINDS,
    TurnoverReport,
    TurnoverRow,
    positions_at,
    turnover_row,
)

FLOWS = 5  # purchases, sales, counts, other, fixes (turnover_row's order after the opening)


@dataclass(frozen=True, slots=True)
class TurnoverMonthRow(TurnoverRow):
    month: str = ""  # YYYY-MM


def _month_days(month: str, period: Period) -> int:
    """Days of ``month`` inside the period."""
    y, m = int(month[:4]), int(month[5:])
    first = date(y, m, 1)
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return (min(nxt - timedelta(days=1), period.last) - max(first, period.first)).days + 1


def _flows(s: Session, part: Period) -> list[tuple[Any, ...]]:
    """(product id, purchases, sales, counts, other, fixes) of the moves in ``part`` (one month
    cut to the period): one range of the time index per month, grouped by product alone — no
    local-time function per move, the month's bounds are computed here."""
    start, end = bounds(part)

    def when(kinds: tuple[str, ...], *, inside: bool = True) -> Any:
        cond = StockMove.kind.in_(kinds) if inside else StockMove.kind.not_in(kinds)
        return func.sum(case((cond, StockMove.value), else_=0))

    pid = StockMove.product_id + 0  # read the time index in order, group afterwards (stock_value.py)
    result = s.connection().execute(select(
        pid, when(PURCHASE_KINDS), when(SALE_KINDS), when(COUNT_KINDS),
        when(PURCHASE_KINDS + SALE_KINDS + COUNT_KINDS + FIX_KINDS, inside=False), when(FIX_KINDS),
    ).where(StockMove.created_at >= start, StockMove.created_at < end).group_by(pid))
    rows = result.cursor.fetchall()
    result.close()
    return rows


def turnover_by_month(s: Session, period: Period, by: str = "month") -> TurnoverReport:
    """``by`` "month": one row per month (every category); "category_month": per category, its months."""
    months = months_of(period)
    start, _end = bounds(period)
    cat_of = dict(s.connection().execute(select(Product.id, Product.category_id)).all())
    opening: dict[Any, int] = {}
    pos = positions_at(s, start)
    for pid, v in s.execute(select(pos.c.pid, pos.c.v)):
        cid = cat_of.get(pid)
        opening[cid] = opening.get(cid, 0) + int(v or 0)
    flows: dict[Any, list[list[int]]] = {}  # category -> per month [5 flows]
    for m, (_month, part) in enumerate(month_periods(period)):
        for pid, *vals in _flows(s, part):
            per = flows.get(cat_of.get(pid))
            if per is None:
                per = flows[cat_of.get(pid)] = [[0] * FLOWS for _ in months]
            cell = per[m]
            for i, v in enumerate(vals):
                cell[i] += int(v or 0)
    names = dict(s.connection().execute(select(Category.id, Category.name)).all())
    cats = sorted(set(opening) | set(flows), key=lambda c: (c is None, c or 0))
    # each category's [opening, 5 flows] per month: the opening carried from the month before
    table: dict[Any, list[list[int]]] = {}
    for cid in cats:
        run = opening.get(cid, 0)
        per = flows.get(cid, [[0] * FLOWS for _ in months])
        table[cid] = []
        for cell in per:
            table[cid].append([run, *cell])
            run += sum(cell)
    rows: list[TurnoverRow] = []
    if by == "category_month":
        for cid in cats:
            label = names.get(cid) or _("Uncategorized")
            for m, vals in zip(months, table[cid], strict=True):
                if any(vals):
                    rows.append(_month_row(m, "" if cid is None else str(cid), label, vals, period))
    else:
        for i, m in enumerate(months):
            vals = [sum(table[c][i][k] for c in cats) for k in range(FLOWS + 1)]
            rows.append(_month_row(m, m, m, vals, period))
    tot = [sum(table[c][0][0] for c in cats)] + [sum(table[c][i][k] for c in cats for i in range(len(months)))
                                                 for k in range(1, FLOWS + 1)]
    return TurnoverReport(period, tuple(rows), turnover_row("total", _("Total"), tot, period.days), by)


def _month_row(month: str, key: str, label: str, vals: list[int], period: Period) -> TurnoverMonthRow:
    base = turnover_row(key, label, vals, _month_days(month, period))
    return TurnoverMonthRow(*(getattr(base, f.name) for f in fields(TurnoverRow)), month=month)

"""Stock turnover (库存周转率) and days of inventory by calendar month, for the shop and per
category: the same flow as the turnover report (stock_value.py), month by month.

Linear in the moves: the stock value at the period's start comes from the ledger once
(stock_value.positions_at: the cheaper side of the time index), the moves inside the period are
summed once per (product, kind of flow) in each local month's range of the time index; each month's opening is the previous month's
closing (opening + the month's flows), so no month re-reads the history before it. A month at the
edge of the period counts its days inside the period only.

Written as SQL text either driver runs (db/text_reads.py), as stock_value.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any

from jxc_desktop.db.dialect_text import utc_bind
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.trend import months_of
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.season import month_periods
from jxc_desktop.services.reporting.stock_value import (
    CATEGORY_NAMES,
    COUNT_KINDS,
    FIX_KINDS,
    MOVED_PRODUCT,
    OTHER_KINDS,
    PURCHASE_KINDS,
    SALE_KINDS,
    TurnoverReport,
    TurnoverRow,
    kinds_in,
    positions_at,
    turnover_report,
    turnover_row,
    value_when,
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


# (product id, purchases, sales, counts, other, fixes) of the moves in one month cut to the period:
# one range of the time index per month, read in order and grouped by product alone afterwards
# (stock_value.MOVED_PRODUCT) — no local-time function per move, the month's bounds are binds.
MONTH_FLOWS = (f"SELECT {MOVED_PRODUCT}, {value_when(f'kind IN {kinds_in(PURCHASE_KINDS)}')}, "
               f"{value_when(f'kind IN {kinds_in(SALE_KINDS)}')}, {value_when(f'kind IN {kinds_in(COUNT_KINDS)}')}, "
               f"{value_when(f'kind NOT IN {kinds_in(OTHER_KINDS)}')}, {value_when(f'kind IN {kinds_in(FIX_KINDS)}')} "
               f"FROM stock_move WHERE created_at >= :start AND created_at < :end GROUP BY {MOVED_PRODUCT}")
PRODUCT_CATEGORIES = "SELECT id, category_id FROM product"
GROUPINGS = ("category", "month", "category_month")


def turnover(rows: Rows, period: Period, by: str = "category") -> TurnoverReport:
    """Per category over the period (stock_value.turnover_report), or month by month."""
    if by not in GROUPINGS:
        raise ValidationError("Cannot group by {field}", field=by)
    return turnover_report(rows, period) if by == "category" else turnover_by_month(rows, period, by)


def turnover_by_month(rows: Rows, period: Period, by: str = "month") -> TurnoverReport:
    """``by`` "month": one row per month (every category); "category_month": per category, its months."""
    months = months_of(period)
    start, _end = day_bounds_utc(period.first, period.last)
    cat_of = dict(rows.each(PRODUCT_CATEGORIES))
    pos, binds = positions_at(rows, start)
    opening = opening_of(cat_of, rows.each(f"SELECT pos.pid, pos.v FROM ({pos}) AS pos", **binds))
    flows = flows_of(cat_of, len(months), (_month_flows(rows, part) for _, part in month_periods(period)))
    names = dict(rows.all(CATEGORY_NAMES))
    return turnover_months_of(period, by, months, opening, flows, names)


def _month_flows(rows: Rows, part: Period) -> Iterable[Sequence[Any]]:
    first, end = day_bounds_utc(part.first, part.last)
    return rows.each(MONTH_FLOWS, start=utc_bind(first, rows.dialect), end=utc_bind(end, rows.dialect))


def opening_of(cat_of: Mapping[Any, Any], positions: Iterable[Sequence[Any]]) -> dict[Any, int]:
    """Each category's opening value from the products' (id, value) positions."""
    opening: dict[Any, int] = {}
    for pid, v in positions:
        cid = cat_of.get(pid)
        opening[cid] = opening.get(cid, 0) + int(v or 0)
    return opening


def flows_of(cat_of: Mapping[Any, Any], n_months: int, per_month: Iterable[Iterable[Sequence[Any]]]
             ) -> dict[Any, list[list[int]]]:
    """Each category's five flows per month from each month's (product, five flows) rows."""
    flows: dict[Any, list[list[int]]] = {}  # category -> per month [5 flows]
    for m, found in enumerate(per_month):
        for pid, *vals in found:
            per = flows.get(cat_of.get(pid))
            if per is None:
                per = flows[cat_of.get(pid)] = [[0] * FLOWS for _ in range(n_months)]
            cell = per[m]
            for i, v in enumerate(vals):
                cell[i] += int(v or 0)
    return flows


def turnover_months_of(period: Period, by: str, months: list[str], opening: dict[Any, int],
                       flows: dict[Any, list[list[int]]], names: Mapping[Any, Any]) -> TurnoverReport:
    """The month-by-month turnover from each category's opening and flows (opening_of, flows_of)
    and the category names; the reference (tests/integration/stock_reports_reference.py) runs it on
    its ORM rows."""
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
    found: list[TurnoverRow] = []
    if by == "category_month":
        for cid in cats:
            label = names.get(cid) or _("Uncategorized")
            for m, vals in zip(months, table[cid], strict=True):
                if any(vals):
                    found.append(_month_row(m, "" if cid is None else str(cid), label, vals, period))
    else:
        for i, m in enumerate(months):
            vals = [sum(table[c][i][k] for c in cats) for k in range(FLOWS + 1)]
            found.append(_month_row(m, m, m, vals, period))
    tot = [sum(table[c][0][0] for c in cats)] + [sum(table[c][i][k] for c in cats for i in range(len(months)))
                                                 for k in range(1, FLOWS + 1)]
    return TurnoverReport(period, tuple(found), turnover_row("total", _("Total"), tot, period.days), by)


def _month_row(month: str, key: str, label: str, vals: list[int], period: Period) -> TurnoverMonthRow:
    base = turnover_row(key, label, vals, _month_days(month, period))
    return TurnoverMonthRow(*(getattr(base, f.name) for f in fields(TurnoverRow)), month=month)

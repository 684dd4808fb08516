"""Sell-through (售罄率) and days of cover (可售天数) per product and per category.

For a product, over the period: sold = units sold − units returned by customers (the posted
lines), held = units in stock at the end of the period's last day (the ledger's position then);
sell-through = sold ÷ (sold + held), days of cover = held ÷ (sold per day) = held × days ÷ sold.
Units of different goods do not add up, so a category uses the same two ratios on cost values:
cost of goods sold (the lines' cost snapshots, net of returns) and the stock value at the end.
Ratios in basis points and whole days, half away from zero, rounded once; None when undefined
(nothing sold and nothing held; nothing sold for the days of cover).

Written as SQL text either driver runs (db/text_reads.py), as stock_value.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from jxc_desktop.db.dialect_text import day_bind
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.periods import Period, ratio_bp
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.stock_value import CATEGORY_NAMES, end_of_day, positions_at

POSTED = "posted"


class CoverGrouping(StrEnum):
    PRODUCT = "product"
    CATEGORY = "category"


@dataclass(frozen=True, slots=True)
class CoverRow:
    key: str  # product code, category id ("" = none), "total"
    label: str
    category: str
    sold_qty: int  # thousandths, net of customer returns (products only)
    held_qty: int  # thousandths at the end of the period (products only)
    cogs: int  # cost of the goods sold, fen
    held_value: int  # stock value at the end, fen
    sell_through_bp: int | None
    days_of_cover: int | None


@dataclass(frozen=True)
class CoverReport:
    period: Period
    by: CoverGrouping
    rows: tuple[CoverRow, ...]
    total: CoverRow


def _ratios(sold: int, held: int, days: int) -> tuple[int | None, int | None]:
    """(sell-through in basis points, days of cover). Stock below zero (sold before it was booked
    in) holds nothing: it counts as 0, so everything was sold and nothing covers a day."""
    held = max(held, 0)
    through = ratio_bp(sold, sold + held) if sold + held > 0 else None
    return through, (div_round(held * days, sold) if sold > 0 else None)


SOLD = ("SELECT product_id, sum(qty), sum(cost) FROM sale_line WHERE kind = :kind AND status = :status "
        "AND business_day >= :first AND business_day <= :last GROUP BY product_id")
PRODUCTS = "SELECT id, code, name, category_id FROM product"


def _sold(rows: Rows, period: Period) -> dict[int, tuple[int, int]]:
    """(units, cost) sold net of customer returns, per product."""
    out: dict[int, tuple[int, int]] = {}
    binds = {"status": POSTED, "first": day_bind(period.first, rows.dialect), "last": day_bind(period.last, rows.dialect)}
    for kind, sign in (("sale", 1), ("return", -1)):
        for pid, q, c in rows.each(SOLD, kind=kind, **binds):
            q0, c0 = out.get(pid, (0, 0))
            out[pid] = (q0 + sign * int(q or 0), c0 + sign * int(c or 0))
    return out


def cover_report(rows: Rows, period: Period, by: CoverGrouping | str = CoverGrouping.PRODUCT) -> CoverReport:
    by = CoverGrouping(by)
    sold = _sold(rows, period)
    pos, binds = positions_at(rows, end_of_day(period.last))
    held = {pid: (int(q or 0), int(v or 0)) for pid, q, v in rows.each(f"SELECT pos.pid, pos.q, pos.v FROM ({pos}) AS pos",
                                                                         **binds)}
    return cover_of(period, by, sold, held, dict(rows.all(CATEGORY_NAMES)), rows.each(PRODUCTS))


def cover_of(period: Period, by: CoverGrouping, sold: dict[int, tuple[int, int]], held: dict[int, tuple[int, int]],
             names: Mapping[Any, Any], products: Iterable[Sequence[Any]]) -> CoverReport:
    """The cover from what each product sold and holds, the category names and the products' (id,
    code, name, category) rows; the reference (tests/integration/stock_reports_reference.py) runs it
    on its ORM rows."""
    uncategorized = _("Uncategorized")
    groups: dict[object, list[int]] = {}  # category id -> [cogs, held value]
    labels: dict[object, tuple[str, str]] = {}
    found = []
    for pid, code, name, cid in products:
        sq, cogs = sold.get(pid, (0, 0))
        hq, hv = held.get(pid, (0, 0))
        if not (sq or cogs or hq or hv):
            continue
        cat = names.get(cid) or uncategorized
        if by is CoverGrouping.PRODUCT:  # a row per product straight away: no group of 100 000 products
            found.append(CoverRow(code, name, cat, sq, hq, cogs, hv, *_ratios(sq, hq, period.days)))
            continue
        if cid not in labels:
            labels[cid] = ("" if cid is None else str(cid), cat)
            groups[cid] = [0, 0]
        acc = groups[cid]
        acc[0] += cogs
        acc[1] += hv
    sold.clear()  # the caller's: not held beside the rows
    held.clear()
    for key, (cogs, hv) in groups.items():
        k, label = labels[key]
        found.append(CoverRow(k, label, "", 0, 0, cogs, hv, *_ratios(cogs, hv, period.days)))
    # the longest cover first; held without a sale (no cover figure: it does not sell) before all
    found.sort(key=lambda r: (r.days_of_cover is not None, -(r.days_of_cover or 0), r.key))
    cogs_t, held_t = sum(r.cogs for r in found), sum(r.held_value for r in found)
    total = CoverRow("total", _("Total"), "", 0, 0, cogs_t, held_t, *_ratios(cogs_t, held_t, period.days))
    return CoverReport(period, by, tuple(found), total)

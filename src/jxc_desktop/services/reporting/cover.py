"""Sell-through (售罄率) and days of cover (可售天数) per product and per category.

For a product, over the period: sold = units sold − units returned by customers (the posted
lines), held = units in stock at the end of the period's last day (the ledger's position then);
sell-through = sold ÷ (sold + held), days of cover = held ÷ (sold per day) = held × days ÷ sold.
Units of different goods do not add up, so a category uses the same two ratios on cost values:
cost of goods sold (the lines' cost snapshots, net of returns) and the stock value at the end.
Ratios in basis points and whole days, half away from zero, rounded once; None when undefined
(nothing sold and nothing held; nothing sold for the days of cover).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Category, Product, SaleLine
from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.periods import Period, ratio_bp
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.sql import end_of_day_utc
from jxc_desktop.services.reporting.stock_value import positions_at

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


def _sold(s: Session, period: Period) -> dict[int, tuple[int, int]]:
    """(units, cost) sold net of customer returns, per product."""
    out: dict[int, tuple[int, int]] = {}
    for kind, sign in (("sale", 1), ("return", -1)):
        stmt = select(SaleLine.product_id, func.sum(SaleLine.qty), func.sum(SaleLine.cost)).where(
            SaleLine.kind == kind, SaleLine.status == POSTED,
            SaleLine.business_day >= period.first, SaleLine.business_day <= period.last,
        ).group_by(SaleLine.product_id)
        for pid, q, c in s.connection().execute(stmt):
            q0, c0 = out.get(pid, (0, 0))
            out[pid] = (q0 + sign * int(q or 0), c0 + sign * int(c or 0))
    return out


def cover_report(s: Session, period: Period, by: CoverGrouping | str = CoverGrouping.PRODUCT) -> CoverReport:
    by = CoverGrouping(by)
    sold = _sold(s, period)
    pos = positions_at(s, end_of_day_utc(period.last))
    held = {pid: (int(q or 0), int(v or 0)) for pid, q, v in s.execute(select(pos.c.pid, pos.c.q, pos.c.v))}
    uncategorized = _("Uncategorized")
    names = dict(s.connection().execute(select(Category.id, Category.name)).all())
    groups: dict[object, list[int]] = {}  # category id -> [cogs, held value]
    labels: dict[object, tuple[str, str]] = {}
    rows = []
    stmt = select(Product.id, Product.code, Product.name, Product.category_id)
    for pid, code, name, cid in s.connection().execute(stmt):
        sq, cogs = sold.get(pid, (0, 0))
        hq, hv = held.get(pid, (0, 0))
        if not (sq or cogs or hq or hv):
            continue
        cat = names.get(cid) or uncategorized
        if by is CoverGrouping.PRODUCT:  # a row per product straight away: no group of 100 000 products
            rows.append(CoverRow(code, name, cat, sq, hq, cogs, hv, *_ratios(sq, hq, period.days)))
            continue
        if cid not in labels:
            labels[cid] = ("" if cid is None else str(cid), cat)
            groups[cid] = [0, 0]
        acc = groups[cid]
        acc[0] += cogs
        acc[1] += hv
    del sold, held
    for key, (cogs, hv) in groups.items():
        k, label = labels[key]
        rows.append(CoverRow(k, label, "", 0, 0, cogs, hv, *_ratios(cogs, hv, period.days)))
    # the longest cover first; held without a sale (no cover figure: it does not sell) before all
    rows.sort(key=lambda r: (r.days_of_cover is not None, -(r.days_of_cover or 0), r.key))
    cogs_t, held_t = sum(r.cogs for r in rows), sum(r.held_value for r in rows)
    total = CoverRow("total", _("Total"), "", 0, 0, cogs_t, held_t, *_ratios(cogs_t, held_t, period.days))
    return CoverReport(period, by, tuple(rows), total)

"""Sales by category or product × calendar month (the season table), with last year's total for
the same days and the change in % (同比).

Net sales = the amounts of posted sale lines minus those of posted customer returns, by business
day, as in the profit summary (so a row's total equals its net sales there). The lines are summed
per product by one aggregate per month and document kind over the lines' covering index — no join
to the products per line: the products' names and categories are read once and the per-product
sums folded into categories in Python (a join per line costs more than the aggregate itself).
A product counts in its category of today (a product moved to another category takes its
history along), as in the profit summary by category.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Category, Product, SaleLine
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.trend import change_tenths, months_of, same_period_last_year
from jxc_desktop.i18n import _

POSTED = "posted"


class SeasonGrouping(StrEnum):
    CATEGORY = "category"
    PRODUCT = "product"


@dataclass(frozen=True, slots=True)
class SeasonRow:
    key: str  # product code, category id ("" = none), "total"
    label: str
    category: str  # products only
    months: tuple[int, ...]  # net sales per month of the report's ``months``, fen
    total: int
    last_year_total: int  # the same days a year earlier, fen
    yoy_tenths: int | None  # (total − last year) ÷ last year in tenths of a percent; None when last year is 0


@dataclass(frozen=True)
class SeasonReport:
    period: Period
    last_year: Period
    by: SeasonGrouping
    months: tuple[str, ...]  # YYYY-MM, in order
    rows: tuple[SeasonRow, ...]
    total: SeasonRow


def _sums(s: Session, period: Period, kind: str) -> list[tuple[int, int]]:
    """(product id, Σ amount) of one kind of posted document in the period, as plain tuples."""
    stmt = select(SaleLine.product_id, func.sum(SaleLine.amount)).where(
        SaleLine.kind == kind, SaleLine.status == POSTED,
        SaleLine.business_day >= period.first, SaleLine.business_day <= period.last).group_by(SaleLine.product_id)
    result = s.connection().execute(stmt)
    rows = result.cursor.fetchall()  # two ints a row: no result processing for 100 000 products
    result.close()
    return rows


def month_periods(period: Period) -> list[tuple[str, Period]]:
    """Each calendar month the period touches, cut to the period."""
    out = []
    for month in months_of(period):
        first = date(int(month[:4]), int(month[5:]), 1)
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        out.append((month, Period(max(first, period.first), min(nxt - timedelta(days=1), period.last))))
    return out


def net_by_month(s: Session, period: Period) -> list[dict[int, int]]:
    """Net sales per product for each month of the period (months_of's order), fen.

    One aggregate per month and kind, grouped by product alone: SQLite sorts twelve small runs of
    integer keys instead of the whole year by (product, month text) — half the time measured."""
    out = []
    for _month, part in month_periods(period):
        net: dict[int, int] = dict(_sums(s, part, "sale"))
        for pid, amount in _sums(s, part, "return"):  # few
            net[pid] = net.get(pid, 0) - amount
        out.append(net)
    return out


def net_by_product(s: Session, period: Period) -> dict[int, int]:
    """Net sales per product in fen (the period as a whole)."""
    net: dict[int, int] = dict(_sums(s, period, "sale"))
    for pid, amount in _sums(s, period, "return"):
        net[pid] = net.get(pid, 0) - amount
    return net


def season_report(s: Session, period: Period, by: SeasonGrouping | str = SeasonGrouping.CATEGORY) -> SeasonReport:
    by = SeasonGrouping(by)
    months = months_of(period)
    last_year = same_period_last_year(period)
    now = net_by_month(s, period)
    before = net_by_product(s, last_year)
    uncategorized = _("Uncategorized")
    conn = s.connection()
    # Each group's label and category, and each product's group (a product code or a category id).
    groups: dict[Any, tuple[str, str, str]] = {}
    member: dict[int, Any] = {}
    if by is SeasonGrouping.PRODUCT:
        touched = set(before).union(*now)
        result = conn.execute(select(Product.id, Product.code, Product.name, Product.category_id))
        names = dict(conn.execute(select(Category.id, Category.name)).all())
        for pid, code, name, cid in result.cursor.fetchall():
            if pid in touched:
                member[pid] = code
                groups[code] = (code, name, names.get(cid) or uncategorized)
        result.close()
    else:
        names = dict(conn.execute(select(Category.id, Category.name)).all())
        result = conn.execute(select(Product.id, Product.category_id))
        member = dict(result.cursor.fetchall())
        result.close()
        for cid in set(member.values()):
            groups[cid] = ("" if cid is None else str(cid), names.get(cid) or uncategorized, "")
    # Fold month by month into a short list per group position (half a million product-months).
    slot = {g: i for i, g in enumerate(groups)}
    of = {pid: slot[g] for pid, g in member.items()}
    by_group = [[0] * len(months) for _ in groups]
    for m, net in enumerate(now):
        col = [0] * len(groups)
        for pid, v in net.items():
            col[of[pid]] += v
        for i, v in enumerate(col):
            by_group[i][m] = v
    last_col = [0] * len(groups)
    for pid, v in before.items():
        last_col[of[pid]] += v
    cells = {g: by_group[i] for g, i in slot.items()}
    last = {g: last_col[i] for g, i in slot.items()}
    rows = []
    for g, (key, label, cat) in groups.items():
        vals = cells[g]
        total = sum(vals)
        if total == 0 and last[g] == 0 and not any(vals):
            continue
        rows.append(SeasonRow(key, label, cat, tuple(vals), total, last[g], change_tenths(total, last[g])))
    rows.sort(key=lambda r: (-r.total, r.key))
    col_sums = tuple(sum(r.months[i] for r in rows) for i in range(len(months)))
    grand, grand_last = sum(col_sums), sum(r.last_year_total for r in rows)
    total_row = SeasonRow("total", _("Total"), "", col_sums, grand, grand_last, change_tenths(grand, grand_last))
    return SeasonReport(period, last_year, by, tuple(months), tuple(rows), total_row)

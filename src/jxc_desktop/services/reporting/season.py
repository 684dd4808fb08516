"""Sales by category or product × calendar month (the season table), with last year's total for
the same days and the change in % (同比).

Net sales = the amounts of posted sale lines minus those of posted customer returns, by business
day, as in the profit summary (so a row's total equals its net sales there). The lines are summed
per (product, month) by one aggregate per document kind over the lines' covering index — no join
to the products per line: the products' names and categories are read once and the per-product
sums folded into categories in Python (a join per line costs more than the aggregate itself).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import String, func, select
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


def _sums(s: Session, period: Period, kind: str, *, by_month: bool) -> Iterable[Any]:
    """(product id, [month,] Σ amount) of one kind of posted document in the period."""
    month = func.substr(SaleLine.business_day, 1, 7, type_=String)
    group: list[Any] = [SaleLine.product_id + 0] + ([month] if by_month else [])
    stmt = select(*group, func.sum(SaleLine.amount)).where(
        SaleLine.kind == kind, SaleLine.status == POSTED,
        SaleLine.business_day >= period.first, SaleLine.business_day <= period.last).group_by(*group)
    return s.connection().execute(stmt)


def net_by_product_month(s: Session, period: Period) -> dict[int, dict[str, int]]:
    """Net sales per product and month (``YYYY-MM``) in fen."""
    out: dict[int, dict[str, int]] = {}
    for kind, sign in (("sale", 1), ("return", -1)):
        for pid, month, amount in _sums(s, period, kind, by_month=True):
            cell = out.get(pid)
            if cell is None:
                cell = out[pid] = {}
            cell[month] = cell.get(month, 0) + sign * int(amount or 0)
    return out


def net_by_product(s: Session, period: Period) -> dict[int, int]:
    """Net sales per product in fen (the period as a whole)."""
    out: dict[int, int] = {}
    for kind, sign in (("sale", 1), ("return", -1)):
        for pid, amount in _sums(s, period, kind, by_month=False):
            out[pid] = out.get(pid, 0) + sign * int(amount or 0)
    return out


def season_report(s: Session, period: Period, by: SeasonGrouping | str = SeasonGrouping.CATEGORY) -> SeasonReport:
    by = SeasonGrouping(by)
    months = months_of(period)
    at = {m: i for i, m in enumerate(months)}
    last_year = same_period_last_year(period)
    now = net_by_product_month(s, period)
    before = net_by_product(s, last_year)
    uncategorized = _("Uncategorized")
    # group key of each product touched, with its label and category
    groups: dict[Any, tuple[str, str, str]] = {}
    member: dict[int, Any] = {}
    touched = set(now) | set(before)
    if by is SeasonGrouping.PRODUCT:
        stmt = select(Product.id, Product.code, Product.name, Category.name) \
            .outerjoin(Category, Category.id == Product.category_id)
        for pid, code, name, cat in s.connection().execute(stmt):
            if pid in touched:
                member[pid] = code
                groups[code] = (code, name, cat or uncategorized)
    else:
        names = dict(s.connection().execute(select(Category.id, Category.name)).all())
        for pid, cid in s.connection().execute(select(Product.id, Product.category_id)):
            if pid in touched:
                member[pid] = cid
                groups.setdefault(cid, ("" if cid is None else str(cid), names.get(cid) or uncategorized, ""))
    cells: dict[Any, list[int]] = {g: [0] * len(months) for g in groups}
    last: dict[Any, int] = dict.fromkeys(groups, 0)
    for pid, by_month in now.items():
        row = cells[member[pid]]
        for month, v in by_month.items():
            row[at[month]] += v
    for pid, v in before.items():
        last[member[pid]] += v
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

"""ABC classes of the products by net sales or by gross profit over a period (ABC 分类).

A = the products that make the first ``abc_a_pct`` % (default 80) of the whole, B = the next
``abc_b_pct`` % (default 15), C = the rest; the boundary rule and the integer arithmetic are in
domain/trend.py (an item is A while the cumulative share BEFORE it is below 80 %). Products with
lines in the period are classed; goods not sold at all are not here (see the slow movers report).
Net sales and costs come from the lines of posted sales minus those of posted returns, as in the
profit summary; gross profit = net sales − cost of goods sold (the lines' cost snapshots).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Category, Product, SaleLine
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.trend import abc_classes
from jxc_desktop.i18n import _

POSTED = "posted"


class AbcBasis(StrEnum):
    SALES = "sales"
    PROFIT = "profit"


@dataclass(frozen=True, slots=True)
class AbcRow:
    code: str
    name: str
    category: str
    value: int  # net sales or gross profit, fen
    share_bp: int  # of the sum of the positive values, basis points
    cum_share_bp: int  # this row and all before it
    cls: str  # "A" | "B" | "C"


@dataclass(frozen=True)
class AbcReport:
    period: Period
    by: AbcBasis
    a_pct: int
    b_pct: int
    rows: tuple[AbcRow, ...]
    total: int  # Σ value of every row
    counts: dict[str, int]  # products per class
    values: dict[str, int]  # Σ value per class


def _per_product(s: Session, period: Period, by: AbcBasis) -> dict[int, int]:
    out: dict[int, int] = {}
    for kind, sign in (("sale", 1), ("return", -1)):
        figure = SaleLine.amount if by is AbcBasis.SALES else SaleLine.amount - SaleLine.cost
        stmt = select(SaleLine.product_id, func.sum(figure)).where(
            SaleLine.kind == kind, SaleLine.status == POSTED,
            SaleLine.business_day >= period.first, SaleLine.business_day <= period.last,
        ).group_by(SaleLine.product_id)
        for pid, v in s.connection().execute(stmt):
            out[pid] = out.get(pid, 0) + sign * int(v or 0)
    return out


def abc_report(s: Session, period: Period, by: AbcBasis | str, a_pct: int, b_pct: int) -> AbcReport:
    by = AbcBasis(by)
    values = _per_product(s, period, by)
    uncategorized = _("Uncategorized")
    found = []
    stmt = select(Product.id, Product.code, Product.name, Category.name) \
        .outerjoin(Category, Category.id == Product.category_id)
    for pid, code, name, cat in s.connection().execute(stmt):
        v = values.get(pid)
        if v is not None:
            found.append((-v, code, name, cat or uncategorized))
    found.sort()
    classes = abc_classes([-neg for neg, *_rest in found], a_pct, b_pct)
    rows = tuple(AbcRow(code, name, cat, -neg, share, cum, cls)
                 for (neg, code, name, cat), (cls, share, cum) in zip(found, classes, strict=True))
    counts = {c: 0 for c in "ABC"}
    sums = {c: 0 for c in "ABC"}
    for r in rows:
        counts[r.cls] += 1
        sums[r.cls] += r.value
    return AbcReport(period, by, a_pct, b_pct, rows, sum(r.value for r in rows), counts, sums)

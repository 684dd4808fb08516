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
from typing import NamedTuple

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


class AbcRow(NamedTuple):
    """One product's class (a named tuple: 100 000 rows are built and tabulated at C level)."""

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
    conn = s.connection()
    for kind, sign in (("sale", 1), ("return", -1)):
        figure = SaleLine.amount if by is AbcBasis.SALES else SaleLine.amount - SaleLine.cost
        stmt = select(SaleLine.product_id, func.sum(figure)).where(
            SaleLine.kind == kind, SaleLine.status == POSTED,
            SaleLine.business_day >= period.first, SaleLine.business_day <= period.last,
        ).group_by(SaleLine.product_id)
        result = conn.execute(stmt)  # the driver's rows, plain ints: no result processing per row
        if sign == 1:
            out = dict(result.cursor)  # read row by row: no list of 100 000 rows beside the dict
        else:
            for pid, v in result.cursor:  # returns: few
                out[pid] = out.get(pid, 0) + sign * v
        result.close()
    return out


def abc_report(s: Session, period: Period, by: AbcBasis | str, a_pct: int, b_pct: int) -> AbcReport:
    by = AbcBasis(by)
    values = _per_product(s, period, by)
    conn = s.connection()
    names = dict(conn.execute(select(Category.id, Category.name)).all())
    names[None] = _("Uncategorized")
    result = conn.execute(select(Product.id, Product.code, Product.name, Product.category_id))
    found = [(-values[pid], code, name, names.get(cid) or names[None])
             for pid, code, name, cid in result.cursor if pid in values]  # not fetchall: 100 000 rows
    result.close()
    del values
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

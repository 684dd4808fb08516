"""ABC classes of the products by net sales or by gross profit over a period (ABC 分类).

A = the products that make the first ``abc_a_pct`` % (default 80) of the whole, B = the next
``abc_b_pct`` % (default 15), C = the rest; the boundary rule and the integer arithmetic are in
domain/trend.py (an item is A while the cumulative share BEFORE it is below 80 %). Products with
lines in the period are classed; goods not sold at all are not here (see the slow movers report).
Net sales and costs come from the lines of posted sales minus those of posted returns, as in the
profit summary; gross profit = net sales − cost of goods sold (the lines' cost snapshots).

Written as SQL text either driver runs (db/text_reads.py): the reports service in its session,
``jxc report abc`` on sqlite3 alone (issue 15), each reading the thresholds its own way
(:func:`thresholds`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from jxc_desktop.db.dialect_text import day_bind
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.errors import ValidationError
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


# The settings the classes come from (shop-wide: no till keeps its own, tests/unit/test_stored_int.py).
THRESHOLD_KEYS = ("abc_a_pct", "abc_b_pct")
# Σ figure per product of one kind of posted line, by business day; kind and status bound as the
# SQLAlchemy query bound them (the same plan: the lines' covering index, ix_sale_line_report).
_FIGURE = {AbcBasis.SALES: "amount", AbcBasis.PROFIT: "amount - cost"}
PER_PRODUCT = {basis: f"SELECT product_id, sum({figure}) FROM sale_line WHERE kind = :kind AND status = :status "
                      "AND business_day >= :first AND business_day <= :last GROUP BY product_id"
               for basis, figure in _FIGURE.items()}
CATEGORY_NAMES = "SELECT id, name FROM category"
PRODUCTS = "SELECT id, code, name, category_id FROM product"


def thresholds(setting: Callable[[str], int]) -> tuple[int, int]:
    """The A and B thresholds, ``setting`` reading each as a whole number; refused when they add up
    to more than 100 %."""
    a, b = (setting(key) for key in THRESHOLD_KEYS)
    if a + b > 100:
        raise ValidationError("The ABC thresholds add up to more than 100% ({a}% + {b}%)", a=a, b=b)
    return a, b


def _per_product(rows: Rows, period: Period, by: AbcBasis) -> dict[int, int]:
    out: dict[int, int] = {}
    binds = {"status": POSTED, "first": day_bind(period.first, rows.dialect),
             "last": day_bind(period.last, rows.dialect)}
    for kind, sign in (("sale", 1), ("return", -1)):
        found = rows.each(PER_PRODUCT[by], kind=kind, **binds)  # the driver's rows, plain ints
        if sign == 1:
            out = dict(found)  # read row by row on sqlite3: no list of 100 000 rows beside the dict
        else:
            for pid, v in found:  # returns: few
                out[pid] = out.get(pid, 0) + sign * v
    return out


def abc_report(rows: Rows, period: Period, by: AbcBasis | str, a_pct: int, b_pct: int) -> AbcReport:
    by = AbcBasis(by)
    values = _per_product(rows, period, by)
    # stepped on sqlite3: 100 000 rows
    return abc_of(period, by, a_pct, b_pct, values, rows.all(CATEGORY_NAMES), rows.each(PRODUCTS))


def abc_of(period: Period, by: AbcBasis, a_pct: int, b_pct: int, values: dict[int, int],
           category_names: Iterable[Sequence[Any]], products: Iterable[Sequence[Any]]) -> AbcReport:
    """The ABC classes from each product's value, the (id, name) of the categories and the (id,
    code, name, category) of the products; the reference (tests/integration/season_abc_reference.py)
    runs it on its ORM rows."""
    names: dict[object, object] = dict(category_names)  # type: ignore[arg-type]
    names[None] = _("Uncategorized")
    found = [(-values[pid], code, name, names.get(cid) or names[None])
             for pid, code, name, cid in products if pid in values]
    values.clear()  # the caller's: not held beside the rows
    found.sort()
    classes = abc_classes([-neg for neg, *_rest in found], a_pct, b_pct)
    classed = tuple(AbcRow(code, name, cat, -neg, share, cum, cls)  # type: ignore[arg-type]
                    for (neg, code, name, cat), (cls, share, cum) in zip(found, classes, strict=True))
    counts = {c: 0 for c in "ABC"}
    sums = {c: 0 for c in "ABC"}
    for r in classed:
        counts[r.cls] += 1
        sums[r.cls] += r.value
    return AbcReport(period, by, a_pct, b_pct, classed, sum(r.value for r in classed), counts, sums)

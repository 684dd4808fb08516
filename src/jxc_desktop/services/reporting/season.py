"""Sales by category or product × calendar month (the season table), with last year's total for
the same days and the change in % (同比).

Net sales = the amounts of posted sale lines minus those of posted customer returns, by business
day, as in the profit summary (so a row's total equals its net sales there). The lines are summed
per product by one aggregate per month and document kind over the lines' covering index — no join
to the products per line: the products' names and categories are read once and the per-product
sums folded into categories in Python (a join per line costs more than the aggregate itself).
A product counts in its category of today (a product moved to another category takes its
history along), as in the profit summary by category.

Written as SQL text either driver runs (db/text_reads.py): the reports service in its session,
``jxc report season`` on sqlite3 alone (issue 15).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from jxc_desktop.db.dialect_text import day_bind
from jxc_desktop.db.text_reads import Rows
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


# Σ amount per product of one kind of posted line, by business day; kind and status bound as the
# SQLAlchemy query bound them (the same plan: the lines' covering index, ix_sale_line_report).
SUMS = ("SELECT product_id, sum(amount) FROM sale_line WHERE kind = :kind AND status = :status "
        "AND business_day >= :first AND business_day <= :last GROUP BY product_id")
CATEGORY_NAMES = "SELECT id, name FROM category"
PRODUCTS = "SELECT id, code, name, category_id FROM product"
PRODUCT_CATEGORIES = "SELECT id, category_id FROM product"


def _add_sums(rows: Rows, period: Period, kind: str, sign: int, of: dict[int, int], into: array[int]) -> None:
    """Σ amount per product of one kind of posted document in the period, added (× ``sign``) into
    ``into`` at the product's group position. Read row by row into a flat array of int64: a
    dict per month of 100 000 product sums held half a year's worth of Python ints at once
    (issue 15: the window's memory)."""
    for pid, amount in rows.each(SUMS, kind=kind, status=POSTED, first=day_bind(period.first, rows.dialect),
                                 last=day_bind(period.last, rows.dialect)):
        into[of[pid]] += sign * int(amount)


def month_periods(period: Period) -> list[tuple[str, Period]]:
    """Each calendar month the period touches, cut to the period."""
    out = []
    for month in months_of(period):
        first = date(int(month[:4]), int(month[5:]), 1)
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        out.append((month, Period(max(first, period.first), min(nxt - timedelta(days=1), period.last))))
    return out


def _net_into(rows: Rows, period: Period, of: dict[int, int], into: array[int]) -> None:
    """Net sales (sales − customer returns) of the period per group position, fen.

    One aggregate per month and kind, grouped by product alone: SQLite sorts twelve small runs of
    integer keys instead of the whole year by (product, month text) — half the time measured."""
    _add_sums(rows, period, "sale", 1, of, into)
    _add_sums(rows, period, "return", -1, of, into)  # few


def season_report(read: Rows, period: Period, by: SeasonGrouping | str = SeasonGrouping.CATEGORY) -> SeasonReport:
    by = SeasonGrouping(by)
    months = months_of(period)
    last_year = same_period_last_year(period)
    names = dict(read.all(CATEGORY_NAMES))
    # stepped on sqlite3: no list of 100 000 rows
    products = read.each(PRODUCTS if by is SeasonGrouping.PRODUCT else PRODUCT_CATEGORIES)
    groups, of = groups_of(by, names, products)
    cols, last_col = columns_of(period, last_year, len(groups), lambda part, col: _net_into(read, part, of, col))
    of.clear()  # the positions: not held beside the rows
    return season_of(period, last_year, by, months, groups, cols, last_col)


def columns_of(period: Period, last_year: Period, n: int, net_into: Callable[[Period, array[int]], None]
               ) -> tuple[list[array[int]], array[int]]:
    """Each group's net sales per month of the period and over last year's, filled by ``net_into``.
    One flat column of int64 per month (and last year): 100 000 products × 13 in 10 MB."""
    cols = []
    for _month, part in month_periods(period):
        col = array("q", bytes(8 * n))
        net_into(part, col)
        cols.append(col)
    last_col = array("q", bytes(8 * n))
    net_into(last_year, last_col)
    return cols, last_col


def groups_of(by: SeasonGrouping, names: Mapping[Any, Any], products: Iterable[Sequence[Any]]
              ) -> tuple[list[tuple[str, str, str]], dict[int, int]]:
    """Each group's (key, label, category) by position and each product's position, from the
    category names and the products' (id, code, name, category) rows (by product) or (id, category)
    rows (by category); the reference (tests/integration/season_abc_reference.py) runs it on its ORM rows."""
    uncategorized = _("Uncategorized")
    groups: list[tuple[str, str, str]] = []
    of: dict[int, int] = {}
    if by is SeasonGrouping.PRODUCT:
        for pid, code, name, cid in products:
            of[pid] = len(groups)
            groups.append((code, name, names.get(cid) or uncategorized))
    else:
        position: dict[int | None, int] = {}
        for pid, cid in products:
            at = position.get(cid)
            if at is None:
                at = position[cid] = len(groups)
                groups.append(("" if cid is None else str(cid), names.get(cid) or uncategorized, ""))
            of[pid] = at
    return groups, of


def season_of(period: Period, last_year: Period, by: SeasonGrouping, months: list[str],
              groups: list[tuple[str, str, str]], cols: list[array[int]], last_col: array[int]) -> SeasonReport:
    """The season table from each group and its column of net sales per month and last year
    (``groups`` and ``cols`` are emptied once read: the sort does not hold them beside the rows)."""
    rows = []
    for i, (key, label, cat) in enumerate(groups):
        vals = tuple(col[i] for col in cols)
        total = sum(vals)
        last = last_col[i]
        if total == 0 and last == 0 and not any(vals):
            continue  # nothing sold in either period (or sales and returns cancelled to zero)
        rows.append(SeasonRow(key, label, cat, vals, total, last, change_tenths(total, last)))
    groups.clear()
    cols.clear()
    rows.sort(key=lambda r: (-r.total, r.key))
    col_sums = tuple(sum(r.months[i] for r in rows) for i in range(len(months)))
    grand, grand_last = sum(col_sums), sum(r.last_year_total for r in rows)
    total_row = SeasonRow("total", _("Total"), "", col_sums, grand, grand_last, change_tenths(grand, grand_last))
    return SeasonReport(period, last_year, by, tuple(months), tuple(rows), total_row)

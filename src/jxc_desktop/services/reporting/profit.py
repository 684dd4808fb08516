"""Profit summary (利润汇总): sales, returns, discounts, cost of goods sold and count differences
for a period, grouped by day/week/month, product or category.

Every figure comes from single SQL aggregates over the documents (never a Python loop over lines):
- sales / returns: the net ``amount`` of the lines of posted sales (XS) and customer returns (TH);
  a sale whose status is ``reversed`` (voided) counts in no period;
- discounts: line discounts (each line's own plus its share of the whole-sale discount) of sales
  minus those of returns;
- COGS: the lines' cost snapshots — sales' minus returns' (never recomputed from today's cost);
- count gains / losses: the values of ``count_gain`` / ``count_loss`` stock moves in the period;
- corrections (成本更正, positive = extra cost): −Σ value of the ``cost_fix`` moves linked to sale
  lines, booked in the period (a refill of stock sold below zero), plus re-base revaluations
  written before cost_fix existed (unattributed) — see profit_fixes.py.
- price difference (进货价差, issue 16): returns to suppliers credited at the price paid less the stock
  value they took out (+ = the supplier credited more = a gain), on the return's document date,
  out again on the day a reversal cancelled it — see profit_fixes.price_differences_by.
gross profit = net sales − COGS; profit after count = gross profit + gains − losses;
net profit = profit after count − corrections + price difference.
Week and month rows are rolled up from the day aggregate, so every grouping adds up to the
period total to the fen.

The queries are SQL text (standard library only; the dialect-specific pieces — local time — from
local_text.py), run through db/text_reads.Rows: by the reports service on its unit of work
(SQLAlchemy's ``text()``, SQLite or PostgreSQL) and by ``jxc report profit`` on sqlite3 alone, which
then builds neither SQLAlchemy nor the models (issue 15: the whole command within 1.5× of the bare
query). Plain int/str/date values come back from either driver; a day is ISO text on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from jxc_desktop.db.dialect_text import SQLITE, utc_bind
from jxc_desktop.db.text_reads import Rows, as_date
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.periods import TIME_GROUPINGS, Grouping, Period, bucket
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.catalogue import SORT_KEYS
from jxc_desktop.services.reporting.local_text import local_date, period_binds
from jxc_desktop.services.reporting.profit_fixes import corrections_by, price_differences_by

POSTED = "posted"
KINDS = ("sale", "return")
COUNT_KINDS = (str(MoveKind.COUNT_GAIN), str(MoveKind.COUNT_LOSS))
UNCATEGORIZED = "Uncategorized"


class ProfitRow(NamedTuple):
    """One line of the profit summary. Money in fen, ``qty`` in thousandths (sold − returned).
    (A named tuple: 100 000 product rows are built in a blink.)"""

    key: str  # ISO day / week start day, YYYY-MM, product code, category id ("" = none), "total"
    label: str  # what to show: the day, the product or category name
    category: str
    qty: int
    sales: int
    returns: int
    net_sales: int
    discounts: int
    cogs: int
    gross_profit: int
    margin_bp: int | None  # gross profit ÷ net sales in 1/100 %; None without net sales
    sale_count: int
    return_count: int
    avg_ticket: int  # sales ÷ number of sales
    count_gain: int
    count_loss: int  # positive: the value lost
    profit_after_count: int
    corrections: int  # extra cost of lines sold below zero, booked when refilled (positive fen)
    net_profit: int  # profit after count − corrections + price difference
    # returns to suppliers: the supplier's credit less the stock value taken out (+ = a gain)
    price_difference: int = 0


MONEY_FIELDS = ("sales", "returns", "net_sales", "discounts", "cogs", "gross_profit",
                "count_gain", "count_loss", "profit_after_count", "corrections", "net_profit",
                "price_difference")
SORT_FIELDS = SORT_KEYS  # the figures top/bottom may rank by (the catalogue's list)


@dataclass
class _Acc:
    """Raw sums of one group before the derived figures."""

    qty_sold: int = 0
    qty_returned: int = 0
    sales: int = 0
    returns: int = 0
    disc_sales: int = 0
    disc_returns: int = 0
    cost_sales: int = 0
    cost_returns: int = 0
    sale_count: int = 0
    return_count: int = 0
    count_gain: int = 0
    count_loss: int = 0
    corrections: int = 0
    price_difference: int = 0

    def add(self, other: _Acc) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def row(self, key: str, label: str, category: str = "") -> ProfitRow:
        return make_row(key, label, category, self.qty_sold, self.qty_returned, self.sales, self.returns,
                        self.disc_sales, self.disc_returns, self.cost_sales, self.cost_returns,
                        self.sale_count, self.return_count, self.count_gain, self.count_loss, self.corrections,
                        self.price_difference)


def make_row(key: str, label: str, category: str, qty_sold: int, qty_returned: int, sales: int, returns: int,
             disc_sales: int, disc_returns: int, cost_sales: int, cost_returns: int, sale_count: int,
             return_count: int, count_gain: int, count_loss: int, corrections: int = 0,
             price_difference: int = 0) -> ProfitRow:
    """The derived figures of one group from its raw sums (called once per product: kept lean,
    the two half-up divisions are inlined from domain.money.div_round)."""
    net = sales - returns
    cogs = cost_sales - cost_returns
    gp = net - cogs
    margin = None
    if net:
        q, r = divmod(abs(gp) * 10000, abs(net))
        q += r * 2 >= abs(net)
        margin = q if (gp >= 0) == (net > 0) else -q
    ticket = 0
    if sale_count > 0:
        q, r = divmod(abs(sales), sale_count)
        q += r * 2 >= sale_count
        ticket = q if sales >= 0 else -q
    return ProfitRow(key, label, category, qty_sold - qty_returned, sales, returns, net, disc_sales - disc_returns,
                     cogs, gp, margin, sale_count, return_count, ticket, count_gain, count_loss,
                     gp + count_gain - count_loss, corrections,
                     gp + count_gain - count_loss - corrections + price_difference, price_difference)


@dataclass(frozen=True)
class ProfitReport:
    period: Period
    by: Grouping
    rows: tuple[ProfitRow, ...]
    total: ProfitRow

    def ranked(self, sort_field: str = "net_sales", n: int | None = 20, *, bottom: bool = False) -> list[ProfitRow]:
        """Rows sorted by a figure, largest first (``bottom``: smallest first), the first ``n``."""
        if sort_field not in SORT_FIELDS:
            raise ValueError(f"cannot sort by {sort_field}")

        def value(r: ProfitRow) -> tuple[int, str]:
            v = getattr(r, sort_field)
            return (v if v is not None else -10**9, r.key)

        rows = sorted(self.rows, key=value, reverse=not bottom)
        return rows if n is None else rows[:n]


@dataclass
class _Groups:
    accs: dict[Any, _Acc] = field(default_factory=dict)

    def get(self, key: Any) -> _Acc:
        acc = self.accs.get(key)
        if acc is None:
            acc = self.accs[key] = _Acc()
        return acc


# ---------------------------------------------------------------- the SQL aggregates

# Lines of the period's posted documents, by the sale's kind/status/day copied onto each line: the
# (kind, status, business_day, product_id, sums) index covers the whole aggregate, one range per kind.
_IN_PERIOD = f"status = '{POSTED}' AND business_day >= :first AND business_day <= :last"
# Grouped by (kind, day) with plain sums: the lines' (kind, status, business_day, ...) covering
# index gives that order, so there is no join, no sort and no per-line CASE.
_DAY_LINES = ("SELECT business_day, kind, sum(qty), sum(amount), sum(discount), sum(cost) FROM sale_line "
              f"WHERE kind IN ('sale', 'return') AND {_IN_PERIOD} GROUP BY kind, business_day")
_DAY_DOCS = ("SELECT business_day, sum(CASE WHEN kind = 'sale' THEN 1 ELSE 0 END), "
             "sum(CASE WHEN kind = 'return' THEN 1 ELSE 0 END) FROM sale "
             f"WHERE {_IN_PERIOD} GROUP BY business_day")
# One pass over the period's range of the (day, kind, status) index: no sort of a year's sales by kind.
_KIND_DOCS = ("SELECT sum(CASE WHEN kind = 'sale' THEN 1 ELSE 0 END), sum(CASE WHEN kind = 'return' THEN 1 ELSE 0 END) "
              f"FROM sale WHERE {_IN_PERIOD}")
# Count moves are found through the counts posted around the period (the document index), not by
# scanning a year of moves by time; the time condition still decides which moves belong to it.
_COUNT_MOVES = (
    f"SELECT {{group}}, sum(CASE WHEN stock_move.kind = '{MoveKind.COUNT_GAIN}' THEN stock_move.value ELSE 0 END), "
    f"sum(CASE WHEN stock_move.kind = '{MoveKind.COUNT_LOSS}' THEN -stock_move.value ELSE 0 END) "
    "FROM stock_move{join} WHERE stock_move.doc_type = 'count' AND stock_move.doc_id IN "
    "(SELECT stock_count.id FROM stock_count WHERE stock_count.posted_at >= :counts_from "
    "AND stock_count.posted_at < :counts_to) AND stock_move.created_at >= :start AND stock_move.created_at < :end "
    f"AND stock_move.kind IN ('{MoveKind.COUNT_GAIN}', '{MoveKind.COUNT_LOSS}') GROUP BY 1")
# Σ qty, amount, discount, cost and the line count per product for one kind of document. Sales and
# returns are two plain aggregates: cheaper than one with a CASE per figure, and the returns (a few
# hundred products a year) merge in Python.
_KIND_SUMS = ("SELECT product_id AS pid, sum(qty) AS q, sum(amount) AS a, sum(discount) AS d, sum(cost) AS c, "
              "count(*) AS n FROM sale_line WHERE kind = '{kind}' AND " + _IN_PERIOD + " GROUP BY product_id")
_CATEGORY = "coalesce(category.name, :uncategorized)"
_NAMES = ("SELECT product.id, product.code, product.name, " + _CATEGORY + " FROM product "
          "LEFT OUTER JOIN category ON category.id = product.category_id WHERE product.id IN ({ids})")


def _half_up_div(num: str, den: str) -> str:
    """SQL text ``num / den`` rounded half away from zero, as domain.money.div_round (den ≠ 0;
    integer operands: both backends divide integers to an integer, truncating)."""
    q = f"(abs({num}) * 2 + abs({den})) / (abs({den}) * 2)"
    return f"CASE WHEN ({num} >= 0 AND {den} > 0 OR {num} <= 0 AND {den} < 0) THEN {q} ELSE -({q}) END"


def _margin_sql(gp: str, net: str) -> str:
    """gp ÷ net in basis points, half away from zero; the short forms for net > 0 (every sale)
    spare the engine work on 100 000 rows, the general one covers the rest."""
    return (f"CASE WHEN {net} = 0 THEN NULL WHEN {net} < 0 THEN {_half_up_div(f'{gp} * 10000', net)} "
            f"WHEN {gp} >= 0 THEN ({gp} * 20000 + {net}) / ({net} * 2) ELSE -(({net} - {gp} * 20000) / ({net} * 2)) END")


def _ticket_sql(sales: str, n: str) -> str:
    """sales ÷ number of sales, half away from zero (n ≥ 1 for every grouped row)."""
    return f"CASE WHEN {sales} >= 0 THEN ({sales} * 2 + {n}) / ({n} * 2) ELSE {_half_up_div(sales, n)} END"


# The period's sale lines aggregated per product with the derived figures (COGS, profit, margin,
# average ticket) computed by SQL per group too. Each figure once: the zeros and the repeats (net
# sales = sales, profit after count = net profit = gross profit until the returns merge) are laid
# out in Python, not fetched 100 000 times.
# The category by id (named in Python from the few categories): no category lookup per product, and
# one text per category instead of 100 000 copies of its name from the driver.
def _by_product_sql(sums: str) -> str:
    return ("SELECT product.code, product.name, product.category_id, agg.q, agg.a, agg.d, agg.c, (agg.a - agg.c), "
            + _margin_sql("(agg.a - agg.c)", "agg.a") + ", agg.n, " + _ticket_sql("agg.a", "agg.n")
            + " FROM (" + sums + ") AS agg JOIN product ON product.id = agg.pid ORDER BY agg.a DESC, product.code")


_BY_PRODUCT = _by_product_sql(_KIND_SUMS.format(kind="sale"))
# The same over ix_sale_line_sold_product (migration 0025: the posted sales' lines in product order):
# grouped as read, no sort of the period's lines — a year at 1 M lines 0.53 → 0.34 s. That index
# holds every year, read whole and filtered by day, so it pays only when the period holds much of
# the history (_SOLD_SHARE); SQLite's planner, without statistics, never takes it by itself.
_BY_PRODUCT_SORTED = _by_product_sql(_KIND_SUMS.format(kind="sale").replace(
    "FROM sale_line", "FROM sale_line INDEXED BY ix_sale_line_sold_product"))
# The first and last day with posted sales (two seeks of ix_sale_line_report), and whether the file
# has the index (a file read before it is upgraded to 0025 has not).
_SALE_SPAN = ("SELECT (SELECT min(business_day) FROM sale_line WHERE kind = 'sale' AND status = 'posted'), "
              "(SELECT max(business_day) FROM sale_line WHERE kind = 'sale' AND status = 'posted'), "
              "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'ix_sale_line_sold_product')")
# Measured at 1 M lines: the product-ordered index costs ~0.06 s per million lines of the history
# plus ~0.28 s per million of the period, the day range and its sort ~0.47 s per million of the
# period — the product order wins once the period holds about a third of the history.
_SOLD_SHARE = 3
_CATEGORY_NAMES = "SELECT id, name FROM category WHERE name IS NOT NULL"


def _category_sums(kind: str, none: bool) -> str:
    """Σ qty, amount, discount, cost and the number of documents of one kind for the category
    bound as ``cid`` (``none``: the lines of no category), from the category each line carries
    (migration 0018): one range of ix_sale_line_category, read in (day, sale) order, so each
    document counts once without a sort (a document's lines share its day)."""
    conds = (f"kind = '{kind}' AND status = '{POSTED}' AND category_id " + ("IS NULL" if none else "= :cid")
             + " AND business_day >= :first AND business_day <= :last")
    return ("SELECT count(*), sum(qty), sum(amount), sum(discount), sum(cost), (SELECT count(*) FROM "
            f"(SELECT DISTINCT business_day, sale_id FROM sale_line WHERE {conds}) AS one_each) "
            f"FROM sale_line WHERE {conds}")


_CATEGORY_SUMS = {(kind, none): _category_sums(kind, none) for kind in KINDS for none in (False, True)}


class _Reads:
    """The rows of one database (either driver) for one period, with the period's binds."""

    def __init__(self, rows: Rows, dialect: str, period: Period) -> None:
        self.rows, self.dialect, self.period = rows, dialect, period
        start, end = day_bounds_utc(period.first, period.last)
        self.binds = period_binds(period, dialect) | {
            "counts_from": utc_bind(start - timedelta(days=1), dialect),
            "counts_to": utc_bind(end + timedelta(days=1), dialect)}

    def all(self, sql: str, **more: object) -> list[tuple[Any, ...]]:
        return self.rows.all(sql, **self.binds, **more)

    def each(self, sql: str) -> Iterable[tuple[Any, ...]]:
        """The rows one at a time (Rows.each): no list of 100 000 driver tuples beside the report's."""
        return self.rows.each(sql, **self.binds)

    def count_moves(self, group: str, join: str = "") -> list[tuple[Any, ...]]:
        """(group, gains, losses) of the period's counts."""
        return self.all(_COUNT_MOVES.format(group=group, join=join))

    def doc_counts(self) -> dict[str, int]:
        """Posted sales and returns of the period by kind (a sale of several products counts once)."""
        ((sales, returns),) = self.all(_KIND_DOCS)
        return {"sale": int(sales or 0), "return": int(returns or 0)}


# ---------------------------------------------------------------- groupings


def _by_time(q: _Reads, by: Grouping) -> tuple[list[tuple[str, _Acc]], _Acc]:
    period = q.period
    groups = _Groups()
    for day in period.day_list():  # every bucket shows, even without sales (the chart needs them)
        groups.get(bucket(day, by))
    for day, kind, qty, amount, discount, cost in q.all(_DAY_LINES):
        acc = groups.get(bucket(as_date(day), by))  # type: ignore[arg-type]
        if kind == "sale":
            acc.qty_sold += qty
            acc.sales += amount
            acc.disc_sales += discount
            acc.cost_sales += cost
        elif kind == "return":
            acc.qty_returned += qty
            acc.returns += amount
            acc.disc_returns += discount
            acc.cost_returns += cost
    for day, n, r in q.all(_DAY_DOCS):
        acc = groups.get(bucket(as_date(day), by))  # type: ignore[arg-type]
        acc.sale_count += int(n or 0)
        acc.return_count += int(r or 0)
    for day_text, gain, loss in q.count_moves(local_date("stock_move.created_at", period, q.dialect)):
        acc = groups.get(bucket(date.fromisoformat(day_text), by))
        acc.count_gain += int(gain or 0)
        acc.count_loss += int(loss or 0)
    for day_text, fix, loss in corrections_by(q.rows, q.dialect, period, "day"):
        acc = groups.get(bucket(date.fromisoformat(day_text), by))
        acc.corrections += fix
        acc.count_loss += loss
    for day_text, diff in price_differences_by(q.rows, q.dialect, period, "day"):
        groups.get(bucket(date.fromisoformat(day_text), by)).price_difference += diff
    total = _Acc()
    for acc in groups.accs.values():
        total.add(acc)
    return sorted(groups.accs.items()), total


def _by_product(q: _Reads) -> tuple[list[ProfitRow], _Acc]:
    """The period's sale lines aggregated per product (_BY_PRODUCT), so Python only lays out result
    tuples — 100 000 products add little to the bare aggregate's time. Returns and count
    differences (few products) are merged afterwards with the same rules (make_row).
    ``sale_count`` here counts sale lines: the till merges a product's repeated scans into one
    line, so that is the number of sales holding the product (a split line would count twice)."""
    unc = _(UNCATEGORIZED)
    new = tuple.__new__
    # Lay each driver tuple out as a ProfitRow (tuple.__new__: no per-row Python call of the class).
    cat = dict(q.rows.all(_CATEGORY_NAMES)).get  # a missing or unnamed category reads as none (as coalesce did)
    sql = _BY_PRODUCT_SORTED if q.dialect == SQLITE and _most_of_history(q) else _BY_PRODUCT
    rows = [new(ProfitRow, (code, name, cat(cid, unc), qty, a, 0, a, d, c, g, m, n, 0, t, 0, 0, g, 0, g, 0))
            for code, name, cid, qty, a, d, c, g, m, n, t in q.each(sql)]
    returns = {pid: (qty, a, d, c, n) for pid, qty, a, d, c, n in q.all(_KIND_SUMS.format(kind="return"))}
    moves = {pid: (int(g or 0), int(lo or 0)) for pid, g, lo in q.count_moves("stock_move.product_id")}
    fixes = {pid: (fix, loss) for pid, fix, loss in corrections_by(q.rows, q.dialect, q.period, "product")}
    diffs = dict(price_differences_by(q.rows, q.dialect, q.period, "product"))
    merged: list[ProfitRow] = []  # the rows with returns, count differences, corrections, price differences
    if returns or moves or fixes or diffs:
        touched = list(set(returns) | set(moves) | set(fixes) | set(diffs))  # returned, counted, corrected: a few hundred
        names: dict[int, tuple[str, str, str]] = {}
        for start in range(0, len(touched), 500):
            ids = ", ".join(str(int(pid)) for pid in touched[start:start + 500])  # ids: integers of the file
            for pid, code, name, cname in q.rows.all(_NAMES.format(ids=ids), uncategorized=unc):
                names[pid] = (code, name, cname)
        where = dict(zip(map(itemgetter(0), rows), range(len(rows)), strict=True))  # code -> position (C-level)
        for pid in touched:
            code, name, cname = names[pid]
            qr, a, d, c, n = returns.get(pid, (0, 0, 0, 0, 0))
            g, lo = moves.get(pid, (0, 0))
            fix, extra_loss = fixes.get(pid, (0, 0))
            lo += extra_loss
            i = where.get(code)
            if i is None:  # returned, counted or corrected, not sold in the period
                rows.append(make_row(code, name, cname, 0, qr, 0, a, 0, d, 0, c, 0, n, g, lo, fix, diffs.get(pid, 0)))
                merged.append(rows[-1])
            else:
                r = rows[i]
                rows[i] = make_row(code, name, cname, r.qty, qr, r.sales, a, r.discounts, d, r.cogs, c,
                                   r.sale_count, n, g, lo, fix, diffs.get(pid, 0))
                merged.append(rows[i])
        rows.sort(key=attrgetter("net_sales"), reverse=True)  # nearly sorted: one linear pass
    return rows, _total_of(rows, merged)


def _most_of_history(q: _Reads) -> bool:
    """Whether the period covers at least 1/_SOLD_SHARE of the days from the first posted sale to
    the last, on a file that has the index (days stand for lines: counting lines is a scan itself)."""
    ((lo, hi, indexed),) = q.rows.all(_SALE_SPAN)
    if lo is None or not indexed:
        return False
    lo, hi = as_date(lo), as_date(hi)
    shared = (min(q.period.last, hi) - max(q.period.first, lo)).days + 1  # type: ignore[operator]
    return shared > 0 and shared * _SOLD_SHARE >= (hi - lo).days + 1  # type: ignore[operator]


def _total_of(rows: list[ProfitRow], merged: list[ProfitRow] | None = None) -> _Acc:
    """Raw sums of rows (the derived figures are recomputed from them, not added up). ``merged``:
    the only rows whose returns, count differences, corrections and price differences may be
    other than 0 (_by_product lays out the sales with zeros there): summed over those alone."""
    acc = _Acc()
    f = ProfitRow._fields
    few = rows if merged is None else merged

    def col(name: str, of: list[ProfitRow] = rows) -> int:
        return sum(map(itemgetter(f.index(name)), of))

    acc.sales, acc.returns = col("sales"), col("returns", few)
    acc.cost_sales = col("cogs")  # net COGS; cost_returns stays 0
    acc.disc_sales, acc.qty_sold = col("discounts"), col("qty")
    acc.count_gain, acc.count_loss = col("count_gain", few), col("count_loss", few)
    acc.corrections = col("corrections", few)
    acc.price_difference = col("price_difference", few)
    return acc


def _by_category(q: _Reads) -> tuple[list[ProfitRow], _Acc]:
    """One seek per category and kind (a shop has tens of categories, a year a million lines)."""
    groups = _Groups()
    cat_names = dict(q.rows.all("SELECT id, name FROM category ORDER BY id"))
    cids: list[int | None] = [*cat_names, None]
    for kind in KINDS:
        for cid in cids:
            sql = _CATEGORY_SUMS[kind, cid is None]
            lines, qty, amount, discount, cost, n = (q.all(sql) if cid is None else q.all(sql, cid=cid))[0]
            if not lines:
                continue
            acc = groups.get(cid)
            if kind == "sale":
                acc.qty_sold, acc.sales, acc.disc_sales, acc.cost_sales, acc.sale_count = \
                    int(qty), int(amount), int(discount), int(cost), int(n)
            else:
                acc.qty_returned, acc.returns, acc.disc_returns, acc.cost_returns, acc.return_count = \
                    int(qty), int(amount), int(discount), int(cost), int(n)
    for cid, gain, loss in q.count_moves("product.category_id", " JOIN product ON product.id = stock_move.product_id"):
        acc = groups.get(cid)
        acc.count_gain, acc.count_loss = int(gain or 0), int(loss or 0)
    for cid, fix, loss in corrections_by(q.rows, q.dialect, q.period, "category"):
        acc = groups.get(cid)
        acc.corrections += fix
        acc.count_loss += loss
    for cid, diff in price_differences_by(q.rows, q.dialect, q.period, "category"):
        groups.get(cid).price_difference += diff
    rows = []
    total = _Acc()
    for cid, acc in groups.accs.items():
        rows.append(acc.row("" if cid is None else str(cid), cat_names.get(cid) or _(UNCATEGORIZED)))
        total.add(acc)
    return rows, total


def profit_report(rows: Rows, dialect: str, period: Period, by: Grouping | str = Grouping.DAY) -> ProfitReport:
    """The profit summary of ``period`` grouped ``by`` day/week/month/product/category, read through
    ``rows`` (either driver; ``dialect``: "sqlite" or "postgresql") in the caller's transaction."""
    by = Grouping(by)
    q = _Reads(rows, dialect, period)
    if by in TIME_GROUPINGS:
        items, total = _by_time(q, by)
        out = [acc.row(key, key) for key, acc in items]
    else:
        out, total = _by_product(q) if by is Grouping.PRODUCT else _by_category(q)
        if by is Grouping.CATEGORY:  # (products come sorted from _by_product)
            out.sort(key=attrgetter("key"))
            out.sort(key=attrgetter("net_sales"), reverse=True)  # largest first, ties by key
        # A sale holding several products counts once in the total.
        counts = q.doc_counts()
        total.sale_count, total.return_count = counts.get("sale", 0), counts.get("return", 0)
    return ProfitReport(period, by, tuple(out), total.row("total", _("Total")))

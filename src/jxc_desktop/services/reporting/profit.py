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
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Category, Product, Sale, SaleLine, StockCount, StockMove
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.periods import TIME_GROUPINGS, Grouping, Period, bucket
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.catalogue import SORT_KEYS
from jxc_desktop.services.reporting.profit_fixes import corrections_by, price_differences_by
from jxc_desktop.services.reporting.sql import bounds, local_date

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


def _in_period(stmt: Select[Any], period: Period) -> Select[Any]:
    """Lines of the period's posted documents, by the sale's kind/status/day copied onto each line:
    the (kind, status, business_day, product_id, sums) index covers the whole aggregate, one
    range per kind."""
    return stmt.where(SaleLine.kind.in_(KINDS), SaleLine.status == POSTED,
                      SaleLine.business_day >= period.first, SaleLine.business_day <= period.last)


def _doc_counts_by_day(s: Session, period: Period) -> dict[date, tuple[int, int]]:
    stmt = select(Sale.business_day, func.sum(case((Sale.kind == "sale", 1), else_=0)),
                  func.sum(case((Sale.kind == "return", 1), else_=0))).where(
        Sale.business_day >= period.first, Sale.business_day <= period.last, Sale.status == POSTED,
    ).group_by(Sale.business_day)
    return {day: (int(n or 0), int(r or 0)) for day, n, r in s.execute(stmt)}


def _count_moves(group: Any, period: Period) -> Select[Any]:
    """Count gains and losses of the period. Count moves are found through the counts posted
    around the period (the document index), not by scanning a year of moves by time; the time
    condition still decides which moves belong to the period."""
    start, end = bounds(period)
    gain = func.sum(case((StockMove.kind == str(MoveKind.COUNT_GAIN), StockMove.value), else_=0))
    loss = func.sum(case((StockMove.kind == str(MoveKind.COUNT_LOSS), -StockMove.value), else_=0))
    counts = select(StockCount.id).where(StockCount.posted_at >= start - timedelta(days=1),
                                         StockCount.posted_at < end + timedelta(days=1))
    return select(group, gain, loss).where(
        StockMove.doc_type == "count", StockMove.doc_id.in_(counts),
        StockMove.created_at >= start, StockMove.created_at < end, StockMove.kind.in_(COUNT_KINDS),
    ).group_by(group)


# ---------------------------------------------------------------- groupings


def _by_time(s: Session, period: Period, by: Grouping) -> tuple[list[tuple[str, _Acc]], _Acc]:
    groups = _Groups()
    for day in period.day_list():  # every bucket shows, even without sales (the chart needs them)
        groups.get(bucket(day, by))
    # Grouped by (kind, day) with plain sums: the lines' (kind, status, business_day, ...) covering
    # index gives that order, so there is no join, no sort and no per-line CASE.
    stmt = select(SaleLine.business_day, SaleLine.kind, func.sum(SaleLine.qty), func.sum(SaleLine.amount),
                  func.sum(SaleLine.discount), func.sum(SaleLine.cost))
    stmt = _in_period(stmt, period).group_by(SaleLine.kind, SaleLine.business_day)
    for day, kind, qty, amount, discount, cost in s.connection().execute(stmt):
        acc = groups.get(bucket(day, by))
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
    for day, (n, r) in _doc_counts_by_day(s, period).items():
        acc = groups.get(bucket(day, by))
        acc.sale_count += n
        acc.return_count += r
    for day_text, gain, loss in s.execute(_count_moves(local_date(StockMove.created_at, period), period)):
        acc = groups.get(bucket(date.fromisoformat(day_text), by))
        acc.count_gain += int(gain or 0)
        acc.count_loss += int(loss or 0)
    for day_text, fix, loss in corrections_by(s, period, "day"):
        acc = groups.get(bucket(date.fromisoformat(day_text), by))
        acc.corrections += fix
        acc.count_loss += loss
    for day_text, diff in price_differences_by(s, period, "day"):
        groups.get(bucket(date.fromisoformat(day_text), by)).price_difference += diff
    total = _Acc()
    for acc in groups.accs.values():
        total.add(acc)
    return sorted(groups.accs.items()), total


def _half_up_div(num: Any, den: Any) -> Any:
    """SQL ``num / den`` rounded half away from zero, as domain.money.div_round (den ≠ 0)."""
    q = (func.abs(num) * 2 + func.abs(den)) // (func.abs(den) * 2)
    same_sign = ((num >= 0) & (den > 0)) | ((num <= 0) & (den < 0))
    return case((same_sign, q), else_=-q)


def _margin_sql(gp: Any, net: Any) -> Any:
    """gp ÷ net in basis points, half away from zero; the short forms for net > 0 (every sale)
    spare the engine work on 100 000 rows, the general one covers the rest."""
    return case((net == 0, None), (net < 0, _half_up_div(gp * 10000, net)),
                (gp >= 0, (gp * 20000 + net) // (net * 2)), else_=-((net - gp * 20000) // (net * 2)))


def _ticket_sql(sales: Any, n: Any) -> Any:
    """sales ÷ number of sales, half away from zero (n ≥ 1 for every grouped row)."""
    return case((sales >= 0, (sales * 2 + n) // (n * 2)), else_=_half_up_div(sales, n))


def _kind_sums(kind: str, period: Period) -> Select[Any]:
    """Σ qty, amount, discount, cost and the line count per product for one kind of document.
    Sales and returns are two plain aggregates: cheaper than one with a CASE per figure, and the
    returns (a few hundred products a year) merge in Python."""
    stmt = select(SaleLine.product_id.label("pid"), func.sum(SaleLine.qty).label("q"),
                  func.sum(SaleLine.amount).label("a"), func.sum(SaleLine.discount).label("d"),
                  func.sum(SaleLine.cost).label("c"), func.count().label("n")) \
        .where(SaleLine.kind == kind)
    return _in_period(stmt, period).group_by(SaleLine.product_id)


def _by_product(s: Session, period: Period) -> tuple[list[ProfitRow], _Acc]:
    """The period's sale lines aggregated per product, the derived figures (COGS, profit, margin,
    average ticket) computed by SQL per group too, so Python only lays out result tuples —
    100 000 products add little to the bare aggregate's time. Returns and count differences
    (few products) are merged afterwards with the same rules (make_row).
    ``sale_count`` here counts sale lines: the till merges a product's repeated scans into one
    line, so that is the number of sales holding the product (a split line would count twice)."""
    agg = _kind_sums("sale", period).subquery()
    gp = agg.c.a - agg.c.c
    cat = func.coalesce(Category.name, _(UNCATEGORIZED))
    # Each figure once: the zeros and the repeats (net sales = sales, profit after count = net
    # profit = gross profit until the merge below) are laid out in Python, not fetched 100 000 times.
    stmt = select(
        Product.code, Product.name, cat, agg.c.q, agg.c.a, agg.c.d, agg.c.c, gp, _margin_sql(gp, agg.c.a), agg.c.n,
        _ticket_sql(agg.c.a, agg.c.n),
    ).select_from(agg).join(Product, Product.id == agg.c.pid) \
        .outerjoin(Category, Category.id == Product.category_id) \
        .order_by(agg.c.a.desc(), Product.code)
    conn = s.connection()
    new = tuple.__new__
    # Plain int/str columns need no result processing: read the driver's tuples and lay each one
    # out as a ProfitRow (tuple.__new__: no per-row Python call of the class).
    result = conn.execute(stmt)
    rows = [new(ProfitRow, (code, name, cname, q, a, 0, a, d, c, g, m, n, 0, t, 0, 0, g, 0, g, 0))
            for code, name, cname, q, a, d, c, g, m, n, t in result.cursor]
    result.close()
    returns = {pid: (q, a, d, c, n) for pid, q, a, d, c, n in conn.execute(_kind_sums("return", period))}
    moves = {pid: (int(g or 0), int(lo or 0))
             for pid, g, lo in conn.execute(_count_moves(StockMove.product_id, period))}
    fixes = {pid: (fix, loss) for pid, fix, loss in corrections_by(s, period, "product")}
    diffs = dict(price_differences_by(s, period, "product"))
    if returns or moves or fixes or diffs:
        touched = list(set(returns) | set(moves) | set(fixes) | set(diffs))  # returned, counted, corrected: a few hundred
        names: dict[int, tuple[str, str, str]] = {}
        for start in range(0, len(touched), 500):
            for pid, code, name, cname in conn.execute(
                select(Product.id, Product.code, Product.name, cat)
                .outerjoin(Category, Category.id == Product.category_id)
                .where(Product.id.in_(touched[start:start + 500]))
            ):
                names[pid] = (code, name, cname)
        where = {row.key: i for i, row in enumerate(rows)}
        for pid in touched:
            code, name, cname = names[pid]
            q, a, d, c, n = returns.get(pid, (0, 0, 0, 0, 0))
            g, lo = moves.get(pid, (0, 0))
            fix, extra_loss = fixes.get(pid, (0, 0))
            lo += extra_loss
            i = where.get(code)
            if i is None:  # returned, counted or corrected, not sold in the period
                rows.append(make_row(code, name, cname, 0, q, 0, a, 0, d, 0, c, 0, n, g, lo, fix, diffs.get(pid, 0)))
            else:
                r = rows[i]
                rows[i] = make_row(code, name, cname, r.qty, q, r.sales, a, r.discounts, d, r.cogs, c,
                                   r.sale_count, n, g, lo, fix, diffs.get(pid, 0))
        rows.sort(key=attrgetter("net_sales"), reverse=True)  # nearly sorted: one linear pass
    return rows, _total_of(rows)


def _total_of(rows: list[ProfitRow]) -> _Acc:
    """Raw sums of rows (the derived figures are recomputed from them, not added up)."""
    acc = _Acc()
    f = ProfitRow._fields

    def col(name: str) -> int:
        return sum(map(itemgetter(f.index(name)), rows))

    acc.sales, acc.returns = col("sales"), col("returns")
    acc.cost_sales = col("cogs")  # net COGS; cost_returns stays 0
    acc.disc_sales, acc.qty_sold = col("discounts"), col("qty")
    acc.count_gain, acc.count_loss = col("count_gain"), col("count_loss")
    acc.corrections = col("corrections")
    acc.price_difference = col("price_difference")
    return acc


def _category_sums(kind: str, period: Period, *, none: bool = False) -> Select[Any]:
    """Σ qty, amount, discount, cost and the number of documents of one kind for the category
    bound as ``cid`` (``none``: the lines of no category), from the category each line carries
    (migration 0018): one range of ix_sale_line_category, read in (day, sale) order, so each
    document counts once without a sort (a document's lines share its day)."""
    cat = SaleLine.category_id.is_(None) if none else SaleLine.category_id == bindparam("cid")
    conds = [SaleLine.kind == kind, SaleLine.status == POSTED, cat,
             SaleLine.business_day >= period.first, SaleLine.business_day <= period.last]
    one_each = select(SaleLine.business_day, SaleLine.sale_id).distinct().where(*conds).subquery()
    docs = select(func.count()).select_from(one_each).scalar_subquery()
    return select(func.count(), func.sum(SaleLine.qty), func.sum(SaleLine.amount), func.sum(SaleLine.discount),
                  func.sum(SaleLine.cost), docs).where(*conds)


def _by_category(s: Session, period: Period) -> tuple[list[ProfitRow], _Acc]:
    """One seek per category and kind (a shop has tens of categories, a year a million lines)."""
    groups = _Groups()
    conn = s.connection()
    cids: list[int | None] = [*s.scalars(select(Category.id).order_by(Category.id)), None]
    for kind in KINDS:
        with_cat, without = _category_sums(kind, period), _category_sums(kind, period, none=True)
        for cid in cids:
            lines, qty, amount, discount, cost, n = conn.execute(
                without if cid is None else with_cat, {} if cid is None else {"cid": cid}).one()
            if not lines:
                continue
            acc = groups.get(cid)
            if kind == "sale":
                acc.qty_sold, acc.sales, acc.disc_sales, acc.cost_sales, acc.sale_count = \
                    int(qty), int(amount), int(discount), int(cost), int(n)
            else:
                acc.qty_returned, acc.returns, acc.disc_returns, acc.cost_returns, acc.return_count = \
                    int(qty), int(amount), int(discount), int(cost), int(n)
    moves = _count_moves(Product.category_id, period).join(Product, Product.id == StockMove.product_id)
    for cid, gain, loss in s.execute(moves):
        acc = groups.get(cid)
        acc.count_gain, acc.count_loss = int(gain or 0), int(loss or 0)
    for cid, fix, loss in corrections_by(s, period, "category"):
        acc = groups.get(cid)
        acc.corrections += fix
        acc.count_loss += loss
    for cid, diff in price_differences_by(s, period, "category"):
        groups.get(cid).price_difference += diff
    cat_names = {cid: name for cid, name in s.execute(select(Category.id, Category.name))}
    rows = []
    total = _Acc()
    for cid, acc in groups.accs.items():
        rows.append(acc.row("" if cid is None else str(cid), cat_names.get(cid) or _(UNCATEGORIZED)))
        total.add(acc)
    return rows, total


def profit_report(s: Session, period: Period, by: Grouping | str = Grouping.DAY) -> ProfitReport:
    """The profit summary of ``period`` grouped ``by`` day/week/month/product/category."""
    by = Grouping(by)
    if by in TIME_GROUPINGS:
        items, total = _by_time(s, period, by)
        rows = [acc.row(key, key) for key, acc in items]
    else:
        rows, total = _by_product(s, period) if by is Grouping.PRODUCT else _by_category(s, period)
        if by is Grouping.CATEGORY:  # (products come sorted from _by_product)
            rows.sort(key=attrgetter("key"))
            rows.sort(key=attrgetter("net_sales"), reverse=True)  # largest first, ties by key
        # A sale holding several products counts once in the total.
        counts = dict(s.execute(select(Sale.kind, func.count()).where(
            Sale.business_day >= period.first, Sale.business_day <= period.last, Sale.status == POSTED,
        ).group_by(Sale.kind)).all())
        total.sale_count, total.return_count = counts.get("sale", 0), counts.get("return", 0)
    return ProfitReport(period, by, tuple(rows), total.row("total", _("Total")))

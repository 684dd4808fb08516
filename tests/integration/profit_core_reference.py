"""The profit summary's queries as main 3a7d2f0 built them (SQLAlchemy Core, before they became SQL
text in services/reporting/profit.py): kept here only as the reference test_profit_text.py compares
the text against, on SQLite and PostgreSQL. The rows' layout (ProfitRow, make_row, the rules of the
merge) is the program's own, imported."""

from __future__ import annotations

from datetime import date, timedelta
from operator import attrgetter
from typing import Any, Literal

from sqlalchemy import Select, and_, bindparam, case, func, or_, select, text
from sqlalchemy.orm import Session

from jxc_desktop.db.models import (
    Category,
    Product,
    Purchase,
    PurchaseLine,
    Sale,
    SaleLine,
    StockCount,
    StockMove,
)
from jxc_desktop.domain.moves import LEGACY_REBASE_NOTE, MoveKind
from jxc_desktop.domain.periods import TIME_GROUPINGS, Grouping, Period, bucket
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.profit import (
    COUNT_KINDS,
    KINDS,
    POSTED,
    UNCATEGORIZED,
    ProfitReport,
    ProfitRow,
    _Acc,
    _Groups,
    _total_of,
    make_row,
)
from jxc_desktop.services.reporting.sql import bounds, local_date

By = Literal["day", "product", "category"]
FIX_KINDS_TERM = text("stock_move.kind IN ('cost_fix', 'revaluation')")


def corrections_by(s: Session, period: Period, by: By) -> list[tuple[Any, int, int]]:
    """[(group key, corrections, extra count loss)] of the period: key = local ISO day, product id
    or category id (positive fen = extra cost / extra loss)."""
    start, end = bounds(period)
    m = StockMove
    group: Any = {"day": local_date(m.created_at, period), "product": m.product_id,
                  "category": Product.category_id}[by]
    on_count = m.doc_type == "count"
    stmt = select(group, -func.sum(case((on_count, 0), else_=m.value)), -func.sum(case((on_count, m.value), else_=0))
                  ).where(
        m.created_at >= start, m.created_at < end, FIX_KINDS_TERM,
        or_(and_(m.kind == str(MoveKind.COST_FIX), m.doc_type.in_(("sale", "count"))),
            and_(m.kind == str(MoveKind.REVALUATION), m.note == LEGACY_REBASE_NOTE)))
    if by == "category":
        stmt = stmt.join(Product, Product.id == m.product_id)
    return [(key, int(v or 0), int(c or 0)) for key, v, c in s.execute(stmt.group_by(group)) if v or c]


def price_differences_by(s: Session, period: Period, by: By) -> list[tuple[Any, int]]:
    """[(group key, price difference)] of the period's returns to suppliers (issue 16): what the
    supplier credits (qty × the price paid, rounded half up as costing.value_of) less the stock
    value the return took out; + = a gain. Counted on the return's document date — the day its
    credit is booked on the supplier's account — and taken out again on the local day a reversal
    (红冲) cancelled that credit. Key: ISO day, product id or category id."""
    line_diff = (PurchaseLine.qty * PurchaseLine.price + 500) // 1000 - PurchaseLine.amount
    start, end = bounds(period)
    groups: dict[str, Any] = {"product": PurchaseLine.product_id, "category": Product.category_id}
    booked = groups.get(by, Purchase.doc_date)
    cancelled = groups.get(by, local_date(Purchase.reversed_at, period))
    out: dict[Any, int] = {}
    for group, sign, cond in (
        (booked, 1, and_(Purchase.status.in_(("posted", "reversed")), Purchase.doc_date >= period.first,
                         Purchase.doc_date <= period.last)),
        (cancelled, -1, and_(Purchase.status == "reversed", Purchase.reversed_at >= start,
                             Purchase.reversed_at < end)),
    ):
        stmt = select(group, func.sum(line_diff)).select_from(PurchaseLine) \
            .join(Purchase, Purchase.id == PurchaseLine.purchase_id) \
            .where(Purchase.kind == "return", PurchaseLine.price.is_not(None), cond)
        if by == "category":
            stmt = stmt.join(Product, Product.id == PurchaseLine.product_id)
        for key, value in s.execute(stmt.group_by(group)):
            if by == "day":
                key = key.isoformat() if isinstance(key, date) else str(key)
            out[key] = out.get(key, 0) + sign * int(value or 0)
    return [(k, v) for k, v in out.items() if v]


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
    q = (func.abs(num) * 2 + func.abs(den)) // (func.abs(den) * 2)
    same_sign = ((num >= 0) & (den > 0)) | ((num <= 0) & (den < 0))
    return case((same_sign, q), else_=-q)


def _margin_sql(gp: Any, net: Any) -> Any:
    return case((net == 0, None), (net < 0, _half_up_div(gp * 10000, net)),
                (gp >= 0, (gp * 20000 + net) // (net * 2)), else_=-((net - gp * 20000) // (net * 2)))


def _ticket_sql(sales: Any, n: Any) -> Any:
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


def core_profit_report(s: Session, period: Period, by: Grouping | str = Grouping.DAY) -> ProfitReport:
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

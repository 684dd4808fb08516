"""The SQLAlchemy queries of the stock reports before they became SQL text (session 16), kept word
for word as the reference the new text must equal (test_stock_reports_reference.py): stock value at
a day (stock_value.positions_at's three ways), turnover by category and by month, slow movers,
expiry, cover."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, union_all
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Category, Product, SaleLine, StockMove
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.costing import value_of
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.trend import months_of
from jxc_desktop.i18n import _

# the rows' arithmetic did not change: only the queries are kept as they were
from jxc_desktop.services.reporting.cover import POSTED, CoverGrouping, CoverReport, cover_of
from jxc_desktop.services.reporting.season import month_periods
from jxc_desktop.services.reporting.sql import bounds, end_of_day_utc
from jxc_desktop.services.reporting.stock_value import (
    COUNT_KINDS,
    FIX_KINDS,
    PURCHASE_KINDS,
    SALE_KINDS,
    ExpiryReport,
    ExpiryRow,
    SlowReport,
    SlowRow,
    StockGrouping,
    StockValueReport,
    StockValueRow,
    TurnoverReport,
    turnover_of,
)
from jxc_desktop.services.reporting.turnover_months import flows_of, opening_of, turnover_months_of


def _by_moved_product() -> Any:
    """The product of a move as a GROUP BY key that no product-ordered index can serve (``+ 0``):
    left the bare column, the planner walks (product_id, id) to skip a sort and looks every move
    up in the table; this way it reads the time range of the covering time index and groups."""
    return StockMove.product_id + 0


def _moves_by_product(cond: Any) -> Any:
    """Σ qty and value per product of the moves matching ``cond`` (a time range): read in time
    order from the (created_at, product_id, kind, qty, value) index alone, grouped afterwards."""
    pid = _by_moved_product()
    return select(pid.label("pid"), func.sum(StockMove.qty).label("q"),
                  func.sum(StockMove.value).label("v")).where(cond).group_by(pid).subquery()


def positions_at(s: Session, until: datetime) -> Any:
    """Each product's (pid, q, v) just before ``until``, reading the fewer moves: those before it
    (their sums), or those since it (today's cached position minus them: the ledger's rule that
    the cache is the sum of the moves, which `jxc check` verifies). Either way one range of the
    time index, so the cost follows the moves read, not a lookup per move."""
    # Two queries: SQLite answers a lone min() or max() from the index's end, both at once by a scan.
    last = s.scalar(select(func.max(StockMove.created_at)))
    first = s.scalar(select(func.min(StockMove.created_at)))
    if last is None or last < until:
        # Nothing moved since: the cached positions are the answer, no pass over a year of moves.
        return select(Product.id.label("pid"), Product.stock_qty.label("q"), Product.stock_value.label("v")) \
            .subquery()
    if until - first <= last - until:
        return _moves_by_product(StockMove.created_at < until)
    # One grouping over the cached positions and the later moves negated (a join of the products
    # to a grouped subquery has no index to meet on: SQLite would scan it once per product).
    parts = union_all(
        select(Product.id.label("pid"), Product.stock_qty.label("q"), Product.stock_value.label("v")),
        select(StockMove.product_id, -StockMove.qty, -StockMove.value).where(StockMove.created_at >= until),
    ).subquery()
    return select(parts.c.pid, func.sum(parts.c.q).label("q"), func.sum(parts.c.v).label("v")) \
        .group_by(parts.c.pid).subquery()


def stock_value_report(s: Session, at: date, by: StockGrouping | str = StockGrouping.CATEGORY) -> StockValueReport:
    """Stock held at the end of local day ``at``, valued at the ledger's moving average."""
    by = StockGrouping(by)
    until = end_of_day_utc(at)
    agg = positions_at(s, until)
    held = (agg.c.q != 0) | (agg.c.v != 0)
    rows: list[StockValueRow] = []
    if by is StockGrouping.PRODUCT:
        stmt = select(Product.code, Product.name, Category.name, agg.c.q, agg.c.v).select_from(agg) \
            .join(Product, Product.id == agg.c.pid).outerjoin(Category, Category.id == Product.category_id) \
            .where(held)
        rows = [StockValueRow(code, name, cat or _("Uncategorized"), int(q), int(v), 1)
                for code, name, cat, q, v in s.execute(stmt)]
    else:
        stmt = select(Product.category_id, Category.name, func.sum(agg.c.v), func.count()).select_from(agg) \
            .join(Product, Product.id == agg.c.pid).outerjoin(Category, Category.id == Product.category_id) \
            .where(held).group_by(Product.category_id, Category.name)
        rows = [StockValueRow("" if cid is None else str(cid), name or _("Uncategorized"), "", 0, int(v), int(n))
                for cid, name, v, n in s.execute(stmt)]
    rows.sort(key=lambda r: (-r.value, r.key))
    total = StockValueRow("total", _("Total"), "", sum(r.qty for r in rows) if by is StockGrouping.PRODUCT else 0,
                          sum(r.value for r in rows), sum(r.products for r in rows))
    return StockValueReport(at, by, tuple(rows), total)


def turnover_report(s: Session, period: Period) -> TurnoverReport:
    start, end = bounds(period)
    before = StockMove.created_at < start

    def when(cond: Any) -> Any:
        return func.sum(case((cond, StockMove.value), else_=0))

    inside = ~before
    # Per product from the time index alone (a range read in time order), then per category:
    # one product lookup per product, not one per move.
    pid = _by_moved_product()
    per_product = select(
        pid.label("pid"),
        when(before).label("opening"),
        when(inside & StockMove.kind.in_(PURCHASE_KINDS)).label("purchases"),
        when(inside & StockMove.kind.in_(SALE_KINDS)).label("sales"),
        when(inside & StockMove.kind.in_(COUNT_KINDS)).label("counts"),
        when(inside & StockMove.kind.not_in(PURCHASE_KINDS + SALE_KINDS + COUNT_KINDS + FIX_KINDS)).label("other"),
        when(inside & StockMove.kind.in_(FIX_KINDS)).label("fixes"),
    ).where(StockMove.created_at < end).group_by(pid).subquery()
    c = per_product.c
    stmt = select(Product.category_id, func.sum(c.opening), func.sum(c.purchases), func.sum(c.sales),
                  func.sum(c.counts), func.sum(c.other), func.sum(c.fixes)) \
        .select_from(per_product).join(Product, Product.id == c.pid).group_by(Product.category_id)
    names = {cid: name for cid, name in s.execute(select(Category.id, Category.name))}
    return turnover_of(period, names, s.execute(stmt))


def slow_movers(s: Session, days: int, today: date) -> SlowReport:
    """Products with stock on hand and no sale on the last ``days`` days (today included).

    Candidates come from the product's ``last_sale_at`` (set by the till on every sale, so it is
    never later than the true last sale); each candidate's last sale day is then one seek in the
    lines' (product, kind, status, day) index, so the answer is exact without aggregating a year of
    lines and the cost grows with the products, not with their lines.
    Stock is today's: a past ``today`` only moves the window of sales looked at."""
    cutoff = today - timedelta(days=days - 1)
    # The line carries its sale's kind, status and day: one seek on (product_id, kind, status,
    # business_day) gives the last day, whatever the number of lines the product has.
    last_day = select(func.max(SaleLine.business_day)) \
        .where(SaleLine.product_id == Product.id, SaleLine.kind == "sale", SaleLine.status == "posted",
               SaleLine.business_day <= today).scalar_subquery()
    stmt = select(Product.code, Product.name, Category.name, Product.stock_qty, Product.stock_value, last_day) \
        .outerjoin(Category, Category.id == Product.category_id) \
        .where(Product.stock_qty > 0,
               Product.last_sale_at.is_(None) | (Product.last_sale_at < day_start_utc(cutoff))
               | (Product.last_sale_at >= end_of_day_utc(today)))  # (sold after a past "today")
    uncategorized = _("Uncategorized")
    rows = []
    for code, name, cat, qty, value, day in s.execute(stmt):
        if day is not None and day >= cutoff:
            continue
        rows.append(SlowRow(code, name, cat or uncategorized, int(qty), int(value), day,
                            (today - day).days if day else None))
    rows.sort(key=lambda r: (-r.value, r.key))
    total = SlowRow("total", _("Total"), "", sum(r.qty for r in rows), sum(r.value for r in rows), None, None)
    return SlowReport(today, days, tuple(rows), total)


def expiry_report(s: Session, today: date, warning_days: int) -> ExpiryReport:
    """Batches with stock that expired or expire within ``warning_days`` of ``today``."""
    limit = today + timedelta(days=warning_days)
    stmt = select(Product.code, Product.name, Batch.batch_no, Batch.expiry_date, Batch.qty, Product.avg_cost) \
        .join(Product, Product.id == Batch.product_id) \
        .where(Batch.qty > 0, Batch.expiry_date.is_not(None), Batch.expiry_date <= limit) \
        .order_by(Batch.expiry_date, Product.code, Batch.batch_no)
    rows = [ExpiryRow(code, name, bno, exp, (exp - today).days, int(qty), value_of(int(qty), int(avg)),
                      exp < today)
            for code, name, bno, exp, qty, avg in s.execute(stmt)]
    total = ExpiryRow("total", _("Total"), "", None, None, sum(r.qty for r in rows), sum(r.value for r in rows),
                      False)
    return ExpiryReport(today, warning_days, tuple(rows), total)


def _flows(s: Session, part: Period) -> list[tuple[Any, ...]]:
    """(product id, purchases, sales, counts, other, fixes) of the moves in ``part`` (one month
    cut to the period): one range of the time index per month, grouped by product alone — no
    local-time function per move, the month's bounds are computed here."""
    start, end = bounds(part)

    def when(kinds: tuple[str, ...], *, inside: bool = True) -> Any:
        cond = StockMove.kind.in_(kinds) if inside else StockMove.kind.not_in(kinds)
        return func.sum(case((cond, StockMove.value), else_=0))

    pid = StockMove.product_id + 0  # read the time index in order, group afterwards (stock_value.py)
    result = s.connection().execute(select(
        pid, when(PURCHASE_KINDS), when(SALE_KINDS), when(COUNT_KINDS),
        when(PURCHASE_KINDS + SALE_KINDS + COUNT_KINDS + FIX_KINDS, inside=False), when(FIX_KINDS),
    ).where(StockMove.created_at >= start, StockMove.created_at < end).group_by(pid))
    rows = result.cursor.fetchall()
    result.close()
    return rows


def turnover_by_month(s: Session, period: Period, by: str = "month") -> TurnoverReport:
    """``by`` "month": one row per month (every category); "category_month": per category, its months."""
    months = months_of(period)
    start, _end = bounds(period)
    cat_of = dict(s.connection().execute(select(Product.id, Product.category_id)).all())
    pos = positions_at(s, start)
    opening = opening_of(cat_of, s.execute(select(pos.c.pid, pos.c.v)))
    flows = flows_of(cat_of, len(months), (_flows(s, part) for _month, part in month_periods(period)))
    names = dict(s.connection().execute(select(Category.id, Category.name)).all())
    return turnover_months_of(period, by, months, opening, flows, names)


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
    names = dict(s.connection().execute(select(Category.id, Category.name)).all())
    stmt = select(Product.id, Product.code, Product.name, Product.category_id)
    return cover_of(period, by, sold, held, names, s.connection().execute(stmt))

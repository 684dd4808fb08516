"""Stock reports read from the ledger (stock_move), never from today's cached stock:

- stock value at the end of a local day: Σ of every move's qty/value up to then — by the ledger's
  conservation rule that is each product's balance after its last move (DESIGN §4);
- stock flow and turnover for a period: opening value + purchases + sales (COGS out) + count
  differences + other moves (opening stock, adjustments, revaluations) + cost corrections (cost_fix
  moves of refills of stock issued below zero) = closing value, per
  category; turnover = COGS ÷ average stock value ((opening + closing) ÷ 2), days of inventory =
  period days × average stock ÷ COGS;
- slow movers: products with stock on hand now and no sale for N days, with the value tied up;
- expiry: batches with stock that expired or expire within the warning days, at average cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import case, func, select, union_all
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Category, Product, SaleLine, StockMove
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.costing import value_of
from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.periods import Period
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.sql import bounds, end_of_day_utc

PURCHASE_KINDS = (str(MoveKind.PURCHASE), str(MoveKind.PURCHASE_RETURN))
SALE_KINDS = (str(MoveKind.SALE), str(MoveKind.SALE_RETURN))
COUNT_KINDS = (str(MoveKind.COUNT_GAIN), str(MoveKind.COUNT_LOSS))
FIX_KINDS = (str(MoveKind.COST_FIX),)  # refills correcting what was issued below zero


class StockGrouping(StrEnum):
    CATEGORY = "category"
    PRODUCT = "product"


# ---------------------------------------------------------------- stock value at a day


@dataclass(frozen=True, slots=True)
class StockValueRow:
    key: str  # product code or category id ("" = none); "total"
    label: str
    category: str
    qty: int  # thousandths (products only; 0 for categories, whose units differ)
    value: int  # fen
    products: int  # products with stock or value in the group


@dataclass(frozen=True)
class StockValueReport:
    at: date  # end of this local day
    by: StockGrouping
    rows: tuple[StockValueRow, ...]
    total: StockValueRow


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


# ---------------------------------------------------------------- flow and turnover


@dataclass(frozen=True, slots=True)
class TurnoverRow:
    key: str  # category id ("" = none); "total"
    label: str
    opening: int  # stock value at the start of the period, fen
    purchases: int  # purchases − returns to suppliers (signed value moved)
    sales: int  # sales and customer returns (negative: cost of goods out)
    counts: int  # count gains − losses
    other: int  # opening stock, adjustments, revaluations
    corrections: int  # cost_fix moves: a refill correcting goods issued below zero (negative = extra cost)
    closing: int  # opening + the five above
    cogs: int  # −sales
    avg_stock: int  # (opening + closing) ÷ 2, half-up
    turnover_x100: int | None  # COGS ÷ average stock × 100; None without stock
    days_of_inventory: int | None  # period days × average stock ÷ COGS; None without COGS


@dataclass(frozen=True)
class TurnoverReport:
    period: Period
    rows: tuple[TurnoverRow, ...]
    total: TurnoverRow
    by: str = "category"  # category | month | category_month (turnover_months.py)


def turnover_row(key: str, label: str, vals: list[int], days: int) -> TurnoverRow:
    opening, purchases, sales, counts, other, fixes = vals
    closing = opening + purchases + sales + counts + other + fixes
    cogs = -sales
    both = opening + closing
    return TurnoverRow(
        key, label, opening, purchases, sales, counts, other, fixes, closing, cogs, div_round(both, 2),
        div_round(cogs * 200, both) if both > 0 else None,
        div_round(both * days, 2 * cogs) if cogs > 0 else None,
    )


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
    rows: list[TurnoverRow] = []
    tot = [0] * 6
    for cid, *raw in s.execute(stmt):
        vals = [int(v or 0) for v in raw]
        if not any(vals):
            continue
        tot = [a + b for a, b in zip(tot, vals, strict=True)]
        rows.append(turnover_row("" if cid is None else str(cid), names.get(cid) or _("Uncategorized"),
                                  vals, period.days))
    rows.sort(key=lambda r: (-r.cogs, r.key))
    return TurnoverReport(period, tuple(rows), turnover_row("total", _("Total"), tot, period.days))


# ---------------------------------------------------------------- slow movers


@dataclass(frozen=True, slots=True)
class SlowRow:
    key: str  # product code
    label: str
    category: str
    qty: int
    value: int  # tied up now, fen
    last_sale: date | None
    days_idle: int | None  # days since the last sale; None = never sold


@dataclass(frozen=True)
class SlowReport:
    today: date
    days: int
    rows: tuple[SlowRow, ...]
    total: SlowRow


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


# ---------------------------------------------------------------- expiry


@dataclass(frozen=True, slots=True)
class ExpiryRow:
    key: str  # product code
    label: str
    batch_no: str
    expiry: date | None
    days_left: int | None  # negative: expired that many days ago
    qty: int
    value: int  # qty at the product's average cost, fen
    expired: bool


@dataclass(frozen=True)
class ExpiryReport:
    today: date
    warning_days: int
    rows: tuple[ExpiryRow, ...]
    total: ExpiryRow


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

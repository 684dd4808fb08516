"""Profit's cost corrections (成本更正): what sale lines sold below zero really cost beyond their
snapshot, booked on the day the refill corrected them. A separate grouped query over stock_move,
merged into the profit rows by key (the sales aggregates stay as they are).

corrections (positive fen = extra cost) = −Σ value of ``cost_fix`` moves linked to a sale line
(doc_type 'sale'), plus re-base ``revaluation`` moves written before cost_fix existed (note
LEGACY_REBASE_NOTE): those belong to no line and count on their day and product. A cost_fix
linked to a count line (stock counted short while below zero) is that count's loss instead.

The purchase price difference of returns to suppliers (price_differences_by) is merged the same
way: a separate grouped query over the returns' lines."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from sqlalchemy import and_, case, func, or_, select, text
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Product, Purchase, PurchaseLine, StockMove
from jxc_desktop.domain.moves import LEGACY_REBASE_NOTE, MoveKind
from jxc_desktop.domain.periods import Period
from jxc_desktop.services.reporting.sql import bounds, local_date

By = Literal["day", "product", "category"]
# Written out literally (not as bound parameters): SQLite uses the partial index ix_stock_move_fixes
# (migration 0008) only when the query's term is its WHERE clause word for word; with it a year's
# corrections read a handful of rows instead of every move of the year (~0.4 s at 1 M lines).
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

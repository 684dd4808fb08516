"""Profit's cost corrections (成本更正): what sale lines sold below zero really cost beyond their
snapshot, booked on the day the refill corrected them. A separate grouped query over stock_move,
merged into the profit rows by key (the sales aggregates stay as they are).

corrections (positive fen = extra cost) = −Σ value of ``cost_fix`` moves linked to a sale line
(doc_type 'sale'), plus re-base ``revaluation`` moves written before cost_fix existed (note
LEGACY_REBASE_NOTE): those belong to no line and count on their day and product. A cost_fix
linked to a count line (stock counted short while below zero) is that count's loss instead.

The purchase price difference of returns to suppliers (price_differences_by) is merged the same
way: a separate grouped query over the returns' lines.

SQL text run through db/text_reads.Rows (either driver), standard library only, as profit.py."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.moves import LEGACY_REBASE_NOTE, MoveKind
from jxc_desktop.domain.periods import Period
from jxc_desktop.services.reporting.local_text import local_date, period_binds

By = Literal["day", "product", "category"]
# Written out literally (not as bound parameters): SQLite uses the partial index ix_stock_move_fixes
# (migration 0008) only when the query's term is its WHERE clause word for word; with it a year's
# corrections read a handful of rows instead of every move of the year (~0.4 s at 1 M lines).
FIX_KINDS_TERM = "stock_move.kind IN ('cost_fix', 'revaluation')"
_ON_COUNT = "stock_move.doc_type = 'count'"
_CORRECTIONS = (
    f"SELECT {{group}}, -sum(CASE WHEN {_ON_COUNT} THEN 0 ELSE stock_move.value END), "
    f"-sum(CASE WHEN {_ON_COUNT} THEN stock_move.value ELSE 0 END) FROM stock_move{{join}} "
    f"WHERE stock_move.created_at >= :start AND stock_move.created_at < :end AND {FIX_KINDS_TERM} "
    f"AND (stock_move.kind = '{MoveKind.COST_FIX}' AND stock_move.doc_type IN ('sale', 'count') "
    f"OR stock_move.kind = '{MoveKind.REVALUATION}' AND stock_move.note = :rebase) GROUP BY 1")
_TO_PRODUCT = " JOIN product ON product.id = stock_move.product_id"

# What the supplier credits for a line (qty × the price paid, half up as costing.value_of) less the
# stock value it took out. (Integer division on both backends: every operand is an integer.)
# qty × price in 64 bits: both are 32-bit integers on PostgreSQL, and 100 units at ¥21 474.84 pass 2^31.
_LINE_DIFF = "(CAST(purchase_line.qty AS BIGINT) * purchase_line.price + 500) / 1000 - purchase_line.amount"
_PRICE_DIFFS = (
    f"SELECT {{group}}, sum({_LINE_DIFF}) FROM purchase_line "
    "JOIN purchase ON purchase.id = purchase_line.purchase_id{join} "
    "WHERE purchase.kind = 'return' AND purchase_line.price IS NOT NULL AND {cond} GROUP BY 1")
_BOOKED = "purchase.status IN ('posted', 'reversed') AND purchase.doc_date >= :first AND purchase.doc_date <= :last"
_CANCELLED = "purchase.status = 'reversed' AND purchase.reversed_at >= :start AND purchase.reversed_at < :end"


def corrections_by(rows: Rows, dialect: str, period: Period, by: By) -> list[tuple[Any, int, int]]:
    """[(group key, corrections, extra count loss)] of the period: key = local ISO day, product id
    or category id (positive fen = extra cost / extra loss)."""
    group = {"day": local_date("stock_move.created_at", period, dialect), "product": "stock_move.product_id",
             "category": "product.category_id"}[by]
    sql = _CORRECTIONS.format(group=group, join=_TO_PRODUCT if by == "category" else "")
    found = rows.all(sql, rebase=LEGACY_REBASE_NOTE, **period_binds(period, dialect))
    return [(key, int(v or 0), int(c or 0)) for key, v, c in found if v or c]


def price_differences_by(rows: Rows, dialect: str, period: Period, by: By) -> list[tuple[Any, int]]:
    """[(group key, price difference)] of the period's returns to suppliers (issue 16): what the
    supplier credits (qty × the price paid, rounded half up as costing.value_of) less the stock
    value the return took out; + = a gain. Counted on the return's document date — the day its
    credit is booked on the supplier's account — and taken out again on the local day a reversal
    (红冲) cancelled that credit. Key: ISO day, product id or category id."""
    groups = {"product": "purchase_line.product_id", "category": "product.category_id"}
    booked = groups.get(by, "purchase.doc_date")
    cancelled = groups.get(by, local_date("purchase.reversed_at", period, dialect))
    join = " JOIN product ON product.id = purchase_line.product_id" if by == "category" else ""
    binds = period_binds(period, dialect)
    out: dict[Any, int] = {}
    for group, sign, cond in ((booked, 1, _BOOKED), (cancelled, -1, _CANCELLED)):
        for key, value in rows.all(_PRICE_DIFFS.format(group=group, join=join, cond=cond), **binds):
            if by == "day":
                key = key.isoformat() if isinstance(key, date) else str(key)
            out[key] = out.get(key, 0) + sign * int(value or 0)
    return [(k, v) for k, v in out.items() if v]

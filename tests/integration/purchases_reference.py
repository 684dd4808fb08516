"""The SQLAlchemy queries of the purchase summary before it became SQL text (session 15), kept word
for word as the reference the new text must equal (test_purchases_reference.py)."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import BigInteger, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Category, Product, Purchase, PurchaseLine, StockMove, Supplier
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.periods import Period
from jxc_desktop.i18n import _

# the row's arithmetic did not change: only the queries are kept as they were
from jxc_desktop.services.reporting.purchases import PurchaseGrouping, PurchaseReport, PurchaseRow, _row

POSTED = "posted"
REVERSED = "reversed"
DOC_TYPE = "purchase"
# Value-only moves of purchase documents that are purchase flow: a reversal's correction, and a
# cost_fix linked to a supplier return (the shared contract's kind for re-base corrections).
CORRECTION_KINDS = ("revaluation", "cost_fix")
REBASE_NOTE = "re-based after negative stock"  # a re-base of a receipt: the sales' cost, not purchases


def _wide(col: Any) -> Any:
    """A 32-bit integer column (on PostgreSQL) as a 64-bit one, so that qty × price (thousandths × fen:
    100 units at ¥21 474.84 pass 2^31) is multiplied without overflow."""
    return cast(col, BigInteger)


# The figures gathered per group key, in this order.
QIN, QOUT, PIN, POUT, QREV, REV, CORR, PDIFF = range(8)


def _doc_sums(s: Session, group: Any, period: Period) -> dict[Any, list[int]]:
    """Notes and returns by document date (posted, or reversed since), per group key."""
    is_in, is_out = Purchase.kind == "purchase", Purchase.kind == "return"
    stmt = select(
        group, func.sum(case((is_in, PurchaseLine.qty), else_=0)), func.sum(case((is_out, PurchaseLine.qty), else_=0)),
        func.sum(case((is_in, PurchaseLine.amount), else_=0)), func.sum(case((is_out, PurchaseLine.amount), else_=0)),
        # qty × price rounded half up as costing.value_of (both ≥ 0), less the stock value out
        func.sum(case((and_(is_out, PurchaseLine.price.is_not(None)),
                       (_wide(PurchaseLine.qty) * PurchaseLine.price + 500) // 1000 - PurchaseLine.amount), else_=0)),
    ).select_from(PurchaseLine).join(Purchase, Purchase.id == PurchaseLine.purchase_id).where(
        Purchase.status.in_((POSTED, REVERSED)), Purchase.doc_date >= period.first,
        Purchase.doc_date <= period.last).group_by(group)
    out: dict[Any, list[int]] = defaultdict(lambda: [0] * 8)
    for key, qin, qout, pin, pout, pdiff in s.execute(stmt):
        out[key][QIN:POUT + 1] = [int(qin or 0), int(qout or 0), int(pin or 0), int(pout or 0)]
        out[key][PDIFF] = int(pdiff or 0)
    return out


def _reversal_sums(s: Session, group: Any, period: Period, out: dict[Any, list[int]]) -> None:
    """Reversals made in the period: a note's qty and value out, a return's back — and a reversed
    return's price difference out again (its credit is cancelled; the profit report does the same)."""
    start, end = day_bounds_utc(period.first, period.last)
    is_out = Purchase.kind == "return"
    sign = case((is_out, -1), else_=1)
    pdiff = func.sum(case((and_(is_out, PurchaseLine.price.is_not(None)),
                           (_wide(PurchaseLine.qty) * PurchaseLine.price + 500) // 1000 - PurchaseLine.amount), else_=0))
    stmt = select(group, func.sum(sign * PurchaseLine.qty), func.sum(sign * PurchaseLine.amount), pdiff) \
        .select_from(PurchaseLine).join(Purchase, Purchase.id == PurchaseLine.purchase_id) \
        .where(Purchase.status == REVERSED, Purchase.reversed_at >= start, Purchase.reversed_at < end) \
        .group_by(group)
    for key, qty, value, diff in s.execute(stmt):
        out[key][QREV] += int(qty or 0)
        out[key][REV] += int(value or 0)
        out[key][PDIFF] -= int(diff or 0)


def _correction_sums(s: Session, group: Any, period: Period, out: dict[Any, list[int]]) -> None:
    """Corrections booked in the period on purchase documents (re-bases excluded)."""
    start, end = day_bounds_utc(period.first, period.last)
    stmt = select(group, func.sum(StockMove.value)).select_from(StockMove) \
        .join(Purchase, Purchase.id == StockMove.doc_id) \
        .where(StockMove.doc_type == DOC_TYPE, StockMove.qty == 0, StockMove.kind.in_(CORRECTION_KINDS),
               or_(StockMove.kind != "revaluation", StockMove.note != REBASE_NOTE),
               StockMove.created_at >= start, StockMove.created_at < end).group_by(group)
    for key, value in s.execute(stmt):
        out[key][CORR] += int(value or 0)


def _count_cols(period: Period) -> tuple[list[Any], Any]:
    """Counting columns — notes and returns of the period (by document date), reversals made in
    it — and the condition that a document is any of them."""
    start, end = day_bounds_utc(period.first, period.last)
    in_period = and_(Purchase.status.in_((POSTED, REVERSED)), Purchase.doc_date >= period.first,
                     Purchase.doc_date <= period.last)
    reversed_in = and_(Purchase.status == REVERSED, Purchase.reversed_at >= start, Purchase.reversed_at < end)
    return [func.count(func.distinct(case((and_(in_period, Purchase.kind == "purchase"), Purchase.id)))),
            func.count(func.distinct(case((and_(in_period, Purchase.kind == "return"), Purchase.id)))),
            func.count(func.distinct(case((reversed_in, Purchase.id))))], or_(in_period, reversed_in)


def _doc_counts(s: Session, group: Any, period: Period, by_line: bool) -> dict[Any, tuple[int, int, int]]:
    """(notes, returns, reversals) per group key."""
    cols, relevant = _count_cols(period)
    stmt = select(group, *cols).select_from(Purchase).where(relevant)
    if by_line:
        stmt = stmt.join(PurchaseLine, PurchaseLine.purchase_id == Purchase.id)
    return {k: (int(a or 0), int(b or 0), int(c or 0)) for k, a, b, c in s.execute(stmt.group_by(group))}


def purchase_report(s: Session, period: Period, by: PurchaseGrouping | str = PurchaseGrouping.SUPPLIER
                    ) -> PurchaseReport:
    by = PurchaseGrouping(by)
    group = Purchase.supplier_id if by is PurchaseGrouping.SUPPLIER else PurchaseLine.product_id
    sums = _doc_sums(s, group, period)
    _reversal_sums(s, group, period, sums)
    _correction_sums(s, Purchase.supplier_id if by is PurchaseGrouping.SUPPLIER else StockMove.product_id,
                     period, sums)
    counts = _doc_counts(s, group, period, by is PurchaseGrouping.PRODUCT)
    rows: list[PurchaseRow] = []
    keys = [k for k, v in sums.items() if any(v) or any(counts.get(k, (0, 0, 0)))]
    keys += [k for k, c in counts.items() if any(c) and k not in sums]
    if by is PurchaseGrouping.SUPPLIER:
        ids = [k for k in keys if k is not None]
        names = {i: n for i, n in s.execute(select(Supplier.id, Supplier.name).where(Supplier.id.in_(ids)))}
        for k in keys:
            rows.append(_row("" if k is None else str(k), names.get(k) or _("(no supplier)"), "",
                             sums[k], counts.get(k, (0, 0, 0))))
    else:
        info = {pid: (code, name, cat) for pid, code, name, cat in s.execute(
            select(Product.id, Product.code, Product.name, Category.name)
            .outerjoin(Category, Category.id == Product.category_id).where(Product.id.in_(keys)))} if keys else {}
        for k in keys:
            code, name, cat = info[k]
            rows.append(_row(code, name, cat or _("Uncategorized"), sums[k], counts.get(k, (0, 0, 0))))
    rows.sort(key=lambda r: (-r.net, r.key))
    tot = [0] * 8
    for k in keys:
        for i, x in enumerate(sums[k]):
            tot[i] += x
    cols, relevant = _count_cols(period)
    n_in, n_out, n_rev = s.execute(select(*cols).select_from(Purchase).where(relevant)).one()
    total = _row("total", _("Total"), "", tot, (int(n_in or 0), int(n_out or 0), int(n_rev or 0)))
    return PurchaseReport(period, by, tuple(rows), total)

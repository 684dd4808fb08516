"""Purchase summary (采购汇总) by supplier or by product.

Counted: posted purchase notes (CG) minus posted returns to suppliers (CT), by their document
date. Reversed notes (红冲) are **excluded** — a reversed note counts as never posted, in every
period, the same view the supplier screen takes. (The stock-value report, which reads the ledger,
shows a reversal on the day it happened instead.) Drafts never count.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Category, Product, Purchase, PurchaseLine, Supplier
from jxc_desktop.domain.costing import unit_cost_of
from jxc_desktop.domain.periods import Period
from jxc_desktop.i18n import _

POSTED = "posted"


class PurchaseGrouping(StrEnum):
    SUPPLIER = "supplier"
    PRODUCT = "product"


@dataclass(frozen=True, slots=True)
class PurchaseRow:
    key: str  # supplier id ("" = none) or product code; "total"
    label: str
    category: str
    qty_in: int  # thousandths bought
    qty_out: int  # thousandths returned to suppliers
    purchases: int  # fen
    returns: int
    net: int  # purchases − returns
    avg_cost: int  # fen per unit of the net quantity (0 if none)
    notes: int  # purchase notes
    return_notes: int


@dataclass(frozen=True)
class PurchaseReport:
    period: Period
    by: PurchaseGrouping
    rows: tuple[PurchaseRow, ...]
    total: PurchaseRow


def _sums(group: Any) -> Any:
    is_in = Purchase.kind == "purchase"
    is_out = Purchase.kind == "return"

    def when(cond: Any, col: Any) -> Any:
        return func.sum(case((cond, col), else_=0))

    return select(
        group,
        when(is_in, PurchaseLine.qty), when(is_out, PurchaseLine.qty),
        when(is_in, PurchaseLine.amount), when(is_out, PurchaseLine.amount),
        func.count(func.distinct(case((is_in, Purchase.id)))),
        func.count(func.distinct(case((is_out, Purchase.id)))),
    ).select_from(PurchaseLine).join(Purchase, Purchase.id == PurchaseLine.purchase_id)


def _row(key: str, label: str, category: str, vals: list[int]) -> PurchaseRow:
    qin, qout, pin, pout, n_in, n_out = vals
    net_qty = qin - qout
    return PurchaseRow(key, label, category, qin, qout, pin, pout, pin - pout,
                       unit_cost_of(pin - pout, net_qty) if net_qty > 0 else 0, n_in, n_out)


def purchase_report(s: Session, period: Period, by: PurchaseGrouping | str = PurchaseGrouping.SUPPLIER
                    ) -> PurchaseReport:
    by = PurchaseGrouping(by)
    where = (Purchase.status == POSTED, Purchase.doc_date >= period.first, Purchase.doc_date <= period.last)
    rows: list[PurchaseRow] = []
    if by is PurchaseGrouping.SUPPLIER:
        agg = _sums(Purchase.supplier_id.label("sid")).where(*where).group_by(Purchase.supplier_id).subquery()
        stmt = select(agg.c.sid, Supplier.name, *list(agg.c)[1:]).select_from(agg) \
            .outerjoin(Supplier, Supplier.id == agg.c.sid)
        for sid, name, *vals in _execute(s, stmt):
            rows.append(_row("" if sid is None else str(sid), name or _("(no supplier)"), "", vals))
    else:
        agg = _sums(PurchaseLine.product_id.label("pid")).where(*where).group_by(PurchaseLine.product_id).subquery()
        stmt = select(Product.code, Product.name, Category.name, *list(agg.c)[1:]).select_from(agg) \
            .join(Product, Product.id == agg.c.pid).outerjoin(Category, Category.id == Product.category_id)
        for code, name, cat, *vals in _execute(s, stmt):
            rows.append(_row(code, name, cat or _("Uncategorized"), vals))
    rows.sort(key=lambda r: (-r.net, r.key))
    tot = [0] * 4
    for r in rows:
        for i, v in enumerate((r.qty_in, r.qty_out, r.purchases, r.returns)):
            tot[i] += v
    n_in, n_out = s.execute(
        select(func.sum(case((Purchase.kind == "purchase", 1), else_=0)),
               func.sum(case((Purchase.kind == "return", 1), else_=0))).where(*where)).one()
    total = _row("total", _("Total"), "", [*tot, int(n_in or 0), int(n_out or 0)])
    return PurchaseReport(period, by, tuple(rows), total)


def _execute(s: Session, stmt: Any) -> list[tuple[Any, ...]]:
    out = []
    for row in s.execute(stmt):
        head = [v for v in row[:-6]]
        out.append((*head, *[int(v or 0) for v in row[-6:]]))
    return out

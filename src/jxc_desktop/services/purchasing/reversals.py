"""Reversals (红冲) of posted purchase notes and returns to the supplier.

A reversal writes the opposite of every move the note wrote and marks it reversed; it never edits
the note itself. Refused while a return against the purchase stands, and when the stock cannot
bear it under the negative-stock policy.

A reversal takes out exactly the note's value. When the shelf cannot bear that — the note's goods
were partly sold at an average that held the note's cost, so what is left would be worth less than
nothing, or an emptied shelf would keep a value — the position is set right by one visible
``revaluation`` move of the reversal (reversal_fix.py), never by taking out a different value.
Goods of a batch already sold are taken from the batches that hold the stock (first to expire
first), then from stock in no batch, so no batch goes below zero while the product has stock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from jxc_desktop.db.models import Batch, Product, Purchase, StockMove
from jxc_desktop.db.uow import Database, retrying
from jxc_desktop.domain.clock import local_day, utcnow
from jxc_desktop.domain.errors import StateError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.i18n import _
from jxc_desktop.services.accounts import api as accounts
from jxc_desktop.services.purchasing.dto import KIND_PURCHASE, KIND_RETURN, Note
from jxc_desktop.services.purchasing.records import DOC_TYPE, check_stock, load, products_by_id, to_note
from jxc_desktop.services.purchasing.reversal_fix import correct_position, take_out_parts
from jxc_desktop.services.safety import api as safety
from jxc_desktop.services.stock import api as stock

AUDIT_REVERSAL = "reversal"  # the audit trail's action for 红冲 (the audit viewer names it)


@retrying  # a server may refuse it as a write conflict: run it again whole
def reverse(db: Database, purchase_id: int, *, at: datetime | None = None, confirmed: bool = False) -> Note:
    """红冲 in one transaction: the opposite of every move of the note, the note marked reversed."""
    at = at or utcnow()
    with db.write() as uow:
        s = uow.session
        p = load(s, purchase_id, lock=True)
        if p.status != "posted":
            raise StateError("Only a posted note can be reversed ({number} is {status})",
                             number=p.number, status=_(p.status))
        if p.kind == KIND_PURCHASE:
            returns = list(s.scalars(select(Purchase.number).where(
                Purchase.origin_id == p.id, Purchase.kind == KIND_RETURN, Purchase.status == "posted")))
            if returns:
                raise StateError("Reverse the returns against {number} first: {returns}", number=p.number,
                                 returns=", ".join(returns))
        # what the note owed (or credited) is cancelled first: refused while payments are allocated to it
        accounts.book_purchase_reversal(s, purchase_id=p.id, day=local_day(at), at=at)
        moves = list(s.scalars(select(StockMove).where(
            StockMove.doc_type == DOC_TYPE, StockMove.doc_id == p.id, StockMove.qty != 0,
            StockMove.kind.in_((str(MoveKind.PURCHASE), str(MoveKind.PURCHASE_RETURN))))
            .order_by(StockMove.id)))
        products = products_by_id(s, {m.product_id for m in moves})
        batch_ids = {m.batch_id for m in moves if m.batch_id is not None}
        batches = {b.id: b for b in s.scalars(select(Batch).where(Batch.id.in_(batch_ids)))} if batch_ids else {}
        outs = [(products[m.product_id], batches.get(m.batch_id) if m.batch_id else None, m.qty)
                for m in moves if m.qty > 0]
        check_stock(s, outs, confirmed)
        note = _("reversal of {number}").format(number=p.number)
        last_avg = {pid: prod.avg_cost for pid, prod in products.items()}
        taken: dict[int, Product] = {}
        for m in moves:
            prod = products[m.product_id]
            batch = batches.get(m.batch_id) if m.batch_id else None
            ref = stock.DocRef(DOC_TYPE, p.id, p.number, m.doc_line_id)
            kind = MoveKind(m.kind)
            if m.qty > 0:
                for part, qty, value, why in take_out_parts(s, prod, batch, m.qty, m.value):
                    stock.issue(s, prod, qty, kind, ref, batch=part, at=at, value=value,
                                note=note if not why else f"{note}: {why}")
                taken[prod.id] = prod
            else:
                stock.receive(s, prod, -m.qty, kind, ref, value=-m.value, batch=batch, at=at, note=note)
        for pid in sorted(taken):
            correct_position(s, taken[pid], p, last_avg[pid], at=at)
        p.status = "reversed"
        p.reversed_at = at
        safety.record(s, AUDIT_REVERSAL, document=p.number, at=at,
                      detail={"kind": p.kind, "moves": len(moves), "total_fen": p.total})
        s.flush()
        out = to_note(s, p)
        uow.commit()
    return out

"""Negative stock's "hole" read back from the ledger: which issuing lines took a product below
zero and are not yet filled, so a receipt's cost correction goes to those lines (cost_fix moves).

Only a receipt into negative stock reads this; a receipt onto stock ≥ 0 pays nothing."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import StockMove
from jxc_desktop.domain.costing import Hole
from jxc_desktop.domain.moves import MoveKind

BATCH_OFFSET = "batch offset"  # the note of settle_negative_batches' zero-value pairs


class LineRef(NamedTuple):
    """The issuing line a correction is linked to (the move's doc_* fields)."""

    doc_type: str
    doc_id: int | None
    doc_number: str
    line_id: int | None


def load_hole(session: Session, product_id: int) -> Hole:
    """The product's hole now: the issue moves since its balance was last ≥ 0, minus what the
    receipts since then filled (oldest first), exactly as those receipts filled it."""
    m = StockMove
    last_ok = session.scalar(select(m.id).where(m.product_id == product_id, m.balance_qty >= 0)
                             .order_by(m.id.desc()).limit(1))
    stmt = select(m.kind, m.qty, m.value, m.balance_qty, m.balance_value, m.doc_type, m.doc_id, m.doc_number,
                  m.doc_line_id, m.note).where(m.product_id == product_id, m.qty != 0)
    if last_ok is not None:
        stmt = stmt.where(m.id > last_ok)
    hole = Hole()
    for kind, qty, value, bq, bv, dtype, did, dnum, lid, note in session.execute(stmt.order_by(m.id)):
        if kind == MoveKind.ADJUST and note == BATCH_OFFSET:
            continue  # a batch transfer: nothing left or came onto the shelf
        if qty < 0:
            hole.issue(LineRef(dtype, did, dnum, lid), bq - qty, bq, -value, bv)
        else:
            hole.take(qty)
    return hole


def fix_note(receipt_number: str, kind: str) -> str:
    """A correction's note names the receipt that filled the hole."""
    return f"{receipt_number or kind} 补货更正"[:200]

"""What a reversal (红冲) does where the shelf cannot bear it (issue 14, findings 3 and 5).

- Batches: goods of the note's batch that were already sold are taken from the batches that hold
  the stock (first to expire first), then from stock held in no batch; only what the product does
  not hold at all goes below zero (from the note's batch, as a sale beyond stock would).
- Value: the reversal takes out exactly the note's value. The position left must be sane:
  an empty shelf holds nothing; stock on hand is never worth less than nothing — it keeps the cost
  of the receipts that remain (the newest first, as the goods on a shelf are the last ones in);
  stock below zero stands at the last average, as any issue beyond stock does. The difference is
  one ``revaluation`` move of the reversal (doc_type 'purchase', the note's id and number) whose
  note gives the reason, so the purchase report and ``jxc check`` can show it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Product, Purchase, StockMove
from jxc_desktop.domain import costing
from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.i18n import _
from jxc_desktop.services.purchasing.dto import KIND_PURCHASE
from jxc_desktop.services.purchasing.records import DOC_TYPE
from jxc_desktop.services.stock import api as stock

Part = tuple[Batch | None, int, int, str]  # batch (None: no batch), qty, value (positive fen), why moved


def _split(qtys: list[tuple[Batch | None, int, str]], qty: int, value: int) -> list[Part]:
    """The note's value shared over the parts by quantity; the last part takes the rounding."""
    parts: list[Part] = []
    left = value
    for i, (batch, q, why) in enumerate(qtys):
        v = left if i == len(qtys) - 1 else div_round(value * q, qty)
        parts.append((batch, q, v, why))
        left -= v
    return parts


def take_out_parts(s: Session, product: Product, batch: Batch | None, qty: int, value: int) -> list[Part]:
    """Where the ``qty`` of a reversed receipt into ``batch`` comes from, each part with its share
    of ``value``. A batch sold (wholly or partly) hands its shortfall to the batches holding stock."""
    if batch is None or not product.tracks_batches or batch.qty >= qty:
        return [(batch, qty, value, "")]
    need = qty
    plan: list[tuple[Batch | None, int, str]] = []
    own = min(need, max(batch.qty, 0))
    if own:
        plan.append((batch, own, ""))
        need -= own
    sold = _("batch {batch} already sold").format(batch=batch.batch_no)
    for other in stock.fefo_batches(s, product.id):
        if need == 0:
            break
        if other.id == batch.id:
            continue
        take = min(need, other.qty)
        plan.append((other, take, _("{sold}, taken from batch {other}").format(sold=sold, other=other.batch_no)))
        need -= take
    loose = stock.unbatched_qty(s, product)
    if need and loose > 0:
        take = min(need, loose)
        plan.append((None, take, _("{sold}, taken from stock in no batch").format(sold=sold)))
        need -= take
    if need:  # beyond all the product holds: below zero, from the note's batch
        plan.append((batch, need, ""))
    return _split(plan, qty, value)


def remaining_receipts_value(s: Session, product: Product, qty: int, reversed_id: int) -> int:
    """What ``qty`` (> 0) of the product is worth at the cost of the receipts that remain: the
    purchase notes still standing (not this one, not reversed) and opening stock, newest first.
    Beyond them, at the unit cost of the oldest one used; with none, at the reference cost."""
    rows = s.execute(
        select(StockMove.qty, StockMove.value)
        .outerjoin(Purchase, (StockMove.doc_type == DOC_TYPE) & (Purchase.id == StockMove.doc_id))
        .where(StockMove.product_id == product.id, StockMove.qty > 0,
               ((StockMove.kind == str(MoveKind.PURCHASE)) & (Purchase.kind == KIND_PURCHASE)
                & (Purchase.status == "posted") & (Purchase.id != reversed_id))
               | (StockMove.kind == str(MoveKind.OPENING)))
        .order_by(StockMove.created_at.desc(), StockMove.id.desc()))
    need, total, unit = qty, 0, product.ref_cost
    for mq, mv in rows:
        take = min(need, mq)
        total += mv if take == mq else div_round(mv * take, mq)
        unit = costing.unit_cost_of(mv, mq)
        need -= take
        if need == 0:
            return total
    return total + costing.value_of(need, unit)


def target_value(s: Session, product: Product, reversed_id: int, last_avg: int) -> int | None:
    """The value the product's position should hold after the reversal, or None when it is sane."""
    qty, value = product.stock_qty, product.stock_value
    if qty == 0:
        return 0 if value else None
    if qty > 0:
        return remaining_receipts_value(s, product, qty, reversed_id) if value < 0 else None
    target = costing.value_of(qty, last_avg)  # below zero: at the last average, as issues beyond stock
    return target if value != target else None


def correct_position(s: Session, product: Product, note: Purchase, last_avg: int, *, at: datetime) -> None:
    """The visible correction when the shelf could not bear the note's value (none when it could)."""
    target = target_value(s, product, note.id, last_avg)
    if target is None or target == product.stock_value:
        return
    why = _("reversal of {number}: goods already sold, difference corrected").format(number=note.number)
    stock.revalue(s, product, target - product.stock_value, stock.DocRef(DOC_TYPE, note.id, note.number),
                  at=at, note=why)

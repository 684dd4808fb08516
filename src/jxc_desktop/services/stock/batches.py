"""Stock held in no batch: the one rule for what a batch-tracked product has outside its batches.

A batch-tracked product can hold stock that sits in no batch (opening stock entered without one,
or sold below zero from no batch): its stock less what its batches hold. Issuing, settling
negative batches, opening and recording a count all ask this, now or at a moment in the past, so
the rule is written once here and the callers only choose which batch quantities they mean.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Product


def unbatched(stock_qty: int, batch_qtys: Iterable[int]) -> int:
    """The part of ``stock_qty`` (thousandths) in no batch, given what each of the product's batches
    holds (a batch below zero counts too: the books then hold more outside the batches)."""
    return stock_qty - sum(batch_qtys)


def batch_qtys(session: Session, product_id: int) -> list[int]:
    """What each of a product's batches holds now."""
    return [int(q) for q in session.scalars(select(Batch.qty).where(Batch.product_id == product_id))]


def unbatched_qty(session: Session, product: Product) -> int:
    """Stock of a batch-tracked product that sits in no batch now."""
    return unbatched(product.stock_qty, batch_qtys(session, product.id))

"""The book quantity of count lines: what the books say a line's product (or batch) holds, now or
at the moment it was counted, one line at a time or many at once.

A line's difference is ``counted - expected`` where ``expected`` is this book quantity when the line
was counted, so selling during a count is not a loss. A batch-less line of a batch-tracked product
holds what is in no batch (stock/batches.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Product, StockCountLine, StockMove
from jxc_desktop.services.stock import ledger
from jxc_desktop.services.stock.batches import unbatched, unbatched_qty


def chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def book_qty_at(session: Session, line: StockCountLine, at: datetime | None) -> int:
    """The book quantity of a line's product (or batch) now (caches) or at ``at`` (ledger)."""
    if at is None:
        product = session.get(Product, line.product_id)
        assert product is not None
        if line.batch_id is not None:
            batch = session.get(Batch, line.batch_id)
            return batch.qty if batch else 0
        if not product.tracks_batches:
            return product.stock_qty
        return unbatched_qty(session, product)
    qty, _value = ledger.balance_at(session, line.product_id, at)
    moves = select(func.coalesce(func.sum(StockMove.qty), 0)).where(
        StockMove.product_id == line.product_id, StockMove.created_at <= at)
    if line.batch_id is not None:
        return int(session.scalar(moves.where(StockMove.batch_id == line.batch_id)) or 0)
    product = session.get(Product, line.product_id)
    if product is not None and product.tracks_batches:
        return unbatched(qty, (int(session.scalar(moves.where(StockMove.batch_id.is_not(None))) or 0),))
    return qty


def book_now_bulk(session: Session, lines: list[tuple[int, int, int | None]]) -> dict[int, int]:
    """Current book qty of many lines at once (for zeroing uncounted lines)."""
    pids = sorted({p for _, p, _ in lines})
    stock: dict[int, tuple[int, bool]] = {}
    in_batches: dict[int, list[int]] = {}
    for chunk in chunks(pids, 500):
        for pid, qty, tracks in session.execute(
                select(Product.id, Product.stock_qty, Product.tracks_batches).where(Product.id.in_(chunk))):
            stock[pid] = (qty, tracks)
    tracked = [p for p in pids if stock[p][1]]
    batch_qty: dict[int, int] = {}
    for chunk in chunks(tracked, 500):
        for bid, pid, qty in session.execute(
                select(Batch.id, Batch.product_id, Batch.qty).where(Batch.product_id.in_(chunk))):
            batch_qty[bid] = qty
            in_batches.setdefault(pid, []).append(qty)
    out: dict[int, int] = {}
    for lid, pid, bid in lines:
        qty, tracks = stock[pid]
        if bid is not None:
            out[lid] = batch_qty.get(bid, 0)
        else:
            out[lid] = unbatched(qty, in_batches.get(pid, ())) if tracks else qty
    return out


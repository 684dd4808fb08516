"""Demo purchase history (``jxc demo``): weekly deliveries from each supplier, with some price
changes so that moving averages move, and one return to a supplier.

Each supplier serves the products whose id falls to it (id modulo the number of suppliers) and
delivers on its own weekday; a delivery restocks that supplier's products running low.
Deliveries (09:10 onwards) and the return (15:00) are queued with ``timeline.run_at`` so that they
post in time order between the day's sales.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import case, func, select

from jxc_desktop.db.models import Product, Purchase, Supplier
from jxc_desktop.demo import timeline
from jxc_desktop.domain.errors import InsufficientStockError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.purchasing.dto import (
    KIND_RETURN,
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
)

if TYPE_CHECKING:
    from jxc_desktop.services.hub import Services

MAX_LINES = 40
DEFAULT_FILL = 24 * MILLI  # restock level for products without a maximum


def _supplier_ids(services: Services) -> list[int]:
    with services.db.read() as uow:
        return list(uow.session.scalars(select(Supplier.id).where(Supplier.active.is_(True)).order_by(Supplier.id)))


def _low_products(services: Services, k: int, n: int) -> list[tuple[int, int, int, int, bool, int | None]]:
    """(id, stock, max, ref cost, tracks batches, shelf life) of supplier k's products running low."""
    level = case((Product.max_stock > 0, Product.max_stock / 2), else_=DEFAULT_FILL / 2)
    with services.db.read() as uow:
        return [tuple(r) for r in uow.session.execute(  # type: ignore[misc]
            select(Product.id, Product.stock_qty, Product.max_stock, Product.ref_cost, Product.tracks_batches,
                   Product.shelf_life_days)
            .where(Product.active.is_(True), Product.id % n == k, Product.stock_qty < level)
            .order_by(Product.stock_qty, Product.id).limit(MAX_LINES))]


def _some_products(services: Services, k: int, n: int, rng: random.Random) -> list[tuple[int, int, int, int, bool,
                                                                                        int | None]]:
    """Nothing running low: the delivery still comes with a few regular lines."""
    with services.db.read() as uow:
        rows = [tuple(r) for r in uow.session.execute(  # type: ignore[misc]
            select(Product.id, Product.stock_qty, Product.max_stock, Product.ref_cost, Product.tracks_batches,
                   Product.shelf_life_days)
            .where(Product.active.is_(True), Product.id % n == k).order_by(Product.id).limit(200))]
    return rng.sample(rows, min(5, len(rows)))  # type: ignore[arg-type]


def demo_purchase_day(services: Services, day: date, rng: random.Random) -> None:
    sids = _supplier_ids(services)
    n = len(sids)
    for k, sid in enumerate(sids):
        if day.toordinal() % 7 != k % 7:
            continue
        at = timeline.local_moment(day, 9, 10 + k)
        timeline.run_at(at, lambda k=k, sid=sid, at=at: _deliver(services, day, rng, k, sid, n, at))
    timeline.run_at(timeline.local_moment(day, 15), lambda: _maybe_return(services, day))


def _deliver(services: Services, day: date, rng: random.Random, k: int, sid: int, n: int, at: datetime) -> None:
    """Supplier k's delivery at ``at``: what runs low by then (the morning's sales are posted)."""
    lines = []
    low = _low_products(services, k, n) or _some_products(services, k, n, rng)
    for pid, stock, mx, ref_cost, tracked, life in low:
        target = max(mx if mx > 0 else DEFAULT_FILL, stock + rng.randint(6, 24) * MILLI)
        qty = -(-(target - stock) // MILLI) * MILLI  # whole units
        change = rng.choice((0, 0, 0, -3, 2, 5, 8))  # percent: some prices move
        cost = max(1, ref_cost + ref_cost * change // 100)
        batch_no, produced = "", None
        if tracked:
            produced = day - timedelta(days=rng.randint(1, 6))
            batch_no = f"{produced:%Y%m%d}{k + 1}"
        expiry = produced + timedelta(days=life or 180) if produced else None
        lines.append(LineInput(pid, qty, cost, batch_no=batch_no, production_date=produced, expiry_date=expiry))
    if lines:
        services.purchasing.post(NoteInput(sid, tuple(lines), note="每周到货"), at=at, confirmed=True)


def _maybe_return(services: Services, day: date) -> None:
    """Once, a week into the history: two units of the first line of an earlier delivery go back."""
    with services.db.read() as uow:
        s = uow.session
        if s.scalar(select(func.count(Purchase.id)).where(Purchase.kind == KIND_RETURN)):
            return
        origin = s.scalar(select(Purchase.id).where(Purchase.kind == "purchase", Purchase.status == "posted",
                                                    Purchase.doc_date <= day - timedelta(days=7))
                          .order_by(Purchase.id).limit(1))
    if origin is None:
        return
    note = services.purchasing.get(origin)
    line = note.lines[0]
    qty = min(2 * MILLI, line.returnable_qty)
    with services.db.read() as uow:
        on_hand = uow.session.scalar(select(Product.stock_qty).where(Product.id == line.product_id)) or 0
    qty = min(qty, on_hand)
    if qty <= 0:
        return
    try:
        services.purchasing.post_return(
            ReturnInput(None, (ReturnLineInput(line.product_id, qty, line.id),), origin_id=origin,
                        note="包装破损退货"), at=timeline.local_moment(day, 15), confirmed=True)
    except InsufficientStockError:
        return  # that batch is already sold out under a blocking policy: no demo return then

"""Purchase notes as stored: loading a note, its supplier and products, what was returned of each
line, the note as a DTO, and the stock check every taking-out (return, reversal) makes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from jxc_desktop.db.models import Batch, Product, Purchase, PurchaseLine, Supplier
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.policy import enforce_negative_stock
from jxc_desktop.services.purchasing.checks import is_int
from jxc_desktop.services.purchasing.dto import KIND_PURCHASE, KIND_RETURN, Note, NoteLine
from jxc_desktop.services.shop import api as shop
from jxc_desktop.services.stock import api as stock

DOC_TYPE = "purchase"  # the stock moves' document type for notes and returns to the supplier

ProductInfo = tuple[str, str, str, str, bool]  # code, name, spec, unit, tracks batches


def products_by_id(session: Session, ids: Iterable[int]) -> dict[int, Product]:
    """The products by id, from the session when already loaded and locked (a 200-line note asks
    three times); the others read with their rows locked (a server: stock/row_locks.py), so the
    stock checks and costs that follow read what no other till can change until this commits."""
    wanted = set(ids)
    found: dict[int, Product] = {}
    held = stock.locked_ids(session)
    for pid in wanted:
        obj = session.identity_map.get(identity_key(Product, pid))
        if obj is not None and not inspect(obj).expired_attributes and (held is None or pid in held):
            found[pid] = obj  # type: ignore[assignment]
    todo = wanted - found.keys()
    if todo:
        found.update(stock.lock_products(session, todo))
    missing = wanted - found.keys()
    if missing:
        raise NotFoundError("Product {id} does not exist", id=min(missing))
    return found


def supplier_of(session: Session, supplier_id: int | None, *, required: bool) -> Supplier | None:
    if supplier_id is None:
        if required:
            raise ValidationError("Choose a supplier first")
        return None
    if not is_int(supplier_id):
        raise NotFoundError("Supplier {id} does not exist", id=str(supplier_id)[:20])
    sup = session.get(Supplier, supplier_id)
    if sup is None:
        raise NotFoundError("Supplier {id} does not exist", id=supplier_id)
    return sup


def load(session: Session, purchase_id: int, *, lock: bool = False) -> Purchase:
    """The note; ``lock``: its row locked for this transaction (a server: two tills posting,
    reversing or returning against the same note wait for each other and see the other's result)."""
    p = (session.get(Purchase, purchase_id, with_for_update=True, populate_existing=True) if lock
         else session.get(Purchase, purchase_id))
    if p is None:
        raise NotFoundError("Purchase note {id} does not exist", id=purchase_id)
    return p


def returned_by_line(session: Session, line_ids: Iterable[int]) -> dict[int, int]:
    """Qty already returned (posted returns) per purchase line."""
    ids = list(line_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(PurchaseLine.origin_line_id, func.sum(PurchaseLine.qty))
        .join(Purchase, Purchase.id == PurchaseLine.purchase_id)
        .where(PurchaseLine.origin_line_id.in_(ids), Purchase.kind == KIND_RETURN, Purchase.status == "posted")
        .group_by(PurchaseLine.origin_line_id)
    )
    return {lid: int(q) for lid, q in rows}


def product_info(products: dict[int, Product]) -> dict[int, ProductInfo]:
    return {pid: (p.code, p.name, p.spec, p.unit, p.tracks_batches) for pid, p in products.items()}


def to_note(session: Session, p: Purchase, info: dict[int, ProductInfo] | None = None) -> Note:
    """The note as a DTO; ``info`` spares re-reading products the caller already knows."""
    if info is None or not {ln.product_id for ln in p.lines} <= info.keys():
        info = product_info(products_by_id(session, {ln.product_id for ln in p.lines}))
    returned = returned_by_line(session, [ln.id for ln in p.lines]) if p.kind == KIND_PURCHASE else {}
    sup = session.get(Supplier, p.supplier_id) if p.supplier_id else None
    origin = session.get(Purchase, p.origin_id) if p.origin_id else None
    lines = []
    for ln in p.lines:
        code, name, spec, unit, tracks = info[ln.product_id]
        lines.append(NoteLine(
            ln.id, ln.line_no, ln.product_id, code, name, spec, unit, ln.qty, ln.unit_cost, ln.amount,
            ln.batch_no, ln.production_date, ln.expiry_date, ln.origin_line_id, tracks, returned.get(ln.id, 0)))
    return Note(p.id, p.number, p.kind, p.status, p.supplier_id,
                sup.name if sup else "", p.origin_id, origin.number if origin else "", p.doc_date, p.note,
                p.total, p.created_at, p.posted_at, p.reversed_at, tuple(lines))


def check_stock(session: Session, takes: Sequence[tuple[Product, Batch | None, int]], confirmed: bool) -> None:
    """Refuse (block) or ask (warn) when taking these quantities out would go below zero."""
    by_product: dict[int, int] = defaultdict(int)
    by_batch: dict[int, int] = defaultdict(int)
    names: dict[int, Product] = {}
    batches: dict[int, Batch] = {}
    for prod, batch, qty in takes:
        by_product[prod.id] += qty
        names[prod.id] = prod
        if batch is not None:
            by_batch[batch.id] += qty
            batches[batch.id] = batch
    shortages = [(names[pid].name, names[pid].stock_qty, q) for pid, q in by_product.items()
                 if names[pid].stock_qty < q]
    shortages += [(f"{names[b.product_id].name} [{b.batch_no}]", b.qty, by_batch[bid])
                  for bid, b in batches.items() if b.qty < by_batch[bid] and b.product_id in names
                  and names[b.product_id].stock_qty >= by_product[b.product_id]]
    enforce_negative_stock(shop.get_setting(session, "negative_stock"), shortages, confirmed=confirmed)

"""Returns to the supplier (退货出库, CT…): against a posted purchase's lines or free-standing.

The value leaves at the current moving average (DESIGN.md §4); a batch-tracked product goes back
from the batch it came in with, the named batch, or first-to-expire first.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from jxc_desktop.db.models import Batch, Product, Purchase, PurchaseLine
from jxc_desktop.db.uow import Database, retrying
from jxc_desktop.domain import costing
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import NotFoundError, StateError, ValidationError
from jxc_desktop.domain.money import MAX_FEN
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.accounts import api as accounts
from jxc_desktop.services.purchasing.checks import check_inputs, check_qty_cost, doc_date
from jxc_desktop.services.purchasing.dto import (
    KIND_PURCHASE,
    KIND_RETURN,
    MAX_LINES,
    Note,
    ReturnInput,
    ReturnLineInput,
)
from jxc_desktop.services.purchasing.records import (
    DOC_TYPE,
    check_stock,
    load,
    products_by_id,
    returned_by_line,
    supplier_of,
    to_note,
)
from jxc_desktop.services.safety import api as safety
from jxc_desktop.services.shop import api as shop
from jxc_desktop.services.stock import api as stock


@retrying  # a server may refuse it as a write conflict: run it again whole
def post_return(db: Database, data: ReturnInput, *, at: datetime | None = None, confirmed: bool = False) -> Note:
    """A return to the supplier in one transaction, from a posted purchase or free-standing."""
    at = at or utcnow()
    if not data.lines:
        raise ValidationError("The note has no lines")
    if len(data.lines) > MAX_LINES:
        raise ValidationError("A note holds at most {n} lines", n=MAX_LINES)
    with db.write() as uow:
        s = uow.session
        check_inputs(data.lines)
        origin = None
        supplier_id = data.supplier_id
        if data.origin_id is not None:
            origin = load(s, data.origin_id, lock=True)
            if origin.kind != KIND_PURCHASE or origin.status != "posted":
                raise StateError("Goods can be returned only against a posted purchase")
            if supplier_id is not None and supplier_id != origin.supplier_id:
                raise ValidationError("The return must go to the supplier of {number}", number=origin.number)
            supplier_id = origin.supplier_id
        sup = supplier_of(s, supplier_id, required=True)
        assert sup is not None
        products = products_by_id(s, {ln.product_id for ln in data.lines})
        origin_lines = {ln.id: ln for ln in origin.lines} if origin else {}
        already = returned_by_line(s, origin_lines)
        wanted_by_origin: dict[int, int] = defaultdict(int)
        plan: list[tuple[ReturnLineInput, Product, Batch | None]] = []
        for ln in data.lines:
            prod = products[ln.product_id]
            check_qty_cost(prod.name, ln.qty, 0, None)
            batch: Batch | None = None
            if origin is not None:
                src = origin_lines.get(ln.origin_line_id or -1)
                if src is None or src.product_id != prod.id:
                    raise ValidationError("{name} is not on note {number}", name=prod.name, number=origin.number)
                wanted_by_origin[src.id] += ln.qty
                if wanted_by_origin[src.id] > src.qty - already.get(src.id, 0):
                    raise ValidationError(
                        "{name}: at most {qty} can still be returned against {number}", name=prod.name,
                        qty=format_qty(src.qty - already.get(src.id, 0)), number=origin.number)
                if src.batch_no:
                    batch = s.scalar(select(Batch).where(Batch.product_id == prod.id,
                                                         Batch.batch_no == src.batch_no))
            elif ln.origin_line_id is not None:
                raise ValidationError("Choose the purchase note the goods came with")
            elif ln.batch_no and prod.tracks_batches:
                batch = s.scalar(select(Batch).where(Batch.product_id == prod.id, Batch.batch_no == ln.batch_no))
                if batch is None:
                    raise NotFoundError("{name} has no batch {batch}", name=prod.name, batch=ln.batch_no)
            plan.append((ln, prod, batch))
        check_stock(s, [(prod, batch, ln.qty) for ln, prod, batch in plan], confirmed)
        p = Purchase(number="DRAFT-" + uuid.uuid4().hex[:16], kind=KIND_RETURN, status="posted",
                     supplier_id=sup.id, origin_id=origin.id if origin else None,
                     doc_date=doc_date(data.doc_date, at), note=clean_text(data.note, "Note", 500),
                     created_at=at, posted_at=at, total=0)
        s.add(p)
        p.number = shop.next_number(s, shop.PURCHASE_RETURN, p.doc_date)
        credits: list[int | None] = []  # what the supplier credits per line: the price paid on the note
        for i, (ln, prod, batch) in enumerate(plan, start=1):
            src = origin_lines.get(ln.origin_line_id or -1) if origin else None
            price = (src.price if src.price is not None else src.unit_cost) if src else ln.price
            if price is not None and (price < 0 or price > MAX_FEN):
                raise ValidationError("{name}: the return price must be zero or more", name=prod.name)
            row = PurchaseLine(line_no=i, product_id=prod.id, qty=ln.qty, unit_cost=0, amount=0,
                               batch_no=batch.batch_no if batch else "",
                               origin_line_id=ln.origin_line_id if origin else None, price=price)
            p.lines.append(row)
            # the credit is qty × the price paid; its difference from the stock value taken out is the
            # purchase price difference the purchase report shows (reporting/purchases.py)
            credits.append(None if price is None else costing.value_of(ln.qty, price))
        s.flush()
        total = 0
        for row, (ln, prod, batch) in zip(p.lines, plan, strict=True):
            ref = stock.DocRef(DOC_TYPE, p.id, p.number, row.id)
            if batch is None and prod.tracks_batches:
                moves = stock.issue_fefo(s, prod, ln.qty, MoveKind.PURCHASE_RETURN, ref, at=at)
                used = {m.batch_id for m in moves}
                if len(used) == 1 and None not in used:
                    b = s.get(Batch, used.pop())
                    row.batch_no = b.batch_no if b else ""
            else:
                moves = [stock.issue(s, prod, ln.qty, MoveKind.PURCHASE_RETURN, ref, batch=batch, at=at)]
            row.amount = -sum(m.value for m in moves)
            row.unit_cost = costing.unit_cost_of(row.amount, row.qty)
            if batch is not None:
                row.production_date, row.expiry_date = batch.production_date, batch.expiry_date
            total += row.amount
        p.total = total
        s.flush()
        credit = sum(row.amount if c is None else c for row, c in zip(p.lines, credits, strict=True))
        accounts.book_supplier_return(s, return_id=p.id, supplier_id=sup.id, number=p.number, day=p.doc_date,
                                      credit=credit, origin_id=origin.id if origin else None, at=at)
        safety.record(s, "supplier_return", document=p.number, at=at,  # returns are audited (G)
                      after={"supplier": sup.name, "total": total, "lines": len(plan)})
        note = to_note(s, p)
        uow.commit()
    return note

"""Purchase notes (进货单, CG…): drafts kept across restarts, and posting (入库).

Posting is one transaction: the note, its lines, batches and the ledger moves (moving average),
and the product's last cost and supplier. Returns to the supplier are returns.py, reversals
reversals.py; :class:`service.PurchasingService` offers them all to the UI in one place.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Product, Purchase, PurchaseLine, Supplier
from jxc_desktop.db.uow import Database, retrying
from jxc_desktop.domain import costing
from jxc_desktop.domain.clock import local_day, utcnow
from jxc_desktop.domain.errors import StateError, ValidationError
from jxc_desktop.domain.money import MAX_FEN
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.i18n import _
from jxc_desktop.services.accounts import api as accounts
from jxc_desktop.services.purchasing.checks import check_inputs, check_qty_cost, doc_date, expiry_of
from jxc_desktop.services.purchasing.dto import (
    KIND_PURCHASE,
    MAX_LINES,
    ConfirmationNeeded,
    LineInput,
    Note,
    NoteInput,
)
from jxc_desktop.services.purchasing.records import (
    DOC_TYPE,
    ProductInfo,
    load,
    product_info,
    products_by_id,
    supplier_of,
    to_note,
)
from jxc_desktop.services.shop import api as shop
from jxc_desktop.services.stock import api as stock


def _fill_lines(session: Session, purchase: Purchase, lines: Sequence[LineInput], *, strict: bool,
                day: date) -> list[str]:
    """Replace the note's lines by ``lines``; returns the warnings (strict: the checks of posting)."""
    if len(lines) > MAX_LINES:
        raise ValidationError("A note holds at most {n} lines", n=MAX_LINES)
    if strict and not lines:
        raise ValidationError("The note has no lines")
    check_inputs(lines)
    products = products_by_id(session, {ln.product_id for ln in lines})
    warnings: list[str] = []
    purchase.lines.clear()
    total = 0
    for i, ln in enumerate(lines, start=1):
        prod = products[ln.product_id]
        check_qty_cost(prod.name, ln.qty, ln.unit_cost, ln.amount)
        amount = costing.value_of(ln.qty, ln.unit_cost) if ln.amount is None else ln.amount
        batch_no = clean_text(ln.batch_no or "", "Batch number", 40) if prod.tracks_batches else ""
        production = ln.production_date if prod.tracks_batches else None
        expiry = expiry_of(production, ln.expiry_date, prod.shelf_life_days) if prod.tracks_batches else None
        if strict:
            if not prod.active:
                raise ValidationError("{name} is deactivated; bring it back before buying it", name=prod.name)
            if prod.tracks_batches and not batch_no:
                raise ValidationError("{name} tracks batches: enter the batch number", name=prod.name)
            if production and expiry and expiry < production:
                warnings.append(_("{name}: expiry {expiry} is before production {production}").format(
                    name=prod.name, expiry=expiry.isoformat(), production=production.isoformat()))
            elif expiry and expiry < day:
                warnings.append(_("{name}: expiry {expiry} is already past").format(
                    name=prod.name, expiry=expiry.isoformat()))
            if production and production > day:
                warnings.append(_("{name}: production date {production} is in the future").format(
                    name=prod.name, production=production.isoformat()))
        purchase.lines.append(PurchaseLine(
            line_no=i, product_id=prod.id, qty=ln.qty, unit_cost=ln.unit_cost, amount=amount,
            batch_no=batch_no, production_date=production, expiry_date=expiry))
        total += amount
    if total > MAX_FEN:
        raise ValidationError("The note total is too large")
    purchase.total = total
    return warnings


def _batches_for(session: Session, purchase: Purchase, products: dict[int, Product]) -> dict[int, Batch]:
    """The batch of each tracked line (line_no -> batch), created when new; dates must agree."""
    keys = {(ln.product_id, ln.batch_no) for ln in purchase.lines if products[ln.product_id].tracks_batches}
    if not keys:
        return {}
    existing: dict[tuple[int, str], Batch] = {}
    for b in session.scalars(select(Batch).where(Batch.product_id.in_({k[0] for k in keys}))):
        if (b.product_id, b.batch_no) in keys:
            existing[(b.product_id, b.batch_no)] = b
    out: dict[int, Batch] = {}
    for ln in purchase.lines:
        key = (ln.product_id, ln.batch_no)
        if key not in keys:
            continue
        b = existing.get(key)
        if b is None:
            b = Batch(product_id=ln.product_id, batch_no=ln.batch_no, production_date=ln.production_date,
                      expiry_date=ln.expiry_date, qty=0)
            session.add(b)
            existing[key] = b
        else:
            if ln.expiry_date and b.expiry_date and ln.expiry_date != b.expiry_date:
                raise ValidationError(
                    "{name}: batch {batch} is already on file with expiry {expiry}",
                    name=products[ln.product_id].name, batch=ln.batch_no, expiry=b.expiry_date.isoformat())
            b.expiry_date = b.expiry_date or ln.expiry_date
            b.production_date = b.production_date or ln.production_date
        out[ln.line_no] = b
    session.flush()
    return out


def _open_draft(s: Session, draft_id: int | None, at: datetime) -> Purchase:
    if draft_id is None:
        p = Purchase(number="DRAFT-" + uuid.uuid4().hex[:16], kind=KIND_PURCHASE, status="draft",
                     doc_date=local_day(at), created_at=at, total=0, note="")
        s.add(p)
        s.flush()
        p.number = f"DRAFT-{p.id:08d}"
        return p
    p = load(s, draft_id, lock=True)
    if p.status != "draft":
        raise StateError("Note {number} is already posted", number=p.number)
    return p


def _post_receipt(s: Session, p: Purchase, sup: Supplier, at: datetime) -> dict[int, ProductInfo]:
    """Number, status, batches, moves and the products' last cost; returns the products' display
    info (write_many expires the product objects)."""
    s.flush()  # line ids for the moves
    products = products_by_id(s, {ln.product_id for ln in p.lines})
    info = product_info(products)
    batches = _batches_for(s, p, products)
    p.number = shop.next_number(s, shop.PURCHASE, p.doc_date)
    p.status = "posted"
    p.posted_at = at
    planned = []
    for ln in p.lines:
        prod = products[ln.product_id]
        prod.last_cost = ln.unit_cost
        prod.last_supplier_id = sup.id
        batch = batches.get(ln.line_no)
        planned.append(stock.PlannedMove(prod.id, ln.qty, MoveKind.PURCHASE,
                                         stock.DocRef(DOC_TYPE, p.id, p.number, ln.id),
                                         batch_id=batch.id if batch else None, value=ln.amount))
    # One executemany for the moves and caches: the same rows receive() would write one by one.
    stock.write_many(s, planned, at=at)
    return info


# ---------------------------------------------------------------- each in its own transaction


def save_draft(db: Database, data: NoteInput, *, draft_id: int | None = None, at: datetime | None = None) -> Note:
    """Create or replace a draft (kept across restarts). Only basic checks: posting does the rest."""
    at = at or utcnow()
    with db.write() as uow:
        s = uow.session
        supplier_of(s, data.supplier_id, required=False)
        p = _open_draft(s, draft_id, at)
        p.supplier_id = data.supplier_id
        p.doc_date = doc_date(data.doc_date, at)
        p.note = clean_text(data.note, "Note", 500)
        _fill_lines(s, p, data.lines, strict=False, day=p.doc_date)
        s.flush()
        note = to_note(s, p)
        uow.commit()
    return note


def delete_draft(db: Database, draft_id: int) -> None:
    with db.write() as uow:
        p = load(uow.session, draft_id)
        if p.status != "draft":
            raise StateError("Note {number} is posted; reverse it instead", number=p.number)
        uow.session.delete(p)
        uow.commit()


@retrying  # a server may refuse it as a write conflict: run it again whole
def post(db: Database, data: NoteInput, *, draft_id: int | None = None, at: datetime | None = None,
         confirmed: bool = False) -> Note:
    """Post a purchase (入库) in one transaction; ``draft_id`` posts (and replaces) that draft.
    Raises ConfirmationNeeded for doubtful dates unless ``confirmed``."""
    at = at or utcnow()
    with db.write() as uow:
        s = uow.session
        sup = supplier_of(s, data.supplier_id, required=True)
        assert sup is not None
        if not sup.active:
            raise ValidationError("Supplier {name} is deactivated", name=sup.name)
        p = _open_draft(s, draft_id, at)
        p.supplier_id = sup.id
        p.doc_date = doc_date(data.doc_date, at)
        p.note = clean_text(data.note, "Note", 500)
        warnings = _fill_lines(s, p, data.lines, strict=True, day=local_day(at))
        if warnings and not confirmed:
            raise ConfirmationNeeded(warnings)
        info = _post_receipt(s, p, sup, at)
        p.due_date = accounts.book_purchase(s, purchase_id=p.id, supplier_id=sup.id, number=p.number,
                                            day=p.doc_date, amount=p.total, paid_now=data.paid_now,
                                            method=data.pay_method, at=at)
        note = to_note(s, p, info)
        uow.commit()
    return note


def post_draft(db: Database, draft_id: int, *, at: datetime | None = None, confirmed: bool = False) -> Note:
    """Post a saved draft as it stands."""
    with db.read() as uow:
        draft = to_note(uow.session, load(uow.session, draft_id))
    if not draft.is_draft:
        raise StateError("Note {number} is already posted", number=draft.number)
    lines = tuple(LineInput(ln.product_id, ln.qty, ln.unit_cost, ln.amount, ln.batch_no, ln.production_date,
                            ln.expiry_date) for ln in draft.lines)
    return post(db, NoteInput(draft.supplier_id, lines, draft.doc_date, draft.note), draft_id=draft_id,
                at=at, confirmed=confirmed)

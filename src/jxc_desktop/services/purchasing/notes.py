"""Purchasing (进货): purchase notes (CG…), returns to the supplier (CT…) and reversals (红冲).

A note is kept as a draft (across restarts) until it is posted. Posting is one transaction: the
note, its lines, batches and the ledger moves (moving average), and the product's last cost and
supplier. Returns take value out at the current average (DESIGN.md §4). Reversals write the
opposite of every move the note wrote and never edit the note itself.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.util import identity_key

from jxc_desktop.db.models import Batch, Product, Purchase, PurchaseLine, StockMove, Supplier
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import costing
from jxc_desktop.domain.clock import local_day, utcnow
from jxc_desktop.domain.errors import NotFoundError, StateError, ValidationError
from jxc_desktop.domain.money import MAX_FEN
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.policy import enforce_negative_stock
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.domain.quantity import MAX_QTY, format_qty
from jxc_desktop.i18n import _
from jxc_desktop.services.catalog.products import ProductDTO, get_product
from jxc_desktop.services.catalog.products import to_dto as catalog_dto
from jxc_desktop.services.safety import audit
from jxc_desktop.services.shop import sequences
from jxc_desktop.services.shop import settings as settings_mod
from jxc_desktop.services.stock import ledger

MAX_LINES = 5000
DOC_TYPE = "purchase"
KIND_PURCHASE = "purchase"
KIND_RETURN = "return"
AUDIT_REVERSAL = "reversal"  # the audit trail's action for 红冲 (the audit viewer names it)


class ConfirmationNeeded(ValidationError):
    """Something looks wrong but may be right (an expiry date in the past): ask, then post again
    with ``confirmed=True``."""

    needs_confirmation = True

    def __init__(self, warnings: Sequence[str]) -> None:
        super().__init__("Please check: {detail}. Post anyway?", detail="; ".join(warnings))
        self.warnings = tuple(warnings)


# ---------------------------------------------------------------- input


@dataclass(frozen=True)
class LineInput:
    """A line as entered: qty in thousandths of the unit, unit cost in fen per unit."""

    product_id: int
    qty: int
    unit_cost: int
    amount: int | None = None  # fen; None = qty × unit cost (an import may state the exact total)
    batch_no: str = ""
    production_date: date | None = None
    expiry_date: date | None = None  # None: production date + shelf life, if both known


@dataclass(frozen=True)
class NoteInput:
    supplier_id: int | None
    lines: tuple[LineInput, ...] = ()
    doc_date: date | None = None  # None: the local day of posting
    note: str = ""


@dataclass(frozen=True)
class ReturnLineInput:
    product_id: int
    qty: int
    origin_line_id: int | None = None  # the purchase line it goes back against
    batch_no: str = ""  # free-standing, batch-tracked: "" = first to expire first


@dataclass(frozen=True)
class ReturnInput:
    supplier_id: int | None
    lines: tuple[ReturnLineInput, ...]
    origin_id: int | None = None  # the posted purchase returned against, or None (free-standing)
    doc_date: date | None = None
    note: str = ""


# ---------------------------------------------------------------- output


@dataclass(frozen=True)
class NoteLine:
    id: int
    line_no: int
    product_id: int
    code: str
    name: str
    spec: str
    unit: str
    qty: int
    unit_cost: int
    amount: int
    batch_no: str
    production_date: date | None
    expiry_date: date | None
    origin_line_id: int | None
    tracks_batches: bool
    returned_qty: int = 0  # purchase lines: already returned by posted returns

    @property
    def returnable_qty(self) -> int:
        return max(0, self.qty - self.returned_qty)


@dataclass(frozen=True)
class Note:
    id: int
    number: str
    kind: str  # purchase | return
    status: str  # draft | posted | reversed
    supplier_id: int | None
    supplier_name: str
    origin_id: int | None
    origin_number: str
    doc_date: date
    note: str
    total: int
    created_at: datetime
    posted_at: datetime | None
    reversed_at: datetime | None
    lines: tuple[NoteLine, ...] = field(default_factory=tuple)

    @property
    def is_return(self) -> bool:
        return self.kind == KIND_RETURN

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


@dataclass(frozen=True)
class NoteSummary:
    id: int
    number: str
    kind: str
    status: str
    supplier_id: int | None
    supplier_name: str
    doc_date: date
    total: int
    line_count: int
    posted_at: datetime | None


# ---------------------------------------------------------------- helpers


def expiry_of(production: date | None, expiry: date | None, shelf_life_days: int | None) -> date | None:
    """The stated expiry date, else production date + shelf life."""
    if expiry is not None:
        return expiry
    if production is not None and shelf_life_days:
        return production + timedelta(days=shelf_life_days)
    return None


def _is_int(value: object) -> bool:
    # Strict: True is an int to Python, 2.5 or Decimal would be stored as REAL, "3" breaks comparisons.
    return isinstance(value, int) and not isinstance(value, bool)


def _is_day(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _check_qty_cost(name: str, qty: int, unit_cost: int, amount: int | None) -> None:
    if not _is_int(qty):
        raise ValidationError("{name}: the quantity is not a whole number of thousandths", name=name)
    if qty <= 0:
        raise ValidationError("{name}: the quantity must be greater than zero", name=name)
    if qty > MAX_QTY:
        raise ValidationError("{name}: the quantity is too large", name=name)
    if not _is_int(unit_cost) or (amount is not None and not _is_int(amount)):
        raise ValidationError("{name}: the cost is not a whole number of fen", name=name)
    if unit_cost < 0:
        raise ValidationError("{name}: the unit cost must not be negative", name=name)
    if unit_cost > MAX_FEN or (amount is not None and amount > MAX_FEN):
        raise ValidationError("{name}: the cost is too large", name=name)
    if amount is not None and amount < 0:
        raise ValidationError("{name}: the line amount must not be negative", name=name)


def _products(session: Session, ids: Iterable[int]) -> dict[int, Product]:
    """The products by id, from the session when already loaded (a 200-line note asks three times)."""
    wanted = set(ids)
    found: dict[int, Product] = {}
    for pid in wanted:
        obj = session.identity_map.get(identity_key(Product, pid))
        if obj is not None and not inspect(obj).expired_attributes:
            found[pid] = obj  # type: ignore[assignment]
    todo = wanted - found.keys()
    if todo:
        found.update({p.id: p for p in session.scalars(select(Product).where(Product.id.in_(todo)))})
    missing = wanted - found.keys()
    if missing:
        raise NotFoundError("Product {id} does not exist", id=min(missing))
    return found


def _check_inputs(lines: Sequence[LineInput | ReturnLineInput]) -> None:
    """Field types of the lines as given, before anything is looked up (a product id of "1", a
    batch number None or a date typed as text get a clear message, not a TypeError)."""
    for ln in lines:
        if not _is_int(ln.product_id):
            raise ValidationError("A line does not name a product")
        if ln.batch_no is not None and not isinstance(ln.batch_no, str):
            raise ValidationError("{field} is not text", field="Batch number")
        if isinstance(ln, LineInput):
            for day in (ln.production_date, ln.expiry_date):
                if day is not None and not _is_day(day):
                    raise ValidationError("{field}: '{value}' is not a date (YYYY-MM-DD)",
                                          field="Expiry date" if day is ln.expiry_date else "Production date",
                                          value=str(day)[:20])
        elif ln.origin_line_id is not None and not _is_int(ln.origin_line_id):
            raise ValidationError("Choose the purchase note the goods came with")


def _supplier(session: Session, supplier_id: int | None, *, required: bool) -> Supplier | None:
    if supplier_id is None:
        if required:
            raise ValidationError("Choose a supplier first")
        return None
    if not _is_int(supplier_id):
        raise NotFoundError("Supplier {id} does not exist", id=str(supplier_id)[:20])
    sup = session.get(Supplier, supplier_id)
    if sup is None:
        raise NotFoundError("Supplier {id} does not exist", id=supplier_id)
    return sup


def _doc_date(doc_date: date | None, at: datetime) -> date:
    today = local_day(at)
    if doc_date is not None and not _is_day(doc_date):
        raise ValidationError("{field}: '{value}' is not a date (YYYY-MM-DD)", field="Date", value=str(doc_date)[:20])
    day = doc_date or today
    if day > today:
        raise ValidationError("The date {day} is in the future", day=day.isoformat())
    if day < date(2000, 1, 1):
        raise ValidationError("The date {day} is too far in the past", day=day.isoformat())
    return day


def _load(session: Session, purchase_id: int) -> Purchase:
    p = session.get(Purchase, purchase_id)
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


ProductInfo = tuple[str, str, str, str, bool]  # code, name, spec, unit, tracks batches


def product_info(products: dict[int, Product]) -> dict[int, ProductInfo]:
    return {pid: (p.code, p.name, p.spec, p.unit, p.tracks_batches) for pid, p in products.items()}


def to_note(session: Session, p: Purchase, info: dict[int, ProductInfo] | None = None) -> Note:
    """The note as a DTO; ``info`` spares re-reading products the caller already knows."""
    if info is None or not {ln.product_id for ln in p.lines} <= info.keys():
        info = product_info(_products(session, {ln.product_id for ln in p.lines}))
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


def _fill_lines(session: Session, purchase: Purchase, lines: Sequence[LineInput], *, strict: bool,
                day: date) -> list[str]:
    """Replace the note's lines by ``lines``; returns the warnings (strict: the checks of posting)."""
    if len(lines) > MAX_LINES:
        raise ValidationError("A note holds at most {n} lines", n=MAX_LINES)
    if strict and not lines:
        raise ValidationError("The note has no lines")
    _check_inputs(lines)
    products = _products(session, {ln.product_id for ln in lines})
    warnings: list[str] = []
    purchase.lines.clear()
    total = 0
    for i, ln in enumerate(lines, start=1):
        prod = products[ln.product_id]
        _check_qty_cost(prod.name, ln.qty, ln.unit_cost, ln.amount)
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


def _policy(session: Session) -> str:
    return settings_mod.get(session, "negative_stock")


def _reversal_value(product: Product, qty: int, original: int) -> int:
    """Value taken out when reversing a receipt of ``qty`` worth ``original``: exactly what came in
    while that leaves a sane position (the shelf emptied takes all its value, what stays is never
    worth less than nothing); past on-hand, the normal average rule."""
    left = product.stock_qty - qty
    if left == 0:
        return product.stock_value
    if left > 0:
        return max(0, min(original, product.stock_value))
    return costing.issue_value(ledger.position(product), qty)


# ---------------------------------------------------------------- the service


@dataclass(frozen=True)
class PurchasingService:
    db: Database

    # ------------------------------------------------------------ drafts
    def save_draft(self, data: NoteInput, *, draft_id: int | None = None, at: datetime | None = None) -> Note:
        """Create or replace a draft (kept across restarts). Only basic checks: posting does the rest."""
        at = at or utcnow()
        with self.db.write() as uow:
            s = uow.session
            _supplier(s, data.supplier_id, required=False)
            p = self._open_draft(s, draft_id, at)
            p.supplier_id = data.supplier_id
            p.doc_date = _doc_date(data.doc_date, at)
            p.note = clean_text(data.note, "Note", 500)
            _fill_lines(s, p, data.lines, strict=False, day=p.doc_date)
            s.flush()
            note = to_note(s, p)
            uow.commit()
        return note

    def _open_draft(self, s: Session, draft_id: int | None, at: datetime) -> Purchase:
        if draft_id is None:
            p = Purchase(number="DRAFT-" + uuid.uuid4().hex[:16], kind=KIND_PURCHASE, status="draft",
                         doc_date=local_day(at), created_at=at, total=0, note="")
            s.add(p)
            s.flush()
            p.number = f"DRAFT-{p.id:08d}"
            return p
        p = _load(s, draft_id)
        if p.status != "draft":
            raise StateError("Note {number} is already posted", number=p.number)
        return p

    def delete_draft(self, draft_id: int) -> None:
        with self.db.write() as uow:
            p = _load(uow.session, draft_id)
            if p.status != "draft":
                raise StateError("Note {number} is posted; reverse it instead", number=p.number)
            uow.session.delete(p)
            uow.commit()

    # ------------------------------------------------------------ posting
    def post(self, data: NoteInput, *, draft_id: int | None = None, at: datetime | None = None,
             confirmed: bool = False) -> Note:
        """Post a purchase (入库) in one transaction; ``draft_id`` posts (and replaces) that draft.
        Raises ConfirmationNeeded for doubtful dates unless ``confirmed``."""
        at = at or utcnow()
        with self.db.write() as uow:
            s = uow.session
            sup = _supplier(s, data.supplier_id, required=True)
            assert sup is not None
            if not sup.active:
                raise ValidationError("Supplier {name} is deactivated", name=sup.name)
            p = self._open_draft(s, draft_id, at)
            p.supplier_id = sup.id
            p.doc_date = _doc_date(data.doc_date, at)
            p.note = clean_text(data.note, "Note", 500)
            warnings = _fill_lines(s, p, data.lines, strict=True, day=local_day(at))
            if warnings and not confirmed:
                raise ConfirmationNeeded(warnings)
            info = self._post_receipt(s, p, sup, at)
            note = to_note(s, p, info)
            uow.commit()
        return note

    def post_draft(self, draft_id: int, *, at: datetime | None = None, confirmed: bool = False) -> Note:
        """Post a saved draft as it stands."""
        draft = self.get(draft_id)
        if not draft.is_draft:
            raise StateError("Note {number} is already posted", number=draft.number)
        lines = tuple(LineInput(ln.product_id, ln.qty, ln.unit_cost, ln.amount, ln.batch_no, ln.production_date,
                                ln.expiry_date) for ln in draft.lines)
        return self.post(NoteInput(draft.supplier_id, lines, draft.doc_date, draft.note), draft_id=draft_id,
                         at=at, confirmed=confirmed)

    def _post_receipt(self, s: Session, p: Purchase, sup: Supplier, at: datetime) -> dict[int, ProductInfo]:
        """Number, status, batches, moves and the products' last cost; returns the products' display
        info (write_many expires the product objects)."""
        s.flush()  # line ids for the moves
        products = _products(s, {ln.product_id for ln in p.lines})
        info = product_info(products)
        batches = _batches_for(s, p, products)
        p.number = sequences.next_number(s, sequences.PURCHASE, p.doc_date)
        p.status = "posted"
        p.posted_at = at
        planned = []
        for ln in p.lines:
            prod = products[ln.product_id]
            prod.last_cost = ln.unit_cost
            prod.last_supplier_id = sup.id
            batch = batches.get(ln.line_no)
            planned.append(ledger.PlannedMove(prod.id, ln.qty, MoveKind.PURCHASE,
                                              ledger.DocRef(DOC_TYPE, p.id, p.number, ln.id),
                                              batch_id=batch.id if batch else None, value=ln.amount))
        # One executemany for the moves and caches: the same rows receive() would write one by one.
        ledger.write_many(s, planned, at=at)
        return info

    # ------------------------------------------------------------ returns
    def post_return(self, data: ReturnInput, *, at: datetime | None = None, confirmed: bool = False) -> Note:
        """A return to the supplier (退货出库, CT…), from a posted purchase or free-standing; the value
        leaves at the current moving average."""
        at = at or utcnow()
        if not data.lines:
            raise ValidationError("The note has no lines")
        if len(data.lines) > MAX_LINES:
            raise ValidationError("A note holds at most {n} lines", n=MAX_LINES)
        with self.db.write() as uow:
            s = uow.session
            _check_inputs(data.lines)
            origin = None
            supplier_id = data.supplier_id
            if data.origin_id is not None:
                origin = _load(s, data.origin_id)
                if origin.kind != KIND_PURCHASE or origin.status != "posted":
                    raise StateError("Goods can be returned only against a posted purchase")
                if supplier_id is not None and supplier_id != origin.supplier_id:
                    raise ValidationError("The return must go to the supplier of {number}", number=origin.number)
                supplier_id = origin.supplier_id
            sup = _supplier(s, supplier_id, required=True)
            assert sup is not None
            products = _products(s, {ln.product_id for ln in data.lines})
            origin_lines = {ln.id: ln for ln in origin.lines} if origin else {}
            already = returned_by_line(s, origin_lines)
            wanted_by_origin: dict[int, int] = defaultdict(int)
            plan: list[tuple[ReturnLineInput, Product, Batch | None]] = []
            for ln in data.lines:
                prod = products[ln.product_id]
                _check_qty_cost(prod.name, ln.qty, 0, None)
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
            self._check_stock(s, [(prod, batch, ln.qty) for ln, prod, batch in plan], confirmed)
            p = Purchase(number="DRAFT-" + uuid.uuid4().hex[:16], kind=KIND_RETURN, status="posted",
                         supplier_id=sup.id, origin_id=origin.id if origin else None,
                         doc_date=_doc_date(data.doc_date, at), note=clean_text(data.note, "Note", 500),
                         created_at=at, posted_at=at, total=0)
            s.add(p)
            p.number = sequences.next_number(s, sequences.PURCHASE_RETURN, p.doc_date)
            for i, (ln, prod, batch) in enumerate(plan, start=1):
                row = PurchaseLine(line_no=i, product_id=prod.id, qty=ln.qty, unit_cost=0, amount=0,
                                   batch_no=batch.batch_no if batch else "",
                                   origin_line_id=ln.origin_line_id if origin else None)
                p.lines.append(row)
            s.flush()
            total = 0
            for row, (ln, prod, batch) in zip(p.lines, plan, strict=True):
                ref = ledger.DocRef(DOC_TYPE, p.id, p.number, row.id)
                if batch is None and prod.tracks_batches:
                    moves = ledger.issue_fefo(s, prod, ln.qty, MoveKind.PURCHASE_RETURN, ref, at=at)
                    used = {m.batch_id for m in moves}
                    if len(used) == 1 and None not in used:
                        b = s.get(Batch, used.pop())
                        row.batch_no = b.batch_no if b else ""
                else:
                    moves = [ledger.issue(s, prod, ln.qty, MoveKind.PURCHASE_RETURN, ref, batch=batch, at=at)]
                row.amount = -sum(m.value for m in moves)
                row.unit_cost = costing.unit_cost_of(row.amount, row.qty)
                if batch is not None:
                    row.production_date, row.expiry_date = batch.production_date, batch.expiry_date
                total += row.amount
            p.total = total
            s.flush()
            audit.record(s, "supplier_return", document=p.number, at=at,  # returns are audited (G)
                         after={"supplier": sup.name, "total": total, "lines": len(plan)})
            note = to_note(s, p)
            uow.commit()
        return note

    def _check_stock(self, s: Session, takes: Sequence[tuple[Product, Batch | None, int]], confirmed: bool) -> None:
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
        enforce_negative_stock(_policy(s), shortages, confirmed=confirmed)

    # ------------------------------------------------------------ reversal
    def reverse(self, purchase_id: int, *, at: datetime | None = None, confirmed: bool = False) -> Note:
        """红冲: write the opposite of every move the note wrote and mark it reversed. Refused while a
        return against it stands, and when the stock cannot bear it under the negative-stock policy."""
        at = at or utcnow()
        with self.db.write() as uow:
            s = uow.session
            p = _load(s, purchase_id)
            if p.status != "posted":
                raise StateError("Only a posted note can be reversed ({number} is {status})",
                                 number=p.number, status=_(p.status))
            if p.kind == KIND_PURCHASE:
                returns = list(s.scalars(select(Purchase.number).where(
                    Purchase.origin_id == p.id, Purchase.kind == KIND_RETURN, Purchase.status == "posted")))
                if returns:
                    raise StateError("Reverse the returns against {number} first: {returns}", number=p.number,
                                     returns=", ".join(returns))
            moves = list(s.scalars(select(StockMove).where(
                StockMove.doc_type == DOC_TYPE, StockMove.doc_id == p.id, StockMove.qty != 0)
                .order_by(StockMove.id)))
            products = _products(s, {m.product_id for m in moves})
            batch_ids = {m.batch_id for m in moves if m.batch_id is not None}
            batches = {b.id: b for b in s.scalars(select(Batch).where(Batch.id.in_(batch_ids)))} if batch_ids else {}
            outs = [(products[m.product_id], batches.get(m.batch_id) if m.batch_id else None, m.qty)
                    for m in moves if m.qty > 0]
            self._check_stock(s, outs, confirmed)
            note = _("reversal of {number}").format(number=p.number)
            for m in moves:
                prod = products[m.product_id]
                batch = batches.get(m.batch_id) if m.batch_id else None
                ref = ledger.DocRef(DOC_TYPE, p.id, p.number, m.doc_line_id)
                kind = MoveKind(m.kind)
                if m.qty > 0:
                    ledger.issue(s, prod, m.qty, kind, ref, batch=batch, at=at, note=note,
                                 value=_reversal_value(prod, m.qty, m.value))
                else:
                    ledger.receive(s, prod, -m.qty, kind, ref, value=-m.value, batch=batch, at=at, note=note)
            p.status = "reversed"
            p.reversed_at = at
            audit.record(s, AUDIT_REVERSAL, document=p.number, at=at,
                         detail={"kind": p.kind, "moves": len(moves), "total_fen": p.total})
            s.flush()
            out = to_note(s, p)
            uow.commit()
        return out

    # ------------------------------------------------------------ reading
    def get(self, purchase_id: int) -> Note:
        with self.db.read() as uow:
            return to_note(uow.session, _load(uow.session, purchase_id))

    def get_by_number(self, number: str) -> Note:
        number = str(number).strip().upper()
        with self.db.read() as uow:
            p = uow.session.scalar(select(Purchase).where(Purchase.number == number))
            if p is None:
                raise NotFoundError("No purchase note numbered {number}", number=number[:30])
            return to_note(uow.session, p)

    def history(self, *, supplier_id: int | None = None, first: date | None = None, last: date | None = None,
                kinds: Sequence[str] = (KIND_PURCHASE, KIND_RETURN),
                statuses: Sequence[str] = ("posted", "reversed"), text: str = "",
                limit: int = 2000) -> list[NoteSummary]:
        """Notes newest first, filtered by supplier, dates (doc date), kind, status and number."""
        counts = (select(PurchaseLine.purchase_id, func.count(PurchaseLine.id).label("n"))
                  .group_by(PurchaseLine.purchase_id).subquery())
        q = (select(Purchase, Supplier.name, func.coalesce(counts.c.n, 0))
             .outerjoin(Supplier, Supplier.id == Purchase.supplier_id)
             .outerjoin(counts, counts.c.purchase_id == Purchase.id)
             .where(Purchase.kind.in_(list(kinds)), Purchase.status.in_(list(statuses)))
             .order_by(Purchase.doc_date.desc(), Purchase.id.desc()).limit(limit))
        if supplier_id is not None:
            q = q.where(Purchase.supplier_id == supplier_id)
        if first is not None:
            q = q.where(Purchase.doc_date >= first)
        if last is not None:
            q = q.where(Purchase.doc_date <= last)
        text = clean_text(text, "Search", 40).upper()
        if text:
            q = q.where(Purchase.number.contains(text))
        with self.db.read() as uow:
            return [NoteSummary(p.id, p.number, p.kind, p.status,
                                p.supplier_id, name or "", p.doc_date, p.total, int(n), p.posted_at)
                    for p, name, n in uow.session.execute(q)]

    def drafts(self) -> list[NoteSummary]:
        return self.history(statuses=("draft",))

    def default_cost(self, product_id: int, supplier_id: int | None) -> int:
        """The unit cost to prefill: the last posted cost from this supplier, else the reference cost."""
        with self.db.read() as uow:
            s = uow.session
            if supplier_id is not None:
                cost = s.scalar(
                    select(PurchaseLine.unit_cost).join(Purchase, Purchase.id == PurchaseLine.purchase_id)
                    .where(PurchaseLine.product_id == product_id, Purchase.supplier_id == supplier_id,
                           Purchase.kind == KIND_PURCHASE, Purchase.status == "posted")
                    .order_by(Purchase.posted_at.desc(), PurchaseLine.id.desc()).limit(1))
                if cost is not None:
                    return int(cost)
            prod = get_product(s, product_id)
            return prod.ref_cost

    def default_costs(self, product_ids: Iterable[int], supplier_id: int | None) -> dict[int, int]:
        """``default_cost`` for many products in one read (the supplier of a long note changed)."""
        wanted = list(set(product_ids))
        out: dict[int, int] = {}
        with self.db.read() as uow:
            s = uow.session
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                if supplier_id is not None:
                    for pid, cost in s.execute(
                            select(PurchaseLine.product_id, PurchaseLine.unit_cost)
                            .join(Purchase, Purchase.id == PurchaseLine.purchase_id)
                            .where(PurchaseLine.product_id.in_(chunk), Purchase.supplier_id == supplier_id,
                                   Purchase.kind == KIND_PURCHASE, Purchase.status == "posted")
                            .order_by(Purchase.posted_at.desc(), PurchaseLine.id.desc())):
                        out.setdefault(pid, int(cost))
                rest = [pid for pid in chunk if pid not in out]
                if rest:
                    out.update({pid: int(c) for pid, c in s.execute(
                        select(Product.id, Product.ref_cost).where(Product.id.in_(rest)))})
        return out

    def batches(self, product_id: int) -> list[tuple[str, date | None, int]]:
        """A product's batches with stock: (batch no, expiry, qty), first to expire first."""
        with self.db.read() as uow:
            return [(b.batch_no, b.expiry_date, b.qty) for b in ledger.fefo_batches(uow.session, product_id)]

    def products(self, ids: Iterable[int]) -> dict[int, ProductDTO]:
        """Products by id in one read (a draft or a delivery file of hundreds of lines)."""
        wanted = list(set(ids))
        out: dict[int, ProductDTO] = {}
        with self.db.read() as uow:
            for i in range(0, len(wanted), 500):
                q = (select(Product).where(Product.id.in_(wanted[i:i + 500]))
                     .options(selectinload(Product.barcodes), selectinload(Product.category)))
                out.update({p.id: catalog_dto(p) for p in uow.session.scalars(q)})
        return out

    def read_delivery(self, path: str) -> list:  # type: ignore[type-arg]
        """The checked lines of a supplier's delivery-note file (services/purchasing/delivery_import.py)."""
        from jxc_desktop.services.purchasing.delivery_import import read_delivery

        return read_delivery(self.db, path)

    def note_count(self) -> int:
        with self.db.read() as uow:
            return int(uow.session.scalar(select(func.count(Purchase.id))) or 0)

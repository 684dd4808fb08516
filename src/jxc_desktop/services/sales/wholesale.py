"""The wholesale sales note (销售单): a named customer buys at wholesale prices, by the pack, paid now
or on account. It posts through the till's own sale path (checkout.post_sale_in: the same ledger
moves, cost snapshots, numbering and discount rules), then marks the sale as a wholesale note
(channel, customer, units per pack on each line). What is not paid now is a ``credit`` tender the
accounts book on the customer's account in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Barcode, Product, Sale
from jxc_desktop.db.uow import Database, retrying
from jxc_desktop.domain.cart import MAX_UNIT_PRICE
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.tender import Tender, check_method
from jxc_desktop.domain.wholesale_note import NoteLine, WholesaleNote, split_packs, to_cart
from jxc_desktop.services.safety import api as safety
from jxc_desktop.services.sales.checkout import post_sale_in
from jxc_desktop.services.sales.dto import WholesaleLineDTO, WholesaleNoteDTO

CHANNEL = "wholesale"
CREDIT = "credit"


def pack_sizes(session: Session, product_ids: Iterable[int]) -> dict[int, int]:
    """Units per pack of each product: its largest pack barcode (a case of 24), else 1."""
    ids = set(product_ids)
    found: dict[int, int] = {pid: m for pid, m in session.execute(
        select(Barcode.product_id, func.max(Barcode.multiplier)).where(Barcode.product_id.in_(ids))
        .group_by(Barcode.product_id))}
    return {pid: max(1, int(found.get(pid) or 1)) for pid in ids}


def note_line(product: Product, pack_size: int) -> NoteLine:
    """A new line of ``product`` at its wholesale price (the retail price when it has none): one
    pack when it comes in packs, else one unit."""
    price = product.wholesale_price or product.sale_price
    packs, loose = (1, 0) if pack_size > 1 else (0, MILLI)
    return NoteLine(product.id, product.name, product.unit, price, pack_size, packs, loose, price, 0,
                    product.code, product.spec)


def _tenders(total: int, paid_now: int, method: str) -> list[Tender]:
    """What is paid now by ``method``; the rest goes on the account as a credit tender."""
    if not isinstance(paid_now, int) or isinstance(paid_now, bool) or paid_now < 0:
        raise ValidationError("A payment must not be negative")
    check_method(method)
    if method == CREDIT:
        raise ValidationError("Unknown payment method {method}", method=method)
    if paid_now > total:
        raise ValidationError("Paid now {paid} is more than the note's total {total}",
                              paid=format_fen(paid_now), total=format_fen(total))
    tenders = [Tender(method, paid_now)] if paid_now else []
    if total - paid_now:
        tenders.append(Tender(CREDIT, total - paid_now))
    return tenders or [Tender(method, 0)]


def post_note_in(session: Session, note: WholesaleNote, customer_id: int, *, paid_now: int, method: str = "cash",
                 confirmed: bool = False, credit_override: bool = False, owner_approved: bool = False,
                 at: datetime | None = None) -> Sale:
    """Post the note inside the caller's transaction: the till's sale (which refuses an unknown or
    deactivated customer and books the credit tender on the account), marked wholesale."""
    cart = to_cart(note, owner_approved=owner_approved)  # the till's discount limits, the owner above them
    total = note.total
    sale = post_sale_in(session, cart, _tenders(total, paid_now, method), confirmed=confirmed, at=at,
                        note=note.note, customer_id=customer_id, credit_override=credit_override)
    sale.channel = CHANNEL
    for row, line in zip(sale.lines, note.lines, strict=True):
        row.pack_size = line.pack_size if line.pack_size > 1 else None
    return sale


def note_dto(session: Session, sale: Sale) -> WholesaleNoteDTO:
    """The note as the paper shows it; the customer's name, address and balance are the accounts'
    (the caller fills them from CustomersService: sales reads no customer table)."""
    if sale.channel != CHANNEL or sale.customer_id is None:
        raise NotFoundError("{number} is not a wholesale note", number=sale.number)
    products = {p.id: p for p in session.scalars(select(Product).where(
        Product.id.in_({ln.product_id for ln in sale.lines})))}
    lines = tuple(WholesaleLineDTO(ln.line_no, products[ln.product_id].code, ln.name, products[ln.product_id].spec,
                                   products[ln.product_id].unit, ln.pack_size, ln.qty, ln.unit_price, ln.discount,
                                   ln.amount) for ln in sale.lines)
    on_account = sum(p.amount for p in sale.payments if p.method == CREDIT)
    gross = sum(ln.amount + ln.discount for ln in sale.lines)
    return WholesaleNoteDTO(sale.number, sale.created_at, sale.business_day, "", "", "", lines, gross,
                            gross - sale.total, sale.total, sale.total - on_account, on_account, None, sale.note,
                            customer_id=sale.customer_id)


@dataclass(frozen=True)
class WholesaleService:
    db: Database

    def line_for(self, product_id: int) -> NoteLine:
        """A new note line for the product: wholesale price, one pack of its largest pack barcode."""
        with self.db.read() as uow:
            product = uow.session.get(Product, product_id)
            if product is None:
                raise NotFoundError("Product {id} does not exist", id=product_id)
            if not product.active:
                raise ValidationError("{name} is deactivated and cannot be sold", name=product.name)
            return note_line(product, pack_sizes(uow.session, [product_id])[product_id])

    def lines_for(self, quantities: Iterable[tuple[int, int]]) -> list[NoteLine]:
        """Note lines for (product id, qty thousandths) pairs — a style's cells typed by colour ×
        size — at the wholesale price, the quantity in whole packs and loose units; one read."""
        wanted = list(quantities)
        with self.db.read() as uow:
            ids = [pid for pid, _q in wanted]
            products = {p.id: p for p in uow.session.scalars(select(Product).where(Product.id.in_(ids)))}
            packs = pack_sizes(uow.session, ids)
            out = []
            for pid, qty in wanted:
                product = products.get(pid)
                if product is None:
                    raise NotFoundError("Product {id} does not exist", id=pid)
                if not product.active:
                    raise ValidationError("{name} is deactivated and cannot be sold", name=product.name)
                line = note_line(product, packs[pid])
                whole, loose = split_packs(qty, line.pack_size)
                out.append(replace(line, packs=whole, loose=loose))
            return out

    def wholesale_price(self, product_id: int) -> int:
        """The product's wholesale price, fen (0: it sells at the retail price on a note)."""
        with self.db.read() as uow:
            product = uow.session.get(Product, product_id)
            if product is None:
                raise NotFoundError("Product {id} does not exist", id=product_id)
            return int(product.wholesale_price or 0)

    def set_wholesale_price(self, product_id: int, price: int, *, at: datetime | None = None) -> None:
        """Change the wholesale price (0 = the retail price); a change is in the audit trail like a
        retail price change."""
        if not isinstance(price, int) or isinstance(price, bool) or price < 0:
            raise ValidationError("A price must not be negative")
        if price > MAX_UNIT_PRICE:
            raise ValidationError("Price {price} is too large", price=format_fen(price))
        with self.db.write() as uow:
            product = uow.session.get(Product, product_id)
            if product is None:
                raise NotFoundError("Product {id} does not exist", id=product_id)
            if product.wholesale_price == price:
                return
            safety.record(uow.session, safety.PRICE_CHANGE, document=product.code, at=at,
                          before={"wholesale_price": product.wholesale_price}, after={"wholesale_price": price})
            product.wholesale_price = price
            uow.commit()

    @retrying  # a server may refuse it as a write conflict: run it again whole
    def post(self, note: WholesaleNote, customer_id: int, *, paid_now: int, method: str = "cash",
             confirmed: bool = False, credit_override: bool = False, owner_approved: bool = False,
             at: datetime | None = None) -> WholesaleNoteDTO:
        """Post the note: one transaction, whole or absent. The till's errors apply (stock policy
        with ``confirmed``, discount limits); above the customer's credit limit the accounts raise
        CreditLimitExceeded and the owner's PIN allows ``credit_override``; prices or discounts above
        the shop's limits raise DiscountLimitError, ``owner_approved`` lets them through (audited)."""
        with self.db.write() as uow:
            sale = post_note_in(uow.session, note, customer_id, paid_now=paid_now, method=method,
                                confirmed=confirmed, credit_override=credit_override, owner_approved=owner_approved,
                                at=at)
            uow.session.flush()
            dto = note_dto(uow.session, sale)
            uow.commit()
        return dto

    def get(self, number: str) -> WholesaleNoteDTO:
        """A posted wholesale note by its number (to print it again)."""
        with self.db.read() as uow:
            sale = uow.session.scalar(select(Sale).where(Sale.number == number.strip().upper()))
            if sale is None:
                raise NotFoundError("No sale with receipt number {number}", number=number.strip()[:30])
            return note_dto(uow.session, sale)

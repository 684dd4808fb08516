"""What other processes book on the accounts inside their own posting transaction (they pass plain
values; accounts reads no purchasing or sales internals): purchase notes, returns to the supplier,
reversals, sales on account and customer returns of them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import AccountEntry, Customer, MoneyDoc, Supplier
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import NotFoundError, StateError, ValidationError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.accounts.dto import (
    CUSTOMER,
    PAY,
    PURCHASE,
    PURCHASE_RETURN,
    REVERSAL,
    SALE,
    SALE_RETURN,
    SUPPLIER,
    CreditLimitExceeded,
)
from jxc_desktop.services.accounts.entries import (
    add_entry,
    allocate,
    balance_of,
    entries_of_doc,
    live_allocations,
    settle_oldest,
    undo_allocations,
)
from jxc_desktop.services.accounts.money import post_money
from jxc_desktop.services.safety import api as safety

AUDIT_CREDIT_OVERRIDE = "credit_override"  # a sale on account above the limit, approved by the owner


def spot_note(number: str) -> str:
    """The note of a payment made on delivery of note ``number`` (its reversal finds it by this)."""
    return f"paid on delivery {number}"


def book_purchase(s: Session, *, purchase_id: int, supplier_id: int, number: str, day: date, amount: int,
                  paid_now: bool | None = None, method: str = "cash", at: datetime | None = None) -> date:
    """A posted purchase note is owed to its supplier; paid on the spot (``paid_now``, default: the
    supplier's terms are 0 days) it is settled at once by a payment. Returns the due date."""
    sup = s.get(Supplier, supplier_id)
    if sup is None:
        raise NotFoundError("Supplier {id} does not exist", id=supplier_id)
    terms = int(sup.terms_days or 0)
    if paid_now is None:
        paid_now = terms == 0
    due = day if paid_now else day + timedelta(days=terms)
    if amount <= 0:
        return due
    entry = add_entry(s, SUPPLIER, supplier_id, PURCHASE, "purchase", purchase_id, number, day, amount, due=due,
                      at=at)
    if paid_now:
        post_money(s, SUPPLIER, supplier_id, amount, method=method, day=day, note=spot_note(number),
                   allocations=[(entry.id, amount)], at=at, audit=False)
    else:
        settle_oldest(s, entry, at=at)  # a prepayment on the account settles the new note
    return due


def book_supplier_return(s: Session, *, return_id: int, supplier_id: int, number: str, day: date, credit: int,
                         origin_id: int | None = None, at: datetime | None = None) -> None:
    """A return to the supplier credits the account (at the price paid); the credit settles the
    note it came from first, then the oldest open notes."""
    if credit <= 0:
        return
    entry = add_entry(s, SUPPLIER, supplier_id, PURCHASE_RETURN, "purchase", return_id, number, day, -credit,
                      at=at)
    first = [e.id for e in entries_of_doc(s, "purchase", origin_id) if e.kind == PURCHASE] if origin_id else []
    settle_oldest(s, entry, first=first, at=at)


def book_purchase_reversal(s: Session, *, purchase_id: int, day: date, at: datetime | None = None) -> None:
    """红冲 of a purchase note or a return cancels what it booked: a ``reversal`` entry allocated
    against it. A note with payments allocated (other than its own payment on delivery) is refused."""
    at = at or utcnow()
    for e in entries_of_doc(s, "purchase", purchase_id):
        if e.kind == PURCHASE:
            _reverse_note(s, e, day, at)
        elif e.kind == PURCHASE_RETURN:
            undo_allocations(s, live_allocations(s, e.id), at=at)  # made automatically when it was booked
            rev = add_entry(s, SUPPLIER, int(e.supplier_id or 0), REVERSAL, "purchase", purchase_id, e.doc_number,
                            day, -e.amount, at=at)
            allocate(s, rev, e, -e.amount, at=at)


def _reverse_note(s: Session, e: AccountEntry, day: date, at: datetime) -> None:
    spot: list[tuple[AccountEntry, MoneyDoc]] = []
    for a in live_allocations(s, e.id):
        credit = s.get(AccountEntry, a.credit_id)
        doc = s.get(MoneyDoc, credit.doc_id) if credit is not None and credit.doc_type == "money" else None
        if credit is None or credit.kind != PAY or doc is None or doc.note != spot_note(e.doc_number):
            raise StateError("Payments or credits are allocated to {number}: un-allocate them first",
                             number=e.doc_number)
        spot.append((credit, doc))
    for a in live_allocations(s, e.id):
        undo_allocations(s, [a], at=at)
    sid = int(e.supplier_id or 0)
    for credit, doc in spot:  # the payment on delivery goes with the note
        doc.status = "reversed"
        back = add_entry(s, SUPPLIER, sid, REVERSAL, "money", doc.id, doc.number, day, -credit.amount, at=at)
        allocate(s, back, credit, -credit.amount, at=at)
    rev = add_entry(s, SUPPLIER, sid, REVERSAL, "purchase", e.doc_id, e.doc_number, day, -e.amount, at=at)
    allocate(s, e, rev, e.amount, at=at)


def check_customer(s: Session, customer_id: int) -> Customer:
    c = s.get(Customer, customer_id)
    if c is None:
        raise NotFoundError("Customer {id} does not exist", id=customer_id)
    if not c.active:
        raise ValidationError("Customer {name} is deactivated", name=c.name)
    return c


def check_credit(s: Session, customer_id: int, credit: int, *, override: bool = False) -> bool:
    """Whether ``credit`` more on the account stays within the limit; above it raises
    CreditLimitExceeded unless ``override``. Returns True when an override was used."""
    c = check_customer(s, customer_id)
    if c.credit_limit is None or credit <= 0:
        return False
    # A server: two tills putting sales on one account wait for each other, so both cannot pass the limit.
    s.execute(select(Customer.id).where(Customer.id == customer_id).with_for_update())
    after = balance_of(s, CUSTOMER, customer_id) + credit
    if after <= c.credit_limit:
        return False
    if not override:
        raise CreditLimitExceeded(c.name, format_fen(after), format_fen(c.credit_limit))
    return True


def book_sale(s: Session, *, sale_id: int, customer_id: int, number: str, day: date, credit: int,
              override: bool = False, at: datetime | None = None) -> None:
    """The part of a sale put on the customer's account (挂账); above the credit limit only with the
    owner's approval (``override``), which goes into the audit trail."""
    if check_credit(s, customer_id, credit, override=override):
        safety.record(s, AUDIT_CREDIT_OVERRIDE, document=number, at=at,
                      after={"customer": customer_id, "credit_amount": credit},
                      detail="sale on account above the credit limit, approved by the owner")
    if credit <= 0:
        return
    terms = s.scalar(select(Customer.terms_days).where(Customer.id == customer_id)) or 0
    entry = add_entry(s, CUSTOMER, customer_id, SALE, "sale", sale_id, number, day, credit,
                      due=day + timedelta(days=int(terms)), at=at)  # the customer's payment terms
    settle_oldest(s, entry, at=at)


def book_sale_return(s: Session, *, return_id: int, origin_sale_id: int, customer_id: int, number: str,
                     day: date, amount: int, at: datetime | None = None) -> None:
    """A customer return refunded to the account: a credit that settles the sale first."""
    if amount <= 0:
        return
    entry = add_entry(s, CUSTOMER, customer_id, SALE_RETURN, "sale", return_id, number, day, -amount, at=at)
    first = [e.id for e in entries_of_doc(s, "sale", origin_sale_id) if e.kind == SALE]
    settle_oldest(s, entry, first=first, at=at)


def sale_customer(s: Session, sale_id: int) -> int | None:
    """The customer a sale was booked on (its account entry), if any."""
    return s.scalar(select(AccountEntry.customer_id).where(
        AccountEntry.doc_type == "sale", AccountEntry.doc_id == sale_id, AccountEntry.kind == SALE).limit(1))


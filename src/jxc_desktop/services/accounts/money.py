"""Payments to suppliers (付款单, FK…), collections from customers (收款单, SK…) and write-offs,
inside the caller's transaction: the money document, its account entry and its allocations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session

from jxc_desktop.db.models import AccountEntry, MoneyDoc
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.money import MAX_FEN, format_fen
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.services.accounts.dto import (
    ADJUST,
    COLLECT,
    METHODS,
    PAY,
    REFUND,
    SUPPLIER,
    MoneyDocResult,
    PrepaymentQuestion,
)
from jxc_desktop.services.accounts.entries import (
    add_entry,
    allocate,
    open_entries,
    open_of,
    party_id_of,
    settle_oldest,
)
from jxc_desktop.services.accounts.parties import party_row
from jxc_desktop.services.safety import api as safety
from jxc_desktop.services.shop import api as shop

AUDIT_PAYMENT = "payment"  # 付款单
AUDIT_COLLECTION = "collection"  # 收款单
AUDIT_WRITE_OFF = "write_off"
AUDIT_REFUND = "account_refund"  # a prepayment or return credit paid back in money


def check_amount(amount: int) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValidationError("The amount must be more than zero")
    if amount > MAX_FEN:
        raise ValidationError("{field} is too large", field="Amount")
    return amount


def check_method(method: str) -> str:
    if method not in METHODS:
        raise ValidationError("Unknown payment method {method}", method=str(method)[:20])
    return method


def post_money(s: Session, party: str, party_id: int, amount: int, *, method: str, day: date, note: str = "",
               allocations: Sequence[tuple[int, int]] | None = None, prepay_ok: bool = False,
               at: datetime | None = None, audit: bool = True) -> MoneyDocResult:
    """One payment (supplier) or collection (customer). ``allocations`` None = oldest first among
    the documents dated on or before ``day``; else [(entry_id, amount)] by hand. More than is owed
    raises PrepaymentQuestion unless ``prepay_ok``."""
    at = at or utcnow()
    check_amount(amount)
    check_method(method)
    note = clean_text(note, "Note", 200)
    who = party_row(s, party, party_id)
    wanted: list[tuple[AccountEntry, int]] = []
    if allocations is not None:
        for entry_id, part in allocations:
            check_amount(part)
            e = s.get(AccountEntry, entry_id)
            if e is None:
                raise NotFoundError("Account entry {id} does not exist", id=entry_id)
            if e.party != party or party_id_of(e) != party_id:
                raise ValidationError("{number} belongs to another party, not {name}", number=e.doc_number,
                                      name=who.name)
            if e.entry_date > day:
                raise ValidationError("{number} is dated {doc}, after this payment ({day})", number=e.doc_number,
                                      doc=e.entry_date.isoformat(), day=day.isoformat())
            if part > open_of(s, e):
                raise ValidationError("{number} has only {open} open", number=e.doc_number,
                                      open=format_fen(max(0, open_of(s, e))))
            wanted.append((e, part))
        planned = sum(p for _e, p in wanted)
        if planned > amount:
            raise ValidationError("The allocations ({sum}) are more than the amount {amount}",
                                  sum=format_fen(planned), amount=format_fen(amount))
    else:
        planned = min(amount, sum(o for _e, o in open_entries(s, party, party_id, debits=True, up_to=day)))
    if planned < amount and not prepay_ok:
        raise PrepaymentQuestion(format_fen(amount - planned))
    kind = PAY if party == SUPPLIER else COLLECT
    number = shop.next_number(s, shop.PAYMENT if kind == PAY else shop.COLLECTION, day)
    doc = MoneyDoc(number=number, kind=kind, supplier_id=party_id if party == SUPPLIER else None,
                   customer_id=None if party == SUPPLIER else party_id, doc_date=day, amount=amount,
                   method=method, note=note, status="posted", created_at=at)
    s.add(doc)
    s.flush()
    entry = add_entry(s, party, party_id, kind, "money", doc.id, number, day, -amount, note=note, at=at)
    if allocations is None:
        done = settle_oldest(s, entry, up_to=day, at=at)
    else:
        done = 0
        for e, part in wanted:
            allocate(s, e, entry, part, at=at)
            done += part
    if audit:
        safety.record(s, AUDIT_PAYMENT if kind == PAY else AUDIT_COLLECTION, document=number, at=at,
                      after={"party": who.name, "amount": amount, "method": method, "allocated_amount": done})
    return MoneyDocResult(doc.id, number, amount, done, amount - done)


def write_off(s: Session, entry_id: int, amount: int, *, day: date, note: str = "",
              at: datetime | None = None) -> int:
    """Write off part of what stays open on a document (抹零, a bad debt): an ``adjust`` entry
    allocated against it, in the audit trail. Returns the new entry's id."""
    at = at or utcnow()
    check_amount(amount)
    e = s.get(AccountEntry, entry_id)
    if e is None or e.amount <= 0:
        raise NotFoundError("No open document {id} to write off", id=entry_id)
    if amount > open_of(s, e):
        raise ValidationError("{number} has only {open} open", number=e.doc_number,
                              open=format_fen(max(0, open_of(s, e))))
    if day < e.entry_date:
        raise ValidationError("{number} is dated {doc}, after this write-off ({day})", number=e.doc_number,
                              doc=e.entry_date.isoformat(), day=day.isoformat())
    adj = add_entry(s, e.party, party_id_of(e), ADJUST, e.doc_type, e.doc_id, e.doc_number, day, -amount,
                    note=clean_text(note, "Note", 200) or "write-off", at=at)
    allocate(s, e, adj, amount, at=at)
    safety.record(s, AUDIT_WRITE_OFF, document=e.doc_number, at=at, after={"amount": amount, "note": note})
    return adj.id


def refund(s: Session, party: str, party_id: int, amount: int, *, method: str, day: date, note: str = "",
           at: datetime | None = None) -> MoneyDocResult:
    """Money paid back against what stands as a credit on the account (a supplier refunding a
    return or a prepayment: refund_in; the shop refunding a customer's prepayment: refund_out).
    It raises the balance back and settles the oldest open credits; never more than they hold."""
    at = at or utcnow()
    check_amount(amount)
    check_method(method)
    note = clean_text(note, "Note", 200)
    who = party_row(s, party, party_id)
    credit = -sum(o for _e, o in open_entries(s, party, party_id, debits=False, up_to=day))
    if amount > credit:
        raise ValidationError("{name} has only {credit} of credit to refund", name=who.name, credit=format_fen(credit))
    kind = "refund_in" if party == SUPPLIER else "refund_out"
    number = shop.next_number(s, shop.REFUND, day)
    doc = MoneyDoc(number=number, kind=kind, supplier_id=party_id if party == SUPPLIER else None,
                   customer_id=None if party == SUPPLIER else party_id, doc_date=day, amount=amount,
                   method=method, note=note, status="posted", created_at=at)
    s.add(doc)
    s.flush()
    entry = add_entry(s, party, party_id, REFUND, "money", doc.id, number, day, amount, note=note, at=at)
    done = settle_oldest(s, entry, up_to=day, at=at)
    safety.record(s, AUDIT_REFUND, document=number, at=at,
                  after={"party": who.name, "amount": amount, "method": method, "kind": kind})
    return MoneyDocResult(doc.id, number, amount, done, 0)

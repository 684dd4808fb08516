"""Account entries and their allocations (核销), inside the caller's transaction.

An entry's ``amount`` is signed from the party's balance (+ owed, − paid or credited); a debit
(amount > 0) is settled by parts of credits (amount < 0) of the SAME party through allocations.
What is open on an entry is its amount less its live (not undone) allocations.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import AccountEntry, Allocation
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER, check_party

_CHUNK = 500


def of_party(party: str, party_id: int) -> ColumnElement[bool]:
    col = AccountEntry.supplier_id if check_party(party) == SUPPLIER else AccountEntry.customer_id
    return (AccountEntry.party == party) & (col == party_id)


def party_id_of(e: AccountEntry) -> int:
    return int(e.supplier_id if e.party == SUPPLIER else e.customer_id or 0)


def add_entry(s: Session, party: str, party_id: int, kind: str, doc_type: str, doc_id: int, number: str,
              day: date, amount: int, *, due: date | None = None, note: str = "",
              at: datetime | None = None) -> AccountEntry:
    e = AccountEntry(party=party, supplier_id=party_id if party == SUPPLIER else None,
                     customer_id=party_id if party == CUSTOMER else None, kind=kind, doc_type=doc_type,
                     doc_id=doc_id, doc_number=number, entry_date=day, due_date=due, amount=amount,
                     note=note[:200], created_at=at or utcnow())
    s.add(e)
    s.flush()
    return e


def allocated(s: Session, entry_ids: Iterable[int]) -> dict[int, int]:
    """Live allocations per entry id (as a positive sum, whichever side it is on)."""
    ids = list(set(entry_ids))
    out: dict[int, int] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        for col in (Allocation.debit_id, Allocation.credit_id):
            for eid, total in s.execute(select(col, func.sum(Allocation.amount))
                                        .where(col.in_(chunk), Allocation.undone_at.is_(None)).group_by(col)):
                out[eid] = out.get(eid, 0) + int(total)
    return out


def open_of(s: Session, e: AccountEntry) -> int:
    """What is open on one entry, signed like its amount."""
    used = allocated(s, [e.id]).get(e.id, 0)
    return e.amount - used if e.amount > 0 else e.amount + used


def open_entries(s: Session, party: str, party_id: int, *, debits: bool,
                 up_to: date | None = None) -> list[tuple[AccountEntry, int]]:
    """The party's entries with something open, oldest due first: (entry, open signed)."""
    q = select(AccountEntry).where(of_party(party, party_id),
                                   AccountEntry.amount > 0 if debits else AccountEntry.amount < 0)
    if up_to is not None:
        q = q.where(AccountEntry.entry_date <= up_to)
    rows = list(s.scalars(q))
    used = allocated(s, [e.id for e in rows])
    out = []
    for e in rows:
        left = e.amount - used.get(e.id, 0) if debits else e.amount + used.get(e.id, 0)
        if left:
            out.append((e, left))
    out.sort(key=lambda r: (r[0].due_date or r[0].entry_date, r[0].entry_date, r[0].id))
    return out


def allocate(s: Session, debit: AccountEntry, credit: AccountEntry, amount: int, *,
             at: datetime | None = None) -> Allocation:
    """Settle ``amount`` of ``debit`` by ``credit``; both must belong to one party and have it open."""
    if amount <= 0:
        raise ValidationError("An allocation must be more than zero")
    if debit.amount <= 0 or credit.amount >= 0:
        raise ValidationError("An allocation settles a document owed by a payment or credit")
    if debit.party != credit.party or party_id_of(debit) != party_id_of(credit):
        raise ValidationError("{number} belongs to another party", number=debit.doc_number or str(debit.id))
    if amount > open_of(s, debit):
        raise ValidationError("{number} has only {open} open", number=debit.doc_number,
                              open=format_fen(max(0, open_of(s, debit))))
    if amount > -open_of(s, credit):
        raise ValidationError("{number} has only {open} left to allocate", number=credit.doc_number,
                              open=format_fen(max(0, -open_of(s, credit))))
    a = Allocation(debit_id=debit.id, credit_id=credit.id, amount=amount, created_at=at or utcnow())
    s.add(a)
    s.flush()
    return a


def settle_oldest(s: Session, entry: AccountEntry, *, first: Iterable[int] = (), up_to: date | None = None,
                  at: datetime | None = None) -> int:
    """Allocate what is open on ``entry`` against the other side's open entries: those in ``first``
    (ids) first, then oldest due first; ``up_to`` leaves out documents dated after it. Returns the
    amount allocated."""
    party_id = party_id_of(entry)
    left = abs(open_of(s, entry))
    others = open_entries(s, entry.party, party_id, debits=entry.amount < 0, up_to=up_to)
    order = {eid: i for i, eid in enumerate(first)}
    others.sort(key=lambda r: (order.get(r[0].id, len(order)),))  # stable: oldest first after ``first``
    done = 0
    for other, open_amt in others:
        if left <= 0:
            break
        take = min(left, abs(open_amt))
        debit, credit = (other, entry) if entry.amount < 0 else (entry, other)
        s.add(Allocation(debit_id=debit.id, credit_id=credit.id, amount=take, created_at=at or utcnow()))
        left -= take
        done += take
    s.flush()
    return done


def undo_allocations(s: Session, allocations: Iterable[Allocation], *, at: datetime | None = None) -> int:
    n = 0
    for a in allocations:
        if a.undone_at is None:
            a.undone_at = at or utcnow()
            n += 1
    s.flush()
    return n


def live_allocations(s: Session, entry_id: int) -> list[Allocation]:
    return list(s.scalars(select(Allocation).where(
        (Allocation.debit_id == entry_id) | (Allocation.credit_id == entry_id), Allocation.undone_at.is_(None))))


def entries_of_doc(s: Session, doc_type: str, doc_id: int) -> list[AccountEntry]:
    return list(s.scalars(select(AccountEntry).where(AccountEntry.doc_type == doc_type,
                                                     AccountEntry.doc_id == doc_id).order_by(AccountEntry.id)))


def balance_of(s: Session, party: str, party_id: int, *, before: date | None = None) -> int:
    q = select(func.coalesce(func.sum(AccountEntry.amount), 0)).where(of_party(party, party_id))
    if before is not None:
        q = q.where(AccountEntry.entry_date < before)
    return int(s.scalar(q) or 0)

"""The SQLAlchemy queries of balances, aging (账龄), the statement (对账单) and the cash book
(资金流水) that session 16 replaced by SQL text (services/accounts/balances.py, statement.py,
cash_book.py; the members' stored value owed: members/topup_sums.py), kept word for word as the
reference the text is compared with (test_accounts_reference.py). The balances' docstring follows.

Balances and aging (账龄) of all suppliers or all customers at a day, in three queries.

At day ``at`` an entry counts when dated on or before it, and an allocation when both its entries
do. What is open on a debit ages from its due date (its date when it has none): not due, 1–30,
31–60, 61–90, over 90 days past due. Credits not allocated yet (prepayments, return credits) are
shown apart as ``unapplied``; buckets + unapplied = balance.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from jxc_desktop.db.models import (
    AccountEntry,
    Allocation,
    Customer,
    MoneyDoc,
    Payment,
    Sale,
    StoredValueMove,
    Supplier,
)
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.services.accounts.balances import Party, aging_of, balances_of, parties_of, shown
from jxc_desktop.services.accounts.cash_book import cash_book_of
from jxc_desktop.services.accounts.dto import (
    SUPPLIER,
    Aging,
    Balances,
    CashBook,
    StatementDTO,
    StatementRow,
    check_party,
)
from jxc_desktop.services.accounts.entries import balance_of, of_party
from jxc_desktop.services.accounts.parties import party_row
from jxc_desktop.services.members import api as members
from jxc_desktop.services.shop import api as shop


def _allocated(s: Session, party: str, at: date, side: str) -> dict[int, int]:
    d, c = aliased(AccountEntry), aliased(AccountEntry)
    col = Allocation.debit_id if side == "debit" else Allocation.credit_id
    q = (select(col, func.sum(Allocation.amount))
         .join(d, d.id == Allocation.debit_id).join(c, c.id == Allocation.credit_id)
         .where(Allocation.undone_at.is_(None), d.party == party, d.entry_date <= at, c.entry_date <= at)
         .group_by(col))
    return {int(k): int(v) for k, v in s.execute(q)}


def _parties(s: Session, party: str, at: date) -> dict[int, Party]:
    pid = AccountEntry.supplier_id if party == SUPPLIER else AccountEntry.customer_id
    used_d = _allocated(s, party, at, "debit")
    used_c = _allocated(s, party, at, "credit")
    q = (select(pid, AccountEntry.id, AccountEntry.amount, AccountEntry.entry_date, AccountEntry.due_date)
         .where(AccountEntry.party == party, AccountEntry.entry_date <= at))
    return parties_of(s.execute(q), used_d, used_c, at)


def _names(s: Session, party: str, ids: list[int]) -> dict[int, str]:
    model = Supplier if party == SUPPLIER else Customer
    out: dict[int, str] = {}
    for i in range(0, len(ids), 500):
        out.update({k: v for k, v in s.execute(select(model.id, model.name).where(model.id.in_(ids[i:i + 500])))})
    return out


def balances(s: Session, party: str, at: date) -> Balances:
    check_party(party)
    return balances_of(party, at, shown(_parties(s, party, at), lambda ids: _names(s, party, ids)))


def aging(s: Session, party: str, at: date) -> Aging:
    check_party(party)
    return aging_of(party, at, shown(_parties(s, party, at), lambda ids: _names(s, party, ids)))


def statement(s: Session, party: str, party_id: int, start: date, end: date) -> StatementDTO:
    if end < start:
        raise ValidationError("The period ends before it starts")
    who = party_row(s, party, party_id)
    opening = balance_of(s, party, party_id, before=start)
    q = (select(AccountEntry.entry_date, AccountEntry.doc_number, AccountEntry.kind, AccountEntry.amount,
                AccountEntry.note, AccountEntry.id)
         .where(of_party(party, party_id), AccountEntry.entry_date >= start, AccountEntry.entry_date <= end)
         .order_by(AccountEntry.entry_date, AccountEntry.id))
    rows = []
    running = opening
    for day, number, kind, amount, note, entry_id in s.execute(q):
        running += amount
        rows.append(StatementRow(day, number, kind, max(amount, 0), max(-amount, 0), running, note or "", entry_id))
    return StatementDTO(party, party_id, who.name, start, end, opening, tuple(rows), running,
                        shop.get_setting(s, "shop_name") or "")


def stored_value_at(session: Session, day: date) -> int:
    """The stored value members held at the end of ``day``: the shop's liability then, fen."""
    return int(session.scalar(select(func.coalesce(func.sum(StoredValueMove.amount), 0))
                              .where(StoredValueMove.business_day <= day)) or 0)


def cash_book(s: Session, start: date, end: date) -> CashBook:
    if end < start:
        raise ValidationError("The period ends before it starts")
    lo, hi = day_bounds_utc(start, end)
    till = s.execute(
        select(Sale.kind, Payment.method, func.sum(Payment.amount)).join(Sale, Sale.id == Payment.sale_id)
        .where(Sale.created_at >= lo, Sale.created_at < hi, Sale.status == "posted")
        .group_by(Sale.kind, Payment.method)).all()
    money = s.execute(
        select(MoneyDoc.kind, MoneyDoc.method, func.sum(MoneyDoc.amount))
        .where(MoneyDoc.doc_date >= start, MoneyDoc.doc_date <= end, MoneyDoc.status == "posted")
        .group_by(MoneyDoc.kind, MoneyDoc.method)).all()
    return cash_book_of(start, end, till, money, members.topups_by_method(s, start, end), stored_value_at(s, end))

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

from collections import defaultdict
from dataclasses import dataclass, field
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
from jxc_desktop.domain.tender import NOT_MONEY
from jxc_desktop.services.accounts.balances import bucket_of
from jxc_desktop.services.accounts.cash_book import ORDER
from jxc_desktop.services.accounts.dto import (
    SUPPLIER,
    Aging,
    AgingRow,
    BalanceRow,
    Balances,
    CashBook,
    CashBookRow,
    StatementDTO,
    StatementRow,
    check_party,
)
from jxc_desktop.services.accounts.entries import balance_of, of_party
from jxc_desktop.services.accounts.parties import party_row
from jxc_desktop.services.members import api as members
from jxc_desktop.services.shop import api as shop


@dataclass
class _Party:
    balance: int = 0
    unapplied: int = 0
    overdue: int = 0
    oldest_due: date | None = None
    buckets: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])


def _allocated(s: Session, party: str, at: date, side: str) -> dict[int, int]:
    d, c = aliased(AccountEntry), aliased(AccountEntry)
    col = Allocation.debit_id if side == "debit" else Allocation.credit_id
    q = (select(col, func.sum(Allocation.amount))
         .join(d, d.id == Allocation.debit_id).join(c, c.id == Allocation.credit_id)
         .where(Allocation.undone_at.is_(None), d.party == party, d.entry_date <= at, c.entry_date <= at)
         .group_by(col))
    return {int(k): int(v) for k, v in s.execute(q)}


def _parties(s: Session, party: str, at: date) -> dict[int, _Party]:
    pid = AccountEntry.supplier_id if party == SUPPLIER else AccountEntry.customer_id
    used_d = _allocated(s, party, at, "debit")
    used_c = _allocated(s, party, at, "credit")
    out: dict[int, _Party] = defaultdict(_Party)
    q = (select(pid, AccountEntry.id, AccountEntry.amount, AccountEntry.entry_date, AccountEntry.due_date)
         .where(AccountEntry.party == party, AccountEntry.entry_date <= at))
    for party_id, eid, amount, day, due in s.execute(q):
        p = out[int(party_id)]
        p.balance += amount
        if amount < 0:
            p.unapplied += amount + used_c.get(eid, 0)
            continue
        left = amount - used_d.get(eid, 0)
        if left <= 0:
            continue
        due = due or day
        late = (at - due).days
        p.buckets[bucket_of(late)] += left
        if late > 0:
            p.overdue += left
        if p.oldest_due is None or due < p.oldest_due:
            p.oldest_due = due
    return out


def _names(s: Session, party: str, ids: list[int]) -> dict[int, str]:
    model = Supplier if party == SUPPLIER else Customer
    out: dict[int, str] = {}
    for i in range(0, len(ids), 500):
        out.update({k: v for k, v in s.execute(select(model.id, model.name).where(model.id.in_(ids[i:i + 500])))})
    return out


def _shown(parties: dict[int, _Party], s: Session, party: str) -> list[tuple[int, str, _Party]]:
    keep = {k: p for k, p in parties.items() if p.balance or any(p.buckets) or p.unapplied}
    names = _names(s, party, list(keep))
    return sorted(((k, names.get(k, ""), p) for k, p in keep.items()), key=lambda r: (r[1], r[0]))


def balances(s: Session, party: str, at: date) -> Balances:
    check_party(party)
    rows = tuple(BalanceRow(k, name, p.balance, p.overdue, p.oldest_due)
                 for k, name, p in _shown(_parties(s, party, at), s, party))
    return Balances(party, at, rows, sum(r.balance for r in rows))


def aging(s: Session, party: str, at: date) -> Aging:
    check_party(party)
    rows = tuple(AgingRow(k, name, (p.buckets[0], p.buckets[1], p.buckets[2], p.buckets[3], p.buckets[4]),
                          p.unapplied, p.balance)
                 for k, name, p in _shown(_parties(s, party, at), s, party))
    totals = tuple(sum(r.buckets[i] for r in rows) for i in range(5))
    return Aging(party, at, rows, (totals[0], totals[1], totals[2], totals[3], totals[4]),
                 sum(r.unapplied for r in rows), sum(r.balance for r in rows))


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
    till: dict[tuple[str, str], int] = {}
    for kind, method, amount in s.execute(
            select(Sale.kind, Payment.method, func.sum(Payment.amount)).join(Sale, Sale.id == Payment.sale_id)
            .where(Sale.created_at >= lo, Sale.created_at < hi, Sale.status == "posted")
            .group_by(Sale.kind, Payment.method)):
        till[(kind, method)] = int(amount or 0)
    money: dict[tuple[str, str], int] = {}
    for kind, method, amount in s.execute(
            select(MoneyDoc.kind, MoneyDoc.method, func.sum(MoneyDoc.amount))
            .where(MoneyDoc.doc_date >= start, MoneyDoc.doc_date <= end, MoneyDoc.status == "posted")
            .group_by(MoneyDoc.kind, MoneyDoc.method)):
        money[(kind, method)] = int(amount or 0)
    topups = members.topups_by_method(s, start, end)
    methods = ({m for _k, m in till} | {m for _k, m in money} | set(topups)) - set(NOT_MONEY)
    rows = []
    for m in sorted(methods, key=lambda x: (ORDER.index(x) if x in ORDER else len(ORDER), x)):
        sales, refunds = till.get(("sale", m), 0), till.get(("return", m), 0)
        # a supplier's refund comes in with the collections, one to a customer goes out with the payments
        coll = money.get(("collect", m), 0) + money.get(("refund_in", m), 0)
        pays = money.get(("pay", m), 0) + money.get(("refund_out", m), 0)
        top = topups.get(m, 0)
        rows.append(CashBookRow(m, sales, refunds, coll, pays, sales - refunds + coll - pays + top, top))
    return CashBook(start, end, tuple(rows), sum(r.net for r in rows), stored_value_at(s, end))

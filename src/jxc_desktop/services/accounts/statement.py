"""A party's statement (对账单) for a period: the balance before it, every entry in it with the
running balance, the balance after it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import AccountEntry
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.services.accounts.dto import StatementDTO, StatementRow
from jxc_desktop.services.accounts.entries import balance_of, of_party
from jxc_desktop.services.accounts.parties import party_row
from jxc_desktop.services.shop import api as shop


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

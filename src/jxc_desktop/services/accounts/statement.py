"""A party's statement (对账单) for a period: the balance before it, every entry in it with the
running balance, the balance after it. SQL text either driver runs: the accounts service on its
sessions, `jxc statement` on sqlite3 alone (issue 15)."""

from __future__ import annotations

from datetime import date

from jxc_desktop.db.dialect_text import day_bind
from jxc_desktop.db.text_reads import Rows, as_date
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.services.accounts.dto import (
    PARTIES,
    SUPPLIER,
    StatementDTO,
    StatementRow,
    check_party,
    party_missing,
)

_OF_PARTY = {party: "party = :party AND " + ("supplier_id" if party == SUPPLIER else "customer_id") + " = :pid"
             for party in PARTIES}
NAME = {party: f"SELECT name FROM {'supplier' if party == SUPPLIER else 'customer'} WHERE id = :pid"
        for party in PARTIES}
OPENING = {party: f"SELECT coalesce(sum(amount), 0) FROM account_entry WHERE {cond} AND entry_date < :start"
           for party, cond in _OF_PARTY.items()}
ENTRIES = {party: ("SELECT entry_date, doc_number, kind, amount, note, id FROM account_entry "
                   f"WHERE {cond} AND entry_date >= :start AND entry_date <= :end ORDER BY entry_date, id")
           for party, cond in _OF_PARTY.items()}


def statement(rows: Rows, party: str, party_id: int, start: date, end: date, shop_name: str) -> StatementDTO:
    if end < start:
        raise ValidationError("The period ends before it starts")
    check_party(party)
    found = rows.all(NAME[party], pid=party_id)
    if not found:
        raise party_missing(party, party_id)
    binds = {"party": party, "pid": party_id, "start": day_bind(start, rows.dialect),
             "end": day_bind(end, rows.dialect)}
    opening = int(rows.all(OPENING[party], **binds)[0][0] or 0)
    lines = []
    running = opening
    for day, number, kind, amount, note, entry_id in rows.all(ENTRIES[party], **binds):
        running += amount
        when = as_date(day)
        assert when is not None  # entry_date is NOT NULL
        lines.append(StatementRow(when, number, kind, max(amount, 0), max(-amount, 0), running, note or "", entry_id))
    return StatementDTO(party, party_id, str(found[0][0]), start, end, opening, tuple(lines), running, shop_name)

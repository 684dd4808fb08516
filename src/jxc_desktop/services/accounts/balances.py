"""Balances and aging (账龄) of all suppliers or all customers at a day, in three queries.

At day ``at`` an entry counts when dated on or before it, and an allocation when both its entries
do. What is open on a debit ages from its due date (its date when it has none): not due, 1–30,
31–60, 61–90, over 90 days past due. Credits not allocated yet (prepayments, return credits) are
shown apart as ``unapplied``; buckets + unapplied = balance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jxc_desktop.db.dialect_text import day_bind
from jxc_desktop.db.text_reads import Rows, as_date
from jxc_desktop.services.accounts.dto import (
    PARTIES,
    SUPPLIER,
    Aging,
    AgingRow,
    BalanceRow,
    Balances,
    check_party,
)

# SQL text either driver runs: the accounts service on its sessions, `jxc accounts` on sqlite3
# alone (issue 15). An allocation counts at ``at`` when both its entries are dated by then.
_ALLOCATED = ("SELECT a.{side}_id, sum(a.amount) FROM allocation a "
              "JOIN account_entry d ON d.id = a.debit_id JOIN account_entry c ON c.id = a.credit_id "
              "WHERE a.undone_at IS NULL AND d.party = :party AND d.entry_date <= :at AND c.entry_date <= :at "
              "GROUP BY a.{side}_id")
ALLOCATED = {side: _ALLOCATED.format(side=side) for side in ("debit", "credit")}
_ENTRIES = ("SELECT {column}, id, amount, entry_date, due_date FROM account_entry "
            "WHERE party = :party AND entry_date <= :at")
ENTRIES = {party: _ENTRIES.format(column="supplier_id" if party == SUPPLIER else "customer_id") for party in PARTIES}
NAMES = {party: f"SELECT id, name FROM {'supplier' if party == SUPPLIER else 'customer'} WHERE id IN ({{ids}})"
         for party in PARTIES}
CHUNK = 500  # ids bound per query


@dataclass
class Party:
    balance: int = 0
    unapplied: int = 0
    overdue: int = 0
    oldest_due: date | None = None
    buckets: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])


def bucket_of(days_late: int) -> int:
    if days_late <= 0:
        return 0
    if days_late <= 30:
        return 1
    if days_late <= 60:
        return 2
    if days_late <= 90:
        return 3
    return 4


def _allocated(rows: Rows, party: str, at: object, side: str) -> dict[int, int]:
    return {int(k): int(v) for k, v in rows.all(ALLOCATED[side], party=party, at=at)}


def parties_of(entries: Iterable[Sequence[Any]], used_d: Mapping[int, int], used_c: Mapping[int, int],
               at: date) -> dict[int, Party]:
    """Each party's balance, buckets, overdue and oldest due date from its entries (party id, entry
    id, amount, entry date, due date) and what is allocated of each debit and each credit; the
    reference (tests/integration/accounts_reference.py) runs it on its ORM rows."""
    out: dict[int, Party] = defaultdict(Party)
    for party_id, eid, amount, entry_day, due_day in entries:
        p = out[int(party_id)]
        p.balance += amount
        if amount < 0:
            p.unapplied += amount + used_c.get(eid, 0)
            continue
        left = amount - used_d.get(eid, 0)
        if left <= 0:
            continue
        due = as_date(due_day) or as_date(entry_day)
        assert due is not None  # entry_date is NOT NULL
        late = (at - due).days
        p.buckets[bucket_of(late)] += left
        if late > 0:
            p.overdue += left
        if p.oldest_due is None or due < p.oldest_due:
            p.oldest_due = due
    return out


def _parties(rows: Rows, party: str, at: date) -> dict[int, Party]:
    day = day_bind(at, rows.dialect)
    used_d = _allocated(rows, party, day, "debit")
    used_c = _allocated(rows, party, day, "credit")
    return parties_of(rows.all(ENTRIES[party], party=party, at=day), used_d, used_c, at)


def _names(rows: Rows, party: str, ids: list[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i in range(0, len(ids), CHUNK):
        keys = {f"id{n}": value for n, value in enumerate(ids[i:i + CHUNK])}
        sql = NAMES[party].format(ids=", ".join(":" + k for k in keys))
        out.update({int(k): str(v) for k, v in rows.all(sql, **keys)})
    return out


Shown = list[tuple[int, str, Party]]


def shown(parties: dict[int, Party], names_of: Callable[[list[int]], dict[int, str]]) -> Shown:
    """The parties with anything to show, by name then id; ``names_of`` reads the names of those ids."""
    keep = {k: p for k, p in parties.items() if p.balance or any(p.buckets) or p.unapplied}
    names = names_of(list(keep))
    return sorted(((k, names.get(k, ""), p) for k, p in keep.items()), key=lambda r: (r[1], r[0]))


def balances_of(party: str, at: date, parties: Shown) -> Balances:
    """The balances of the parties ``shown`` gives."""
    rows = tuple(BalanceRow(k, name, p.balance, p.overdue, p.oldest_due) for k, name, p in parties)
    return Balances(party, at, rows, sum(r.balance for r in rows))


def aging_of(party: str, at: date, parties: Shown) -> Aging:
    """The aging of the parties ``shown`` gives."""
    rows = tuple(AgingRow(k, name, (p.buckets[0], p.buckets[1], p.buckets[2], p.buckets[3], p.buckets[4]),
                          p.unapplied, p.balance) for k, name, p in parties)
    totals = tuple(sum(r.buckets[i] for r in rows) for i in range(5))
    return Aging(party, at, rows, (totals[0], totals[1], totals[2], totals[3], totals[4]),
                 sum(r.unapplied for r in rows), sum(r.balance for r in rows))


def _shown(rows: Rows, party: str, at: date) -> Shown:
    return shown(_parties(rows, party, at), lambda ids: _names(rows, party, ids))


def balances(rows: Rows, party: str, at: date) -> Balances:
    check_party(party)
    return balances_of(party, at, _shown(rows, party, at))


def aging(rows: Rows, party: str, at: date) -> Aging:
    check_party(party)
    return aging_of(party, at, _shown(rows, party, at))

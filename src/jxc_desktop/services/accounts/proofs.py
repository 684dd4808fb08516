"""The accounts' part of ``jxc check``: for each party the documents less their allocations add up
to the balance, no allocation exceeds the document on either side, allocations stay within one
party, and each entry agrees with its document. One aggregate per rule; read-only. SQL text over
:class:`~jxc_desktop.db.text_reads.Rows`: run in a session or on sqlite3 alone (``jxc check``)."""

from __future__ import annotations

from dataclasses import dataclass

from jxc_desktop.db.text_reads import Rows

MAX_FINDINGS = 100

# Σ open per party (debits less what settled them, credits less what they settled) against Σ amounts:
# an allocation across two parties, or one side missing, leaves the two sums apart.
_PARTY_SUMS = """
WITH used AS (
  SELECT e.id AS id, coalesce(sum(a.amount), 0) AS n FROM account_entry e
  LEFT JOIN allocation a ON a.undone_at IS NULL AND (a.debit_id = e.id OR a.credit_id = e.id)
  GROUP BY e.id)
SELECT e.party, coalesce(e.supplier_id, e.customer_id) AS pid, sum(e.amount) AS balance,
       sum(CASE WHEN e.amount > 0 THEN e.amount - u.n ELSE e.amount + u.n END) AS open_sum
FROM account_entry e JOIN used u ON u.id = e.id
GROUP BY e.party, coalesce(e.supplier_id, e.customer_id)
HAVING sum(e.amount) != sum(CASE WHEN e.amount > 0 THEN e.amount - u.n ELSE e.amount + u.n END) LIMIT :n
"""
_OVER = """
SELECT e.id, e.doc_number, e.amount, sum(a.amount) AS n FROM allocation a
JOIN account_entry e ON e.id = a.{side}_id
WHERE a.undone_at IS NULL GROUP BY e.id HAVING sum(a.amount) > abs(e.amount) LIMIT :n
"""
# (standard SQL: no output alias in WHERE or HAVING, which PostgreSQL refuses)
_CROSSED = """(d.party != c.party OR coalesce(d.supplier_id, -1) != coalesce(c.supplier_id, -1)
       OR coalesce(d.customer_id, -1) != coalesce(c.customer_id, -1))"""
_SIDES = f"""
SELECT a.id, d.doc_number, c.doc_number, a.amount, d.amount, c.amount, {_CROSSED} AS crossed
FROM allocation a JOIN account_entry d ON d.id = a.debit_id JOIN account_entry c ON c.id = a.credit_id
WHERE {_CROSSED} OR a.amount <= 0 OR d.amount <= 0 OR c.amount >= 0 LIMIT :n
"""
_MONEY = """
SELECT m.number, m.amount, e.amount FROM money_doc m
LEFT JOIN account_entry e ON e.doc_type = 'money' AND e.doc_id = m.id AND e.kind IN ('pay', 'collect', 'refund')
WHERE e.id IS NULL OR e.amount != CASE WHEN m.kind IN ('refund_in', 'refund_out') THEN m.amount ELSE -m.amount END
LIMIT :n
"""
_PURCHASE = """
SELECT p.number, p.total, e.amount FROM account_entry e JOIN purchase p ON p.id = e.doc_id
WHERE e.doc_type = 'purchase' AND e.kind = 'purchase' AND e.amount != p.total LIMIT :n
"""
_SALE = """
SELECT s.number, e.amount, (SELECT coalesce(sum(amount), 0) FROM payment WHERE sale_id = s.id AND method = 'credit')
FROM account_entry e JOIN sale s ON s.id = e.doc_id
WHERE e.doc_type = 'sale' AND e.kind = 'sale'
  AND e.amount != (SELECT coalesce(sum(amount), 0) FROM payment WHERE sale_id = s.id AND method = 'credit') LIMIT :n
"""


@dataclass(frozen=True)
class PartyFinding:
    where: str  # supplier:ID / customer:ID, or the table
    detail: str
    document: str = ""


def party_findings(rows: Rows) -> list[PartyFinding]:
    out: list[PartyFinding] = []
    n = MAX_FINDINGS
    for party, pid, balance, open_sum in rows.all(_PARTY_SUMS, n=n):
        out.append(PartyFinding(f"{party}:{pid}", f"balance {balance} != documents less allocations {open_sum}"))
    for side in ("debit", "credit"):
        for eid, number, amount, used in rows.all(_OVER.format(side=side), n=n):
            out.append(PartyFinding("allocation", f"entry {eid}: allocated {used} exceeds its amount {amount}", number))
    for aid, dnum, cnum, amount, damt, camt, crossed in rows.all(_SIDES, n=n):
        why = "between two parties" if crossed else f"amount {amount}, debit {damt}, credit {camt}"
        out.append(PartyFinding("allocation", f"allocation {aid} of {dnum} by {cnum}: {why}", dnum))
    for number, amount, entry in rows.all(_MONEY, n=n):
        out.append(PartyFinding("money_doc", f"amount {amount} but its account entry is {entry}", number))
    for number, total, entry in rows.all(_PURCHASE, n=n):
        out.append(PartyFinding("purchase", f"total {total} but its account entry is {entry}", number))
    for number, entry, credit in rows.all(_SALE, n=n):
        out.append(PartyFinding("sale", f"on account {credit} but its account entry is {entry}", number))
    return out

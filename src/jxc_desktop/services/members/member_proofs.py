"""The members' part of ``jxc check`` (problem kind ``members``): each member's cached points and
stored value equal the sum of their ledger moves; each sale or return's stored-value and points
payments have their moves; each cash top-up taken in a shift is in that shift's drawer. One
aggregate per rule; read-only. SQL text over :class:`~jxc_desktop.db.text_reads.Rows`: run in a
session or on sqlite3 alone (``jxc check``)."""

from __future__ import annotations

from dataclasses import dataclass

from jxc_desktop.db.dialect_text import join_in_order
from jxc_desktop.db.text_reads import Rows

MAX_FINDINGS = 100

_POINTS = """
SELECT c.id, c.name, c.points, coalesce(m.n, 0) FROM customer c
LEFT JOIN (SELECT customer_id, sum(points) AS n FROM points_move GROUP BY customer_id) m ON m.customer_id = c.id
WHERE c.points != coalesce(m.n, 0) LIMIT :n
"""
_VALUE = """
SELECT c.id, c.name, c.stored_value, coalesce(m.n, 0) FROM customer c
LEFT JOIN (SELECT customer_id, sum(amount) AS n FROM stored_value_move GROUP BY customer_id) m
  ON m.customer_id = c.id
WHERE c.stored_value != coalesce(m.n, 0) LIMIT :n
"""
# a sale's stored-value payment is a pay move of minus that amount; a return's is a refund move
# payments first (a pass over one narrow table), the sale by its key: ~30 ms at 270 000 payments;
# {join} is db/dialect.py join_in_order (SQLite's CROSS JOIN holds that order, the server plans its own)
_SALE_VALUE = """
WITH paid AS (SELECT sale_id, sum(amount) AS amount FROM payment WHERE method = 'stored_value' GROUP BY sale_id),
     moved AS (SELECT sale_id, sum(amount) AS amount FROM stored_value_move
               WHERE kind IN ('pay', 'refund') AND sale_id IS NOT NULL GROUP BY sale_id)
SELECT s.number, p.amount, coalesce(m.amount, 0) FROM paid p {join} sale s ON s.id = p.sale_id
LEFT JOIN moved m ON m.sale_id = p.sale_id
WHERE s.status = 'posted' AND coalesce(m.amount, 0) != CASE WHEN s.kind = 'return' THEN p.amount ELSE -p.amount END
UNION ALL
SELECT s.number, 0, m.amount FROM moved m {join} sale s ON s.id = m.sale_id
WHERE s.status = 'posted'
  AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.sale_id = s.id AND p.method = 'stored_value')
LIMIT :n
"""
_SALE_POINTS = """
SELECT s.number FROM sale s JOIN payment p ON p.sale_id = s.id
WHERE p.method = 'points' AND p.amount > 0 AND s.kind = 'sale' AND s.status = 'posted'
  AND NOT EXISTS (SELECT 1 FROM points_move m WHERE m.sale_id = s.id AND m.kind = 'redeem')
LIMIT :n
"""
# only members' sales can earn (ix_sale_member_id): a full pass over the lines would cost seconds at 1 M lines
_LINE_POINTS = """
SELECT number, lines, moved FROM (
  SELECT s.number AS number, s.kind AS kind,
         (SELECT coalesce(sum(l.points), 0) FROM sale_line l WHERE l.sale_id = s.id) AS lines,
         (SELECT coalesce(sum(m.points), 0) FROM points_move m
          WHERE m.sale_id = s.id AND m.kind IN ('earn', 'return')) AS moved
  FROM sale s WHERE s.member_id IS NOT NULL) AS per_sale
WHERE moved != CASE WHEN kind = 'return' THEN -lines ELSE lines END
LIMIT :n
"""
_TOPUP_CASH = """
SELECT v.number, v.amount, v.shift_id FROM stored_value_move v
WHERE v.kind = 'topup' AND v.method = 'cash' AND v.shift_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM cash_move c WHERE c.shift_id = v.shift_id AND c.amount = v.amount
                  AND c.reason = '储值充值 ' || v.number)
LIMIT :n
"""


@dataclass(frozen=True)
class MemberFinding:
    where: str  # member:ID, or the table
    detail: str
    document: str = ""


def member_findings(rows: Rows) -> list[MemberFinding]:
    out: list[MemberFinding] = []
    n = MAX_FINDINGS
    for cid, name, cached, moves in rows.all(_POINTS, n=n):
        out.append(MemberFinding(f"member:{cid}", f"{name}: points {cached} != sum of points moves {moves}"))
    for cid, name, cached, moves in rows.all(_VALUE, n=n):
        out.append(MemberFinding(f"member:{cid}", f"{name}: stored value {cached} != sum of stored-value moves {moves}"))
    sale_value = _SALE_VALUE.format(join=join_in_order(rows.dialect))
    for number, paid, moved in rows.all(sale_value, n=n):
        out.append(MemberFinding("stored_value_move", f"paid with stored value {paid} but its moves are {moved}",
                                 number))
    for (number,) in rows.all(_SALE_POINTS, n=n):
        out.append(MemberFinding("points_move", "paid with points but no points were redeemed", number))
    for number, lines, moved in rows.all(_LINE_POINTS, n=n):
        out.append(MemberFinding("points_move", f"lines' points {lines} but the points moves are {moved}", number))
    for number, amount, shift in rows.all(_TOPUP_CASH, n=n):
        out.append(MemberFinding(f"shift {shift}", f"cash top-up {amount} is not in the shift's drawer", number))
    return out[:MAX_FINDINGS]

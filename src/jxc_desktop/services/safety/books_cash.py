"""``jxc check``: the drawer's cash by shift (交班) adds up.

For every closed shift, the cash expected that was stored when it closed must equal what its rows
give now: float + cash takings − cash refunds + cash paid in − cash paid out (a sale, refund or
cash move added to or taken from a closed shift afterwards shows here). No sale and no cash move
of a shift may be dated after the shift closed. One aggregate per table (staff's shift figures).
SQL text over :class:`~jxc_desktop.db.text_reads.Rows`: run in a session or on sqlite3 alone.
"""

from __future__ import annotations

from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.cash_count import expected_cash
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.staff import api as staff

MAX_FINDINGS = 100

# Instants compared as the columns hold them (text on SQLite, timestamptz on the server); no order
# asked for, as before: the first MAX_FINDINGS the plan meets.
_LATE_SALES = """
    SELECT sale.number, shift.id FROM sale JOIN shift ON shift.id = sale.shift_id
    WHERE shift.closed_at IS NOT NULL AND sale.created_at > shift.closed_at LIMIT :n"""
_LATE_MOVES = """
    SELECT cash_move.id, shift.id FROM cash_move JOIN shift ON shift.id = cash_move.shift_id
    WHERE shift.closed_at IS NOT NULL AND cash_move.at > shift.closed_at LIMIT :n"""


def cash_findings(rows: Rows) -> list[tuple[str, str]]:
    """``[(where, detail)]`` for each shift whose cash does not add up."""
    out: list[tuple[str, str]] = []
    for s in staff.closed_shifts(rows):
        live = expected_cash(s.float_amount, s.cash_sales, s.cash_refunds, s.cash_in, s.cash_out)
        if live != s.expected:
            out.append((f"shift {s.id}", f"cash expected at close {format_fen(s.expected)} != float + cash takings "
                                         f"− refunds ± cash moves {format_fen(live)}"))
    out += [(f"shift {sid}", f"{number} is dated after the shift closed")
            for number, sid in rows.all(_LATE_SALES, n=MAX_FINDINGS)]
    out += [(f"shift {sid}", f"cash move {mid} is dated after the shift closed")
            for mid, sid in rows.all(_LATE_MOVES, n=MAX_FINDINGS)]
    return out[:MAX_FINDINGS]

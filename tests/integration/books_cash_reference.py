"""The books check's drawer rule (books_cash.cash_findings) before it became SQL text (session 18),
kept word for word as the reference the new text must equal (test_books_cash_reference.py): the
closed shifts read through the ORM, the late sales and cash moves as SQLAlchemy selects. Each
shift's figures are staff's (shift_figures.summaries), whose text has its own reference."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import CashMove, Sale, Shift
from jxc_desktop.domain.cash_count import expected_cash
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.staff import api as staff

MAX_FINDINGS = 100


def cash_findings(session: Session) -> list[tuple[str, str]]:
    """``[(where, detail)]`` for each shift whose cash does not add up."""
    out: list[tuple[str, str]] = []
    closed = list(session.scalars(select(Shift).where(Shift.status == "closed").order_by(Shift.id)))
    for s in staff.summaries(session, closed):
        rows = expected_cash(s.float_amount, s.cash_sales, s.cash_refunds, s.cash_in, s.cash_out)
        if rows != s.expected:
            out.append((f"shift {s.id}", f"cash expected at close {format_fen(s.expected)} != float + cash takings "
                                         f"− refunds ± cash moves {format_fen(rows)}"))
    late_sales = session.execute(select(Sale.number, Shift.id).join(Shift, Shift.id == Sale.shift_id)
                                 .where(Shift.closed_at.is_not(None), Sale.created_at > Shift.closed_at)
                                 .limit(MAX_FINDINGS))
    out += [(f"shift {sid}", f"{number} is dated after the shift closed") for number, sid in late_sales]
    late_moves = session.execute(select(CashMove.id, Shift.id).join(Shift, Shift.id == CashMove.shift_id)
                                 .where(Shift.closed_at.is_not(None), CashMove.at > Shift.closed_at)
                                 .limit(MAX_FINDINGS))
    out += [(f"shift {sid}", f"cash move {mid} is dated after the shift closed") for mid, sid in late_moves]
    return out[:MAX_FINDINGS]

"""A shift's figures from the rows: its sales and returns, takings per method, the cash moves,
and the cash the drawer should hold. Read inside the caller's session; shared by the shift
service, the day summary (through the api) and the books check."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import CashMove, Payment, Person, Sale, SaleLine, Shift
from jxc_desktop.domain.cash_count import expected_cash
from jxc_desktop.domain.tender import METHODS
from jxc_desktop.services.staff.dto import CashMoveDTO, ShiftSummary


def _detail(text: str) -> dict[int, int]:
    try:
        data = json.loads(text) if text else {}
        return {int(k): int(v) for k, v in data.items()}
    except (ValueError, AttributeError, TypeError):
        return {}


def summaries(session: Session, shifts: Iterable[Shift]) -> list[ShiftSummary]:
    """The figures of several shifts: one grouped query per kind of row, not one per shift."""
    rows = list(shifts)
    if not rows:
        return []
    ids = [r.id for r in rows]
    names = dict(session.execute(select(Person.id, Person.name).where(
        Person.id.in_({r.person_id for r in rows}))).all())
    posted = (Sale.shift_id.in_(ids), Sale.status == "posted")
    agg: dict[tuple[int, str], tuple[int, int]] = {
        (sid, kind): (int(n), int(t or 0)) for sid, kind, n, t in session.execute(
            select(Sale.shift_id, Sale.kind, func.count(), func.sum(Sale.total)).where(*posted)
            .group_by(Sale.shift_id, Sale.kind))}
    methods: dict[int, dict[str, int]] = defaultdict(dict)
    cash: dict[tuple[int, str], int] = {}
    for sid, kind, method, amount in session.execute(
            select(Sale.shift_id, Sale.kind, Payment.method, func.sum(Payment.amount))
            .join(Sale, Sale.id == Payment.sale_id).where(*posted)
            .group_by(Sale.shift_id, Sale.kind, Payment.method)):
        sign = -1 if kind == "return" else 1
        methods[sid][method] = methods[sid].get(method, 0) + sign * int(amount or 0)
        if method == "cash":
            cash[(sid, kind)] = int(amount or 0)
    discounts = dict(session.execute(
        select(Sale.shift_id, func.sum(SaleLine.discount)).join(Sale, Sale.id == SaleLine.sale_id)
        .where(*posted, Sale.kind == "sale").group_by(Sale.shift_id)).all())
    moves: dict[int, list[CashMoveDTO]] = defaultdict(list)
    move_names = dict(session.execute(select(Person.id, Person.name)).all())
    for m in session.scalars(select(CashMove).where(CashMove.shift_id.in_(ids)).order_by(CashMove.id)):
        moves[m.shift_id or 0].append(CashMoveDTO(m.id, m.at, m.amount, m.reason, move_names.get(m.person_id, "")))
    out = []
    for r in rows:
        sn, st = agg.get((r.id, "sale"), (0, 0))
        rn, rt = agg.get((r.id, "return"), (0, 0))
        mv = tuple(moves.get(r.id, ()))
        cash_in = sum(m.amount for m in mv if m.amount > 0)
        cash_out = -sum(m.amount for m in mv if m.amount < 0)
        cash_sales, cash_refunds = cash.get((r.id, "sale"), 0), cash.get((r.id, "return"), 0)
        live = expected_cash(r.float_amount, cash_sales, cash_refunds, cash_in, cash_out)
        by_method = {m: methods[r.id][m] for m in METHODS if m in methods[r.id]}
        out.append(ShiftSummary(
            r.id, r.till, names.get(r.person_id, ""), r.person_id, r.status, r.opened_at, r.closed_at,
            r.float_amount, sn, st, rn, rt, int(discounts.get(r.id) or 0), by_method, cash_sales, cash_refunds,
            cash_in, cash_out, r.expected if r.expected is not None else live, r.counted, r.float_left,
            _detail(r.counted_detail), mv))
    return out


def summary(session: Session, shift: Shift) -> ShiftSummary:
    return summaries(session, [shift])[0]


def live_expected(session: Session, shift: Shift) -> int:
    """The cash the drawer should hold now, from the rows (ignores what a close stored)."""
    s = summary(session, shift)
    return expected_cash(s.float_amount, s.cash_sales, s.cash_refunds, s.cash_in, s.cash_out)

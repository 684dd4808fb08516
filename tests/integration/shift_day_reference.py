"""The SQLAlchemy queries the shift figures, the day summary and the top-up sums ran before they
became SQL text (session 15), kept word for word as the reference the new text must equal
(test_shift_day_reference.py), as plain_reads_reference.py keeps session 14's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import CashMove, Payment, Person, Sale, SaleLine, Shift, StoredValueMove
from jxc_desktop.domain.cash_count import expected_cash
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.tender import METHODS
from jxc_desktop.services.sales.dto import DaySummary
from jxc_desktop.services.staff.dto import CashMoveDTO, DayShifts, ShiftSummary

# the counted pieces' reading did not change: only the queries are kept as they were
from jxc_desktop.services.staff.shift_figures import _detail


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




def shifts_opened(s: Session, first: date, last: date, *, by_time: bool = True) -> list[ShiftSummary]:
    """ShiftService.list (by opening time) and day_shifts (by id) as they were."""
    start, end = day_bounds_utc(first, last)
    order = (Shift.opened_at, Shift.id) if by_time else (Shift.id,)
    return summaries(s, s.scalars(select(Shift).where(Shift.opened_at >= start, Shift.opened_at < end)
                                  .order_by(*order)))


def topups_by_method(session: Session, start: date, end: date) -> dict[str, int]:
    return {m: int(v or 0) for m, v in session.execute(
        select(StoredValueMove.method, func.sum(StoredValueMove.amount))
        .where(StoredValueMove.kind == "topup", StoredValueMove.business_day >= start,
               StoredValueMove.business_day <= end).group_by(StoredValueMove.method))}


def day_summary(session: Session, day: date) -> DaySummary:
    """Posted sales and returns of a local day; refunds are subtracted from their payment method."""
    start, end = day_bounds_utc(day, day)
    in_day = (Sale.created_at >= start, Sale.created_at < end, Sale.status == "posted")
    agg = {kind: (int(n), int(t or 0), int(d or 0), int(c or 0)) for kind, n, t, d, c in session.execute(
        select(Sale.kind, func.count(), func.sum(Sale.total), func.sum(Sale.discount), func.sum(Sale.cost))
        .where(*in_day).group_by(Sale.kind))}
    by_method: dict[str, int] = {}
    for kind, method, amount in session.execute(
            select(Sale.kind, Payment.method, func.sum(Payment.amount)).join(Sale, Sale.id == Payment.sale_id)
            .where(*in_day).group_by(Sale.kind, Payment.method)):
        sign = -1 if kind == "return" else 1
        by_method[method] = by_method.get(method, 0) + sign * int(amount or 0)
    line_disc = session.scalar(select(func.sum(SaleLine.discount)).join(Sale, Sale.id == SaleLine.sale_id)
                               .where(*in_day, Sale.kind == "sale")) or 0
    sn, st, _sd, sc = agg.get("sale", (0, 0, 0, 0))
    rn, rt, _rd, rc = agg.get("return", (0, 0, 0, 0))
    return DaySummary(day, sn, st, rn, rt, int(line_disc), sc - rc,
                      {m: by_method[m] for m in METHODS if m in by_method},
                      DayShifts(tuple(shifts_opened(session, day, day, by_time=False))), topups_by_method(session, day, day))

"""A local day at the till: the list of its sales and returns, and the summary for today's panel
and the 日结 slip (sales, returns, discounts, cost and net takings by payment method)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Payment, Sale, SaleLine
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.tender import METHODS
from jxc_desktop.services.members import api as members
from jxc_desktop.services.sales.dto import DaySummary, SaleRow
from jxc_desktop.services.staff import api as staff

_CHUNK = 500  # ids per IN (...) query


def list_day(session: Session, day: date) -> list[SaleRow]:
    """Sales and returns created on a local day, newest first."""
    start, end = day_bounds_utc(day, day)
    sales = list(session.execute(
        select(Sale.id, Sale.number, Sale.kind, Sale.created_at, Sale.total)
        .where(Sale.created_at >= start, Sale.created_at < end).order_by(Sale.id.desc())))
    ids = [r.id for r in sales]
    counts: dict[int, tuple[int, int]] = {}
    methods: dict[int, list[str]] = defaultdict(list)
    for chunk in range(0, len(ids), _CHUNK):
        part = ids[chunk:chunk + _CHUNK]
        for sid, n, q in session.execute(select(SaleLine.sale_id, func.count(), func.sum(SaleLine.qty))
                                         .where(SaleLine.sale_id.in_(part)).group_by(SaleLine.sale_id)):
            counts[sid] = (int(n), int(q or 0))
        for sid, m in session.execute(select(Payment.sale_id, Payment.method).where(
                Payment.sale_id.in_(part), Payment.amount > 0).order_by(Payment.id)):
            methods[sid].append(m)
    return [SaleRow(r.number, r.kind, r.created_at, *counts.get(r.id, (0, 0)), r.total,
                    tuple(methods[r.id])) for r in sales]


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
                      {m: by_method[m] for m in METHODS if m in by_method}, staff.day_shifts(session, day),
                      members.topups_by_method(session, day, day))

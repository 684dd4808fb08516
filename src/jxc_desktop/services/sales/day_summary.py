"""A local day at the till: the summary for today's panel and the 日结 slip (sales, returns,
discounts, cost and net takings by payment method). Its list of sales: day_list.py."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Payment, Sale, SaleLine
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.tender import METHODS
from jxc_desktop.services.members import api as members
from jxc_desktop.services.sales.dto import DaySummary
from jxc_desktop.services.staff import api as staff


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

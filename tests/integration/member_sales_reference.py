"""The member sales report's SQLAlchemy queries before they became SQL text (session 16,
members/member_sums.py), kept word for word as the reference the new text must equal
(test_member_sales_reference.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Customer, MemberLevel, Sale, SaleLine
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.pricing import line_value
from jxc_desktop.services.members.dto import Liabilities, MemberSales, MemberSalesRow

# the report's shape did not change: only the queries are kept as they were
from jxc_desktop.services.reporting.member_sales import MemberReport

_SIGNED_TOTAL = case((Sale.kind == "return", -Sale.total), else_=Sale.total)
_VISIT = case((Sale.kind == "sale", 1), else_=0)


def _saved(session: Session, first: date, last: date) -> dict[int, int]:
    """What the price level saved each member on the period's sales, less what came back."""
    rows = session.execute(
        select(Sale.member_id, SaleLine.kind, SaleLine.qty, SaleLine.list_price, SaleLine.unit_price)
        .join(Sale, Sale.id == SaleLine.sale_id)
        .where(Sale.member_id.is_not(None), SaleLine.status == "posted", SaleLine.list_price.is_not(None),
               SaleLine.business_day >= first, SaleLine.business_day <= last))
    saved: dict[int, int] = {}
    for member_id, kind, qty, list_price, unit_price in rows:
        value = max(0, line_value(qty, list_price) - line_value(qty, unit_price))
        saved[int(member_id)] = saved.get(int(member_id), 0) + (-value if kind == "return" else value)
    return saved


def member_sales(session: Session, first: date, last: date, *, top: int | None = None) -> MemberSales:
    """Each member who bought in the period (most sales first); ``top``: only the first so many."""
    in_period = (Sale.status == "posted", Sale.business_day >= first, Sale.business_day <= last)
    q = (select(Sale.member_id, Customer.name, Customer.phone, MemberLevel.name,
                func.sum(_VISIT), func.sum(_SIGNED_TOTAL), func.max(Sale.business_day))
         .join(Customer, Customer.id == Sale.member_id)
         .join(MemberLevel, MemberLevel.id == Customer.member_level_id, isouter=True)
         .where(Sale.member_id.is_not(None), *in_period)
         .group_by(Sale.member_id, Customer.name, Customer.phone, MemberLevel.name)
         .order_by(func.sum(_SIGNED_TOTAL).desc(), Sale.member_id))
    if top is not None:
        q = q.limit(top)
    saved = _saved(session, first, last)
    rows = tuple(MemberSalesRow(int(mid), name, phone, level or "", int(visits or 0), int(total or 0),
                                saved.get(int(mid), 0), last_day)
                 for mid, name, phone, level, visits, total, last_day in session.execute(q))
    all_sales = int(session.scalar(select(func.coalesce(func.sum(_SIGNED_TOTAL), 0)).where(*in_period)) or 0)
    members_total = int(session.scalar(select(func.coalesce(func.sum(_SIGNED_TOTAL), 0))
                                       .where(Sale.member_id.is_not(None), *in_period)) or 0)
    share = (members_total * 100 * 2 + all_sales) // (2 * all_sales) if all_sales > 0 else 0
    return MemberSales(first, last, rows, sum(r.visits for r in rows), members_total,
                       sum(saved.values()), int(share))


def liabilities(session: Session) -> Liabilities:
    """Points and stored value the members hold now (the cached balances the ledgers prove)."""
    members, points, stored, with_points, with_value = session.execute(
        select(func.count(Customer.id), func.coalesce(func.sum(Customer.points), 0),
               func.coalesce(func.sum(Customer.stored_value), 0),
               func.coalesce(func.sum(case((Customer.points != 0, 1), else_=0)), 0),
               func.coalesce(func.sum(case((Customer.stored_value != 0, 1), else_=0)), 0))
        .where(Customer.member_level_id.is_not(None))).one()
    return Liabilities(int(members), int(points), int(stored), int(with_points), int(with_value))


def member_report(s: Session, period: Period) -> MemberReport:
    got = member_sales(s, period.first, period.last)
    return MemberReport(period, got.rows, got.visits, got.sales, got.saved, got.member_share_pct,
                        liabilities(s))

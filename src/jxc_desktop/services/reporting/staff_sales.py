"""Sales by cashier, and the shifts with their cash count (交班, over/short history).

By cashier nets customer returns against sales like the other splits (sales.py), so its total net
equals the profit summary's net sales for the period; sales rung up with nobody signed in (a shop
without cashiers, history before migration 0010) are one row of their own. The shifts' figures
are staff's (one aggregate per table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Person, Sale, Shift
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.periods import Period
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.sales import SalesSplitReport, _row, _total
from jxc_desktop.services.staff import api as staff


def by_cashier(s: Session, period: Period) -> SalesSplitReport:
    is_sale, is_ret = Sale.kind == "sale", Sale.kind == "return"
    stmt = select(
        Sale.cashier_id, func.sum(case((is_sale, Sale.total), else_=0)), func.sum(case((is_ret, Sale.total), else_=0)),
        func.sum(case((is_sale, 1), else_=0)), func.sum(case((is_ret, 1), else_=0)),
    ).where(Sale.business_day >= period.first, Sale.business_day <= period.last, Sale.status == "posted") \
        .group_by(Sale.cashier_id)
    found = list(s.execute(stmt))
    names = dict(s.execute(select(Person.id, Person.name).where(
        Person.id.in_([c for c, *_rest in found if c is not None]))).all())
    rows = [_row(str(cid) if cid is not None else "", names.get(cid, "") if cid is not None else _("(nobody signed in)"),
                 int(a or 0), int(b or 0), int(n or 0), int(r or 0)) for cid, a, b, n, r in found]
    rows.sort(key=lambda x: (-x.net, x.label))
    return SalesSplitReport(period, "cashier", tuple(rows), _total(s, period, rows))


@dataclass(frozen=True, slots=True)
class ShiftRow:
    key: str  # the shift's id; "total"
    label: str  # "#12 王芳"
    cashier: str
    till: str
    opened: str  # local time
    closed: str
    sales: int
    returns: int
    net: int
    cash_in: int
    cash_out: int
    expected: int
    counted: int | None
    over_short: int | None


@dataclass(frozen=True)
class ShiftReport:
    period: Period
    rows: tuple[ShiftRow, ...]
    total: ShiftRow


def _local(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def shift_report(s: Session, period: Period) -> ShiftReport:
    """Shifts opened in the period, oldest first; the total adds over/short of the closed ones."""
    start, end = day_bounds_utc(period.first, period.last)
    shifts = s.scalars(select(Shift).where(Shift.opened_at >= start, Shift.opened_at < end)
                       .order_by(Shift.opened_at, Shift.id))
    rows = tuple(ShiftRow(str(x.id), f"#{x.id} {x.cashier}", x.cashier, x.till, _local(x.opened_at),
                          _local(x.closed_at) or _("open"), x.sales_total, x.returns_total, x.net_total, x.cash_in,
                          x.cash_out, x.expected, x.counted, x.over_short) for x in staff.summaries(s, shifts))
    closed = [r for r in rows if r.counted is not None]
    total = ShiftRow("total", _("Total"), "", "", "", "", sum(r.sales for r in rows), sum(r.returns for r in rows),
                     sum(r.net for r in rows), sum(r.cash_in for r in rows), sum(r.cash_out for r in rows),
                     sum(r.expected for r in rows), sum(r.counted or 0 for r in closed),
                     sum(r.over_short or 0 for r in closed))
    return ShiftReport(period, rows, total)

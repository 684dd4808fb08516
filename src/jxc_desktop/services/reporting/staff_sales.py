"""The shifts with their cash count (交班, over/short history); the shifts' figures are staff's
(one aggregate per table). Sales by cashier: sales.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Shift
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.periods import Period
from jxc_desktop.i18n import _
from jxc_desktop.services.staff import api as staff


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

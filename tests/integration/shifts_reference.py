"""The shifts report's SQLAlchemy query before it became SQL text (session 16), kept word for word
as the reference the new text must equal (test_shifts_reference.py); each shift's figures are the
ones before session 15 (shift_day_reference.summaries), so the whole report is the old one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Shift
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.periods import Period
from jxc_desktop.i18n import _

# the rows' shape and the local time text did not change: only the queries are kept as they were
from jxc_desktop.services.reporting.staff_sales import ShiftReport, ShiftRow, _local
from tests.integration import shift_day_reference as staff


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

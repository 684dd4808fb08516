"""The shifts report's SQLAlchemy query before it became SQL text (session 16), kept word for word
as the reference the new text must equal (test_shifts_reference.py); each shift's figures are the
ones before session 15 (shift_day_reference.summaries), so the whole report is the old one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Shift
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.periods import Period

# the rows' arithmetic and the local time text did not change: only the queries are kept as they were
from jxc_desktop.services.reporting.staff_sales import ShiftReport, shift_report_of
from tests.integration import shift_day_reference as staff


def shift_report(s: Session, period: Period) -> ShiftReport:
    """Shifts opened in the period, oldest first; the total adds over/short of the closed ones."""
    start, end = day_bounds_utc(period.first, period.last)
    shifts = s.scalars(select(Shift).where(Shift.opened_at >= start, Shift.opened_at < end)
                       .order_by(Shift.opened_at, Shift.id))
    return shift_report_of(period, staff.summaries(s, shifts))

"""The shifts with their cash count (交班, over/short history); the shifts and their figures are
staff's (``staff.api.shifts_between``: SQL text over ``Rows``, one aggregate per table), which the
reports service runs on its session and ``jxc report shifts`` on sqlite3 alone (issue 15). Sales
by cashier: sales.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.periods import Period
from jxc_desktop.i18n import _
from jxc_desktop.services.staff import api as staff

if TYPE_CHECKING:
    from jxc_desktop.services.staff.dto import ShiftSummary


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


def shift_report(rows: Rows, period: Period) -> ShiftReport:
    """Shifts opened in the period, oldest first; the total adds over/short of the closed ones."""
    return shift_report_of(period, staff.shifts_between(rows, period.first, period.last))


def shift_report_of(period: Period, shifts: Iterable[ShiftSummary]) -> ShiftReport:
    """The report from each shift's figures; the reference (tests/integration/shifts_reference.py)
    runs it on the figures its ORM query's shifts give."""
    got = tuple(ShiftRow(str(x.id), f"#{x.id} {x.cashier}", x.cashier, x.till, _local(x.opened_at),
                         _local(x.closed_at) or _("open"), x.sales_total, x.returns_total, x.net_total, x.cash_in,
                         x.cash_out, x.expected, x.counted, x.over_short)
                for x in shifts)
    closed = [r for r in got if r.counted is not None]
    total = ShiftRow("total", _("Total"), "", "", "", "", sum(r.sales for r in got), sum(r.returns for r in got),
                     sum(r.net for r in got), sum(r.cash_in for r in got), sum(r.cash_out for r in got),
                     sum(r.expected for r in got), sum(r.counted or 0 for r in closed),
                     sum(r.over_short or 0 for r in closed))
    return ShiftReport(period, got, total)

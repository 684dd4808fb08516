"""Public face of the staff package for the other process packages: sales checks that a sale's
shift is open, the 日结 adds up the day's shifts, reports and the books check name the cashier
and read each shift's figures."""

from __future__ import annotations

from jxc_desktop.services.staff.people import StaffService, has_cashiers, owner_name, person_name
from jxc_desktop.services.staff.shift_figures import summaries
from jxc_desktop.services.staff.shifts import (
           ShiftService,
           cash_move_in,
           check_shift_open,
           day_shifts,
           shifts_in_use,
           till_of,
)

__all__ = ["ShiftService", "StaffService", "cash_move_in", "check_shift_open", "day_shifts", "has_cashiers", "owner_name",
           "person_name", "shifts_in_use", "summaries", "till_of"]

"""Public face of the staff package for the other process packages: sales checks that a sale's
shift is open, the 日结 adds up the day's shifts, reports and the books check name the cashier
and read each shift's figures.

Every name is imported from its module on first use (then kept here as a plain attribute: lazy_face.py), as
catalog/api.py does: the shifts report reads ``shifts_between`` (shift_figures.py, SQL text over
``Rows``) and so loads neither the people and shift services nor SQLAlchemy, which ``jxc report
shifts`` runs without on sqlite3 alone (issue 15: a command's fixed cost).
"""

from typing import TYPE_CHECKING

from jxc_desktop.lazy_face import lazy_getattr

if TYPE_CHECKING:
    from jxc_desktop.services.staff.people import StaffService, has_cashiers, owner_name, person_name
    from jxc_desktop.services.staff.shift_figures import closed_shifts, shifts_between, summaries
    from jxc_desktop.services.staff.shifts import (
        ShiftService,
        cash_move_in,
        check_shift_open,
        day_shifts,
        shifts_in_use,
        till_of,
    )
    from jxc_desktop.services.staff.staff_list import person_name as person_name_in

# name -> the staff module it comes from, or (that module, its name there)
_LAZY = {
    **dict.fromkeys(("StaffService", "has_cashiers", "owner_name", "person_name"), "people"),
    **dict.fromkeys(("closed_shifts", "shifts_between", "summaries"), "shift_figures"),
    "person_name_in": ("staff_list", "person_name"),
    **dict.fromkeys(("ShiftService", "cash_move_in", "check_shift_open", "day_shifts", "shifts_in_use", "till_of"),
                    "shifts"),
}


__getattr__ = lazy_getattr("jxc_desktop.services.staff", _LAZY, globals())


__all__ = ["ShiftService", "StaffService", "cash_move_in", "check_shift_open", "closed_shifts", "day_shifts", "has_cashiers", "owner_name",
           "person_name", "person_name_in", "shifts_between", "shifts_in_use", "summaries", "till_of"]

"""A local day at the till: the summary for today's panel and the 日结 slip (sales, returns,
discounts, cost and net takings by payment method, the day's shifts and members' top-ups), in the
caller's session. The figures' SQL text: day_figures.py; the day's list of sales: day_list.py."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.services.members import api as members
from jxc_desktop.services.sales.day_figures import day_figures
from jxc_desktop.services.sales.dto import DaySummary
from jxc_desktop.services.staff import api as staff


def day_summary(session: Session, day: date) -> DaySummary:
    """Posted sales and returns of a local day; refunds are subtracted from their payment method."""
    return day_figures(SessionRows(session), day, staff.day_shifts(session, day),
                       members.topups_by_method(session, day, day))

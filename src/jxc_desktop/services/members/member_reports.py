"""One member's visits and spending, read from the posted sales (the member's card in the members
tab). The member sales of a period and what the shop owes its members: member_sums.py (SQL text).

A visit is a posted sale naming the member; a return names the member of its sale (checkout keeps
it) and lowers what they spent. Reversed sales count for nothing.
"""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Sale
from jxc_desktop.services.members.directory import get_member
from jxc_desktop.services.members.dto import MemberSummary

_SIGNED_TOTAL = case((Sale.kind == "return", -Sale.total), else_=Sale.total)
_VISIT = case((Sale.kind == "sale", 1), else_=0)


def member_summary(session: Session, member_id: int) -> MemberSummary:
    member = get_member(session, member_id)
    visits, spent, last = session.execute(
        select(func.coalesce(func.sum(_VISIT), 0), func.coalesce(func.sum(_SIGNED_TOTAL), 0),
               func.max(case((Sale.kind == "sale", Sale.business_day), else_=None)))
        .where(Sale.member_id == member_id, Sale.status == "posted")).one()
    return MemberSummary(member, int(visits), int(spent), last)

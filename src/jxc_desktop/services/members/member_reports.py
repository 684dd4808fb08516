"""One member's visits and spending, read from the posted sales (the member's card in the members
tab, ``jxc members show``), as SQL text either driver runs (issue 15). The member sales of a period
and what the shop owes its members: member_sums.py (SQL text).

A visit is a posted sale naming the member; a return names the member of its sale (checkout keeps
it) and lowers what they spent. Reversed sales count for nothing.
"""

from __future__ import annotations

from jxc_desktop.db.text_reads import Rows, as_date
from jxc_desktop.services.members.dto import MemberSummary
from jxc_desktop.services.members.member_list import member_by_id

VISITS = ("SELECT coalesce(sum(CASE WHEN kind = 'sale' THEN 1 ELSE 0 END), 0), "
          "coalesce(sum(CASE WHEN kind = 'return' THEN -total ELSE total END), 0), "
          "max(CASE WHEN kind = 'sale' THEN business_day END) "
          "FROM sale WHERE member_id = :member AND status = 'posted'")


def member_summary(rows: Rows, member_id: int) -> MemberSummary:
    member = member_by_id(rows, member_id)
    visits, spent, last = rows.all(VISITS, member=member_id)[0]
    return MemberSummary(member, int(visits), int(spent), as_date(last))

"""The SQLAlchemy read of the member levels before session 17 made it SQL text
(members/level_list.py), kept word for word as the reference the text must equal
(test_level_list_reference.py)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Customer, MemberLevel
from jxc_desktop.services.members.dto import MemberLevelDTO
from jxc_desktop.services.members.levels import level_dto


def list_levels(session: Session, *, active_only: bool = False) -> list[MemberLevelDTO]:
    counts = dict(session.execute(select(Customer.member_level_id, func.count(Customer.id))
                                  .where(Customer.member_level_id.is_not(None)).group_by(Customer.member_level_id)).all())
    q = select(MemberLevel).order_by(MemberLevel.sort, MemberLevel.id)
    if active_only:
        q = q.where(MemberLevel.active.is_(True))
    return [level_dto(lv, int(counts.get(lv.id, 0))) for lv in session.scalars(q)]

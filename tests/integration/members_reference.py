"""The SQLAlchemy queries of one member (by card or phone), their visits and spending and their
points and stored-value ledgers that session 16 replaced by SQL text (members/member_list.py,
member_reports.py, ledger_lists.py), kept word for word as the reference the text is compared
with (test_members_reference.py)."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Customer, PointsMove, Sale, StoredValueMove
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.services.members.directory import _members, get_member, member_dto
from jxc_desktop.services.members.dto import MemberDTO, MemberSummary
from jxc_desktop.services.members.ledgers import member_row
from jxc_desktop.services.members.money_dto import PointsMoveDTO, ValueMoveDTO

MAX_ROWS = 10_000


def member_by_key(session: Session, key: str) -> MemberDTO:
    """The one member of a card number or phone (``jxc members show PHONE_OR_CARD``)."""
    text = key.strip().replace(" ", "")
    q = _members()
    for cond in (Customer.card_no == text.upper(), Customer.phone == text):
        row = session.execute(q.where(cond)).first()
        if row is not None:
            return member_dto(row[0], row[1])
    raise NotFoundError("No member with phone or card {key}", key=text[:40] or "-")


_SIGNED_TOTAL = case((Sale.kind == "return", -Sale.total), else_=Sale.total)
_VISIT = case((Sale.kind == "sale", 1), else_=0)


def member_summary(session: Session, member_id: int) -> MemberSummary:
    member = get_member(session, member_id)
    visits, spent, last = session.execute(
        select(func.coalesce(func.sum(_VISIT), 0), func.coalesce(func.sum(_SIGNED_TOTAL), 0),
               func.max(case((Sale.kind == "sale", Sale.business_day), else_=None)))
        .where(Sale.member_id == member_id, Sale.status == "posted")).one()
    return MemberSummary(member, int(visits), int(spent), last)


def points_ledger(session: Session, member_id: int) -> list[PointsMoveDTO]:
    member_row(session, member_id)
    rows = session.execute(
        select(PointsMove, Sale.number).outerjoin(Sale, Sale.id == PointsMove.sale_id)
        .where(PointsMove.customer_id == member_id).order_by(PointsMove.id).limit(MAX_ROWS)).all()
    out, bal = [], 0
    for m, number in rows:
        bal += m.points
        out.append(PointsMoveDTO(m.id, m.at, m.kind, m.points, number or "", m.note, m.actor, bal))
    return out


def value_ledger(session: Session, member_id: int) -> list[ValueMoveDTO]:
    member_row(session, member_id)
    rows = session.execute(
        select(StoredValueMove, Sale.number).outerjoin(Sale, Sale.id == StoredValueMove.sale_id)
        .where(StoredValueMove.customer_id == member_id).order_by(StoredValueMove.id)
        .limit(MAX_ROWS)).all()
    out, bal = [], 0
    for m, number in rows:
        bal += m.amount
        out.append(ValueMoveDTO(m.id, m.at, m.business_day, m.kind, m.amount, m.number or number or "",
                                m.method, m.note, m.actor, bal))
    return out

"""The two ledgers of a member, append-only: every points or stored-value change writes its move
and updates the cached balance on the member in the same transaction (``jxc check`` proves the sum
of the moves equals the balance: member_proofs.py). The only way the balances change."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from jxc_desktop.db.models import Customer, PointsMove, StoredValueMove
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.money import MAX_FEN, format_fen

POINT_KINDS = ("earn", "redeem", "return", "reverse", "adjust")
VALUE_KINDS = ("topup", "bonus", "pay", "refund", "reverse", "adjust")
MAX_POINTS = 1_000_000_000
# a return takes back the points its lines earned even when the member has spent them since: the
# balance may then stand below zero until new sales earn it back
MAY_GO_NEGATIVE = ("return",)


def member_row(session: Session, member_id: int) -> Customer:
    """The member (a customer with a level) for a write; NotFoundError otherwise."""
    row = session.get(Customer, member_id)
    if row is None or row.member_level_id is None:
        raise NotFoundError("Member {id} does not exist", id=member_id)
    return row


def move_points(session: Session, member: Customer, kind: str, points: int, *, at: datetime,
                sale_id: int | None = None, note: str = "", actor: str = "") -> PointsMove:
    if kind not in POINT_KINDS:
        raise ValidationError("Unknown points move {kind}", kind=kind)
    if isinstance(points, bool) or not isinstance(points, int) or points == 0 or abs(points) > MAX_POINTS:
        raise ValidationError("The points must be a whole number, not zero")
    after = (member.points or 0) + points
    if after < 0 and kind not in MAY_GO_NEGATIVE:
        raise ValidationError("{name} holds {held} points: {wanted} cannot be taken",
                              name=member.name, held=member.points or 0, wanted=-points)
    move = PointsMove(customer_id=member.id, at=at, kind=kind, points=points, sale_id=sale_id,
                      note=note[:200], actor=actor[:60])
    session.add(move)
    member.points = after
    return move


def move_value(session: Session, member: Customer, kind: str, amount: int, *, at: datetime, day: date,
               sale_id: int | None = None, number: str | None = None, method: str = "",
               shift_id: int | None = None, note: str = "", actor: str = "") -> StoredValueMove:
    if kind not in VALUE_KINDS:
        raise ValidationError("Unknown stored-value move {kind}", kind=kind)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0 or abs(amount) > MAX_FEN:
        raise ValidationError("The stored-value amount must not be zero")
    after = (member.stored_value or 0) + amount
    if after < 0:
        raise ValidationError("{name}'s stored value is {balance}: {wanted} cannot be paid from it",
                              name=member.name, balance=format_fen(member.stored_value or 0),
                              wanted=format_fen(-amount))
    move = StoredValueMove(customer_id=member.id, at=at, kind=kind, number=number, business_day=day,
                           amount=amount, method=method, shift_id=shift_id, sale_id=sale_id,
                           note=note[:200], actor=actor[:60])
    session.add(move)
    member.stored_value = after
    return move

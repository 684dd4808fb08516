"""What a member's sale and return do to the member's money, inside the sale's transaction (sales
calls these through the api): stored value and points tenders are taken from the balances, points
are earned per line; a return takes back its lines' points, gives back the points and stored value
that paid its share, and refunds that stored value to the card.

Points are earned on what was paid with money and with stored value, not on the part paid with
points: the top-up earned nothing (issue 17: no points on top-ups), so stored value earns when it
buys goods, like the cash it stands for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import MemberLevel, PointsMove
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.member_money import cumulative_share, earning_base, line_points, points_for_fen
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.members.ledgers import member_row, move_points, move_value
from jxc_desktop.services.members.money_dto import StoredValueNeedsOwner
from jxc_desktop.services.members.money_rules import money_rules
from jxc_desktop.services.safety import api as safety

VALUE_PAY = "stored_value_pay"  # audit actions: every stored-value change is in the trail (issue 17)
VALUE_REFUND = "stored_value_refund"


def sale_money_in(session: Session, member_id: int | None, *, sale_id: int, number: str, at: datetime,
                  day: date, total: int, lines: Sequence[tuple[int, bool]], stored_value: int, points_fen: int,
                  override: bool = False, actor: str = "") -> list[int]:
    """Take a sale's stored-value and points tenders from the member and earn the points; ``lines``
    are (net amount, at a line-level deal: 特价, 买N付M, 第N件) per sale line. Returns the points each line earned (0s without a
    member). ValidationError (nothing written: the caller's transaction rolls back) when the
    balances do not cover the tenders; StoredValueNeedsOwner above the PIN limit."""
    if member_id is None:
        if stored_value or points_fen:
            raise ValidationError("Choose the member who pays with stored value or points")
        return [0] * len(lines)
    member = member_row(session, member_id)
    rules = money_rules(session)
    if stored_value:
        above = bool(rules.sv_pin_limit) and stored_value > rules.sv_pin_limit
        if above and not override:
            raise StoredValueNeedsOwner(format_fen(stored_value), format_fen(rules.sv_pin_limit))
        move_value(session, member, "pay", -stored_value, at=at, day=day, sale_id=sale_id, number=number,
                   actor=actor)
        safety.record(session, VALUE_PAY, document=number, at=at, actor=actor,
                      after={"member": member.name, "amount": stored_value, "stored_value": member.stored_value},
                      detail="above the limit, approved by the owner" if above else None)
    if points_fen:
        move_points(session, member, "redeem", -points_for_fen(points_fen, rules.redeem_rate), at=at,
                    sale_id=sale_id, note=number, actor=actor)
    pct = session.scalar(select(MemberLevel.points_pct).where(MemberLevel.id == member.member_level_id))
    bases = earning_base([a for a, _p in lines], [rules.points_on_promoted or not p for _a, p in lines],
                         total, points_fen)
    shares = line_points(bases, per_yuan=rules.points_per_yuan, points_pct=int(pct or 0))
    if sum(shares):
        move_points(session, member, "earn", sum(shares), at=at, sale_id=sale_id, note=number, actor=actor)
    return shares


def redeemed_points(session: Session, sale_id: int) -> int:
    """Points a sale took as payment (positive)."""
    return -int(session.scalar(select(func.coalesce(func.sum(PointsMove.points), 0)).where(
        PointsMove.sale_id == sale_id, PointsMove.kind == "redeem")) or 0)


def return_money_in(session: Session, member_id: int | None, *, return_id: int, number: str, origin_id: int,
                    at: datetime, day: date, points_back: int, stored_value: int, points_fen: int,
                    origin_points_fen: int, points_fen_done: int, actor: str = "") -> None:
    """A return of a member's sale: ``points_back`` earned points taken back (the returned lines'
    share), ``stored_value`` fen refunded to the card, and the redeemed points that paid
    ``points_fen`` of the ``origin_points_fen`` the sale took in points (``points_fen_done`` by
    earlier returns) given back — all the shares of all returns add up to the sale's."""
    if member_id is None:
        if stored_value or points_fen or points_back:
            raise ValidationError("Stored value and points go back only to a member")
        return
    member = member_row(session, member_id)
    if points_back:
        move_points(session, member, "return", -points_back, at=at, sale_id=return_id, note=number, actor=actor)
    if stored_value:
        move_value(session, member, "refund", stored_value, at=at, day=day, sale_id=return_id, number=number,
                   actor=actor)
        safety.record(session, VALUE_REFUND, document=number, at=at, actor=actor,
                      after={"member": member.name, "amount": stored_value, "stored_value": member.stored_value})
    if points_fen:
        give = cumulative_share(redeemed_points(session, origin_id), origin_points_fen, points_fen_done, points_fen)
        if give:
            move_points(session, member, "reverse", give, at=at, sale_id=return_id, note=number, actor=actor)

"""Stored-value top-ups (储值充值, 充100送10) and the owner's manual adjustments of points and stored
value. A top-up is a document of its own (CZ… number): the money is a liability, not a sale (no
sale row, so the profit report does not see it), it goes into the cash book by its method and,
paid in cash while a shift is open, into that shift's drawer as a cash move naming the document.
Every change lands in the audit trail in its own transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from jxc_desktop.domain.clock import local_day
from jxc_desktop.domain.errors import StateError, ValidationError
from jxc_desktop.domain.money import MAX_FEN
from jxc_desktop.services.members.ledgers import member_row, move_points, move_value
from jxc_desktop.services.members.money_dto import TOPUP_METHODS, TopUpResult
from jxc_desktop.services.safety import api as safety
from jxc_desktop.services.shop import api as shop
from jxc_desktop.services.staff import api as staff

TOPUP = "stored_value_topup"  # audit actions
VALUE_ADJUST = "stored_value_adjust"
POINTS_ADJUST = "points_adjust"


def _fen(value: int, field: str, *, zero_ok: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("{field} must be an amount in yuan", field=field)
    if value < 0 or (value == 0 and not zero_ok):
        raise ValidationError("{field} must be more than zero", field=field)
    if value > MAX_FEN:
        raise ValidationError("{field} is too large", field=field)
    return value


def topup_in(session: Session, member_id: int, amount: int, *, bonus: int = 0, method: str = "cash",
             at: datetime, shift_id: int | None = None, person_id: int | None = None,
             actor: str = "") -> TopUpResult:
    """Top up a member's stored value by ``amount`` fen received by ``method`` plus ``bonus`` fen
    given (moves topup and bonus under one CZ number). With shifts in use a cash top-up needs the
    open shift, whose drawer takes the cash."""
    _fen(amount, "Top-up")
    _fen(bonus, "Bonus", zero_ok=True)
    if method not in TOPUP_METHODS:
        raise ValidationError("Unknown payment method {method}", method=str(method)[:20])
    member = member_row(session, member_id)
    if shift_id is not None:
        staff.check_shift_open(session, shift_id)
    elif method == "cash" and staff.shifts_in_use(session):
        raise StateError("Open a shift (交班) first: the shop counts the cash by shift")
    day = local_day(at)
    number = shop.next_number(session, shop.TOPUP, day)
    move_value(session, member, "topup", amount, at=at, day=day, number=number, method=method,
               shift_id=shift_id, actor=actor)
    if bonus:
        move_value(session, member, "bonus", bonus, at=at, day=day, number=number, shift_id=shift_id, actor=actor)
    if method == "cash" and shift_id is not None:
        staff.cash_move_in(session, shift_id, amount, f"储值充值 {number}", person_id=person_id, at=at)
    safety.record(session, TOPUP, document=number, at=at, actor=actor,
                  after={"member": member.name, "amount": amount, "bonus": bonus, "method": method,
                         "stored_value": member.stored_value})
    return TopUpResult(number, member.id, member.name, amount, bonus, method, member.stored_value, at)


def _reason(note: str) -> str:
    note = (note or "").strip()
    if not note or len(note) > 200:
        raise ValidationError("Say why (1 to 200 characters): the audit trail keeps the reason")
    return note


def adjust_value_in(session: Session, member_id: int, amount: int, note: str, *, at: datetime,
                    actor: str = "") -> int:
    """The owner's correction of a member's stored value (signed fen); the caller asked the PIN.
    Returns the balance after."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0:
        raise ValidationError("The stored-value amount must not be zero")
    note = _reason(note)
    member = member_row(session, member_id)
    before = member.stored_value
    move_value(session, member, "adjust", amount, at=at, day=local_day(at), note=note, actor=actor)
    safety.record(session, VALUE_ADJUST, document=member.name[:40], at=at, actor=actor, detail=note,
                  before={"stored_value": before}, after={"stored_value": member.stored_value, "amount": amount})
    return member.stored_value


def adjust_points_in(session: Session, member_id: int, points: int, note: str, *, at: datetime,
                     actor: str = "") -> int:
    """The owner's correction of a member's points (signed); the caller asked the PIN."""
    note = _reason(note)
    member = member_row(session, member_id)
    before = member.points
    move_points(session, member, "adjust", points, at=at, note=note, actor=actor)
    safety.record(session, POINTS_ADJUST, document=member.name[:40], at=at, actor=actor, detail=note,
                  before={"points": before}, after={"points": member.points, "points_added": points})
    return member.points

"""Shifts (交班): a cashier opens one at a till with the float (备用金), sells, pays cash in or out
of the drawer with a reason, and closes it with the counted cash (by denomination or one sum).

One open shift per till: the service refuses a second with a clear message, and a partial
unique index in the file (migration 0010) keeps it so even if two windows race. The figures are
shift_figures.py; the slip is reports/shift_slip.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jxc_desktop.db.models import CashMove, Person, Setting, Shift
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.cash_count import check_amount, count_total
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import NotFoundError, StateError, ValidationError
from jxc_desktop.domain.money import MAX_FEN, format_fen
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.services.safety import api as safety
from jxc_desktop.services.shop import api as shop
from jxc_desktop.services.staff.dto import DayShifts, ShiftSummary
from jxc_desktop.services.staff.shift_figures import (
    live_expected,
    shift_by_id,
    shifts_between,
    shifts_of_day,
    summary,
)

TILL_KEY = "till_id"  # shop setting: this program's till
USE_SHIFTS_KEY = "use_shifts"  # shop setting: a sale needs an open shift
SHIFT_OPENED = "shift_opened"
SHIFT_CLOSED = "shift_closed"
CASH_MOVE = "cash_move"


def till_of(session: Session) -> str:
    return shop.till_name(session)  # this PC's till (services/shop/till_config.py)


def shifts_in_use(session: Session) -> bool:
    row = session.get(Setting, USE_SHIFTS_KEY)
    return row is not None and row.value == "1"


def open_shift(session: Session, till: str) -> Shift | None:
    return session.scalar(select(Shift).where(Shift.till == till, Shift.status == "open"))


def check_shift_open(session: Session, shift_id: int) -> Shift:
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise NotFoundError("Shift {id} does not exist", id=shift_id)
    if shift.status != "open":
        raise StateError("Shift {id} is closed: open a new shift first", id=shift_id)
    return shift


def day_shifts(session: Session, day: date) -> DayShifts:
    """The shifts opened on a local day, oldest first."""
    return DayShifts(tuple(shifts_of_day(SessionRows(session), day)))


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise NotFoundError("No such person on the staff list")
    return person


@dataclass(frozen=True)
class ShiftService:
    db: Database
    clock: Callable[[], datetime] = utcnow

    def till(self) -> str:
        with self.db.read() as uow:
            return till_of(uow.session)

    def in_use(self) -> bool:
        with self.db.read() as uow:
            return shifts_in_use(uow.session)

    def current(self, till: str | None = None) -> ShiftSummary | None:
        """The open shift of this till (or ``till``), None when there is none."""
        with self.db.read() as uow:
            shift = open_shift(uow.session, till or till_of(uow.session))
            return summary(uow.session, shift) if shift is not None else None

    def current_id(self, till: str | None = None) -> int | None:
        """The id of this till's open shift (one indexed lookup: asked at every sale)."""
        with self.db.read() as uow:
            s = uow.session
            return s.scalar(select(Shift.id).where(Shift.till == (till or till_of(s)), Shift.status == "open"))

    def get(self, shift_id: int) -> ShiftSummary:
        """One shift with its figures (``jxc shift slip`` on sqlite3 alone runs the same)."""
        with self.db.read() as uow:
            return shift_by_id(SessionRows(uow.session), shift_id)

    def list(self, first: date, last: date) -> list[ShiftSummary]:
        """Shifts opened from local day ``first`` to ``last``, oldest first."""
        with self.db.read() as uow:
            return shifts_between(SessionRows(uow.session), first, last)

    def day(self, day: date) -> DayShifts:
        with self.db.read() as uow:
            return day_shifts(uow.session, day)

    def last_float_left(self, till: str | None = None) -> int:
        """What the last closed shift of the till left in the drawer: the next float's default."""
        with self.db.read() as uow:
            s = uow.session
            left = s.scalar(select(Shift.float_left).where(Shift.till == (till or till_of(s)),
                                                           Shift.status == "closed")
                            .order_by(Shift.closed_at.desc(), Shift.id.desc()).limit(1))
        return int(left or 0)

    # ------------------------------------------------------------ writing
    def open(self, person_id: int, float_amount: int, *, at: datetime | None = None,
             till: str | None = None) -> ShiftSummary:
        """Open a shift with the float; a second open shift at the same till is refused."""
        with self.db.write() as uow:
            shift = open_in(uow.session, person_id, float_amount, at=at or self.clock(), till=till)
            dto = summary(uow.session, shift)
            uow.commit()
        return dto

    def cash_move(self, shift_id: int | None, amount: int, reason: str, *, person_id: int | None = None,
                  at: datetime | None = None) -> int:
        """Cash paid into (+) or out of (−) the drawer with its reason (e.g. paying a delivery man).
        With shifts, it belongs to the open shift and counts in its expected cash."""
        with self.db.write() as uow:
            move = cash_move_in(uow.session, shift_id, amount, reason, person_id=person_id, at=at or self.clock())
            move_id = move.id
            uow.commit()
        return move_id

    def close(self, shift_id: int, *, counted: int | None = None, pieces: Mapping[int, int] | None = None,
              float_left: int | None = None, at: datetime | None = None, note: str = "") -> ShiftSummary:
        """Close with the counted cash: ``pieces`` by denomination, or ``counted`` as one sum (both
        given: they must agree). ``float_left`` stays in the drawer for the next shift (default:
        the float this shift started with, at most what was counted)."""
        with self.db.write() as uow:
            shift = close_in(uow.session, shift_id, counted=counted, pieces=pieces, float_left=float_left,
                             at=at or self.clock(), note=note)
            dto = summary(uow.session, shift)
            uow.commit()
        return dto


# ---------------------------------------------------------------- inside the caller's transaction


def open_in(session: Session, person_id: int, float_amount: int, *, at: datetime, till: str | None = None) -> Shift:
    check_amount(float_amount, "The float")
    s = session
    till = till or till_of(s)
    person = _person(s, person_id)
    other = open_shift(s, till)
    if other is not None:
        raise StateError("Till {till} has an open shift already ({name}, since {time}): close it first",
                         till=till, name=_person(s, other.person_id).name,
                         time=other.opened_at.astimezone().strftime("%H:%M"))
    shift = Shift(till=till, person_id=person.id, status="open", opened_at=at, float_amount=float_amount,
                  counted_detail="", note="")
    s.add(shift)
    try:
        s.flush()
    except IntegrityError as exc:  # another window opened one a moment ago
        raise StateError("Till {till} has an open shift already: close it first", till=till) from exc
    safety.record(s, SHIFT_OPENED, document=f"shift {shift.id}", after={"float": float_amount},
                  actor=person.name, at=at)
    return shift


def cash_move_in(session: Session, shift_id: int | None, amount: int, reason: str, *, person_id: int | None,
                 at: datetime) -> CashMove:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0 or abs(amount) > MAX_FEN:
        raise ValidationError("The amount paid in or out must not be zero")
    reason = clean_text(reason, "Reason", 100, required=True)
    s = session
    till = till_of(s)
    if shift_id is not None:
        shift = check_shift_open(s, shift_id)
        till = shift.till
        if amount < 0 and -amount > live_expected(s, shift):
            raise ValidationError("The drawer holds only {cash}: cannot pay out {amount}",
                                  cash=format_fen(live_expected(s, shift)), amount=format_fen(-amount))
    name = _person(s, person_id).name if person_id is not None else ""
    move = CashMove(shift_id=shift_id, person_id=person_id, till=till, at=at, amount=amount, reason=reason)
    s.add(move)
    s.flush()
    safety.record(s, CASH_MOVE, document=f"shift {shift_id}" if shift_id else till,
                  after={"amount": amount, "reason": reason}, actor=name, at=at)
    return move


def close_in(session: Session, shift_id: int, *, counted: int | None, pieces: Mapping[int, int] | None,
             float_left: int | None, at: datetime, note: str = "") -> Shift:
    detail = dict(pieces or {})
    if detail:
        total = count_total(detail)
        if counted is not None and counted != total:
            raise ValidationError("The notes and coins add up to {sum}, not {counted}",
                                  sum=format_fen(total), counted=format_fen(counted))
        counted = total
    if counted is None:
        raise ValidationError("Count the cash in the drawer first")
    check_amount(counted, "The counted cash")
    s = session
    shift = check_shift_open(s, shift_id)
    left = min(shift.float_amount, counted) if float_left is None else check_amount(float_left, "The float left")
    if left > counted:
        raise ValidationError("The float left ({left}) is more than the cash counted ({counted})",
                              left=format_fen(left), counted=format_fen(counted))
    expected = live_expected(s, shift)
    shift.status, shift.closed_at, shift.expected, shift.counted = "closed", at, expected, counted
    shift.counted_detail = json.dumps({str(k): v for k, v in sorted(detail.items(), reverse=True) if v})
    shift.float_left, shift.note = left, clean_text(note, "Note", 200)
    safety.record(s, SHIFT_CLOSED, document=f"shift {shift.id}", actor=_person(s, shift.person_id).name,
                  after={"expected": expected, "counted": counted, "over_short": counted - expected,
                         "float_left": left}, at=at)
    s.flush()
    return shift

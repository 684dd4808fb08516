"""People at the till: the owner and the cashiers, their login number and PIN, signing in.

Each person's PIN is hashed with the owner PIN's scrypt scheme (safety's api) and has its own
wrong-PIN count and one-minute lock, like the owner PIN. The person with the owner role signs in
with the owner PIN itself (one owner PIN, as before). With the shop setting "no PIN for cashiers"
a cashier signs in by picking the name. Everything is in the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Person, Setting
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.services.safety import api as safety
from jxc_desktop.services.staff import staff_list
from jxc_desktop.services.staff.dto import CASHIER, OWNER, ROLES, PersonDTO
from jxc_desktop.services.staff.staff_list import list_people, person_dto

NO_PIN_KEY = "cashier_no_pin"  # shop setting (shop/settings.py): cashiers sign in by name only
STAFF_ADDED = "staff_added"
STAFF_PIN_RESET = "staff_pin_reset"
STAFF_CHANGED = "staff_changed"
SIGN_IN = "sign_in"
SIGN_IN_WRONG = "sign_in_wrong"
SIGN_IN_LOCKED = "sign_in_locked"


def to_dto(p: Person, now: datetime | None = None) -> PersonDTO:
    """As the staff list shows a person (staff_list.py: the lock only while it holds at ``now``)."""
    return person_dto((p.id, p.name, p.number, p.role, p.active, p.pin_hash, p.locked_until), now)


def clean_number(number: str) -> str:
    number = str(number or "").strip()
    if not (number.isascii() and number.isdigit() and 1 <= len(number) <= 8):
        raise ValidationError("The login number must be 1 to 8 digits")
    return number


def owner_name(session: Session) -> str:
    """The owner's name for the audit trail ("owner" when the shop has named nobody)."""
    return staff_list.owner_name(SessionRows(session)) or safety.OWNER


def person_name(session: Session, person_id: int | None) -> str:
    if person_id is None:
        return ""
    return session.scalar(select(Person.name).where(Person.id == person_id)) or ""


def has_cashiers(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Person)
                               .where(Person.role == CASHIER, Person.active.is_(True))))


def _setting(session: Session, key: str) -> str:
    row = session.get(Setting, key)
    return row.value if row is not None else ""


@dataclass(frozen=True)
class StaffService:
    db: Database
    clock: Callable[[], datetime] = utcnow

    # ------------------------------------------------------------ reading
    def list(self, *, include_inactive: bool = False) -> list[PersonDTO]:
        """Owner first, then cashiers by login number."""
        with self.db.read() as uow:
            return list_people(SessionRows(uow.session), self.clock(), include_inactive=include_inactive)

    def has_cashiers(self) -> bool:
        """No cashier defined: the till works as before (the owner sells, nothing asks to sign in)."""
        with self.db.read() as uow:
            return has_cashiers(uow.session)

    def owner_name(self) -> str:
        with self.db.read() as uow:
            return owner_name(uow.session)

    def no_pin(self) -> bool:
        with self.db.read() as uow:
            return _setting(uow.session, NO_PIN_KEY) == "1"

    def get(self, name: str) -> PersonDTO:
        with self.db.read() as uow:
            return to_dto(self._by_name(uow.session, name), self.clock())

    @staticmethod
    def _by_name(session: Session, name: str) -> Person:
        person = session.scalar(select(Person).where(Person.name == str(name or "").strip()))
        if person is None:
            raise NotFoundError("No one called {name} works here", name=str(name)[:40])
        return person

    # ------------------------------------------------------------ changing (the caller asked the owner)
    def add(self, name: str, number: str, pin: str = "", *, role: str = CASHIER, actor: str = "") -> PersonDTO:
        """A new person; a cashier needs a PIN unless the shop lets cashiers sign in without one.
        The owner signs in with the owner PIN, so ``pin`` is ignored for the owner role."""
        name = clean_text(name, "Name", 40, required=True)
        number = clean_number(number)
        if role not in ROLES:
            raise ValidationError("Role must be owner or cashier")
        stored = ""
        if role == CASHIER and pin:
            stored = safety.hash_pin(safety.validate_pin(pin))
        with self.db.write() as uow:
            s = uow.session
            if role == CASHIER and not pin and _setting(s, NO_PIN_KEY) != "1":
                raise ValidationError("A cashier needs a PIN (or set \"no PIN for cashiers\")")
            if s.scalar(select(Person.id).where(Person.name == name)) is not None:
                raise ValidationError("{name} is already on the staff list", name=name)
            if s.scalar(select(Person.id).where(Person.number == number)) is not None:
                raise ValidationError("Login number {number} is taken", number=number)
            if role == OWNER and s.scalar(select(Person.id).where(Person.role == OWNER)) is not None:
                raise ValidationError("The shop has an owner already")
            person = Person(name=name, number=number, role=role, pin_hash=stored, active=True, failures=0,
                            created_at=self.clock())
            s.add(person)
            s.flush()
            safety.record(s, STAFF_ADDED, document=name, after={"number": number, "role": role},
                          actor=actor or owner_name(s), at=self.clock())
            dto = to_dto(person)
            uow.commit()
        return dto

    def reset_pin(self, name: str, new_pin: str, *, actor: str = "") -> None:
        """Give a cashier a new PIN (the owner does this when one is forgotten); clears the lock.
        An empty PIN removes it (only when cashiers may sign in without one)."""
        stored = safety.hash_pin(safety.validate_pin(new_pin)) if new_pin else ""
        with self.db.write() as uow:
            s = uow.session
            person = self._by_name(s, name)
            if person.role == OWNER:
                raise ValidationError("The owner signs in with the owner PIN: change it with jxc pin set")
            if not stored and _setting(s, NO_PIN_KEY) != "1":
                raise ValidationError("A cashier needs a PIN (or set \"no PIN for cashiers\")")
            person.pin_hash, person.failures, person.locked_until = stored, 0, None
            safety.record(s, STAFF_PIN_RESET, document=person.name, actor=actor or owner_name(s), at=self.clock())
            uow.commit()

    def set_active(self, name: str, active: bool, *, actor: str = "") -> None:
        with self.db.write() as uow:
            s = uow.session
            person = self._by_name(s, name)
            if bool(person.active) != active:
                person.active = active
                safety.record(s, STAFF_CHANGED, document=person.name, before={"active": not active},
                              after={"active": active}, actor=actor or owner_name(s), at=self.clock())
            uow.commit()

    # ------------------------------------------------------------ signing in
    def sign_in(self, number: str, pin: str) -> PersonDTO:
        """Number + PIN (each person's own wrong-PIN lock); with "no PIN for cashiers" a cashier's
        PIN is not asked. Raises PermissionDeniedError with tries left or the lock."""
        number = str(number or "").strip()
        with self.db.read() as uow:
            is_owner = uow.session.scalar(select(Person.role).where(Person.number == number)) == OWNER
        if is_owner:  # the owner PIN itself, with its own lock (safety/pin.py)
            safety.PinService(self.db, self.clock).verify(str(pin or ""), action=SIGN_IN)
        now = self.clock()
        with self.db.write() as uow:
            s = uow.session
            person = s.scalar(select(Person).where(Person.number == number, Person.active.is_(True)))
            if person is None:
                raise PermissionDeniedError("No one has login number {number}", number=number[:8])
            if person.role == OWNER:
                stored = ""  # checked above
            elif _setting(s, NO_PIN_KEY) == "1":
                stored = ""
            else:
                stored = person.pin_hash
            locked = person.locked_until
            if locked is not None and locked > now + timedelta(seconds=safety.LOCK_SECONDS):
                locked = now + timedelta(seconds=safety.LOCK_SECONDS)  # the clock was turned back
            if stored and locked is not None and locked > now:
                seconds = max(1, int((locked - now).total_seconds() + 0.999))
                raise PermissionDeniedError("Too many wrong PINs: PIN entry is locked for {seconds} more "
                                            "seconds", seconds=seconds)
            if stored and not safety.check_hash(str(pin or ""), stored):
                fails = (person.failures or 0) + 1
                if fails >= safety.MAX_TRIES:
                    person.failures, person.locked_until = 0, now + timedelta(seconds=safety.LOCK_SECONDS)
                    safety.record(s, SIGN_IN_LOCKED, document=person.name, actor=person.name, at=now,
                                  detail=f"{safety.MAX_TRIES} wrong tries")
                else:
                    person.failures = fails
                    safety.record(s, SIGN_IN_WRONG, document=person.name, actor=person.name, at=now)
                uow.commit()
                if fails >= safety.MAX_TRIES:
                    raise PermissionDeniedError("Too many wrong PINs: PIN entry is locked for {seconds} more "
                                                "seconds", seconds=safety.LOCK_SECONDS)
                raise PermissionDeniedError("Wrong PIN ({left} tries left)", left=safety.MAX_TRIES - fails)
            person.failures, person.locked_until = 0, None
            safety.record(s, SIGN_IN, document=person.name, actor=person.name, at=now)
            dto = to_dto(person)
            uow.commit()
        return dto

    def sign_in_by_name(self, name: str) -> PersonDTO:
        """"No PIN for cashiers": a cashier picks the name (the owner still needs the owner PIN)."""
        with self.db.write() as uow:
            s = uow.session
            if _setting(s, NO_PIN_KEY) != "1":
                raise PermissionDeniedError("Sign in with your number and PIN")
            person = self._by_name(s, name)
            if person.role != CASHIER or not person.active:
                raise PermissionDeniedError("Sign in with your number and PIN")
            safety.record(s, SIGN_IN, document=person.name, actor=person.name, at=self.clock())
            dto = to_dto(person)
            uow.commit()
        return dto

"""The member directory (会员): add and edit members, and find them the way a till does — by the
card scanned, the phone typed, or its last 4 digits (a pick list when several share them).

A member IS a customer (the ``customer`` table of the accounts package) with a level: adding a
member writes a customer row with ``member_level_id`` set. Phones of members are kept as digits
only, unique among members; cards are unique, and neither may be another member's phone or card,
so ``PHONE_OR_CARD`` always names one member. A member added with only a phone or card gets a
made-up name ("会员 1234"), since customer names are unique and required.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Customer, MemberLevel
from jxc_desktop.db.text_reads import SessionRows, like_pattern
from jxc_desktop.domain.clock import local_day, utcnow
from jxc_desktop.domain.errors import NotFoundError, StateError, ValidationError
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.services.catalog.api import pinyin_full, pinyin_initials
from jxc_desktop.services.members import member_list
from jxc_desktop.services.members.dto import AUDIT_MEMBER_ADDED, AUDIT_MEMBER_CHANGED, MemberDTO, MemberInput
from jxc_desktop.services.members.levels import find_level, seed_levels
from jxc_desktop.services.safety import api as safety

MAX_FOUND = 30  # a pick list longer than this is no help at a till


def clean_phone(text: str) -> str:
    """A member's phone as digits only (spaces and dashes typed between them are dropped)."""
    raw = clean_text(text, "Phone", 40)
    digits = raw.replace(" ", "").replace("-", "")
    if digits and (not digits.isascii() or not digits.isdigit() or not 3 <= len(digits) <= 20):
        raise ValidationError("A member's phone is 3 to 20 digits, not '{phone}'", phone=raw[:40])
    return digits


def clean_card(text: str) -> str:
    card = clean_text(text, "Card", 32).replace(" ", "")
    if card and not (card.isascii() and card.replace("-", "").isalnum()):
        raise ValidationError("A card number holds letters, digits and - only, not '{card}'", card=card[:32])
    return card.upper()


def validate_member(data: MemberInput) -> MemberInput:
    phone, card = clean_phone(data.phone), clean_card(data.card)
    if not phone and not card:
        raise ValidationError("A member needs a phone number or a card number")
    if data.birthday is not None and not isinstance(data.birthday, date):
        raise ValidationError("The birthday is not a date")
    return MemberInput(phone, card, clean_text(data.name, "Name", 100), clean_text(data.level, "Level", 20),
                       data.birthday, data.joined_on, clean_text(data.note, "Note", 500))


def member_dto(c: Customer, level: MemberLevel) -> MemberDTO:
    return MemberDTO(c.id, c.name, c.phone, c.card_no or "", level.id, level.name, level.price_pct,
                     level.points_pct, c.birthday, c.joined_on, int(c.points or 0), int(c.stored_value or 0),
                     bool(c.active), c.level == "wholesale", c.note)


def _members() -> Any:
    return select(Customer, MemberLevel).join(MemberLevel, MemberLevel.id == Customer.member_level_id)


def _check_unique(session: Session, phone: str, card: str, other_than: int | None) -> None:
    """The phone unused by another member, the card by anyone, and neither taken the other way round."""
    def taken(*conds: Any) -> int | None:
        q = select(Customer.id).where(Customer.member_level_id.is_not(None), or_(*conds))
        if other_than is not None:
            q = q.where(Customer.id != other_than)
        return session.scalar(q.limit(1))

    if phone and taken(Customer.phone == phone):
        raise ValidationError("The phone number {phone} is already used by another member", phone=phone)
    if phone and taken(Customer.card_no == phone):
        raise ValidationError("The phone number {phone} is another member's card number", phone=phone)
    if card:
        owner = session.scalar(select(Customer.id).where(Customer.card_no == card))
        if owner is not None and owner != other_than:
            raise ValidationError("The card {card} is already used", card=card)
        if taken(Customer.phone == card):
            raise ValidationError("The card number {card} is another member's phone number", card=card)


def _free_name(session: Session, wanted: str, other_than: int | None) -> str | None:
    cid = session.scalar(select(Customer.id).where(func.lower(Customer.name) == wanted.lower()))
    return wanted if cid is None or cid == other_than else None


def member_name(session: Session, data: MemberInput, other_than: int | None = None) -> str:
    """The name typed (refused when another customer has it), else "会员 <last 4>" made unique."""
    if data.name:
        if _free_name(session, data.name, other_than) is None:
            raise ValidationError("A customer named {name} already exists", name=data.name)
        return data.name
    base = f"会员 {(data.phone or data.card)[-4:]}"
    for n in range(1, 10_000):
        name = base if n == 1 else f"{base} ({n})"
        if _free_name(session, name, other_than) is not None:
            return name
    raise StateError("No free name for a new member; type a name")


def _pinyin_key(name: str) -> str:
    return f"{pinyin_full(name)} {pinyin_initials(name)}".lower()[:530]


def _audit_fields(c: Customer, level: MemberLevel) -> dict[str, Any]:
    return {"name": c.name, "phone": c.phone, "card": c.card_no or "", "level": level.name,
            "birthday": c.birthday.isoformat() if c.birthday else "", "active": bool(c.active)}


def add_member(session: Session, data: MemberInput, *, at: datetime | None = None) -> MemberDTO:
    """A new member (a new customer with a level), in the caller's write transaction."""
    data = validate_member(data)
    seed_levels(session)
    level = find_level(session, data.level)
    _check_unique(session, data.phone, data.card, None)
    name = member_name(session, data)
    at = at or utcnow()
    c = Customer(name=name, phone=data.phone, card_no=data.card or None, birthday=data.birthday,
                 joined_on=data.joined_on or local_day(at), member_level_id=level.id, note=data.note,
                 pinyin_key=_pinyin_key(name), created_at=at, points=0, stored_value=0)
    session.add(c)
    session.flush()
    safety.record(session, AUDIT_MEMBER_ADDED, document=name, after=_audit_fields(c, level), at=at)
    return member_dto(c, level)


def update_member(session: Session, member_id: int, data: MemberInput) -> MemberDTO:
    """A member's phone, card, name, level, birthday, joined day and note; the balances stay."""
    data = validate_member(data)
    c, old_level = member_row(session, member_id)
    level = find_level(session, data.level) if data.level else old_level
    _check_unique(session, data.phone, data.card, member_id)
    name = member_name(session, data, member_id) if data.name else c.name
    before = _audit_fields(c, old_level)
    c.name, c.phone, c.card_no, c.birthday = name, data.phone, data.card or None, data.birthday
    c.joined_on, c.note, c.member_level_id = data.joined_on or c.joined_on, data.note, level.id
    c.pinyin_key = _pinyin_key(name)
    session.flush()
    after = _audit_fields(c, level)
    if after != before:
        safety.record(session, AUDIT_MEMBER_CHANGED, document=name, before=before, after=after)
    return member_dto(c, level)


def member_row(session: Session, member_id: int) -> tuple[Customer, MemberLevel]:
    row = session.execute(_members().where(Customer.id == member_id)).first()
    if row is None:
        raise NotFoundError("Member {id} does not exist", id=member_id)
    return row[0], row[1]


def get_member(session: Session, member_id: int) -> MemberDTO:
    return member_dto(*member_row(session, member_id))


def find_members(session: Session, text: str, *, active_only: bool = True) -> list[MemberDTO]:
    """What the till finds for what was scanned or typed: the member of that card, else of that
    phone, else — for 4 digits — every member whose phone ends in them, else members whose name
    or pinyin holds the text. Empty list when nothing matches."""
    key = clean_text(text, "Search", 40).replace(" ", "")
    if not key:
        return []
    q = _members()
    if active_only:
        q = q.where(Customer.active.is_(True))
    for cond in (Customer.card_no == key.upper(), Customer.phone == key):
        rows = session.execute(q.where(cond).limit(MAX_FOUND)).all()
        if rows:
            return [member_dto(c, lv) for c, lv in rows]
    if len(key) == 4 and key.isascii() and key.isdigit():
        cond = Customer.phone.like(f"%{key}")
    else:
        pat = like_pattern(key.lower())
        cond = or_(func.lower(Customer.name).like(pat, escape="\\"), Customer.pinyin_key.like(pat, escape="\\"),
                   Customer.phone.like(pat, escape="\\"))
    rows = session.execute(q.where(cond).order_by(Customer.pinyin_key, Customer.id).limit(MAX_FOUND)).all()
    return [member_dto(c, lv) for c, lv in rows]


def member_by_key(session: Session, key: str) -> MemberDTO:
    """The one member of a card number or phone (``jxc members show PHONE_OR_CARD``): member_list.py."""
    return member_list.member_by_key(SessionRows(session), key)


def list_members(session: Session, *, text: str = "", active_only: bool = False,
                 limit: int = 100_000) -> list[MemberDTO]:
    """Members in name order (a filter by name, pinyin, phone or card): the SQL text of
    member_list.py, also run by ``jxc members list`` on sqlite3 alone."""
    return member_list.list_members(SessionRows(session), text=text, active_only=active_only, limit=limit)


def check_member_in(session: Session, member_id: int) -> MemberDTO:
    """The member a sale names: one that exists, is a member and is active (ValidationError else)."""
    row = session.execute(_members().where(Customer.id == member_id)).first()
    if row is None:
        raise ValidationError("Member {id} does not exist", id=member_id)
    if not row[0].active:
        raise ValidationError("{name} is deactivated and cannot be a sale's member", name=row[0].name)
    return member_dto(row[0], row[1])

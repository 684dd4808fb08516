"""Member levels (会员等级): 普通/银卡/金卡 with a level discount and a points factor.

A shop has no levels until they are first needed: listing them, adding a member or ``jxc demo``
writes the three defaults (dto.DEFAULT_LEVELS) once, in the caller's write transaction. Levels are
never deleted (sales and members name them); one no longer offered is deactivated.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import MemberLevel
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.services.members.dto import AUDIT_MEMBER_LEVEL, DEFAULT_LEVELS, LevelInput, MemberLevelDTO
from jxc_desktop.services.safety import api as safety


def _pct(value: object, what: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValidationError("{field} must be a whole number from {low} to {high}", field=what, low=low, high=high)
    return value


def validate_level(data: LevelInput) -> LevelInput:
    name = clean_text(data.name, "Level name", 20, required=True)
    return LevelInput(name, _pct(data.price_pct, "Level price %", 1, 100), _pct(data.points_pct, "Points %", 0, 1000),
                      _pct(data.sort, "Order", -1000, 1000), bool(data.active))


def level_dto(level: MemberLevel, members: int = 0) -> MemberLevelDTO:
    return MemberLevelDTO(level.id, level.name, level.price_pct, level.points_pct, level.sort, level.active, members)


def has_levels(session: Session) -> bool:
    return session.scalar(select(MemberLevel.id).limit(1)) is not None


def seed_levels(session: Session) -> bool:
    """Write the default levels when the shop has none (inside a write transaction); True if written."""
    if has_levels(session):
        return False
    for sort, (name, price_pct, points_pct) in enumerate(DEFAULT_LEVELS):
        session.add(MemberLevel(name=name, price_pct=price_pct, points_pct=points_pct, sort=sort, active=True))
    session.flush()
    return True


def find_level(session: Session, text: str) -> MemberLevel:
    """A level by its name (any case) or its id as text; empty text: the first active level."""
    key = (text or "").strip()
    if not key:
        level = session.scalar(select(MemberLevel).where(MemberLevel.active.is_(True))
                               .order_by(MemberLevel.sort, MemberLevel.id).limit(1))
    else:
        level = session.scalar(select(MemberLevel).where(func.lower(MemberLevel.name) == key.lower()))
        if level is None and key.isdigit():
            level = session.get(MemberLevel, int(key))
    if level is None:
        names = "、".join(session.scalars(select(MemberLevel.name).order_by(MemberLevel.sort, MemberLevel.id)))
        raise NotFoundError("No member level {level} (the levels: {names})", level=key[:20] or "-", names=names or "-")
    return level


def _name_taken(session: Session, name: str, other_than: int | None) -> bool:
    found = session.scalar(select(MemberLevel.id).where(func.lower(MemberLevel.name) == name.lower()))
    return found is not None and found != other_than


def add_level(session: Session, data: LevelInput) -> MemberLevelDTO:
    data = validate_level(data)
    if _name_taken(session, data.name, None):
        raise ValidationError("A member level named {name} already exists", name=data.name)
    level = MemberLevel(name=data.name, price_pct=data.price_pct, points_pct=data.points_pct, sort=data.sort,
                        active=data.active)
    session.add(level)
    session.flush()
    safety.record(session, AUDIT_MEMBER_LEVEL, document=data.name, after=_fields(level))
    return level_dto(level)


def update_level(session: Session, level_id: int, data: LevelInput) -> MemberLevelDTO:
    data = validate_level(data)
    level = session.get(MemberLevel, level_id)
    if level is None:
        raise NotFoundError("Member level {id} does not exist", id=level_id)
    if _name_taken(session, data.name, level_id):
        raise ValidationError("A member level named {name} already exists", name=data.name)
    if not data.active and level.active and session.scalar(
            select(MemberLevel.id).where(MemberLevel.active.is_(True), MemberLevel.id != level_id).limit(1)) is None:
        raise ValidationError("Keep at least one member level in use")
    before = _fields(level)
    level.name, level.price_pct, level.points_pct = data.name, data.price_pct, data.points_pct
    level.sort, level.active = data.sort, data.active
    session.flush()
    if before != _fields(level):  # the level discount changes what members pay: in the audit trail
        safety.record(session, AUDIT_MEMBER_LEVEL, document=data.name, before=before, after=_fields(level))
    return level_dto(level)


def _fields(level: MemberLevel) -> dict[str, object]:
    return {"name": level.name, "price_pct": level.price_pct, "points_pct": level.points_pct,
            "sort": level.sort, "active": bool(level.active)}

"""What crosses the members package's edge: member levels, members as entered and as stored, what
the till shows of a member, and the member reports. Pure Python (no SQLAlchemy). Money is integer
fen; points are whole points."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The levels a shop starts with (seeded the first time levels are needed): name, price_pct, points_pct.
DEFAULT_LEVELS: tuple[tuple[str, int, int], ...] = (("普通", 100, 100), ("银卡", 95, 100), ("金卡", 90, 150))

# the audit trail's actions for member data (the audit viewer shows them)
AUDIT_MEMBER_ADDED = "member_added"
AUDIT_MEMBER_CHANGED = "member_changed"
AUDIT_MEMBER_LEVEL = "member_level"


@dataclass(frozen=True)
class LevelInput:
    name: str
    price_pct: int = 100  # the level discount on retail for products without a member price (95 = 95折)
    points_pct: int = 100  # points earned, in percent of the shop's rate
    sort: int = 0
    active: bool = True


@dataclass(frozen=True)
class MemberLevelDTO:
    id: int
    name: str
    price_pct: int
    points_pct: int
    sort: int
    active: bool
    members: int = 0  # how many members are at this level


@dataclass(frozen=True)
class MemberInput:
    """A member as the form or ``jxc members add`` gives it: a phone or a card (at least one); the
    name may be left empty (a name is made from the phone or card). ``level``: a level's name or
    id as text; empty = the first level."""

    phone: str = ""
    card: str = ""
    name: str = ""
    level: str = ""
    birthday: date | None = None
    joined_on: date | None = None  # empty: today
    note: str = ""


@dataclass(frozen=True)
class MemberDTO:
    id: int  # the customer's id (a member is a customer with a level)
    name: str
    phone: str
    card: str
    level_id: int
    level: str
    price_pct: int
    points_pct: int
    birthday: date | None
    joined_on: date | None
    points: int
    stored_value: int  # fen
    active: bool
    wholesale: bool = False  # the customer buys at wholesale prices
    note: str = ""

    @property
    def phone_tail(self) -> str:
        return self.phone[-4:] if self.phone else ""


@dataclass(frozen=True)
class MemberSummary:
    """``jxc members show``: the member with their visits (sales, returns not counted) and what they
    spent (sales less returns, fen)."""

    member: MemberDTO
    visits: int
    spent: int
    last_visit: date | None = None


@dataclass(frozen=True)
class MemberSalesRow:
    """One member's sales in a period (the member sales report and the top members)."""

    member_id: int
    name: str
    phone: str
    level: str
    visits: int
    sales: int  # fen, sales less returns
    saved: int  # fen, what member prices saved them
    last_visit: date | None


@dataclass(frozen=True)
class MemberSales:
    start: date
    end: date
    rows: tuple[MemberSalesRow, ...]
    visits: int
    sales: int
    saved: int
    member_share_pct: int  # members' sales in percent of all sales of the period (rounded)


@dataclass(frozen=True)
class Liabilities:
    """What the shop owes its members at a moment: points outstanding and stored value (储值)."""

    members: int
    points: int
    stored_value: int  # fen
    members_with_points: int
    members_with_stored_value: int

"""What crosses the staff package's edge: people, shifts, cash moves and the shift slip's figures.
Pure Python (no SQLAlchemy): the slip PDF and the UI import it lightly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

OWNER = "owner"
CASHIER = "cashier"
ROLES = (OWNER, CASHIER)


@dataclass(frozen=True)
class PersonDTO:
    id: int
    name: str
    number: str
    role: str  # owner | cashier
    active: bool
    has_pin: bool
    locked_until: datetime | None = None


@dataclass(frozen=True)
class CashMoveDTO:
    id: int
    at: datetime
    amount: int  # signed fen: + paid in, − paid out
    reason: str
    person: str


@dataclass(frozen=True)
class ShiftSummary:
    """One shift's figures: what the slip prints and the reports list."""

    id: int
    till: str
    cashier: str
    cashier_id: int
    status: str  # open | closed
    opened_at: datetime
    closed_at: datetime | None
    float_amount: int
    sales_count: int
    sales_total: int
    returns_count: int
    returns_total: int
    discount_total: int
    by_method: dict[str, int]  # net takings per payment method (refunds subtracted)
    cash_sales: int  # cash taken for sales
    cash_refunds: int  # cash paid back for returns
    cash_in: int  # paid into the drawer (positive)
    cash_out: int  # paid out of the drawer (positive)
    expected: int  # float + cash sales − cash refunds + in − out (at close: as stored)
    counted: int | None
    float_left: int | None
    counted_detail: dict[int, int] = field(default_factory=dict)  # {denomination fen: pieces}
    moves: tuple[CashMoveDTO, ...] = ()

    @property
    def over_short(self) -> int | None:
        return None if self.counted is None else self.counted - self.expected

    @property
    def net_total(self) -> int:
        return self.sales_total - self.returns_total

    @property
    def taken_out(self) -> int | None:
        """Cash taken from the drawer at close (counted minus what stays as the next float)."""
        if self.counted is None or self.float_left is None:
            return None
        return self.counted - self.float_left


@dataclass(frozen=True)
class DayShifts:
    """The shifts of a local day for the 日结 slip: each shift, and their sums."""

    shifts: tuple[ShiftSummary, ...]

    @property
    def expected(self) -> int:
        return sum(s.expected for s in self.shifts)

    @property
    def counted(self) -> int:
        return sum(s.counted or 0 for s in self.shifts)

    @property
    def over_short(self) -> int:
        return sum(s.over_short or 0 for s in self.shifts)

    @property
    def cash_in(self) -> int:
        return sum(s.cash_in for s in self.shifts)

    @property
    def cash_out(self) -> int:
        return sum(s.cash_out for s in self.shifts)

    @property
    def open_count(self) -> int:
        return sum(1 for s in self.shifts if s.status == "open")

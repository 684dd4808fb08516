"""What crosses the promotions package's edge: a promotion as entered and as stored, the import's
row errors. Pure Python (no SQLAlchemy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from jxc_desktop.domain.clock import local_now
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.promotion_rules import Kind

SCHEDULED, ACTIVE, ENDED = "scheduled", "active", "ended"


def now_local() -> datetime:
    """The shop's wall clock, naive (promotion times are local): the moment a status is told at."""
    return local_now().replace(tzinfo=None, microsecond=0)


@dataclass(frozen=True)
class PromotionInput:
    """A promotion as the form, the command line or an import row gives it. ``products``: (product
    id, special price in fen or None) — the price only for a special price. Times are local."""

    name: str
    kind: Kind
    starts: datetime
    ends: datetime | None = None
    products: tuple[tuple[int, int | None], ...] = ()
    category_ids: tuple[int, ...] = ()
    n: int = 0
    m: int = 0
    pay_pct: int = 0
    threshold: int = 0  # fen
    reduction: int = 0  # fen
    repeat: bool = False
    member_only: bool = False
    stackable: bool = False
    weekdays: str = ""  # "0".."6", Monday = 0; "" = every day
    daily_from: str = ""  # "HH:MM"
    daily_to: str = ""
    note: str = ""


@dataclass(frozen=True)
class ScopeItem:
    id: int
    label: str  # product "code name" or category name
    price: int | None = None  # a special price, fen


@dataclass(frozen=True)
class PromotionDTO:
    id: int
    name: str
    kind: Kind
    starts: datetime
    ends: datetime | None
    products: tuple[ScopeItem, ...]
    categories: tuple[ScopeItem, ...]
    n: int
    m: int
    pay_pct: int
    threshold: int
    reduction: int
    repeat: bool
    member_only: bool
    stackable: bool
    weekdays: str
    daily_from: str
    daily_to: str
    note: str

    def status(self, at: datetime) -> str:
        if self.ends is not None and at >= self.ends:
            return ENDED
        return SCHEDULED if at < self.starts else ACTIVE

    def as_input(self) -> PromotionInput:
        return PromotionInput(
            self.name, self.kind, self.starts, self.ends, tuple((p.id, p.price) for p in self.products),
            tuple(c.id for c in self.categories), self.n, self.m, self.pay_pct, self.threshold, self.reduction,
            self.repeat, self.member_only, self.stackable, self.weekdays, self.daily_from, self.daily_to, self.note)


@dataclass(frozen=True)
class CartItem:
    """A till line for ``PromotionService.price_cart``: the product, thousandths, the unit price
    charged (fen), whether a manual price or discount is on it, and its amount when that is not
    qty × price (a scale label). The category comes from the catalogue."""

    product_id: int
    qty: int
    unit_price: int
    manual: bool = False
    amount: int | None = None


@dataclass(frozen=True)
class PreviewLine:
    """A line of a preview cart: a product and a quantity in thousandths (its price and category
    come from the catalogue)."""

    product_id: int
    qty: int


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it (the header is row 1)
    reason: str


class PromotionImportRejected(ValidationError):
    """The file has bad rows; ``errors`` lists each. Nothing was written."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("{count} rows of the file are wrong; nothing was imported", count=len(errors))
        self.errors = list(errors)

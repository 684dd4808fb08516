"""What crosses the purchasing package's edge: notes as entered and as stored, suppliers, reorder
suggestions, delivery-note lines. Pure Python (no SQLAlchemy): the purchase-note PDF and the UI
import it lightly, and every module of the package can import it without a cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from jxc_desktop.domain import costing
from jxc_desktop.domain.errors import ValidationError

# In a module of its own, for `jxc suppliers list` (supplier_list.py); named here with the others.
from jxc_desktop.services.purchasing.supplier_dto import SupplierDTO as SupplierDTO

MAX_LINES = 5000  # lines per note (and per delivery-note file)
KIND_PURCHASE = "purchase"
KIND_RETURN = "return"
WINDOW_DAYS = 28  # reorder: the days of sales the suggestion looks back on


class ConfirmationNeeded(ValidationError):
    """Something looks wrong but may be right (an expiry date in the past): ask, then post again
    with ``confirmed=True``."""

    needs_confirmation = True

    def __init__(self, warnings: Sequence[str]) -> None:
        super().__init__("Please check: {detail}. Post anyway?", detail="; ".join(warnings))
        self.warnings = tuple(warnings)


# ---------------------------------------------------------------- notes as entered


@dataclass(frozen=True)
class LineInput:
    """A line as entered: qty in thousandths of the unit, unit cost in fen per unit."""

    product_id: int
    qty: int
    unit_cost: int
    amount: int | None = None  # fen; None = qty × unit cost (an import may state the exact total)
    batch_no: str = ""
    production_date: date | None = None
    expiry_date: date | None = None  # None: production date + shelf life, if both known


@dataclass(frozen=True)
class NoteInput:
    supplier_id: int | None
    lines: tuple[LineInput, ...] = ()
    doc_date: date | None = None  # None: the local day of posting
    note: str = ""
    paid_now: bool | None = None  # paid on delivery; None: as the supplier's terms say (0 days = cash)
    pay_method: str = "cash"  # how it is paid on delivery


@dataclass(frozen=True)
class ReturnLineInput:
    product_id: int
    qty: int
    origin_line_id: int | None = None  # the purchase line it goes back against
    batch_no: str = ""  # free-standing, batch-tracked: "" = first to expire first
    price: int | None = None  # free-standing: the credit per unit the supplier gives, fen (None: stock value)


@dataclass(frozen=True)
class ReturnInput:
    supplier_id: int | None
    lines: tuple[ReturnLineInput, ...]
    origin_id: int | None = None  # the posted purchase returned against, or None (free-standing)
    doc_date: date | None = None
    note: str = ""


# ---------------------------------------------------------------- notes as stored


@dataclass(frozen=True)
class NoteLine:
    id: int
    line_no: int
    product_id: int
    code: str
    name: str
    spec: str
    unit: str
    qty: int
    unit_cost: int
    amount: int
    batch_no: str
    production_date: date | None
    expiry_date: date | None
    origin_line_id: int | None
    tracks_batches: bool
    returned_qty: int = 0  # purchase lines: already returned by posted returns

    @property
    def returnable_qty(self) -> int:
        return max(0, self.qty - self.returned_qty)


@dataclass(frozen=True)
class Note:
    id: int
    number: str
    kind: str  # purchase | return
    status: str  # draft | posted | reversed
    supplier_id: int | None
    supplier_name: str
    origin_id: int | None
    origin_number: str
    doc_date: date
    note: str
    total: int
    created_at: datetime
    posted_at: datetime | None
    reversed_at: datetime | None
    lines: tuple[NoteLine, ...] = field(default_factory=tuple)

    @property
    def is_return(self) -> bool:
        return self.kind == KIND_RETURN

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


@dataclass(frozen=True)
class NoteSummary:
    id: int
    number: str
    kind: str
    status: str
    supplier_id: int | None
    supplier_name: str
    doc_date: date
    total: int
    line_count: int
    posted_at: datetime | None


@dataclass(frozen=True)
class DeliveryLine:
    """A good row of a delivery-note file: the line to post and what the file said, for display."""

    row: int
    barcode: str
    line: LineInput


# ---------------------------------------------------------------- suppliers


@dataclass(frozen=True)
class SupplierInput:
    name: str
    contact: str = ""
    phone: str = ""
    address: str = ""
    note: str = ""
    lead_time_days: int = 0  # days from order to delivery; 0: not known (the shop's default)
    terms_days: int | None = None  # payment terms, days (0 = cash on delivery); None: 0 when added, kept when edited


@dataclass(frozen=True)
class SupplierPeriod:
    """One supplier's posted purchases and returns with doc dates in a period (fen)."""

    supplier_id: int
    name: str
    purchase_count: int
    purchase_total: int
    return_count: int
    return_total: int
    last_purchase_date: date | None

    @property
    def net(self) -> int:
        return self.purchase_total - self.return_total


# ---------------------------------------------------------------- reorder suggestions


@dataclass(frozen=True)
class ReorderLine:
    product_id: int
    code: str
    name: str
    unit: str
    stock_qty: int
    min_stock: int
    max_stock: int
    sold_qty: int  # net sales over the window, thousandths
    pack: int  # whole units per pack the quantity is rounded to
    suggested_qty: int  # thousandths, a whole number of packs
    unit_cost: int  # fen: the last cost (from the last supplier), else the reference cost
    below_min: bool
    # the seasonal rule (reorder_season.py); the flat rule leaves these at their defaults
    rule: str = "flat"  # flat | season
    forecast_qty: int = 0  # forecast sales over lead time + cover days, thousandths
    lead_days: int = 0
    cover_days: int = 0
    safety_qty: int = 0  # thousandths
    season_permille: int = 1000  # those days against the last 4 weeks by last year's shape (1000 = alike)
    index_source: str = ""  # product | category | none: where the season index came from

    @property
    def daily_qty(self) -> int:
        """Average daily net sales, thousandths (rounded for display)."""
        return costing.div_round(self.sold_qty, WINDOW_DAYS) if self.sold_qty > 0 else 0

    @property
    def amount(self) -> int:
        return costing.value_of(self.suggested_qty, self.unit_cost)


@dataclass(frozen=True)
class ReorderGroup:
    supplier_id: int | None  # None: products never bought from anyone yet
    supplier_name: str
    lines: tuple[ReorderLine, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return sum(ln.amount for ln in self.lines)


# ---------------------------------------------------------------- forecasts


@dataclass(frozen=True)
class ForecastWeek:
    start: date  # the first of its 7 days
    qty: int  # expected net sales, thousandths
    last_year_qty: int  # the same 7 days 52 weeks before, thousandths
    season_permille: int  # the season index (1000 = an average week of the last year)


@dataclass(frozen=True)
class ProductForecast:
    """One product's forecast and the history behind it (the forecast screen, ``jxc report forecast``)."""

    product_id: int
    code: str
    name: str
    unit: str
    today: date
    weeks: tuple[ForecastWeek, ...]
    daily: tuple[int, ...]  # expected sales of each day from today, thousandths
    level_qty: int  # a deseasonalised week of the last 4, thousandths
    trend_permille: int  # weekly growth, thousandths (30 = +3 % a week)
    weekday_permille: tuple[int, ...]  # Monday..Sunday factors, 1000 = an average day
    spread_qty: int  # standard deviation of a week, thousandths
    source: str  # product | category | none: where the season index came from
    months: tuple[tuple[str, int], ...]  # the past 12 months ("2026-01", net sales in thousandths)
    recent_weeks: tuple[ForecastWeek, ...]  # the last weeks, oldest first, with their last-year twins

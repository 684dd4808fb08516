"""What crosses the sales package's edge: sales, returns, the day's list and summary, held carts,
the early stock look. Pure Python (no SQLAlchemy), so the receipt PDF and the UI import it lightly.

Tenders and payments are the domain's (domain/tender.py), re-exported here under the names the
callers know.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from jxc_desktop.domain.pricing import line_value
from jxc_desktop.domain.tender import CREDIT, NOT_MONEY, POINTS, STORED_VALUE
from jxc_desktop.domain.tender import Payment as PaymentDTO
from jxc_desktop.domain.tender import Tender as Tender
from jxc_desktop.domain.tender import TenderStatus as TenderStatus
from jxc_desktop.services.staff.dto import DayShifts


@dataclass(frozen=True)
class SaleLineDTO:
    id: int
    line_no: int
    product_id: int
    name: str
    barcode: str
    unit: str
    qty: int
    unit_price: int
    discount: int
    amount: int
    cost: int
    returned_qty: int = 0  # for sales: how much of this line came back already
    # issue 17: the level the line was sold at and, at member/wholesale prices, the retail price
    price_level: str = "retail"
    list_price: int | None = None
    promo_discount: int = 0  # the part of ``discount`` promotions took

    @property
    def level_saving(self) -> int:
        """Fen the price level saved on this line against retail (0 at retail)."""
        if self.list_price is None or self.list_price <= self.unit_price:
            return 0
        return line_value(self.qty, self.list_price) - line_value(self.qty, self.unit_price)


@dataclass(frozen=True)
class SalePromotionDTO:
    """One applied promotion of a sale: a visible line on the receipt (its share over the lines summed)."""

    promotion_id: int
    name: str
    amount: int  # fen off


@dataclass(frozen=True)
class SaleDTO:
    id: int
    number: str
    kind: str  # sale | return
    status: str
    created_at: datetime
    business_day: date
    origin_number: str
    subtotal: int
    discount: int
    total: int
    paid: int
    change: int
    cost: int
    lines: tuple[SaleLineDTO, ...]
    payments: tuple[PaymentDTO, ...]
    # A sale on a customer's account: the till fills these for the receipt (the accounts' data).
    customer_name: str = ""
    balance_owed: int | None = None
    cashier: str = ""  # who rang it up ("" in a shop without cashiers)
    promotions: tuple[SalePromotionDTO, ...] = ()  # what each promotion took off (sales only)
    # issue 17: the sale's member (会员): the name and the phone's last 4 digits (receipts show no more)
    member_id: int | None = None
    member_name: str = ""
    member_phone_tail: str = ""
    # issue 17, members' money: points this sale earned (a return: took back), the balances after it
    points_earned: int = 0
    member_points: int | None = None
    member_stored_value: int | None = None  # fen

    @property
    def level_saving(self) -> int:
        """What member/wholesale prices saved on the whole sale (fen)."""
        return sum(line.level_saving for line in self.lines)

    @property
    def item_qty(self) -> int:
        return sum(line.qty for line in self.lines)


@dataclass(frozen=True)
class SaleRow:
    """One line of a day's list of sales and returns."""

    number: str
    kind: str
    created_at: datetime
    lines: int
    item_qty: int
    total: int
    methods: tuple[str, ...]


@dataclass(frozen=True)
class DaySummary:
    day: date
    sales_count: int
    sales_total: int
    returns_count: int
    returns_total: int
    discount_total: int
    cost_total: int  # net cost of goods (sales minus returns)
    by_method: dict[str, int]  # net takings per payment method (refunds subtracted)
    shifts: DayShifts = DayShifts(())  # the day's shifts (交班), when the shop uses them
    # issue 17: members' stored-value top-ups by method that day: money in, but not sales
    topups: dict[str, int] = field(default_factory=dict)

    @property
    def net_total(self) -> int:
        return self.sales_total - self.returns_total

    @property
    def on_account(self) -> int:
        """Sales put on customers' accounts (挂账) less returns credited back: owed, not money taken."""
        return self.by_method.get(CREDIT, 0)

    @property
    def member_paid(self) -> int:
        """Paid with members' stored value and points less what returns gave back: no money taken today."""
        return self.by_method.get(STORED_VALUE, 0) + self.by_method.get(POINTS, 0)

    @property
    def takings(self) -> int:
        """Money taken (净收款): every method but sales on account, stored value and points."""
        return sum(v for m, v in self.by_method.items() if m not in NOT_MONEY)

    def taken_by_method(self) -> dict[str, int]:
        """``by_method`` without sales on account, stored value and points (the lines the takings total adds up)."""
        return {m: v for m, v in self.by_method.items() if m not in NOT_MONEY}


@dataclass(frozen=True)
class ReturnItem:
    line_id: int
    qty: int  # thousandths


@dataclass(frozen=True)
class ShopInfo:
    name: str
    address: str
    phone: str
    header: str
    footer: str
    width_mm: int


@dataclass(frozen=True)
class HeldDTO:
    id: int
    label: str
    created_at: datetime
    lines: int
    item_qty: int
    gross: int  # Σ line amounts before the whole-sale discount (for the list; repriced on resume)
    first_item: str = ""  # the first line's product name: with the label, how the cashier finds the cart


@dataclass(frozen=True)
class Shortage:
    product_id: int
    name: str
    on_hand: int  # thousandths
    wanted: int  # the cart's total of this product, thousandths


@dataclass(frozen=True)
class StockCheck:
    policy: str  # block | warn | allow (the shop's negative_stock setting)
    shortages: tuple[Shortage, ...] = ()

    @property
    def product_ids(self) -> frozenset[int]:
        return frozenset(s.product_id for s in self.shortages)


@dataclass(frozen=True)
class WholesaleLineDTO:
    """One line of a posted wholesale note (销售单)."""

    line_no: int
    code: str
    name: str
    spec: str
    unit: str
    pack_size: int | None  # units per pack; None/1 = by the unit
    qty: int  # thousandths
    unit_price: int
    discount: int  # line discount and its share of the note discount
    amount: int


@dataclass(frozen=True)
class WholesaleNoteDTO:
    """A posted wholesale note as the A4 paper shows it: the sale, its customer and the account."""

    number: str
    created_at: datetime
    business_day: date
    customer_name: str
    customer_phone: str
    customer_address: str
    lines: tuple[WholesaleLineDTO, ...]
    gross: int  # Σ line values before any discount
    discount: int  # every discount on the note
    total: int
    paid: int  # paid now
    on_account: int  # put on the customer's account (挂账)
    balance_owed: int | None  # the customer's whole balance after this note; None = not known
    note: str = ""
    customer_id: int | None = None

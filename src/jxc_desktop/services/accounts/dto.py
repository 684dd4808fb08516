"""What crosses the accounts package's edge: customers, open documents, money documents, balances,
aging, statements and the cash book. Pure Python (no SQLAlchemy). Amounts are integer fen; a party's
balance is positive when money is owed (we owe a supplier, a customer owes us)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.i18n import _

SUPPLIER = "supplier"
CUSTOMER = "customer"
PARTIES = (SUPPLIER, CUSTOMER)
METHODS = ("cash", "bank", "wechat", "alipay")
LEVELS = ("retail", "wholesale")
CREDIT_METHOD = "credit"  # the till's tender put on a customer's account (挂账)

# account_entry.kind
PURCHASE = "purchase"
PURCHASE_RETURN = "purchase_return"
SALE = "sale"
SALE_RETURN = "sale_return"
PAY = "pay"
COLLECT = "collect"
REFUND = "refund"
REVERSAL = "reversal"
ADJUST = "adjust"

AGING_BUCKETS = ("not_due", "1-30", "31-60", "61-90", ">90")


def kind_label(kind: str) -> str:
    """An account entry's kind as the owner reads it (statements on screen, PDF and xlsx)."""
    labels = {PURCHASE: _("Purchase note"), PURCHASE_RETURN: _("Return to supplier"), SALE: _("Sale on account"),
              SALE_RETURN: _("Customer return"), PAY: _("Payment"), COLLECT: _("Collection"), REFUND: _("Refund"),
              REVERSAL: _("Reversal"), ADJUST: _("Write-off")}
    return labels.get(kind, kind)


class CreditLimitExceeded(ValidationError):
    """A sale on account would take the customer above the credit limit: the owner may approve it
    (owner PIN), then the caller posts again with ``credit_override=True``."""

    needs_owner = True

    def __init__(self, name: str, balance: str, limit: str) -> None:
        super().__init__("{name} would owe {balance}, above the credit limit {limit}: the owner must approve",
                         name=name, balance=balance, limit=limit)


class PrepaymentQuestion(ValidationError):
    """More is paid than is owed: the rest is kept as a prepayment once the user agrees
    (call again with ``prepay_ok=True``)."""

    needs_confirmation = True

    def __init__(self, extra: str) -> None:
        super().__init__("This is {extra} more than is owed; keep it as a prepayment?", extra=extra)
        self.extra = extra


def check_party(party: str) -> str:
    if party not in PARTIES:
        raise ValidationError("Unknown party {party}", party=str(party)[:20])
    return party


def party_missing(party: str, party_id: int) -> NotFoundError:
    """What a supplier or customer id that names no one is told."""
    if party == SUPPLIER:
        return NotFoundError("Supplier {id} does not exist", id=party_id)
    return NotFoundError("Customer {id} does not exist", id=party_id)


@dataclass(frozen=True)
class CustomerInput:
    name: str
    phone: str = ""
    address: str = ""
    level: str = "retail"  # retail | wholesale
    credit_limit: int | None = None  # fen; None = no limit
    note: str = ""
    terms_days: int = 0  # payment terms: a sale on account falls due this many days after the sale


@dataclass(frozen=True)
class CustomerDTO:
    id: int
    name: str
    phone: str
    address: str
    level: str
    credit_limit: int | None
    note: str
    active: bool
    balance: int = 0
    terms_days: int = 0


@dataclass(frozen=True)
class OpenDocument:
    """An account entry with something still open (a debit owed, or a credit not yet used)."""

    entry_id: int
    number: str
    kind: str
    date: date
    due_date: date | None
    amount: int  # signed, as booked
    open: int  # signed, what is not allocated yet


@dataclass(frozen=True)
class MoneyDocResult:
    id: int
    number: str
    amount: int
    allocated: int
    prepayment: int  # the part not allocated: kept as a credit on the account


@dataclass(frozen=True)
class AllocationDTO:
    id: int
    debit_id: int
    debit_number: str
    credit_id: int
    credit_number: str
    amount: int


@dataclass(frozen=True)
class BalanceRow:
    party_id: int
    name: str
    balance: int
    overdue: int
    oldest_due: date | None


@dataclass(frozen=True)
class Balances:
    party: str
    at: date
    rows: tuple[BalanceRow, ...]
    total: int


@dataclass(frozen=True)
class AgingRow:
    party_id: int
    name: str
    buckets: tuple[int, int, int, int, int]  # open debits by AGING_BUCKETS
    unapplied: int  # credits not allocated yet (prepayments), ≤ 0
    balance: int


@dataclass(frozen=True)
class Aging:
    party: str
    at: date
    rows: tuple[AgingRow, ...]
    totals: tuple[int, int, int, int, int]
    unapplied: int
    total: int


@dataclass(frozen=True)
class StatementRow:
    date: date
    number: str
    kind: str
    debit: int  # raises the balance
    credit: int  # lowers it
    balance: int
    note: str = ""
    entry_id: int = 0  # the account entry: what allocations(), unallocate() and write_off() take


@dataclass(frozen=True)
class StatementDTO:
    party: str
    party_id: int
    name: str
    start: date
    end: date
    opening: int
    rows: tuple[StatementRow, ...]
    closing: int
    shop_name: str = ""


@dataclass(frozen=True)
class CashBookRow:
    method: str
    sales: int  # till sales paid by this method
    refunds: int  # customer returns refunded by it (≥ 0, goes out)
    collections: int  # 收款单, and refunds from suppliers
    payments: int  # 付款单 to suppliers and refunds to customers (≥ 0, goes out)
    net: int
    topups: int = 0  # members' stored-value top-ups received by this method (a liability, not a sale; in net)


@dataclass(frozen=True)
class CashBook:
    start: date
    end: date
    rows: tuple[CashBookRow, ...]
    net: int
    stored_value: int = 0  # members' stored value outstanding at the end: what the shop owes them (储值)

"""Tender settlement (收款): how the payments typed at the till cover the amount due, and the change.

Non-cash payments (WeChat, Alipay, card) are taken as given and never give change, so together they
may not exceed the amount due; cash covers the rest and gives change. Amounts are integer fen.
Pure: the checkout service posts what :func:`settle` returns and the pay dialog shows
:func:`tender_status` while the cashier types.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import MAX_FEN, format_fen

# credit: on a customer's account (挂账); stored_value: a member's 储值 balance; points: a member's 积分
# at the shop's rate (the amount is the fen they stand for). The last three are not money taken.
METHODS = ("cash", "wechat", "alipay", "card", "credit", "stored_value", "points")
CREDIT = "credit"  # the customer owes it
STORED_VALUE = "stored_value"
POINTS = "points"
NOT_MONEY = (CREDIT, STORED_VALUE, POINTS)  # left out of the cash book's money


@dataclass(frozen=True)
class Tender:
    """A payment as entered: ``amount`` fen; for cash, what the customer handed over."""

    method: str
    amount: int


@dataclass(frozen=True)
class Payment:
    """A payment as posted with a sale."""

    method: str
    amount: int  # applied to the total (refunded, for a return)
    tendered: int


@dataclass(frozen=True)
class TenderStatus:
    """Where the tenders typed so far stand against the amount due (the pay dialog's live line)."""

    paid: int
    still_due: int  # > 0: not covered yet
    change: int  # cash to hand back


def check_method(method: str) -> str:
    if method not in METHODS:
        raise ValidationError("Unknown payment method {method}", method=str(method)[:20])
    return method


def tender_sums(tenders: Sequence[Tender]) -> dict[str, int]:
    """The tenders added up per method, each checked (known method, whole fen, 0..MAX_FEN)."""
    sums: dict[str, int] = defaultdict(int)
    for t in tenders:
        check_method(t.method)
        if not isinstance(t.amount, int) or isinstance(t.amount, bool) or t.amount < 0:
            raise ValidationError("A payment must not be negative")
        if t.amount > MAX_FEN:
            raise ValidationError("{field} is too large", field="Payment")
        sums[t.method] += t.amount
    return sums


def _check_non_cash(total: int, sums: dict[str, int]) -> int:
    """Non-cash payments give no change, so together they may not exceed the amount due."""
    non_cash = sum(v for k, v in sums.items() if k != "cash")
    if non_cash > total:
        raise ValidationError("WeChat, Alipay and card together ({paid}) are more than the amount due {due}",
                              paid=format_fen(non_cash), due=format_fen(total))
    return non_cash


def tender_status(total: int, tenders: Sequence[Tender]) -> TenderStatus:
    """The rule of :func:`settle` without requiring the total to be covered yet: what is paid,
    what is still due and the change. ValidationError for bad tenders or non-cash overpaying."""
    sums = tender_sums(tenders)
    non_cash = _check_non_cash(total, sums)
    cash = sums.get("cash", 0)
    cash_due = total - non_cash
    return TenderStatus(non_cash + cash, max(0, cash_due - cash), max(0, cash - cash_due))


def settle(total: int, tenders: Sequence[Tender]) -> tuple[list[Payment], int, int]:
    """Apply tenders to ``total``: non-cash amounts as given (no change from a card), cash covers the
    rest and gives change. Returns (payments, paid, change); cash first, then the others in
    :data:`METHODS` order."""
    sums = tender_sums(tenders)
    non_cash = _check_non_cash(total, sums)
    cash = sums.get("cash", 0)
    cash_due = total - non_cash
    if cash < cash_due:
        if "cash" in sums or not sums:
            raise ValidationError("Cash received {cash} is less than the amount due {due}",
                                  cash=format_fen(cash), due=format_fen(cash_due))
        raise ValidationError("The payments ({paid}) do not cover the amount due {due}",
                              paid=format_fen(non_cash), due=format_fen(total))
    payments = [Payment(m, sums[m], sums[m]) for m in METHODS if m != "cash" and sums.get(m)]
    if cash_due or "cash" in sums:
        payments.insert(0, Payment("cash", cash_due, cash))
    return payments, non_cash + cash, cash - cash_due

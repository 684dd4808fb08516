"""Tender settlement and change (domain/tender.py): non-cash never gives change, cash covers the
rest, and the pay dialog's live figures come from the same rule as posting."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.tender import METHODS, Payment, Tender, TenderStatus, settle, tender_status

tenders = st.lists(st.builds(Tender, st.sampled_from(METHODS), st.integers(0, 200_000)), max_size=6)


def test_cash_gives_change_and_comes_first() -> None:
    payments, paid, change = settle(1000, [Tender("wechat", 400), Tender("cash", 700)])
    assert payments == [Payment("cash", 600, 700), Payment("wechat", 400, 400)]
    assert (paid, change) == (1100, 100)


def test_exact_non_cash_needs_no_cash_line() -> None:
    payments, paid, change = settle(1000, [Tender("card", 600), Tender("alipay", 400)])
    assert payments == [Payment("alipay", 400, 400), Payment("card", 600, 600)]  # METHODS order
    assert (paid, change) == (1000, 0)


def test_a_zero_sale_paid_in_cash_records_the_cash_line() -> None:
    assert settle(0, [Tender("cash", 0)]) == ([Payment("cash", 0, 0)], 0, 0)
    assert settle(0, []) == ([], 0, 0)


def test_refusals() -> None:
    with pytest.raises(ValidationError, match="more than the amount due"):
        settle(1000, [Tender("wechat", 1500)])
    with pytest.raises(ValidationError, match="Cash received"):
        settle(1000, [Tender("cash", 999)])
    with pytest.raises(ValidationError, match="do not cover"):
        settle(1000, [Tender("card", 999)])
    with pytest.raises(ValidationError, match="Unknown payment method"):
        settle(1000, [Tender("bitcoin", 1000)])
    with pytest.raises(ValidationError, match="negative"):
        settle(1000, [Tender("cash", -1)])
    with pytest.raises(ValidationError, match="negative"):
        settle(1000, [Tender("cash", True)])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="too large"):
        settle(1000, [Tender("cash", 10**11)])


def test_status_while_typing() -> None:
    assert tender_status(1000, []) == TenderStatus(0, 1000, 0)
    assert tender_status(1000, [Tender("wechat", 400), Tender("cash", 500)]) == TenderStatus(900, 100, 0)
    assert tender_status(1000, [Tender("cash", 1500)]) == TenderStatus(1500, 0, 500)


@given(st.integers(0, 500_000), tenders)
@settings(max_examples=200, deadline=None)
def test_settlement_rule(total: int, given_tenders: list[Tender]) -> None:
    try:
        status = tender_status(total, given_tenders)
    except ValidationError:
        with pytest.raises(ValidationError):  # what the dialog refuses, posting refuses too
            settle(total, given_tenders)
        return
    if status.still_due:
        with pytest.raises(ValidationError):
            settle(total, given_tenders)
        return
    payments, paid, change = settle(total, given_tenders)
    assert (paid, change) == (status.paid, status.change)
    assert sum(p.amount for p in payments) == total  # the payments cover the total exactly
    assert paid - change == total
    assert sum(p.tendered for p in payments) == paid
    assert all(p.amount == p.tendered for p in payments if p.method != "cash")  # no change from a card
    assert change == sum(p.tendered - p.amount for p in payments if p.method == "cash")
    assert len({p.method for p in payments}) == len(payments)

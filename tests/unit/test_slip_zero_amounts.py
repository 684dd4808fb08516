"""An amount the slips print as money going out ("-¥12.00") reads "¥0.00" when it is zero, not
"-¥0.00": the shift slip's cash refunds (交班单 — the same lines make its PDF, the ESC/POS bytes and
the window's print) and the end-of-day slip's cash paid out, in English and Chinese."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jxc_desktop import i18n
from jxc_desktop.reports.receipt_lines import PAIR, Line, day_summary_lines
from jxc_desktop.reports.shift_slip import shift_slip_lines
from jxc_desktop.services.sales.dto import DaySummary, ShopInfo
from jxc_desktop.services.staff.dto import DayShifts, ShiftSummary

OPENED = datetime(2026, 12, 4, 0, 30, tzinfo=UTC)
CLOSED = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
SHOP = ShopInfo("幸福便利店", "建国路88号", "", "", "", 58)


def shift(cash_refunds: int, cash_in: int = 0, cash_out: int = 0) -> ShiftSummary:
    """A closed shift: float 200.00, cash sales 50.00, ``cash_refunds`` paid back, counted as expected."""
    expected = 20_000 + 5_000 - cash_refunds + cash_in - cash_out
    return ShiftSummary(id=7, till="1", cashier="王芳", cashier_id=1, status="closed", opened_at=OPENED,
                        closed_at=CLOSED, float_amount=20_000, sales_count=2, sales_total=5_000,
                        returns_count=1 if cash_refunds else 0, returns_total=cash_refunds, discount_total=0,
                        by_method={"cash": 5_000 - cash_refunds}, cash_sales=5_000, cash_refunds=cash_refunds,
                        cash_in=cash_in, cash_out=cash_out, expected=expected, counted=expected,
                        float_left=10_000)


def right_of(lines: list[Line], label: str) -> str:
    found = [ln.right for ln in lines if ln.kind == PAIR and ln.text.strip() == label]
    assert len(found) == 1, (label, [ln.text for ln in lines])
    return found[0]


@pytest.mark.parametrize("lang,label", [("en", "Cash refunds"), ("zh_CN", "现金退款")])
def test_shift_slip_cash_refunds_zero_has_no_minus(lang: str, label: str) -> None:
    i18n.set_language(lang)
    printed = datetime(2026, 12, 4, 9, 5, tzinfo=UTC)
    assert right_of(shift_slip_lines(shift(0), SHOP, printed), label) == "¥0.00"
    assert right_of(shift_slip_lines(shift(1_200), SHOP, printed), label) == "-¥12.00"


@pytest.mark.parametrize("lang,label", [("en", "Cash paid out"), ("zh_CN", "付出现金")])
def test_day_slip_cash_paid_out_zero_has_no_minus(lang: str, label: str) -> None:
    i18n.set_language(lang)
    printed = datetime(2026, 12, 4, 22, 0, tzinfo=UTC)

    def day(cash_out: int) -> DaySummary:  # paid in 5.00, so the cash lines print even when out is 0
        return DaySummary(OPENED.date(), 2, 5_000, 0, 0, 0, 3_000, {"cash": 5_000},
                          shifts=DayShifts((shift(0, cash_in=500, cash_out=cash_out),)))

    assert right_of(day_summary_lines(day(0), SHOP, printed), label) == "¥0.00"
    assert right_of(day_summary_lines(day(300), SHOP, printed), label) == "-¥3.00"

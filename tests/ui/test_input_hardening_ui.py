"""The pay dialog's live figures come from the checkout service's rule; UI number helpers take
ASCII digits only."""

from __future__ import annotations

import pytest

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.scan import read_scan
from jxc_desktop.domain.tender import settle
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.ui.dialogs.pay_dialog import PayDialog
from jxc_desktop.ui.dialogs.product_dialog import _int_field


def pay_dialog(qtbot, due: int) -> PayDialog:  # type: ignore[no-untyped-def]
    def post(tenders: list[Tender]) -> bool:  # as the tab does: the service applies the rule
        settle(due, tenders)
        return True

    dlg = PayDialog(None, due, post)
    qtbot.addWidget(dlg)
    return dlg


def fill(dlg: PayDialog, **amounts: str) -> None:
    for method, edit in dlg.fields.items():
        edit.setText(amounts.get(method, ""))


def test_pay_dialog_non_cash_overpay_is_a_message_not_a_negative_due(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = pay_dialog(qtbot, 1000)
    fill(dlg, wechat="15")
    text = dlg.change_label.text()
    assert "more than the amount due" in text and "¥15.00" in text and "¥10.00" in text
    assert "-" not in text and "Still due" not in text
    dlg.submit()  # posting refuses it too (the service's settle), the dialog stays open
    assert dlg.result() == 0 and "more than the amount due" in dlg.error.text()
    fill(dlg, wechat="10")
    dlg.submit()
    assert dlg.result() == 1


def test_pay_dialog_figures(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = pay_dialog(qtbot, 1000)
    assert dlg.change_label.text() == "Change: ¥0.00"  # cash prefilled with the amount due
    fill(dlg, wechat="4", cash="5")
    assert dlg.change_label.text() == "Still due: ¥1.00"
    fill(dlg, wechat="4", cash="10")
    assert dlg.change_label.text() == "Change: ¥4.00"
    fill(dlg, alipay="10")
    assert dlg.change_label.text() == "Change: ¥0.00"
    fill(dlg, cash="abc")
    assert dlg.change_label.text() == ""


@pytest.mark.parametrize("text", ["²", "٣", "１２"])
def test_ui_number_helpers_take_ascii_digits_only(text) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        _int_field(text, ValidationError("Shelf life '{value}' is not a whole number of days", value=text))
    # The scan grammar (which replaced the purchase editor's own guess): no scanned code, no barcode.
    assert not read_scan(text * 8, []).barcode and read_scan(text * 8, []).searchable
    assert _int_field("12", ValidationError("x")) == 12 and not read_scan("69012345", []).searchable

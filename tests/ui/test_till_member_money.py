"""Issue 17's done-when at the till, by keys: sell to a member found by the last 4 digits, pay part
with stored value and part with points, return one line; the balances follow (ledgers and receipt).
Also: stored value above the shop's limit asks the owner's PIN, and more than the balance is refused
in the pay dialog with nothing written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import func, select

from jxc_desktop.db.models import Sale
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.services.safety.books_check import run_check
from jxc_desktop.ui.checkout_tab import CheckoutTab
from jxc_desktop.ui.dialogs.member_dialog import MemberDialog
from jxc_desktop.ui.dialogs.pay_dialog import PayDialog
from jxc_desktop.ui.dialogs.return_dialog import ReturnDialog

RICE, OIL = "6901234567892", "6920152400012"


@pytest.fixture
def shop(services):  # type: ignore[no-untyped-def]
    cat = services.catalog
    rice = cat.create_product(ProductInput(name="东北大米", sale_price=5000, ref_cost=3000, barcodes=((RICE, 1),)),
                              opening_qty=50_000).id
    oil = cat.create_product(ProductInput(name="花生油", sale_price=3000, ref_cost=2000, barcodes=((OIL, 1),)),
                             opening_qty=20_000).id
    member = services.members.add(MemberInput(phone="13800005678", name="王芳", level="普通"))
    services.members.add(MemberInput(phone="13900001111", name="赵六"))
    services.member_money.topup(member.id, 10000, bonus=1000, method="wechat")
    services.member_money.adjust_points(member.id, 2000, "开卡礼")
    return {"rice": rice, "oil": oil, "member": member}


def show(qtbot, widget):  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=30_000)
    return widget


def scan(qtbot, tab, code: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(tab.lookup, code)
    qtbot.keyClick(tab.lookup, Qt.Key.Key_Return)


def type_into(qtbot, edit: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(edit, text)


def member_by_last_four(qtbot, tab, digits: str) -> None:  # type: ignore[no-untyped-def]
    tab.lookup.setFocus()
    qtbot.keyClick(tab.lookup, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = tab.dialog
    assert isinstance(dialog, MemberDialog)
    qtbot.keyClicks(dialog.line, digits)
    qtbot.keyClick(dialog.line, Qt.Key.Key_Return)
    assert not dialog.isVisible()


def open_pay(qtbot, tab) -> PayDialog:  # type: ignore[no-untyped-def]
    qtbot.keyClick(tab.lookup, Qt.Key.Key_F12)
    pay = tab.dialog
    assert isinstance(pay, PayDialog)
    return pay


def test_member_pays_with_stored_value_and_points_then_returns_a_line(qtbot, services, db, shop,
                                                                      tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    mid = shop["member"].id
    tab = show(qtbot, CheckoutTab(services))
    scan(qtbot, tab, RICE)
    scan(qtbot, tab, OIL)
    member_by_last_four(qtbot, tab, "5678")
    assert tab.cart.member_id == mid and tab.totals.total == 8000  # 普通: retail prices

    pay = open_pay(qtbot, tab)
    assert "stored_value" in pay.fields and "points" in pay.fields
    type_into(qtbot, pay.fields["points"], "25")  # 2500 points: more than the 2000 held
    type_into(qtbot, pay.fields["cash"], "55")
    qtbot.keyClick(pay.fields["cash"], Qt.Key.Key_Return)
    assert pay.isVisible() and "holds 2000 points" in pay.error.text()
    with db.read() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Sale)) == 0

    # ¥60 stored value, ¥15 in points (1500 points), ¥5 cash
    type_into(qtbot, pay.fields["stored_value"], "60")
    type_into(qtbot, pay.fields["points"], "15")
    type_into(qtbot, pay.fields["cash"], "5")
    assert "Change: ¥0.00" in pay.change_label.text()
    qtbot.keyClick(pay.fields["cash"], Qt.Key.Key_Return)
    assert tab.dialog is None
    sale = tab.last_sale
    assert {p.method: p.amount for p in sale.payments} == {"cash": 500, "stored_value": 6000, "points": 1500}
    # earned on ¥80 − ¥15 paid in points = 65 points
    assert sale.points_earned == 65 and sale.member_points == 2000 - 1500 + 65 and sale.member_stored_value == 5000
    assert services.member_money.balances(mid) == (565, 5000)
    receipt = tmp_path / "sale.pdf"
    receipt.write_bytes(tab.last_receipt_pdf)
    text = subprocess.run(["pdftotext", "-layout", str(receipt), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "王芳 ****5678" in text and "Points earned" in text and "Stored value balance" in text
    assert "¥50.00" in text and "565" in text

    # return the oil (¥30 of ¥80): 3/8 of each way it was paid goes back, its points are taken back
    tab.lookup.setFocus()
    qtbot.keyClick(tab.lookup, Qt.Key.Key_F10)
    dlg = tab.dialog
    assert isinstance(dlg, ReturnDialog)
    qtbot.keyClicks(dlg.number, sale.number)
    qtbot.keyClick(dlg.number, Qt.Key.Key_Return)
    qtbot.waitUntil(dlg.isActiveWindow, timeout=30_000)
    dlg.table.setFocus()
    dlg.table.setCurrentIndex(dlg.model.index(1, 5))
    qtbot.keyClicks(dlg.table, "1")
    editor = dlg.table.viewport().findChild(QLineEdit)
    assert editor is not None
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.model.qty == [0, 1000], timeout=30_000)
    qtbot.keyClick(dlg.table, Qt.Key.Key_F12)
    assert tab.dialog is None
    ret = tab.last_sale
    paid_back = {p.method: p.amount for p in ret.payments}
    assert ret.kind == "return" and ret.total == 3000
    assert "Stored value ¥22.50" in tab.last_label.text() and "Points ¥5.63" in tab.last_label.text()
    # 3/8 of 6000 and of 1500 (562.5 rounds half away from zero), the rest of the ¥30 in cash
    assert paid_back == {"cash": 187, "stored_value": 2250, "points": 563}
    oil_points = 65 - round(65 * 5000 / 8000)  # the oil line's share of the points earned
    assert ret.points_earned == oil_points
    points, value = services.member_money.balances(mid)
    assert value == 5000 + 2250
    assert points == 565 - oil_points + 563
    assert (ret.member_points, ret.member_stored_value) == (points, value)
    assert [p for p in run_check(db).problems if p.kind == "members"] == []


def test_stored_value_above_the_limit_asks_the_owner(qtbot, services, db, shop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui import guard

    services.settings.update({"member_sv_pin_limit": "50"})
    asked: list[str] = []
    answer = {"ok": False}

    def owner(_parent, _services, action: str) -> bool:  # type: ignore[no-untyped-def]
        asked.append(action)
        return answer["ok"]

    monkeypatch.setattr(guard, "ensure_owner", owner)
    tab = show(qtbot, CheckoutTab(services))
    scan(qtbot, tab, RICE)
    scan(qtbot, tab, OIL)
    member_by_last_four(qtbot, tab, "5678")
    pay = open_pay(qtbot, tab)
    type_into(qtbot, pay.fields["stored_value"], "60")
    type_into(qtbot, pay.fields["cash"], "20")
    qtbot.keyClick(pay.fields["cash"], Qt.Key.Key_Return)  # ¥60 > the ¥50 limit; the owner says no
    assert asked == ["stored_value_pay"] and pay.isVisible() and "the owner must approve" in pay.error.text()
    assert services.member_money.balances(shop["member"].id)[1] == 11000
    answer["ok"] = True
    qtbot.keyClick(pay.fields["cash"], Qt.Key.Key_Return)
    assert tab.dialog is None and services.member_money.balances(shop["member"].id)[1] == 11000 - 6000

"""The till's member, driven by keys: Ctrl+M, the last 4 digits shared by two members → a pick list,
Down and Enter; the cart goes to member prices and a line scanned later too; the side panel names
the member; the sale records the member and each line's level; the receipt shows the level used,
the saving and the member; "no member" puts the cart back at retail."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from jxc_desktop.db.models import Sale, SaleLine
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.ui.checkout_tab import CheckoutTab
from jxc_desktop.ui.dialogs.member_dialog import MemberDialog
from jxc_desktop.ui.dialogs.pay_dialog import PayDialog
from jxc_desktop.ui.models.cart_model import NAME

COLA, CHIPS = "6901234567892", "6920152400012"


@pytest.fixture
def shop(services):  # type: ignore[no-untyped-def]
    cat = services.catalog
    cola = cat.create_product(ProductInput(name="可口可乐", sale_price=350, ref_cost=200, barcodes=((COLA, 1),)),
                              opening_qty=50_000).id
    chips = cat.create_product(ProductInput(name="乐事薯片", sale_price=650, ref_cost=400, barcodes=((CHIPS, 1),)),
                               opening_qty=20_000).id
    services.members.set_member_price(chips, 600)
    silver = services.members.add(MemberInput(phone="13800001234", name="张三", level="银卡"))
    gold = services.members.add(MemberInput(phone="13900001234", name="李四", level="金卡"))
    return {"cola": cola, "chips": chips, "silver": silver, "gold": gold}


def show(qtbot, widget):  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=30_000)  # shortcuts need the active window
    return widget


def scan(qtbot, tab, code: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(tab.lookup, code)
    qtbot.keyClick(tab.lookup, Qt.Key.Key_Return)


def member_dialog(qtbot, tab) -> MemberDialog:  # type: ignore[no-untyped-def]
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow, timeout=30_000)
    tab.lookup.setFocus()
    qtbot.keyClick(tab.lookup, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = tab.dialog
    assert isinstance(dialog, MemberDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_member_by_last_four_digits_at_member_prices(qtbot, services, db, shop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tab = show(qtbot, CheckoutTab(services))
    assert "No member" in tab.side.member_label.text()
    scan(qtbot, tab, COLA)
    scan(qtbot, tab, COLA)
    assert tab.totals.total == 700

    dialog = member_dialog(qtbot, tab)
    qtbot.keyClicks(dialog.line, "0000")
    qtbot.keyClick(dialog.line, Qt.Key.Key_Return)
    assert dialog.isVisible() and "No member found for 0000" in dialog.error.text()
    dialog.line.selectAll()
    qtbot.keyClicks(dialog.line, "1234")
    qtbot.keyClick(dialog.line, Qt.Key.Key_Return)  # two members end in 1234: a pick list
    assert dialog.isVisible() and [m.name for m in dialog.found()] == ["李四", "张三"]
    dialog.grab().save(str(tmp_path / "member_pick_list.png"))  # to look at
    qtbot.keyClick(dialog.line, Qt.Key.Key_Down)  # 张三, 银卡 95折
    qtbot.keyClick(dialog.line, Qt.Key.Key_Return)
    assert not dialog.isVisible() and tab.dialog is None
    assert tab.cart.member_id == shop["silver"].id
    assert [(ln.price_level, ln.unit_price) for ln in tab.cart.lines] == [("member", 333)]  # 3.325 → 3.33
    assert tab.totals.total == 666
    assert "张三" in tab.side.member_label.text() and "¥0.34" in tab.side.member_label.text()
    assert "Member price −0.34" in tab.model.data(tab.model.index(0, NAME))

    scan(qtbot, tab, CHIPS)  # scanned after the member: its own member price
    assert tab.cart.lines[1].unit_price == 600 and tab.totals.total == 1266 and "¥6.00" in tab.message.text()
    tab.resize(1280, 640)
    tab.grab().save(str(tmp_path / "till_member.png"))  # to look at: the member on the side panel

    qtbot.keyClick(tab.lookup, Qt.Key.Key_F12)
    pay = tab.dialog
    assert isinstance(pay, PayDialog)
    pay.fields["cash"].selectAll()
    qtbot.keyClicks(pay.fields["cash"], "20")
    qtbot.keyClick(pay.fields["cash"], Qt.Key.Key_Return)
    assert tab.cart.empty and tab.cart.member_id is None and "No member" in tab.side.member_label.text()
    sale = tab.last_sale
    assert sale.member_id == shop["silver"].id and sale.level_saving == 34 + 50
    with db.read() as uow:
        row = uow.session.scalar(select(Sale))
        assert row.member_id == shop["silver"].id
        lines = [(ln.price_level, ln.list_price, ln.unit_price) for ln in uow.session.scalars(
            select(SaleLine).order_by(SaleLine.line_no))]
    assert lines == [("member", 350, 333), ("member", 650, 600)]
    path = tmp_path / "receipt.pdf"
    path.write_bytes(tab.last_receipt_pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Member price, retail 3.50" in text and "saved 0.34" in text
    assert "张三 ****1234" in text and "Member prices saved" in text and "¥0.84" in text


def test_no_member_puts_the_cart_back_at_retail(qtbot, services, shop) -> None:  # type: ignore[no-untyped-def]
    tab = show(qtbot, CheckoutTab(services))
    scan(qtbot, tab, CHIPS)
    dialog = member_dialog(qtbot, tab)
    qtbot.keyClicks(dialog.line, "13900001234")  # the whole phone: 李四 at once
    qtbot.keyClick(dialog.line, Qt.Key.Key_Return)
    assert tab.cart.member_id == shop["gold"].id and tab.totals.total == 600
    dialog = member_dialog(qtbot, tab)
    assert dialog.none_button.isVisible() and "李四" in dialog.current.text()
    dialog.none_button.click()
    assert tab.cart.member_id is None and tab.totals.total == 650 and tab.cart.lines[0].price_level == "retail"


def test_the_product_form_keeps_the_member_price(qtbot, services, db, shop) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.db.models import AuditLog
    from jxc_desktop.ui.dialogs.product_dialog import ProductDialog

    dialog = ProductDialog(services, services.catalog.get(shop["cola"]))
    qtbot.addWidget(dialog)
    assert dialog.member_price.text() == ""  # none: the level discount applies
    dialog.member_price.setText("3.00")
    assert dialog.save() is not None
    assert services.members.member_price(shop["cola"]) == 300
    again = ProductDialog(services, services.catalog.get(shop["cola"]))
    qtbot.addWidget(again)
    assert again.member_price.text() == "3.00"
    again.member_price.setText("3.60")  # above the sale price of 3.50
    again.sale_price.setText("3.20")
    assert again.save() is None and "above its sale price" in again.error_label.text()
    assert services.catalog.get(shop["cola"]).sale_price == 350 and services.members.member_price(shop["cola"]) == 300
    again.member_price.setText("")
    again.sale_price.setText("3.50")
    assert again.save() is not None and services.members.member_price(shop["cola"]) is None
    with db.read() as uow:
        changes = list(uow.session.scalars(select(AuditLog.after).where(AuditLog.after.like("%member_price%"))))
    assert len(changes) == 3  # chips' in the fixture, then 3.00, then none

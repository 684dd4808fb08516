"""The real checkout tab driven by keys: scan, edit, pay, hold/resume across a restart, return,
and the error cases (a clear message, nothing posted)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import func, select

from jxc_desktop.db.models import HeldSale, Payment, Product, Sale, SaleLine, StockMove
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.stock import ledger
from jxc_desktop.ui.checkout_tab import CheckoutTab
from jxc_desktop.ui.dialogs.held_dialog import HeldDialog
from jxc_desktop.ui.dialogs.pay_dialog import PayDialog
from jxc_desktop.ui.dialogs.return_dialog import ReturnDialog
from jxc_desktop.ui.dialogs.till_dialog import ValueDialog
from tests.ui.cjk import type_cjk

COLA, CHIPS, CASE = "6901234567892", "6920152400012", "16901234567899"
WEIGHED = with_check_digit("210012301250")  # item 00123, 1.250 kg


@pytest.fixture
def shop(services):  # type: ignore[no-untyped-def]
    cat = services.catalog
    ids = {
        "cola": cat.create_product(ProductInput(name="可口可乐", sale_price=350, ref_cost=200, unit="瓶",
                                                barcodes=((COLA, 1), (CASE, 12))), opening_qty=50_000).id,
        "chips": cat.create_product(ProductInput(name="乐事薯片", sale_price=650, ref_cost=400,
                                                 barcodes=((CHIPS, 1),)), opening_qty=20_000).id,
        "pork": cat.create_product(ProductInput(name="猪肉", code="000123", sale_price=2400, ref_cost=1500,
                                                unit="kg"), opening_qty=10_000).id,
    }
    services.settings.update({"scale_barcode_rules": "21IIIIIWWWWWC;22IIIIIPPPPPC", "shop_name": "好邻居便利店"})
    return ids


def make_tab(qtbot, services) -> CheckoutTab:  # type: ignore[no-untyped-def]
    tab = CheckoutTab(services)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow, timeout=30_000)  # F-key shortcuts need the active window
    tab.lookup.setFocus()
    return tab


def scan(qtbot, tab: CheckoutTab, code: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(tab.lookup, code)
    qtbot.keyClick(tab.lookup, Qt.Key.Key_Return)


def fkey(qtbot, tab: CheckoutTab, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(tab.lookup, key)


def answer(qtbot, dialog, text: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(dialog, ValueDialog)
    dialog.edit.selectAll()
    qtbot.keyClicks(dialog.edit, text)
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)


def count(db: Database, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_sell_by_keyboard(qtbot, services, shop, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tab = make_tab(qtbot, services)
    scan(qtbot, tab, COLA)
    scan(qtbot, tab, COLA)
    scan(qtbot, tab, CHIPS)
    scan(qtbot, tab, CASE)  # a case of 12 joins the cola line
    scan(qtbot, tab, WEIGHED)
    assert [(ln.name, ln.qty) for ln in tab.cart.lines] == [("可口可乐", 14000), ("乐事薯片", 1000), ("猪肉", 1250)]
    assert tab.focusWidget() is tab.lookup and tab.lookup.text() == ""
    # Up on the empty line selects the chips, F2 sets its quantity
    qtbot.keyClick(tab.lookup, Qt.Key.Key_Up)
    assert tab.current_row() == 1
    fkey(qtbot, tab, Qt.Key.Key_F2)
    answer(qtbot, tab.dialog, "3")
    assert tab.dialog is None and tab.cart.lines[1].qty == 3000
    due = 14 * 350 + 3 * 650 + 3000
    assert tab.totals.total == due and "¥" in tab.due_label.text()
    assert tab.model.rowCount() == 3 and tab.model.data(tab.model.index(1, 4)) == "3"

    fkey(qtbot, tab, Qt.Key.Key_F12)
    pay = tab.dialog
    assert isinstance(pay, PayDialog)
    pay.fields["cash"].selectAll()
    qtbot.keyClicks(pay.fields["cash"], "100")
    assert "¥1.50" in pay.change_label.text()
    qtbot.keyClick(pay.fields["cash"], Qt.Key.Key_Return)
    assert tab.dialog is None and tab.cart.empty
    assert tab.focusWidget() is tab.lookup

    sale = tab.last_sale
    assert sale is not None and sale.total == due and sale.change == 10000 - due
    with db.read() as uow:
        s = uow.session
        row = s.scalar(select(Sale))
        assert row.number == sale.number and row.total == due and row.paid == 10000
        lines = list(s.scalars(select(SaleLine).order_by(SaleLine.line_no)))
        assert [(ln.product_id, ln.qty, ln.amount) for ln in lines] == [
            (shop["cola"], 14000, 4900), (shop["chips"], 3000, 1950), (shop["pork"], 1250, 3000)]
        pays = list(s.scalars(select(Payment)))
        assert [(p.method, p.amount, p.tendered) for p in pays] == [("cash", due, 10000)]
        for ln in lines:
            moved = s.scalar(select(func.sum(StockMove.value)).where(StockMove.doc_line_id == ln.id))
            assert -moved == ln.cost > 0
        assert s.get(Product, shop["cola"]).stock_qty == 36000
        assert s.get(Product, shop["pork"]).stock_qty == 8750
        assert ledger.reconcile(s) == []
    text = pdf_text(tab.last_receipt_pdf, tmp_path)
    for want in (sale.number, "好邻居便利店", "可口可乐", "乐事薯片", "猪肉", "¥98.50", "¥100.00", "¥1.50"):
        assert want in text, want
    assert "Sales: 1" in tab.today_label.text()


def test_hold_and_resume_across_restart(qtbot, services, shop, db_path) -> None:  # type: ignore[no-untyped-def]
    tab = make_tab(qtbot, services)
    scan(qtbot, tab, COLA)
    scan(qtbot, tab, CHIPS)
    fkey(qtbot, tab, Qt.Key.Key_F5)  # whole-sale discount of 1 yuan
    answer(qtbot, tab.dialog, "1")
    held_cart = tab.cart
    fkey(qtbot, tab, Qt.Key.Key_F8)  # asks an optional note; Enter alone holds without one
    assert isinstance(tab.dialog, ValueDialog) and not tab.cart.empty
    type_cjk(tab.dialog.edit, "王阿姨 下午来取")
    qtbot.keyClick(tab.dialog.edit, Qt.Key.Key_Return)
    assert tab.cart.empty and "F9" in tab.held_label.text()
    tab.close()
    services.db.dispose()

    again = Services(Database.for_file(db_path))
    tab2 = make_tab(qtbot, again)
    assert "1" in tab2.held_label.text()
    fkey(qtbot, tab2, Qt.Key.Key_F9)
    assert isinstance(tab2.dialog, HeldDialog)
    # what the cashier recognises the cart by: the first item, how many more, the amount, the note
    assert tab2.dialog.list.item(0).text().endswith("可口可乐 + 1 more   ¥10.00   Note: 王阿姨 下午来取")
    qtbot.keyClick(tab2.dialog.list, Qt.Key.Key_Return)
    assert tab2.cart == held_cart and tab2.totals.total == 350 + 650 - 100
    assert count(again.db, HeldSale) == 0
    again.db.dispose()


def test_customer_return(qtbot, services, shop, db) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain import cart as c
    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.services.sales.dto import Tender

    cart, _ = c.add(Cart(), services.checkout.line_for_scan(COLA))
    cart = c.set_qty(cart, 0, 4000)
    sale = services.checkout.post_sale(cart, [Tender("wechat", 1400)])
    tab = make_tab(qtbot, services)
    fkey(qtbot, tab, Qt.Key.Key_F10)
    dlg = tab.dialog
    assert isinstance(dlg, ReturnDialog)
    qtbot.keyClicks(dlg.number, "XS19990101-0009")
    qtbot.keyClick(dlg.number, Qt.Key.Key_Return)
    assert "No sale with receipt number" in dlg.error.text() and dlg.model.sale is None
    dlg.number.selectAll()
    qtbot.keyClicks(dlg.number, sale.number)
    qtbot.keyClick(dlg.number, Qt.Key.Key_Return)
    assert dlg.model.sale is not None and dlg.method.currentData() == "wechat"
    assert dlg.model.setData(dlg.model.index(0, 5), "5")  # more than sold
    dlg.post()
    assert "at most 4 can still be returned" in dlg.error.text()
    assert count(db, Sale) == 1
    dlg.model.setData(dlg.model.index(0, 5), "0")
    # by keys only: type the quantity into the focused cell, Enter, F12 posts
    qtbot.waitUntil(dlg.isActiveWindow, timeout=30_000)
    dlg.table.setFocus()
    dlg.table.setCurrentIndex(dlg.model.index(0, 5))
    qtbot.keyClicks(dlg.table, "1")
    editor = dlg.table.viewport().findChild(QLineEdit)
    assert editor is not None
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.model.qty == [1000], timeout=30_000)  # the view commits the editor on a queued call
    qtbot.keyClick(dlg.table, Qt.Key.Key_F12)
    assert tab.dialog is None
    ret = tab.last_sale
    assert ret is not None and ret.kind == "return" and ret.total == 350
    assert services.catalog.get(shop["cola"]).stock_qty == 47000
    assert "Returns: 1" in tab.today_label.text()
    assert services.checkout.get_sale(sale.number).lines[0].returned_qty == 1000


@pytest.mark.parametrize(("key", "text", "message"), [
    (Qt.Key.Key_F2, "0", "greater than zero"),
    (Qt.Key.Key_F2, "-2", "must not be negative"),
    (Qt.Key.Key_F2, "abc", "is not a quantity"),
    (Qt.Key.Key_F2, "99999999", "too large"),
    (Qt.Key.Key_F3, "0", "greater than zero"),
    (Qt.Key.Key_F3, "-1", "must not be negative"),
    (Qt.Key.Key_F3, "1.5", "above the allowed 50%"),  # a price cut beyond the line limit
    (Qt.Key.Key_F4, "60%", "above the allowed 50%"),
    (Qt.Key.Key_F5, "40%", "above the allowed 30%"),
])
def test_bad_edits_keep_the_cart(qtbot, services, shop, key, text, message, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    # Above the limit the till asks whether to apply it anyway (no PIN set): the answer is no.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    tab = make_tab(qtbot, services)
    scan(qtbot, tab, COLA)
    before = tab.cart
    fkey(qtbot, tab, key)
    answer(qtbot, tab.dialog, text)
    assert tab.dialog is not None and message in tab.dialog.error.text()
    assert tab.cart == before
    tab.dialog.reject()
    assert tab.dialog is None


def test_refusals_post_nothing(qtbot, services, shop, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tab = make_tab(qtbot, services)
    fkey(qtbot, tab, Qt.Key.Key_F12)  # empty cart
    assert tab.dialog is None and "cart is empty" in tab.message.text()
    scan(qtbot, tab, "6900000000007")
    assert "Unknown barcode 6900000000007" in tab.message.text() and tab.cart.empty
    scan(qtbot, tab, "6900000000000")  # a misread scan is named as such, as in the purchase tab
    assert "wrong check digit" in tab.message.text() and tab.cart.empty
    scan(qtbot, tab, CHIPS)
    fkey(qtbot, tab, Qt.Key.Key_F12)
    pay = tab.dialog
    pay.fields["cash"].selectAll()
    qtbot.keyClicks(pay.fields["cash"], "5")
    qtbot.keyClick(pay.fields["cash"], Qt.Key.Key_Return)
    assert "less than the amount due" in pay.error.text() and tab.dialog is pay
    assert count(db, Sale) == 0 and not tab.cart.empty
    pay.reject()
    # more than on hand under the warn policy: the cashier is asked before paying; "No" posts nothing
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
    fkey(qtbot, tab, Qt.Key.Key_F2)
    answer(qtbot, tab.dialog, "25")
    fkey(qtbot, tab, Qt.Key.Key_F12)
    assert asked and "乐事薯片" in asked[0] and tab.dialog is None  # no pay dialog after "No"
    assert count(db, Sale) == 0 and tab.cart.lines[0].qty == 25000
    # auto-print with no printer: a message, and the sale is kept
    services.settings.update({"auto_print_receipt": "1"})
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    fkey(qtbot, tab, Qt.Key.Key_F12)
    qtbot.keyClick(tab.dialog.fields["cash"], Qt.Key.Key_Return)
    assert count(db, Sale) == 1 and tab.cart.empty
    assert tab.last_print_error and "reprint it with F11" in tab.message.text()


def test_models(qtmodeltester, services, shop) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain import cart as c
    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.ui.models.cart_model import CartModel

    cart, _ = c.add(Cart(), services.checkout.line_for_scan(COLA))
    cart, _ = c.add(cart, services.checkout.line_for_scan(WEIGHED))
    m = CartModel()
    m.set_totals(c.price(c.set_sale_discount(cart, 10)))
    qtmodeltester.check(m)


def test_reprint_from_todays_list(qtbot, services, shop, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain import cart as c
    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.services.sales.dto import Tender
    from jxc_desktop.ui.dialogs.reprint_dialog import ReprintDialog

    cart, _ = c.add(Cart(), services.checkout.line_for_scan(CHIPS))
    first = services.checkout.post_sale(cart, [Tender("cash", 650)])
    services.checkout.post_sale(cart, [Tender("alipay", 650)])
    tab = make_tab(qtbot, services)
    fkey(qtbot, tab, Qt.Key.Key_F11)
    dlg = tab.dialog
    assert isinstance(dlg, ReprintDialog) and dlg.list.count() == 2
    qtbot.keyClick(dlg.number, Qt.Key.Key_Down)  # newest first: move to the first sale
    qtbot.keyClick(dlg.number, Qt.Key.Key_Return)
    assert tab.dialog is None
    assert first.number in pdf_text(tab.last_receipt_pdf, tmp_path)
    # no printer here: a message, nothing lost
    assert tab.last_print_error and "F11" in tab.message.text()
    fkey(qtbot, tab, Qt.Key.Key_F11)
    qtbot.waitUntil(tab.dialog.isActiveWindow, timeout=30_000)
    qtbot.keyClick(tab.dialog.number, Qt.Key.Key_F5)  # the end-of-day slip, on the same paper
    assert "END OF DAY SUMMARY" in pdf_text(tab.last_receipt_pdf, tmp_path)
    qtbot.keyClicks(tab.dialog.number, "XS20000101-0001")
    qtbot.keyClick(tab.dialog.number, Qt.Key.Key_Return)
    assert "No sale with receipt number" in tab.dialog.error.text()
    tab.dialog.reject()


def test_till_settings(qtbot, services, shop) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.dialogs.till_settings_dialog import TillSettingsDialog

    tab = make_tab(qtbot, services)
    tab.open_settings()
    dlg = tab.dialog
    assert isinstance(dlg, TillSettingsDialog)
    dlg.scale_rules.setText("21IIIII")  # not 13 characters
    dlg.auto_print.setChecked(True)
    dlg.accept()
    assert "is not valid" in dlg.error.text() and tab.dialog is dlg
    assert services.settings.get("auto_print_receipt") == "0"  # nothing saved
    dlg.scale_rules.setText("2XIIIIIWWWWWC")
    dlg.line_pct.setValue(10)
    dlg.accept()
    assert tab.dialog is None
    assert services.settings.get("auto_print_receipt") == "1"
    assert services.settings.get("scale_barcode_rules") == "2XIIIIIWWWWWC"
    assert tab.limits.max_line_discount_pct == 10  # the tab re-read its limits


def test_discount_above_the_limit_needs_the_owner(qtbot, services, shop, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Beyond the limit the owner decides: the PIN when one is set (refused here), else a confirmation;
    the approved sale posts with the discount and leaves a line in the audit trail."""
    from PySide6.QtWidgets import QMessageBox

    from jxc_desktop.db.models import AuditLog
    from jxc_desktop.ui import guard

    services.pin.set_pin("2580")
    monkeypatch.setattr(guard, "ensure_owner", lambda *a, **k: False)  # the owner is not there
    tab = make_tab(qtbot, services)
    scan(qtbot, tab, CHIPS)
    fkey(qtbot, tab, Qt.Key.Key_F4)
    answer(qtbot, tab.dialog, "60%")
    assert "above the allowed 50%" in tab.dialog.error.text() and tab.cart.lines[0].line_discount == 0
    tab.dialog.reject()

    services.pin.clear_pin("2580")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    fkey(qtbot, tab, Qt.Key.Key_F4)
    answer(qtbot, tab.dialog, "60%")
    assert tab.dialog is None and tab.cart.owner_approved and tab.cart.lines[0].line_discount == 390
    fkey(qtbot, tab, Qt.Key.Key_F12)
    qtbot.keyClick(tab.dialog.fields["cash"], Qt.Key.Key_Return)
    with db.read() as uow:
        sale = uow.session.scalar(select(Sale))
        assert sale is not None and sale.total == 260
        notes = [a.detail for a in uow.session.scalars(select(AuditLog).where(AuditLog.document == sale.number))]
    assert any("approved by the owner" in n for n in notes)


def test_negative_stock_warned_on_the_line_asked_once_at_payment(qtbot, services, shop, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from jxc_desktop.ui.models.cart_model import NAME

    tab = make_tab(qtbot, services)
    scan(qtbot, tab, CHIPS)  # 20 on hand: fine
    assert not tab.model.data(tab.model.index(0, NAME)).startswith("⚠")
    fkey(qtbot, tab, Qt.Key.Key_F2)
    answer(qtbot, tab.dialog, "25")
    # warned at once, while the line is entered, and the line carries a mark
    assert "乐事薯片: only 20 in stock" in tab.message.text()
    assert tab.model.data(tab.model.index(0, NAME)) == "⚠ 乐事薯片"
    assert "Only 20 in stock" in tab.model.data(tab.model.index(0, NAME), Qt.ItemDataRole.ToolTipRole)
    scan(qtbot, tab, COLA)  # a line with enough stock stays unmarked
    assert tab.model.data(tab.model.index(1, NAME)) == "可口可乐"
    asked: list[tuple[str, object]] = []

    def question(parent, title, text, buttons, default):  # type: ignore[no-untyped-def]
        asked.append((text, default))
        return default  # the cashier presses Enter

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    fkey(qtbot, tab, Qt.Key.Key_F12)
    assert len(asked) == 1 and asked[0][1] == QMessageBox.StandardButton.Yes  # the safe default: sell
    assert "乐事薯片 (in stock 20, selling 25)" in asked[0][0]
    assert isinstance(tab.dialog, PayDialog)
    qtbot.keyClicks(tab.dialog.fields["cash"], "200")
    qtbot.keyClick(tab.dialog.fields["cash"], Qt.Key.Key_Return)
    assert count(db, Sale) == 1 and tab.cart.empty and len(asked) == 1  # asked once, not again on posting
    with db.read() as uow:
        assert uow.session.get(Product, shop["chips"]).stock_qty == -5000


def test_block_policy_refuses_before_the_money_is_taken(qtbot, services, shop, db) -> None:  # type: ignore[no-untyped-def]
    services.settings.update({"negative_stock": "block"})
    tab = make_tab(qtbot, services)
    scan(qtbot, tab, CHIPS)
    fkey(qtbot, tab, Qt.Key.Key_F2)
    answer(qtbot, tab.dialog, "25")
    assert "does not sell below zero" in tab.message.text()
    fkey(qtbot, tab, Qt.Key.Key_F12)
    assert tab.dialog is None and "Not enough stock" in tab.message.text() and count(db, Sale) == 0

"""Money owed on screen, driven by keys: the till's 挂账 key (Shift+F12) puts part of a sale on a
customer's account and the balance follows; above the credit limit only with the owner; a
collection allocated oldest first, edited by hand, the rest kept as a prepayment; the wholesale
note entered in packs and posted."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from sqlalchemy import select

from jxc_desktop.db.models import Payment, Sale, SaleLine
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.accounts.dto import CUSTOMER, CustomerInput
from jxc_desktop.ui import actions as ui_actions
from jxc_desktop.ui import credit_approval, guard
from jxc_desktop.ui.accounts_money import MoneyPage
from jxc_desktop.ui.checkout_tab import CheckoutTab
from jxc_desktop.ui.dialogs.credit_dialog import CreditDialog
from jxc_desktop.ui.models.allocation_table import Col
from jxc_desktop.ui.wholesale_editor import WholesaleEditor
from tests.ui.cjk import type_cjk

COLA, CASE, CHIPS = "6901234567892", "16901234567899", "6920152400012"


@pytest.fixture
def shop(services):  # type: ignore[no-untyped-def]
    cat = services.catalog
    cola = cat.create_product(ProductInput(name="可口可乐", sale_price=350, ref_cost=200, unit="瓶",
                                           barcodes=((COLA, 1), (CASE, 12))), opening_qty=200_000).id
    chips = cat.create_product(ProductInput(name="乐事薯片", sale_price=650, ref_cost=400,
                                            barcodes=((CHIPS, 1),)), opening_qty=20_000).id
    cid = services.customers.add(CustomerInput("隔壁饭店", phone="13800001111", credit_limit=2000))
    services.customers.add(CustomerInput("张三", phone="13900002222"))
    return {"cola": cola, "chips": chips, "customer": cid}


def show(qtbot, widget):  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=30_000)  # shortcuts need the active window
    return widget


def scan(qtbot, line, code: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(line, code)
    qtbot.keyClick(line, Qt.Key.Key_Return)


def on_account_sale(qtbot, tab: CheckoutTab, who: str, credit: str) -> CreditDialog:  # type: ignore[no-untyped-def]
    tab.activateWindow()  # the last dialog gave the activation back (shortcuts need it)
    qtbot.waitUntil(tab.isActiveWindow, timeout=30_000)
    tab.lookup.setFocus()
    qtbot.keyClick(tab.lookup, Qt.Key.Key_F12, Qt.KeyboardModifier.ShiftModifier)
    dialog = tab.dialog
    assert isinstance(dialog, CreditDialog)
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.picker.line, who)  # pinyin initials or phone digits
    dialog.picker.search_now()
    qtbot.keyClick(dialog.picker.line, Qt.Key.Key_Return)  # chooses, moves to the amount
    assert dialog.picker.customer is not None
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.credit)  # Enter chose the customer, the amount comes next
    dialog.credit.selectAll()
    qtbot.keyClicks(dialog.credit, credit)
    qtbot.keyClick(dialog.credit, Qt.Key.Key_Return)
    return dialog


def edit_cell(qtbot, table, row: int, col: int, text: str) -> None:  # type: ignore[no-untyped-def]
    idx = table.model().index(row, col)
    table.setCurrentIndex(idx)
    table.edit(idx)
    editors = [w for w in table.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1, "the cell did not open an editor"
    editors[0].selectAll()
    qtbot.keyClicks(editors[0], text)
    qtbot.keyClick(editors[0], Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on a queued call


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_the_on_account_key_puts_part_of_a_sale_on_the_customer(qtbot, services, db, shop, tmp_path,
                                                                monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tab = show(qtbot, CheckoutTab(services))
    for code in (COLA, COLA, CHIPS):  # 3.50 + 3.50 + 6.50 = 13.50
        scan(qtbot, tab.lookup, code)
    assert tab.totals.total == 1350
    dialog = on_account_sale(qtbot, tab, "gbfd", "10")  # 隔壁饭店 by its initials; 3.50 paid in cash
    assert not dialog.isVisible() and tab.cart.empty
    with db.read() as uow:
        sale = uow.session.scalar(select(Sale))
        assert sale.customer_id == shop["customer"] and sale.total == 1350
        pays = {p.method: p.amount for p in uow.session.scalars(select(Payment))}
    assert pays == {"cash": 350, "credit": 1000}
    assert services.customers.get(shop["customer"]).balance == 1000
    assert tab.last_sale.balance_owed == 1000
    text = pdf_text(tab.last_receipt_pdf, tmp_path)
    assert "On account" in text and "隔壁饭店" in text and "Balance owed" in text and "¥10.00" in text

    # 15.00 more would make 25.00 against a limit of 20.00: the owner must approve
    for code in (CHIPS, CHIPS):
        scan(qtbot, tab.lookup, code)
    asked: list[str] = []
    monkeypatch.setattr(credit_approval, "confirm", lambda parent, text, *a, **k: asked.append(text) or True)
    monkeypatch.setattr(guard, "ensure_owner", lambda *a, **k: False)  # the owner is not there
    dialog = on_account_sale(qtbot, tab, "13800001111", "13")
    assert asked and "credit limit" in asked[0]
    assert dialog.isVisible() and not tab.cart.empty  # nothing posted, the cart is kept
    assert services.customers.get(shop["customer"]).balance == 1000
    approved: list[str] = []
    monkeypatch.setattr(guard, "ensure_owner", lambda parent, services, action: approved.append(action) or True)
    qtbot.keyClick(dialog.credit, Qt.Key.Key_Return)
    assert approved == [credit_approval.CREDIT_OVERRIDE] and tab.cart.empty
    assert services.customers.get(shop["customer"]).balance == 2300
    assert tab.last_sale.balance_owed == 2300


def test_a_collection_allocated_by_hand(qtbot, services, db, shop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.domain.cart import add as add_line
    from jxc_desktop.services.sales.dto import Tender

    cid = shop["customer"]
    numbers = []
    for qty in (2, 3):  # 7.00 and 10.50 on account, oldest first
        cart, _ = add_line(Cart(), services.checkout.line_for_product(shop["cola"], qty * 1000))
        total = services.checkout.price(cart).total
        numbers.append(services.checkout.post_sale(cart, [Tender("credit", total)], customer_id=cid).number)
    page = show(qtbot, MoneyPage(services))
    page.choose(CUSTOMER, cid)
    assert page.model.rowCount() == 2
    qtbot.keyClicks(page.amount, "15")
    # pre-filled oldest first: 7.00 then 8.00 of the 10.50
    assert [d.number for d in page.model.docs] == numbers and page.model.parts == [700, 800]
    edit_cell(qtbot, page.table, 1, Col.ALLOCATE, "6")  # only 6.00 of the second sale
    assert page.model.parts == [700, 600]
    assert "prepayment ¥2.00" in page.summary.text()
    asked: list[str] = []
    monkeypatch.setattr(ui_actions, "confirm", lambda parent, text, *a, **k: asked.append(text) or True)
    result = page.post()
    assert result is not None and asked and "prepayment" in asked[0]
    assert (result.amount, result.allocated, result.prepayment) == (1500, 1300, 200)
    assert services.customers.get(cid).balance == 1750 - 1500
    open_docs = services.accounts.open_documents(CUSTOMER, cid)
    assert [(d.number, d.open) for d in open_docs] == [(numbers[1], 450)]
    assert [d.number for d in page.model.docs] == [numbers[1]]  # the page shows what is still open


def test_the_wholesale_note_in_packs(qtbot, services, db, shop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    printed: list[str] = []
    monkeypatch.setattr("jxc_desktop.ui.wholesale_editor.print_pdf",
                        lambda parent, data, **k: printed.append(k.get("title", "")) or "")
    editor = show(qtbot, WholesaleEditor(services))
    type_cjk(editor.picker.line, "隔壁")
    editor.picker.search_now()
    qtbot.keyClick(editor.picker.line, Qt.Key.Key_Return)
    assert editor.picker.customer is not None and editor.picker.customer.id == shop["customer"]
    scan(qtbot, editor.lookup, CASE)  # a case of 12
    scan(qtbot, editor.lookup, CASE)
    note = editor.model.note
    assert len(note.lines) == 1 and (note.lines[0].packs, note.lines[0].pack_size) == (2, 12)
    edit_cell(qtbot, editor.table, 0, 6, "6")  # six loose bottles too
    assert note.lines[0].price == 350 and editor.model.note.lines[0].qty == 30_000
    qtbot.keyClicks(editor.paid, "95")
    assert "壹佰零伍元整" in editor.capitals.text()  # 30 × 3.50
    monkeypatch.setattr(guard, "ensure_owner", lambda *a, **k: True)
    monkeypatch.setattr(credit_approval, "confirm", lambda *a, **k: True)
    qtbot.keyClick(editor.lookup, Qt.Key.Key_F9)
    dto = editor.last_posted
    assert dto is not None and printed == [f"Sales note {dto.number}"]
    assert (dto.total, dto.paid, dto.on_account, dto.balance_owed) == (10_500, 9_500, 1_000, 1_000)
    with db.read() as uow:
        sale = uow.session.scalar(select(Sale).where(Sale.number == dto.number))
        assert sale.channel == "wholesale"
        assert uow.session.scalar(select(SaleLine.pack_size).where(SaleLine.sale_id == sale.id)) == 12
    assert editor.model.rowCount() == 0 and editor.picker.customer is None  # ready for the next note
    again = editor.reprint(dto.number.lower())
    assert again is not None and again.customer_name == "隔壁饭店" and again.balance_owed == 1_000
    assert printed[-1] == f"Sales note {dto.number}"
    shown: list[str] = []
    monkeypatch.setattr(ui_actions, "show_error", lambda parent, exc, title="": shown.append(str(exc)))
    assert editor.reprint("XS19990101-0001") is None and "XS19990101-0001" in shown[0]  # no such note: said so


def test_the_product_form_keeps_the_wholesale_price(qtbot, services, shop) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.dialogs.product_dialog import ProductDialog

    dialog = ProductDialog(services, services.catalog.get(shop["cola"]))
    qtbot.addWidget(dialog)
    assert dialog.wholesale_price.text() == ""  # none yet: the note sells at the retail price
    dialog.wholesale_price.setText("3.10")
    assert dialog.save() is not None
    assert services.wholesale.wholesale_price(shop["cola"]) == 310
    assert services.wholesale.line_for(shop["cola"]).price == 310
    again = ProductDialog(services, services.catalog.get(shop["cola"]))
    qtbot.addWidget(again)
    assert again.wholesale_price.text() == "3.10"
    again.wholesale_price.setText("-1")
    assert again.save() is None and again.error_label.text()  # refused, the price stays
    assert services.wholesale.wholesale_price(shop["cola"]) == 310


def test_balances_at_a_glance_with_their_age(qtbot, services, shop) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.domain.cart import add as add_line
    from jxc_desktop.domain.clock import utcnow
    from jxc_desktop.services.sales.dto import Tender
    from jxc_desktop.ui.accounts_tab import AccountsTab

    cid = shop["customer"]
    for days, qty in ((45, 2), (0, 3)):  # 7.00 due 45 days ago, 10.50 today
        cart, _ = add_line(Cart(), services.checkout.line_for_product(shop["cola"], qty * 1000))
        services.checkout.post_sale(cart, [Tender("credit", services.checkout.price(cart).total)], customer_id=cid,
                                    at=utcnow() - timedelta(days=days))
    tab = show(qtbot, AccountsTab(services))
    model = tab.balances.models[CUSTOMER]
    assert model.rowCount() == 1
    cells = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert cells[:5] == ["隔壁饭店", "¥17.50", "¥10.50", "", "¥7.00"]  # not due, 1–30, 31–60
    assert "overdue ¥7.00" in tab.balances.totals[CUSTOMER].text()
    tab.balances.tables[CUSTOMER].selectRow(0)
    tab.balances.statement_requested.emit(CUSTOMER, cid)  # the button's signal: the statement opens on them
    assert tab.pages.currentWidget() is tab.statement and tab.statement.current is not None
    assert tab.statement.current.closing == 1750


def test_a_return_of_a_sale_on_account_goes_back_to_the_account(qtbot, services, shop) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.domain.cart import add as add_line
    from jxc_desktop.services.sales.dto import Tender
    from jxc_desktop.ui.dialogs.return_dialog import ReturnDialog

    cid = shop["customer"]
    cart, _ = add_line(Cart(), services.checkout.line_for_product(shop["cola"], 4000))  # 14.00
    sale = services.checkout.post_sale(cart, [Tender("cash", 400), Tender("credit", 1000)], customer_id=cid)
    tab = show(qtbot, CheckoutTab(services))
    qtbot.keyClick(tab.lookup, Qt.Key.Key_F10)
    dlg = tab.dialog
    assert isinstance(dlg, ReturnDialog)
    qtbot.keyClicks(dlg.number, sale.number)
    qtbot.keyClick(dlg.number, Qt.Key.Key_Return)
    assert dlg.method.currentData() == "credit"  # a sale on account: back to the account first
    assert dlg.model.setData(dlg.model.index(0, 5), "2")
    dlg.post()
    assert tab.dialog is None and tab.last_sale.total == 700
    assert services.customers.get(cid).balance == 1000 - 700
    # a sale paid in money offers no account to go back to
    cart, _ = add_line(Cart(), services.checkout.line_for_product(shop["cola"], 1000))
    cash_sale = services.checkout.post_sale(cart, [Tender("cash", 350)])
    qtbot.keyClick(tab.lookup, Qt.Key.Key_F10)
    dlg = tab.dialog
    dlg.number.setText(cash_sale.number)
    qtbot.keyClick(dlg.number, Qt.Key.Key_Return)
    assert dlg.method.findData("credit") < 0 and dlg.method.currentData() == "cash"


def test_quitting_with_a_note_being_typed_asks(qtbot, services, shop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui import accounts_tab
    from jxc_desktop.ui.accounts_tab import AccountsTab

    tab = show(qtbot, AccountsTab(services))
    assert tab.can_close()  # nothing typed
    tab.wholesale.add_product(services.catalog.get(shop["cola"]))
    asked: list[str] = []
    monkeypatch.setattr(accounts_tab, "confirm", lambda parent, text, *a, **k: asked.append(text) or False)
    assert not tab.can_close() and asked and tab.pages.currentWidget() is tab.wholesale

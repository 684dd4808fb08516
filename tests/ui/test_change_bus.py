"""One action runner and the change bus (issue 12): a service called through the runner reaches
the user as the standard message; a write anywhere refreshes every open view that shows what it
changed — no stale label after a restock, a count, a restore."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.changes import Change
from jxc_desktop.domain.errors import InsufficientStockError, JxcError, ValidationError
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput
from jxc_desktop.services.purchasing.suppliers import SupplierInput
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.ui import actions
from jxc_desktop.ui.changes import bus_for, subscribe
from jxc_desktop.ui.main_window import MainWindow

COLA = "6901234567892"


@pytest.fixture
def shop(make_product, services):  # type: ignore[no-untyped-def]
    cola = make_product("可口可乐", 350, 200, 2, barcode=COLA, category="饮料", min_stock=5000)
    make_product("乐事薯片", 650, 400, 20, category="零食")
    make_product("猪肉", 2400, 1500, 10, category="生鲜")
    services.settings.update({"shop_name": "好邻居便利店"})
    return cola


@pytest.fixture
def window(qtbot, services, db_path, shop, monkeypatch):  # type: ignore[no-untyped-def]
    w = MainWindow(services, db_path)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.build_all_tabs()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=30_000)  # F-keys need the active window
    return w


@pytest.fixture
def warnings(monkeypatch) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text, *a, **k: shown.append((title, text)))
    return shown


def sell_by_keys(qtbot, window, code: str = COLA) -> str:  # type: ignore[no-untyped-def]
    till = window.show_tab("checkout")
    till.lookup.setFocus()
    qtbot.keyClicks(till.lookup, code)
    qtbot.keyClick(till.lookup, Qt.Key.Key_Return)
    qtbot.keyClick(till.lookup, Qt.Key.Key_F12)
    pay = till.dialog
    qtbot.keyClick(pay.fields["cash"], Qt.Key.Key_Return)  # exact cash
    assert till.dialog is None and till.last_sale is not None
    return till.last_sale.number


# ---------------------------------------------------------------------------------------- the runner
def test_runner_turns_errors_into_the_standard_messages(qtbot, window, services, warnings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    products = window.show_tab("products")
    products.select_row(0)

    def refuse(*_a: object) -> None:
        raise ValidationError("This product is on an open purchase note")

    monkeypatch.setattr(type(services.catalog), "set_active", refuse)
    products.active_button.click()
    assert warnings == [("Cannot do that", "This product is on an open purchase note")]

    def crash(*_a: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(type(services.catalog), "set_active", crash)
    products.active_button.click()
    assert warnings[-1] == ("Cannot do that", "Unexpected error: disk on fire")
    monkeypatch.undo()

    # a dialog that stays open shows the reason in its own line, no message box
    purchase = window.show_tab("purchase")
    purchase.pages.setCurrentWidget(purchase.suppliers)
    dlg = purchase.suppliers.add()
    dlg.accept()  # no name
    assert dlg.isVisible() and dlg.error_label.text() and len(warnings) == 2
    dlg.reject()


def test_runner_outcome_owner_and_confirmation(qtbot, services, warnings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    assert actions.run(parent, lambda: 42).value == 42
    heard: list[str] = []
    subscribe(parent, services, Change.BACKUPS, lambda: heard.append("backups"))
    actions.run(parent, lambda: None, services=services, changes=Change.BACKUPS)  # no commit shows it
    assert heard == ["backups"]  # told before run() returned
    failed = actions.run(parent, lambda: services.checkout.get_sale("XS-NOPE"))
    assert not failed and isinstance(failed.error, JxcError) and "XS-NOPE" in warnings[-1][1]

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text)
                        or QMessageBox.StandardButton.Yes)
    calls: list[bool] = []

    def post(confirmed: bool) -> str:
        calls.append(confirmed)
        if not confirmed:
            exc = InsufficientStockError("Stock goes below zero. Post anyway?")
            exc.needs_confirmation = True
            raise exc
        return "posted"

    assert actions.run_confirmed(parent, post).value == "posted"
    assert calls == [False, True] and asked == ["Stock goes below zero. Post anyway?"]

    services.pin.set_pin("2468")  # the owner guard: no PIN typed, nothing runs
    from jxc_desktop.ui import guard

    guard.lock_now()
    monkeypatch.setattr(guard, "ensure_owner", lambda *_a: False)
    ran: list[int] = []
    refused = guard.run_as_owner(parent, services, "refund", lambda: ran.append(1))
    assert not refused and refused.error is None and ran == []


def test_subscriptions_wait_while_off_screen_and_end_with_the_view(qtbot, window, services, make_product) -> None:  # type: ignore[no-untyped-def]
    calls: list[str] = []
    products = window.tab("products")
    subscribe(products, services, Change.PRODUCTS, lambda: calls.append("lazy"), lazy=True)
    gone = QWidget()
    subscribe(gone, services, Change.PRODUCTS, lambda: calls.append("gone"))
    gone.deleteLater()
    qtbot.wait(10)
    window.show_tab("stock")
    make_product("雪碧", 300, 200, 1)
    qtbot.wait(20)
    assert calls == []  # the products tab is not on screen: nothing read yet
    window.tabs.blockSignals(True)  # shown without the window's tab-switch refresh
    window.tabs.setCurrentWidget(products)
    window.tabs.blockSignals(False)
    qtbot.waitUntil(lambda: calls == ["lazy"], timeout=5_000)
    assert bus_for(services).flush() == Change.NONE
    window.show_tab("stock")
    make_product("芬达", 300, 200, 1)
    qtbot.wait(20)  # published while the tab is off screen
    window.show_tab("products")  # the window refreshes the whole tab: what waited is done, read once
    qtbot.wait(50)
    assert calls == ["lazy"]


# ---------------------------------------------------------------------------------------- across tabs
def test_a_write_in_one_tab_refreshes_views_in_others(qtbot, window, services) -> None:  # type: ignore[no-untyped-def]
    stock = window.show_tab("stock")
    stock.search.setText("可口可乐")
    stock.apply_filter()
    assert stock.model.row_at(0).qty == 2000
    products = window.tab("products")
    number = sell_by_keys(qtbot, window)
    till = window.tab("checkout")
    assert "Sales: 1" in till.today_label.text() and number in till.last_label.text()
    # the stock tab re-reads once it shows again, without its own refresh being asked for
    window.tabs.blockSignals(True)  # no tab-switch refresh: only the subscription may do it
    window.tabs.setCurrentWidget(stock)
    window.tabs.blockSignals(False)
    qtbot.waitUntil(lambda: stock.model.row_at(0).qty == 1000, timeout=5_000)
    stock.grab().save("/tmp/stock_after_sale.png")
    window.tabs.blockSignals(True)
    window.tabs.setCurrentWidget(products)
    window.tabs.blockSignals(False)
    row = next(r for r in range(products.model.rowCount()) if products.model.product_at(r).name == "可口可乐")
    qtbot.waitUntil(lambda: products.model.product_at(row).stock_qty == 1000, timeout=5_000)


def test_restocking_clears_the_below_minimum_notice_at_once(qtbot, window, services, shop) -> None:  # type: ignore[no-untyped-def]
    alert = window.tab("stock").alert_button
    qtbot.waitUntil(lambda: "1 products below minimum" in alert.text(), timeout=5_000)
    supplier = services.suppliers.add(SupplierInput("康师傅经销"))
    draft = services.purchasing.save_draft(NoteInput(supplier.id, (LineInput(shop.id, 10_000, 200),)))
    purchase = window.show_tab("purchase")
    purchase.pages.setCurrentWidget(purchase.history)
    purchase.history.show_drafts()
    assert purchase.history.select_number(draft.number)  # the draft shows in the history at once
    purchase.history.open_current()  # a draft opens in the editor
    assert purchase.pages.currentWidget() is purchase.editor
    purchase.editor.post_button.click()
    assert purchase.editor.last_posted is not None
    assert alert.isHidden() or "below minimum" not in alert.text()  # no tab switch needed
    assert window.tabs.currentWidget() is purchase
    purchase.pages.setCurrentWidget(purchase.history)
    purchase.history.status.setCurrentIndex(0)
    assert [r.status for r in purchase.history.model.rows()] == ["posted"]


def test_count_picker_follows_the_counting(qtbot, window, services) -> None:  # type: ignore[no-untyped-def]
    tab = window.show_tab("count")
    dlg = tab.new_count_dialog()
    dlg.accept()
    assert "(0/3)" in tab.counts.currentText()
    tab.lookup.setFocus()
    qtbot.keyClicks(tab.lookup, COLA)
    qtbot.keyClick(tab.lookup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "(1/3)" in tab.counts.currentText(), timeout=10_000)
    tab.grab().save("/tmp/count_after_scan.png")
    count = tab.current_count()
    services.stock_count.cancel(count.id)  # elsewhere (as the command line would, in this process)
    qtbot.waitUntil(lambda: not tab.post_button.isEnabled(), timeout=10_000)


def test_held_count_and_today_follow_writes_from_anywhere(qtbot, window, services, shop) -> None:  # type: ignore[no-untyped-def]
    till = window.show_tab("checkout")
    line = replace(services.checkout.line_for_product(shop.id), qty=1000)
    services.held_sales.hold(Cart(lines=(line,)), "comes back at 5")
    qtbot.waitUntil(lambda: "Held sales: 1" in till.held_label.text(), timeout=5_000)
    cart = Cart(lines=(line,))
    services.checkout.post_sale(cart, [Tender("cash", services.checkout.price(cart).total)], confirmed=True)
    qtbot.waitUntil(lambda: "Sales: 1" in till.today_label.text(), timeout=5_000)


# ---------------------------------------------------------------------------------------- restore
def test_a_restore_refreshes_every_view(qtbot, window, services, shop, make_product) -> None:  # type: ignore[no-untyped-def]
    copy = services.backup.backup()
    # after the copy: a sale, a held cart, a new product, a supplier and a note, a count, a new name
    number = sell_by_keys(qtbot, window)
    till = window.tab("checkout")
    line = replace(services.checkout.line_for_product(shop.id), qty=1000)
    services.held_sales.hold(Cart(lines=(line,)))
    make_product("新品", 100, 50, 1)
    supplier = services.suppliers.add(SupplierInput("统一经销"))
    services.purchasing.post(NoteInput(supplier.id, (LineInput(shop.id, 10_000, 200),)))
    services.stock_count.open()
    services.settings.update({"shop_name": "换了名字"})
    qtbot.waitUntil(lambda: window.windowTitle().startswith("换了名字"), timeout=5_000)
    count_tab = window.tab("count")
    purchase = window.tab("purchase")
    window.show_tab("count")  # off screen it waited: shown, it re-reads
    qtbot.waitUntil(lambda: count_tab.counts.count() == 1, timeout=5_000)
    window.show_tab("checkout")
    assert number in till.last_label.text() and "Held sales: 1" in till.held_label.text()

    assert window.count_label.text() == "4 products"
    restore_dialog = window.safety.restore()
    for r in range(restore_dialog.model.rowCount()):
        restore_dialog.table.selectRow(r)
        if restore_dialog.current().path == copy.path:
            break
    assert restore_dialog.current().path == copy.path
    task = restore_dialog.restore_selected(confirmed=True)
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    assert task.error is None, task.error
    restore_dialog.close()

    window.show_tab("checkout")
    qtbot.waitUntil(lambda: till.last_label.text() == "", timeout=5_000)  # that sale is not in this file
    assert till.last_sale is None and "Sales: 0" in till.today_label.text() and till.held_label.text() == ""
    assert number not in till.message.text()  # not "Paid. XS…" either
    till.grab().save("/tmp/checkout_after_restore.png")
    assert window.windowTitle().startswith("好邻居便利店")
    assert window.count_label.text() == "3 products"
    assert "Last backup" in window.safety.status_label.text()
    qtbot.waitUntil(lambda: "1 products below minimum" in window.tab("stock").alert_button.text(), timeout=5_000)
    window.tabs.blockSignals(True)  # only the subscriptions refresh: no tab-switch refresh
    window.tabs.setCurrentWidget(count_tab)
    qtbot.waitUntil(lambda: count_tab.counts.count() == 0, timeout=5_000)
    window.tabs.setCurrentWidget(purchase)
    purchase.pages.setCurrentWidget(purchase.suppliers)
    qtbot.waitUntil(lambda: purchase.suppliers.model.rowCount() == 0, timeout=5_000)
    purchase.pages.setCurrentWidget(purchase.history)
    qtbot.waitUntil(lambda: purchase.history.model.rowCount() == 0, timeout=5_000)
    stock = window.tab("stock")
    window.tabs.setCurrentWidget(stock)
    window.tabs.blockSignals(False)
    qtbot.waitUntil(lambda: stock.category.count() == 4, timeout=5_000)  # read by the subscription
    assert stock.model.total == 3 and "3 products" in stock.totals_label.text()
    stock.search.setText("可口可乐")
    stock.apply_filter()
    assert stock.model.row_at(0).qty == 2000  # as in the copy: before the sale and the receipt
    path = Path("/tmp/stock_after_restore.png")
    stock.grab().save(str(path))
    assert path.stat().st_size > 0
    products = window.tab("products")
    window.show_tab("products")
    qtbot.waitUntil(lambda: products.model.rowCount() == 3, timeout=5_000)


def test_reorder_list_and_last_backup_follow_writes(qtbot, window, services, shop, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    purchase = window.show_tab("purchase")
    purchase.pages.setCurrentWidget(purchase.reorder)
    purchase.reorder.refresh_button.click()  # "Calculate"
    names = [purchase.reorder.tree.topLevelItem(0).child(i).text(0)
             for i in range(purchase.reorder.tree.topLevelItem(0).childCount())]
    assert "可口可乐" in names
    supplier = services.suppliers.add(SupplierInput("可口可乐经销"))
    services.purchasing.post(NoteInput(supplier.id, (LineInput(shop.id, 50_000, 200),)))  # restocked elsewhere
    qtbot.waitUntil(lambda: purchase.reorder.tree.topLevelItemCount() == 0, timeout=5_000)
    assert "0 products" in purchase.reorder.summary.text()

    status = window.safety.status_label
    assert "Last backup" not in status.text()
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(tmp_path / "usb"))
    (tmp_path / "usb").mkdir()
    window.safety.backup_action.trigger()  # File → Back up now…
    qtbot.waitUntil(lambda: window.safety.backup_task.finished, timeout=30_000)
    assert "Last backup" in status.text()


def test_an_import_from_the_file_menu_reaches_the_status_bar_and_the_lists(qtbot, window, services, tmp_path,
                                                                           monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    assert window.count_label.text() == "3 products"
    stock = window.show_tab("stock")
    assert stock.model.total == 3
    data = tmp_path / "new.csv"
    data.write_text("名称,售价\n康师傅红烧牛肉面,4.50\n农夫山泉,2.00\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(data), ""))
    window.import_action.trigger()  # File → Import products…: the products tab comes to the front
    products = window.tab("products")
    qtbot.waitUntil(lambda: products.task is not None and products.task.finished, timeout=30_000)
    assert products.task.error is None, products.task.error
    assert window.count_label.text() == "5 products" and products.model.rowCount() == 5
    window.tabs.blockSignals(True)  # the stock tab re-reads through its subscription alone
    window.tabs.setCurrentWidget(stock)
    window.tabs.blockSignals(False)
    qtbot.waitUntil(lambda: stock.model.total == 5, timeout=5_000)

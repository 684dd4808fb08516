"""Safety in the window: PIN dialogs and the owner guard, audit viewer, backup/restore dialogs,
the damaged-file start-up dialog, File-menu entries and the "last backup" status label."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from jxc_desktop.services.safety.startup_check import FileState, advise
from jxc_desktop.ui import guard, safety_actions
from jxc_desktop.ui.dialogs import damaged_file_dialog as dfd
from jxc_desktop.ui.dialogs.audit_viewer import AuditViewer
from jxc_desktop.ui.dialogs.backup_restore import RestoreDialog
from jxc_desktop.ui.dialogs.pin_dialog import PinDialog, SetPinDialog
from jxc_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _no_owner_grace():  # type: ignore[no-untyped-def]
    guard.lock_now()
    yield
    guard.lock_now()


def test_pin_dialog_wrong_then_right(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    services.pin.set_pin("1357")
    dlg = PinDialog(services, "refund")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.pin_edit, "99x99")  # the validator drops the letter
    assert dlg.pin_edit.text() == "9999"
    dlg.accept()
    assert dlg.isVisible() and not dlg.authorized and "4 tries left" in dlg.error_label.text()
    qtbot.keyClicks(dlg.pin_edit, "1357")
    dlg.accept()
    assert dlg.authorized and not dlg.isVisible()


def test_set_pin_dialog(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    dlg = SetPinDialog(services)
    qtbot.addWidget(dlg)
    dlg.new.setText("2468")
    dlg.again.setText("2469")
    dlg.accept()
    assert "differ" in dlg.error_label.text() and not services.pin.is_set()
    dlg.again.setText("2468")
    dlg.accept()
    assert services.pin.is_set()
    off = SetPinDialog(services)
    qtbot.addWidget(off)
    off.current.setText("2468")
    off.accept()  # empty new PIN: turn it off
    assert not services.pin.is_set()


def test_ensure_owner_asks_once_then_grace(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    assert guard.ensure_owner(None, services, "settings")  # no PIN: no question
    services.pin.set_pin("8080")
    answers = []

    def type_pin(pin: str) -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, PinDialog)
        dlg.pin_edit.setText(pin)
        if pin == "0000":
            dlg.accept()  # wrong: stays open
            answers.append(dlg.error_label.text())
            dlg.reject()
        else:
            dlg.accept()

    QTimer.singleShot(50, lambda: type_pin("0000"))
    assert not guard.ensure_owner(None, services, "reversal")
    assert "tries left" in answers[0]
    QTimer.singleShot(50, lambda: type_pin("8080"))
    assert guard.ensure_owner(None, services, "reversal")
    assert guard.ensure_owner(None, services, "view_profit")  # within the grace period: no dialog
    guard.lock_now(services)
    assert not guard.owner_present(services)


def test_audit_viewer_filters(qtbot, qtmodeltester, services) -> None:  # type: ignore[no-untyped-def]
    services.settings.update({"shop_name": "小卖部"})
    services.pin.set_pin("1234")
    viewer = AuditViewer(services)
    qtbot.addWidget(viewer)
    qtmodeltester.check(viewer.model)
    assert viewer.model.rowCount() == 2
    viewer.text.setText("小卖部")
    assert viewer.model.rowCount() == 1
    viewer.text.setText("")
    viewer.action.setCurrentIndex(viewer.action.findData("pin_set"))
    assert viewer.model.rowCount() == 1 and viewer.model.entry(0).action == "pin_set"
    viewer.since.setDate(viewer.since.date().addDays(40))  # from a future day: nothing
    assert viewer.model.rowCount() == 0


@pytest.mark.sqlite_only  # the damaged copy is listed as the data file's by its name (a server has none)
def test_restore_dialog_round_trip(qtbot, qtmodeltester, services, make_product, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make_product("牛奶", 500, 350, 6)
    copy = services.backup.backup()
    make_product("面包", 800, 500, 2)
    (copy.path.parent / "jxc-backup-20000101-000000.sqlite3").write_bytes(b"not a backup")
    dlg = RestoreDialog(services)
    qtbot.addWidget(dlg)
    qtmodeltester.check(dlg.model)
    assert dlg.model.rowCount() == 2
    assert dlg.current().path == copy.path and dlg.restore_button.isEnabled()
    assert "1 products" in dlg.details.text()
    dlg.table.selectRow(1)
    assert not dlg.restore_button.isEnabled()  # the damaged copy cannot be restored
    dlg.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    task = dlg.restore_selected()
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    assert task.error is None, task.error
    result = dlg.result_info
    assert result is not None and result.saved_current is not None
    assert services.catalog.count() == 1  # the same Services see the restored file


def test_damaged_file_start_restores_newest_good_backup(qtbot, tmp_path: Path, services, db_path) -> None:  # type: ignore[no-untyped-def]
    services.backup.backup()
    services.db.dispose()
    for side in ("-wal", "-shm"):
        Path(str(db_path) + side).unlink(missing_ok=True)
    db_path.write_bytes(b"\x13" * 5000)

    def click_restore(advice):  # type: ignore[no-untyped-def]
        dlg = dfd.DamagedFileDialog(advice)
        qtbot.addWidget(dlg)
        assert advice.check.state == FileState.NOT_JXC
        assert dlg.restore_button.isEnabled() and not dlg.new_button.isVisibleTo(dlg)
        dlg.restore_button.click()
        return dlg

    assert dfd.resolve_start_file(db_path, click_restore) == db_path
    assert advise(db_path).check.state == FileState.OK


def test_damaged_file_quit_leaves_the_file_alone(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "jxc.sqlite3"
    path.write_bytes(b"garbage" * 100)

    def click_quit(advice):  # type: ignore[no-untyped-def]
        dlg = dfd.DamagedFileDialog(advice)
        qtbot.addWidget(dlg)
        assert "not a JXC Desktop database" in dfd.problem_text(advice)
        assert not dlg.restore_button.isEnabled()
        dlg.quit_button.click()
        return dlg

    assert dfd.resolve_start_file(path, click_quit) is None
    assert path.read_bytes() == b"garbage" * 100


def test_main_window_menu_status_and_auto_backup(qtbot, services, db_path) -> None:  # type: ignore[no-untyped-def]
    assert not safety_actions.auto_backups_enabled()  # the test suite turns the timers off
    w = MainWindow(services, db_path)
    qtbot.addWidget(w)
    w.safety.start_auto_backup()  # what the start-up timer does 3 s after the window shows
    texts = [a.text() for a in w.file_menu.actions()]
    assert "Back up now…" in texts and "Restore a backup…" in texts and "Audit log…" in texts
    qtbot.waitUntil(lambda: w.safety._thread is None, timeout=30_000)
    assert w.safety.status_label.text().startswith("Last backup: ")
    assert list((db_path.parent / "backups").glob("jxc-auto-*.sqlite3"))
    w.safety.timer.stop()


def test_status_warns_without_backups(qtbot, services, db_path) -> None:  # type: ignore[no-untyped-def]
    w = MainWindow(services, db_path)
    qtbot.addWidget(w)
    assert "No backup yet" in w.safety.status_label.text() and "⚠" in w.safety.status_label.text()
    # It names the menu item as the menu reads (in English too: it once gave the Chinese path).
    where = f"({w.file_menu.title().replace('&', '')} → {w.safety.backup_action.text().rstrip('…')})"
    assert where in w.safety.status_label.text()
    task = w.safety.back_up(db_path.parent / "usb")
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    assert "Last backup" in w.safety.status_label.text() and "⚠" not in w.safety.status_label.text()


def test_backup_folder_setting_from_the_menu(qtbot, services, db_path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    w = MainWindow(services, db_path)
    qtbot.addWidget(w)
    assert "Backup folder…" in [a.text() for a in w.settings_menu.actions()]
    assert w.safety.choose_backup_folder(tmp_path / "usb") == tmp_path / "usb"
    assert services.backup.backup_dir() == tmp_path / "usb"
    assert services.audit.query(action="settings")


def test_checkout_refund_price_settings_and_held_sales_ask_the_owner(qtbot, services, make_product) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.ui.checkout_tab import CheckoutTab

    p = make_product("口香糖", 300, 100, 20)
    tab = CheckoutTab(services)
    qtbot.addWidget(tab)
    tab.add_product(p)
    services.held_sales.hold(Cart((services.checkout.line_for_product(p.id),)))
    services.pin.set_pin("1111")
    asked: list[str] = []

    def answer(pin: str | None) -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, PinDialog)
        asked.append(dlg.action)
        if pin is None:
            dlg.reject()
        else:
            dlg.pin_edit.setText(pin)
            dlg.accept()

    for action in (tab.start_return, tab.open_settings, tab.change_price):
        QTimer.singleShot(50, lambda: answer(None))
        action()
        assert tab.dialog is None  # refused: nothing opened
    assert asked == ["refund", "settings", "price_change"]
    QTimer.singleShot(50, lambda: answer("1111"))
    tab.start_return()
    assert tab.dialog is not None  # the owner let it through
    tab.dialog.reject()
    guard.lock_now()
    tab.cart = Cart()  # resume needs an empty cart
    tab._set_cart(Cart())
    tab.resume()
    held = tab.dialog
    QTimer.singleShot(50, lambda: answer(None))
    held.delete_current()
    assert services.held_sales.list()  # refused: still held
    assert asked[-1] == "delete_held_sale"


def test_refunds_are_audited(services, make_product) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.services.sales.dto import ReturnItem, Tender

    p = make_product("电池", 500, 300, 10)
    sale = services.checkout.post_sale(Cart((services.checkout.line_for_product(p.id, 2000),)),
                                       [Tender("cash", 1000)])
    ret = services.checkout.post_return(sale.number, [ReturnItem(sale.lines[0].id, 1000)])
    entry = services.audit.query(action="refund")[0]
    assert entry.document == ret.number and sale.number in entry.after


def test_cost_tabs_ask_the_owner_and_lock_now(qtbot, services, db_path) -> None:  # type: ignore[no-untyped-def]
    w = MainWindow(services, db_path)
    qtbot.addWidget(w)
    w.show()
    reports = w.tab("reports")
    assert w.show_tab("reports") is reports and w.tabs.currentWidget() is reports  # no PIN: no question
    w.switch_to(0)
    services.pin.set_pin("3690")
    seen_behind: list[object] = []

    def answer(pin: str | None) -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, PinDialog) and dlg.action == "view_profit"
        seen_behind.append(w.tabs.currentWidget())
        if pin is None:
            dlg.reject()
        else:
            dlg.pin_edit.setText(pin)
            dlg.accept()

    QTimer.singleShot(50, lambda: answer(None))
    w.show_tab("reports")
    assert w.tabs.currentIndex() == 0 and seen_behind == [w.tabs.widget(0)]  # the till stayed in front
    QTimer.singleShot(50, lambda: answer("3690"))
    w.show_tab("reports")
    assert w.tabs.currentWidget() is reports
    w.show_tab("stock")  # within the owner's grace: no second question
    assert w.tabs.currentWidget() is w.tab("stock") and len(seen_behind) == 2
    w.safety.lock_action.trigger()
    assert w.tabs.currentIndex() == 0 and not guard.owner_present(services)


def test_product_price_change_asks_the_owner(qtbot, services, make_product) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.dialogs.product_dialog import ProductDialog

    p = make_product("饼干", 600, 400, 3)
    services.pin.set_pin("7777")
    dlg = ProductDialog(services, p)
    qtbot.addWidget(dlg)
    dlg.spec.setText("200g")
    assert dlg.save() is not None  # no price change: no question
    dlg = ProductDialog(services, services.catalog.get(p.id))
    qtbot.addWidget(dlg)
    dlg.sale_price.setText("1.00")

    def refuse() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, PinDialog) and box.action == "price_change"
        box.reject()

    QTimer.singleShot(50, refuse)
    assert dlg.save() is None and services.catalog.get(p.id).sale_price == 600


def test_products_tab_hides_costs_from_the_cashier(qtbot, services, make_product) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.models.product_table import COL
    from jxc_desktop.ui.products_tab import ProductsTab

    make_product("酸奶", 500, 320, 4)
    tab = ProductsTab(services)
    qtbot.addWidget(tab)
    tab.refresh()
    assert not tab.table.isColumnHidden(COL["avg_cost"])
    services.pin.set_pin("5151")
    tab.refresh()
    hidden = [k for k in ("ref_cost", "avg_cost", "stock_value") if tab.table.isColumnHidden(COL[k])]
    assert hidden == ["ref_cost", "avg_cost", "stock_value"] and not tab.table.isColumnHidden(COL["sale_price"])
    services.pin.authorize("view_profit", "5151")
    guard._owner_until[id(services)] = guard.time.monotonic() + 60  # as after the PIN dialog
    tab.refresh()
    assert not tab.table.isColumnHidden(COL["stock_value"])


def test_app_start_offers_a_backup_when_the_data_file_is_lost(qapp, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop import app
    from jxc_desktop.db.migrate import migrate
    from jxc_desktop.db.uow import Database
    from jxc_desktop.services.hub import Services

    shop = tmp_path / "shop.sqlite3"
    migrate(shop)
    s = Services(Database.for_file(shop))
    s.backup.backup()
    s.db.dispose()
    for p in tmp_path.glob("shop.sqlite3*"):
        p.unlink()  # the PC lost the data file; the backups folder is still there
    seen = []

    def quit_dialog(advice):  # type: ignore[no-untyped-def]
        seen.append(advice.check.state)
        dlg = dfd.DamagedFileDialog(advice)
        dlg.quit_button.click()
        return dlg

    monkeypatch.setattr(dfd, "_ask", quit_dialog)
    assert app.run(app.parse_args(["--db", str(shop), "--lang", "en"]), ["jxc-desktop"]) == 2
    assert seen == [FileState.MISSING] and not shop.exists()  # asked, and no empty shop was made

"""Issue 13 §3 in the window: a new shop's first sale is backed up at once, closing the window backs
up the day's work, and the status bar warns while today's work has no copy."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from jxc_desktop.services.safety import backup as bk
from jxc_desktop.ui import safety_actions
from jxc_desktop.ui.main_window import MainWindow
from tests.unit.test_backup_after_work import sell


def copies(db_path: Path) -> list[bk.BackupInfo]:
    return [bk.describe(p) for p in bk.list_backups(db_path.parent / "backups")]


def test_first_sale_of_a_new_shop_is_backed_up_at_once(qtbot, services, db_path, make_product, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可口可乐", 350, 200, 10)
    window = MainWindow(services, db_path)
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setenv("JXC_NO_AUTO_BACKUP", "0")  # what a real start has (the suite turns it off)
    assert safety_actions.auto_backups_enabled()
    checkout = window.show_tab("checkout")  # builds every tab
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=30_000)
    checkout.add_product(cola)  # type: ignore[union-attr]
    checkout.lookup.setFocus()  # type: ignore[union-attr]
    qtbot.keyClick(checkout.lookup, Qt.Key.Key_F12)  # type: ignore[union-attr]
    qtbot.keyClick(checkout.dialog.fields["cash"], Qt.Key.Key_Return)  # type: ignore[union-attr]
    assert services.checkout.list_day()
    qtbot.waitUntil(lambda: window.safety._thread is None and bool(copies(db_path)), timeout=30_000)
    assert [c.sales for c in copies(db_path)] == [1]
    assert "⚠" not in window.safety.status_label.text()
    window.safety.timer.stop()
    monkeypatch.setenv("JXC_NO_AUTO_BACKUP", "1")


def test_closing_the_window_backs_up_the_days_work(qtbot, services, db_path, make_product, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    services.backup.auto_backup()  # the start-up copy of a first day: the shop still empty
    cola = make_product("可口可乐", 350, 200, 10)
    sell(services, cola)
    sell(services, cola)
    window = MainWindow(services, db_path)
    qtbot.addWidget(window)
    window.show()
    window.build_all_tabs()
    text = window.safety.status_label.text()
    assert "today's work is not backed up yet" in text and "⚠" in text
    monkeypatch.setenv("JXC_NO_AUTO_BACKUP", "0")
    window.quit_action.trigger()  # what Ctrl+Q and 文件 → 退出 send
    assert not window.isVisible()
    newest = copies(db_path)[0]
    assert newest.ok and newest.sales == 2 and "-auto-" in newest.path.name
    assert [c.sales for c in copies(db_path)] == [2, 0]  # the morning's copy is still there


def test_nothing_new_no_copy_on_close(qtbot, services, db_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(services, db_path)
    qtbot.addWidget(window)
    window.show()
    window.build_all_tabs()
    monkeypatch.setenv("JXC_NO_AUTO_BACKUP", "0")
    window.quit_action.trigger()
    assert not window.isVisible() and copies(db_path) == []  # an empty shop: nothing to keep

"""The main window: tabs and Ctrl+1.., refresh hook, menus, status bar, title, About, first-run
welcome, single-instance lock and start-up refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from jxc_desktop import __version__, app
from jxc_desktop.ui import main_window
from jxc_desktop.ui.main_window import MainWindow, TabSpec
from tests.ui.cjk import type_cjk


class CountingTab(QWidget):
    """A real extra tab that counts how often it was told to refresh."""

    def __init__(self, services, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.refreshes = 0

    def refresh(self) -> None:
        self.refreshes += 1


@pytest.fixture
def window(qtbot, services, db_path, monkeypatch):  # type: ignore[no-untyped-def]
    extra = TabSpec("extra", lambda: "Extra", lambda s, p: CountingTab(s, p), order=90)
    monkeypatch.setattr(main_window, "TAB_FACTORIES", [*main_window.TAB_FACTORIES, extra])
    w = MainWindow(services, db_path)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_tabs_switch_with_ctrl_digits_and_refresh(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    extra = window.tab("extra")
    products = window.tab("products")
    assert window.tabs.indexOf(products) < window.tabs.indexOf(extra) == window.tabs.count() - 1
    assert window.tabs.tabText(window.tabs.indexOf(products)) == "Products"
    n = window.tabs.indexOf(extra) + 1
    qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + n), Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is extra and extra.refreshes == 1
    qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + window.tabs.indexOf(products) + 1),
                   Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is products
    window.switch_to(window.tabs.indexOf(extra))
    assert extra.refreshes == 2
    window.switch_to(99)  # nothing there: stays
    assert window.tabs.currentWidget() is extra


def test_status_bar_title_and_about(qtbot, window, services, db_path, make_product) -> None:  # type: ignore[no-untyped-def]
    assert str(db_path) in window.db_label.text()
    assert window.count_label.text() == "0 products"
    assert window.windowTitle() == "JXC Desktop"
    make_product("可口可乐", 300, 200, 0)
    window.refresh_status()
    assert window.count_label.text() == "1 products"
    tab = window.show_tab("products")
    dlg = tab.open_editor(None)
    type_cjk(dlg.name, "雪碧")
    dlg.accept()
    assert window.count_label.text() == "2 products"  # the tab's save told the status bar
    extra = QLabel("held: 0")
    window.add_status_widget(extra)
    assert extra.parent() is not None and extra.isVisible()
    services.settings.update({"shop_name": "阳光便利店"})
    window.refresh_title()
    assert window.windowTitle() == "阳光便利店 - JXC Desktop"
    about = window.about_text()
    assert __version__ in about and str(db_path) in about and "MIT" in about
    assert not window.windowIcon().isNull()


def test_menus_and_settings_update_the_title(qtbot, window, services) -> None:  # type: ignore[no-untyped-def]
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Settings", "&Help"]
    assert [a.text() for a in window.file_menu.actions() if a.text()] == [
        "Import products…", "Export products…", "Back up now…", "Restore a backup…", "Audit log…",
        "Lock now (owner PIN needed again)", "Check the data file", "Quit"]
    window.settings_action.trigger()
    dlg = window.settings_dialog
    assert dlg.isVisible()
    type_cjk(dlg.shop_name, "老王超市")
    dlg.accept()
    assert window.windowTitle().startswith("老王超市")


def test_welcome_start_empty(qtbot, window, services) -> None:  # type: ignore[no-untyped-def]
    dlg = window.maybe_welcome()
    assert dlg is not None and dlg.isVisible() and dlg.empty_radio.isChecked()
    type_cjk(dlg.shop_name, "小林杂货铺")
    qtbot.mouseClick(dlg.buttons.buttons()[0], Qt.MouseButton.LeftButton)
    assert not dlg.isVisible()
    assert services.settings.get("welcome_done") == "1" and services.settings.get("shop_name") == "小林杂货铺"
    assert window.windowTitle().startswith("小林杂货铺") and services.catalog.count() == 0
    assert window.maybe_welcome() is None  # only once


def test_welcome_skipped_when_products_exist(window, services, make_product) -> None:  # type: ignore[no-untyped-def]
    make_product("已有商品", 100, 50, 0)
    assert window.maybe_welcome() is None
    assert services.settings.get("welcome_done") == "1"


def test_welcome_demo_data_off_the_gui_thread(qtbot, window, services) -> None:  # type: ignore[no-untyped-def]
    dlg = window.maybe_welcome()
    dlg.demo_radio.setChecked(True)
    dlg.demo_products.setValue(20)
    dlg.demo_days.setValue(0)
    dlg.accept()
    task = window.demo_task
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    assert task.error is None, task.error
    assert services.catalog.count() == 20
    assert window.count_label.text() == "20 products"


def test_chinese_window(qtbot, qapp, services, db_path) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.i18n import install

    install(qapp, "zh_CN")
    try:
        w = MainWindow(services, db_path)
        qtbot.addWidget(w)
        w.build_all_tabs()
        titles = [w.tabs.tabText(i) for i in range(w.tabs.count())]
        assert "商品" in titles
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in titles), titles
        menus = [a.text() for a in w.menuBar().actions()]
        assert menus[0] == "文件(&F)" and "设置(&S)" in menus and menus[-1] == "帮助(&H)"
        assert w.windowTitle() == "进销存"
    finally:
        install(qapp, "en")


# ---------------------------------------------------------------------- start-up


def test_second_copy_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite3"
    first = app.acquire_lock(db)
    assert first is not None
    assert app.acquire_lock(db) is None
    first.unlock()
    again = app.acquire_lock(db)
    assert again is not None
    again.unlock()


def test_lock_of_a_killed_process_does_not_block(tmp_path: Path) -> None:
    db = tmp_path / "shop.sqlite3"
    code = ("import os, signal, sys; from pathlib import Path; from jxc_desktop.app import acquire_lock; "
            "lock = acquire_lock(Path(sys.argv[1])); assert lock is not None; "
            "os.kill(os.getpid(), signal.SIGKILL)")
    proc = subprocess.run([sys.executable, "-c", code, str(db)], timeout=60)
    assert proc.returncode != 0 and app.lock_path(db).exists()  # killed, lock left behind
    lock = app.acquire_lock(db)
    assert lock is not None
    lock.unlock()


def test_run_refuses_a_second_copy_with_a_message(qapp, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.sqlite3"
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    holder = app.acquire_lock(db)
    try:
        assert app.run(app.parse_args(["--db", str(db), "--lang", "en"]), ["jxc-desktop"]) == 1
    finally:
        holder.unlock()
    assert shown and "already open" in shown[0] and str(db) in shown[0]


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\x07" * 4000])
def test_run_refuses_a_damaged_or_foreign_file(qtbot, qapp, tmp_path: Path, monkeypatch, content: bytes) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.dialogs import damaged_file_dialog as dfd

    db = tmp_path / "shop.sqlite3"
    db.write_bytes(content)
    shown: list[str] = []

    def click_quit(advice):  # type: ignore[no-untyped-def]
        dlg = dfd.DamagedFileDialog(advice)
        qtbot.addWidget(dlg)
        shown.append(dfd.problem_text(advice))
        dlg.quit_button.click()
        return dlg

    monkeypatch.setattr(dfd, "_ask", click_quit)
    assert app.run(app.parse_args(["--db", str(db), "--lang", "en"]), ["jxc-desktop"]) == 2
    assert shown and str(db) in shown[0]
    assert db.read_bytes() == content
    lock = app.acquire_lock(db)  # the lock was given back
    assert lock is not None
    lock.unlock()


def test_run_shows_why_a_file_cannot_be_migrated(qapp, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from jxc_desktop.db.migrate import migrate

    db = tmp_path / "newer.sqlite3"
    migrate(db)  # a JXC file (its application id) that a newer version has taken to schema 9999
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = db.read_bytes()
    from jxc_desktop.ui.dialogs import damaged_file_dialog as dfd

    monkeypatch.setattr(dfd, "advise", lambda path: type("A", (), {"open_directly": True})())
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    assert app.run(app.parse_args(["--db", str(db), "--lang", "en"]), ["jxc-desktop"]) == 2
    assert shown and "newer version" in shown[0] and "Nothing was changed" in shown[0]
    assert db.read_bytes() == before


def test_db_path_from_arguments_and_environment(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JXC_DB", str(tmp_path / "env.sqlite3"))
    assert app.db_path_from(app.parse_args([])) == (tmp_path / "env.sqlite3").resolve()
    assert app.db_path_from(app.parse_args(["--db", str(tmp_path / "a.sqlite3")])) == tmp_path / "a.sqlite3"


def test_selftest_passes() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "jxc_desktop", "--selftest"], capture_output=True,
                          text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "selftest passed" in proc.stdout and "FAIL" not in proc.stdout


def test_window_stays_open_while_a_task_runs(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    import threading

    from jxc_desktop.ui.tasks import run_task

    release = threading.Event()
    task = run_task(window, "waiting", lambda progress: release.wait(10))
    window.close()
    assert window.isVisible() and "running task" in window.statusBar().currentMessage()
    release.set()
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    window.close()
    assert not window.isVisible()

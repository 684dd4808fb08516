"""Issue 13 §2 in the window: the restore list marks another shop's copy and never pre-selects it;
the status bar's "last backup" counts only this shop's copies."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.services.hub import Services
from jxc_desktop.ui import guard
from jxc_desktop.ui.dialogs.backup_restore import RestoreDialog
from jxc_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _owner_unlocked():  # type: ignore[no-untyped-def]
    guard.lock_now()
    yield
    guard.lock_now()


@pytest.fixture
def other_shop(db_path: Path):  # type: ignore[no-untyped-def]
    """shop.db beside the test's file, backed up into the same folder (the newest copy there)."""
    path = db_path.parent / "shop.db"
    migrate(path)
    s = Services(Database.for_file(path))
    yield s
    s.db.dispose()


def test_restore_list_marks_another_shops_copy_and_selects_ours(qtbot, services, make_product, other_shop,
                                                                monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make_product("牛奶", 500, 350, 6)
    services.backup.shop_id()  # the window gives an opened shop its id
    own = services.backup.backup()
    other_shop.clock = services.backup.clock
    theirs = other_shop.backup.backup()  # newer than ours, same folder
    dlg = RestoreDialog(services)
    qtbot.addWidget(dlg)
    assert dlg.model.rowCount() == 2
    assert dlg.current().path == own.path and not dlg.other_shop_selected()  # ours first, not the newest
    other_row = next(r for r in range(2) if dlg.model.path(r) == theirs.path)
    assert other_row == 1 and dlg.model.is_other_shop(other_row)
    assert dlg.model.index(other_row, dlg.model.STATE).data() == "Another shop"
    dlg.table.selectRow(other_row)
    assert "another shop" in dlg.details.text()
    asked: list[str] = []

    def no(_parent, _title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    assert dlg.restore_selected() is None and "ANOTHER shop" in asked[0]


def test_restore_list_with_only_another_shops_copy_selects_nothing(qtbot, services, other_shop) -> None:  # type: ignore[no-untyped-def]
    services.backup.shop_id()
    other_shop.backup.backup()
    dlg = RestoreDialog(services)
    qtbot.addWidget(dlg)
    assert dlg.model.rowCount() == 1 and dlg.current() is None
    assert not dlg.restore_button.isEnabled() and "another shop" in dlg.details.text()


def test_status_bar_last_backup_is_this_shops(qtbot, services, db_path, other_shop) -> None:  # type: ignore[no-untyped-def]
    other_shop.backup.backup()
    w = MainWindow(services, db_path)
    qtbot.addWidget(w)
    assert "No backup yet" in w.safety.status_label.text()  # shop.db's copy is not this shop's backup
    w.safety.timer.stop()


def test_restore_list_screenshot_zh(qapp, qtbot, services, make_product, other_shop) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.i18n import install

    install(qapp, "zh_CN")
    try:
        make_product("牛奶", 500, 350, 6)
        services.backup.shop_id()
        services.backup.backup()
        other_shop.backup.backup()
        dlg = RestoreDialog(services)
        qtbot.addWidget(dlg)
        dlg.show()
        dlg.model.info(1)  # looked at: shown with its counts and still marked
        qtbot.waitExposed(dlg)
        assert dlg.model.index(1, dlg.model.STATE).data() == "其他店铺"
        dlg.grab().save("/tmp/backupid-restore-list.png")
    finally:
        install(qapp, "en")

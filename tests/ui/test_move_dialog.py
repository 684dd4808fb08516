"""设置 → 迁移到服务器… (issue 21): the dialog moves a small shop into an empty PostgreSQL database off
the GUI thread and shows both sides' figures; Cancel rolls the copy back and leaves the server empty;
the menu entry is under Settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from jxc_desktop.db.transfer import non_empty
from jxc_desktop.db.uow import Database
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.dialogs.move_dialog import MoveDialog
from jxc_desktop.ui.main_window import MainWindow
from tests.ui.cjk import type_cjk

# The shop moved is a SQLite file; on --backend=postgres the services fixture is itself a server
# database, so there is no file to move (run that way, the test hung).
pytestmark = pytest.mark.sqlite_only


def _shop(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        make_product(f"商品{n}", price=500 + n, cost=300, qty=20)


def test_the_dialog_moves_the_shop_and_shows_both_sides(qtbot, services, make_product, pg_url,  # type: ignore[no-untyped-def]
                                                        tmp_path: Path) -> None:
    _shop(services, make_product)
    dlg = MoveDialog(services)
    qtbot.addWidget(dlg)
    dlg.show()
    type_cjk(dlg.url, pg_url)
    task = dlg.start()
    assert task is not None
    qtbot.waitUntil(lambda: task.finished, timeout=120_000)
    result = dlg.result_
    assert result is not None and result.figures_agree and result.tables_agree
    assert dlg.table.isVisible() and dlg.table.item(0, 1).text() == dlg.table.item(0, 2).text() != "¥0.00"
    assert "≠" not in "".join(dlg.table.item(r, 2).text() for r in range(dlg.table.rowCount()))
    dlg.grab().save(str(tmp_path / "move_dialog.png"))
    assert result.ok, (result.source_check.problems, result.target_check.problems)


def test_cancel_leaves_the_server_empty(qtbot, services, make_product, pg_url) -> None:  # type: ignore[no-untyped-def]
    _shop(services, make_product)
    dlg = MoveDialog(services)
    qtbot.addWidget(dlg)
    dlg.url.setText(pg_url)
    task = dlg.start()
    assert task is not None
    task.cancel()  # before the first batch: the copy stops and its transaction is rolled back
    qtbot.waitUntil(lambda: task.finished, timeout=120_000)
    assert dlg.result_ is None and dlg.move_button.isEnabled()
    db = Database.open(pg_url)
    try:
        with db.engine.connect() as conn:
            assert non_empty(conn) == []
            assert conn.execute(text("SELECT count(*) FROM product")).scalar() == 0
    finally:
        db.dispose()


def test_a_wrong_address_is_explained_and_nothing_starts(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    dlg = MoveDialog(services)
    qtbot.addWidget(dlg)
    dlg.url.setText("/home/shop.sqlite3")
    assert dlg.start() is None and "postgresql://" in dlg.verdict.text()


def test_the_entry_is_under_settings(qtbot, services, db_path) -> None:  # type: ignore[no-untyped-def]
    w = MainWindow(services, db_path)
    qtbot.addWidget(w)
    w.build_all_tabs()  # no tab left to build after the test
    titles = [a.text() for a in w.settings_menu.actions()]
    assert "Move to a server…" in titles
    dlg = w.safety.move_to_server()
    assert isinstance(dlg, MoveDialog)
    dlg.close()

"""The window's background integrity check (issue 11 §4): on a file whose damage the start-up check
cannot see (an index no longer matches its table), the check runs off the GUI thread, every write
is refused from then on and the file is not changed, the status bar says so, and the repair dialog
exports what can still be read and restores the newest good backup. Also the start-up dialog's
export for a file too damaged to open."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from jxc_desktop.cli import main as jxc
from jxc_desktop.db import damage_mark, health
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import DamagedFileError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import SupplierInput
from jxc_desktop.services.safety.startup_check import FileState, advise, check_file
from jxc_desktop.ui import guard, health_check, tasks
from jxc_desktop.ui.dialogs import damaged_file_dialog as dfd
from jxc_desktop.ui.main_window import MainWindow


def _shop(path: Path, products: int = 30) -> Path:
    migrate(path)
    services = Services(Database.for_file(path))
    for i in range(products):
        services.catalog.create_product(ProductInput(name=f"商品{i:03d}", sale_price=100 + i), opening_qty=1000)
    services.db.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path


def _damage_an_index(path: Path) -> None:
    """Flip one bit in a key of the product-name index: integrity_check sees it, quick_check not."""
    con = sqlite3.connect(path)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_product_name'").fetchone()[0]
    con.close()
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    start = int.from_bytes(data[(root - 1) * size + 5:(root - 1) * size + 7], "big")
    good = bytes(data)
    for offset in range(start + 3, size, 5):
        data = bytearray(good)
        data[(root - 1) * size + offset] ^= 0x01
        path.write_bytes(bytes(data))
        if health.integrity_problems(path) and not health.integrity_problems(path, quick=True):
            return
    pytest.fail("no index damage found")


def _state(path: Path) -> tuple[bytes, bytes]:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes(), wal.read_bytes() if wal.exists() else b""


@pytest.fixture(autouse=True)
def _no_owner_grace():  # type: ignore[no-untyped-def]
    guard.lock_now()
    yield
    guard.lock_now()


def test_healthy_file_passes_the_background_check(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _shop(tmp_path / "shop.sqlite3", products=3)
    services = Services(Database.for_file(path))
    w = MainWindow(services, path)
    qtbot.addWidget(w)
    task = w.health.start()
    qtbot.waitUntil(lambda: task.finished, timeout=20000)
    assert w.health.problems == [] and services.db.damage is None and not w.health.status_label.isVisible()
    services.suppliers.add(SupplierInput("照常营业"))
    w.close()
    services.db.dispose()


def test_damage_found_in_the_background_stops_writes_and_offers_repair(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path, monkeypatch, capsys) -> None:
    path = _shop(tmp_path / "shop.sqlite3")
    services = Services(Database.for_file(path))
    good = services.backup.backup()
    services.db.dispose()
    _damage_an_index(path)
    assert check_file(path).state == FileState.OK  # the start-up inspection cannot see it
    from jxc_desktop.app import open_database

    services = open_database(path)  # opens: the schema is complete
    w = MainWindow(services, path)
    qtbot.addWidget(w)
    w.show()
    services.suppliers.add(SupplierInput("检查之前"))  # before the check finishes the till still works
    before = _state(path)
    task = w.health.start()
    qtbot.waitUntil(lambda: task.finished, timeout=20000)
    assert w.health.problems and "missing from index" in services.db.damage  # type: ignore[operator]
    assert w.health.status_label.isVisible() and "damaged" in w.health.status_label.text()
    with pytest.raises(DamagedFileError, match="damaged"):
        services.suppliers.add(SupplierInput("检查之后"))
    with pytest.raises(DamagedFileError):
        services.catalog.create_product(ProductInput(name="不能保存", sale_price=100))
    assert _state(path) == before  # refused writes changed nothing
    # the verdict is kept beside the file (issue 15): `jxc` and the next start learn it without a check
    assert damage_mark.recorded(path) is not None
    assert jxc(["--db", str(path), "suppliers", "add", "命令行"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("jxc: ") and "damaged" in err and "Restore" in err and "\n" not in err
    assert check_file(path).state == FileState.DAMAGED and not advise(path).open_directly
    with pytest.raises(DamagedFileError):
        open_database(path)  # a second start is refused (the start-up dialog offers the restore)
    assert _state(path) == before
    dlg = w.health.repair_dialog
    assert isinstance(dlg, dfd.DamagedNowDialog) and dlg.isVisible()
    # export what can still be read ...
    out = tmp_path / "rescued.csv"
    export = dlg.export_to(out)
    qtbot.waitUntil(lambda: export.finished, timeout=20000)
    assert export.error is None and out.read_text(encoding="utf-8-sig").count("\n") >= 30
    # ... then restore the newest good backup from the window
    dlg.restore()
    restore = w.safety.restore_dialog
    qtbot.addWidget(restore)
    assert restore.current().path == good.path
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    task = restore.restore_selected()
    qtbot.waitUntil(lambda: task.finished, timeout=20000)
    assert task.error is None, task.error
    assert services.db.damage is None and not w.health.status_label.isVisible()
    assert not health.integrity_problems(path)
    services.suppliers.add(SupplierInput("恢复之后"))  # writing again, into the restored file
    assert damage_mark.recorded(path) is None and jxc(["--db", str(path), "suppliers", "list"]) == 0
    kept = task.result.saved_current
    assert kept is not None and "damaged" in kept.name and kept.read_bytes() == before[0]
    w.close()
    services.db.dispose()


def test_start_up_dialog_exports_what_a_broken_file_still_holds(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _shop(tmp_path / "shop.sqlite3", products=12)
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("DROP TABLE sale_line")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = _state(path)
    advice = advise(path)
    assert advice.check.state == FileState.DAMAGED and "sale_line" in advice.check.reason
    dlg = dfd.DamagedFileDialog(advice)
    qtbot.addWidget(dlg)
    assert dlg.export_button.isVisibleTo(dlg)
    out = tmp_path / "rescued.xlsx"
    assert dlg.export_readable(out)
    assert out.stat().st_size > 0 and "12 products" in dlg.export_box.text()
    assert _state(path) == before


def test_check_on_demand_says_the_file_is_whole_and_lifts_an_outdated_verdict(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """File → Check the data file: the full check now, its result said; a verdict left beside the file
    that a check no longer confirms (the file was repaired outside the program) is removed."""
    path = _shop(tmp_path / "shop.sqlite3", products=3)
    services = Services(Database.for_file(path))
    w = MainWindow(services, path)
    qtbot.addWidget(w)
    damage_mark.record(path, "an old verdict")
    assert w.health.check_action in w.file_menu.actions()
    w.health.check_action.trigger()
    qtbot.waitUntil(lambda: w.health.task is not None and w.health.task.finished, timeout=20000)
    qtbot.waitUntil(lambda: getattr(w.health, "result_box", None) is not None, timeout=5000)
    assert w.health.result_box.isVisible() and "whole" in w.health.result_box.text()
    assert damage_mark.recorded(path) is None and services.db.damage is None
    services.suppliers.add(SupplierInput("照常营业"))
    w.health.result_box.close()
    w.close()
    services.db.dispose()


def test_the_check_steps_aside_while_the_owner_works_and_checks_a_restored_file_again(  # type: ignore[no-untyped-def]
        qtbot, tmp_path: Path, monkeypatch) -> None:
    """While a task the owner started works (a report, a restore), the background check stops at
    SQLite's call back, closes its connection and starts over afterwards: in one process the two
    connections share SQLite's allocator lock (a year's profit by product ran 0.1–0.3 s slower
    beside a running check), and an open read would hold the file's log — a restore could not
    retire it. A restore made meanwhile is what the check then looks at: the damage of the file that
    went is not pinned on the restored one."""
    path = _shop(tmp_path / "shop.sqlite3")
    services = Services(Database.for_file(path))
    good = services.backup.backup()
    services.db.dispose()
    _damage_an_index(path)
    from jxc_desktop.app import open_database

    services = open_database(path)
    w = MainWindow(services, path)
    qtbot.addWidget(w)
    w.show()
    monkeypatch.setattr(health_check, "PAUSE_STEPS", 20)  # a small file: call back early and often
    waited: list[bool] = []
    real_wait = tasks.wait_while_owner_works

    def waiting(stopped, poll_s: float = 0.1) -> None:  # type: ignore[no-untyped-def]
        waited.append(tasks.owner_is_working())
        real_wait(stopped, poll_s)

    monkeypatch.setattr(tasks, "wait_while_owner_works", waiting)
    release = threading.Event()
    owner = tasks.run_task(w, "报表", lambda _progress: release.wait(30))
    qtbot.waitUntil(tasks.owner_is_working, timeout=5000)
    check = w.health.start()
    qtbot.waitUntil(lambda: True in waited, timeout=10000)  # stopped at a call back: waits for the owner
    qtbot.wait(300)
    assert not check.finished and w.health.problems is None
    services.suppliers.add(SupplierInput("检查时录入"))  # the log holds a write the check has not seen
    result = services.backup.restore(good.path)  # meanwhile: no read of the check holds the log it retires
    assert result.saved_current is not None
    release.set()
    qtbot.waitUntil(lambda: owner.finished, timeout=10000)
    qtbot.waitUntil(lambda: check.finished, timeout=20000)  # started over, on the restored file
    assert check.error is None, check.error
    assert w.health.problems == [] and services.db.damage is None and damage_mark.recorded(path) is None
    services.suppliers.add(SupplierInput("恢复之后"))
    w.close()
    services.db.dispose()


def test_the_check_waits_only_while_the_owner_works(qtbot) -> None:  # type: ignore[no-untyped-def]
    """No task of the owner's: the check goes on at once; a stop ends the wait."""
    tasks.wait_while_owner_works(lambda: False)  # returns: nothing works
    release = threading.Event()
    owner = tasks.run_task(None, "报表", lambda _progress: release.wait(30))
    qtbot.waitUntil(tasks.owner_is_working, timeout=5000)
    stop = threading.Event()
    ended = threading.Event()
    waiter = threading.Thread(target=lambda: (tasks.wait_while_owner_works(stop.is_set), ended.set()))
    waiter.start()
    assert not ended.wait(0.3)  # held while the owner's task works
    stop.set()
    assert ended.wait(2)  # a stop (the window closing) ends it
    waiter.join()
    ended.clear()
    waiter = threading.Thread(target=lambda: (tasks.wait_while_owner_works(lambda: False), ended.set()))
    waiter.start()
    assert not ended.wait(0.3)
    release.set()
    assert ended.wait(5)  # the owner's task ended: the check goes on
    waiter.join()
    qtbot.waitUntil(lambda: owner.finished, timeout=5000)
    assert not tasks.owner_is_working()

"""The open path does not grow with the file (issue 15).

Every SQL statement of opening a shop — the start-up inspection, migrate, the first write of the
window's database and a whole `jxc` write command — is traced: none reads the whole file
(quick_check, integrity_check). The window reports readiness when asked (JXC_READY_FILE) and warms
the receipt fonts off the GUI thread, after it is shown.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from jxc_desktop import app
from jxc_desktop.cli import main as jxc
from jxc_desktop.db.filecheck import FileState, check_file
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import SupplierInput

WHOLE_FILE = ("quick_check", "integrity_check")


@pytest.fixture()
def traced(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement any sqlite3 connection runs from now on (the probe's, SQLAlchemy's, alembic's)."""
    statements: list[str] = []
    real = sqlite3.connect

    def connect(*args, **kwargs):  # type: ignore[no-untyped-def]
        con = real(*args, **kwargs)
        con.set_trace_callback(statements.append)
        return con

    monkeypatch.setattr(sqlite3, "connect", connect)
    return statements


def _shop(path: Path) -> Path:
    migrate(path)
    services = Services(Database.for_file(path))
    services.suppliers.add(SupplierInput("老供应商"))
    services.db.dispose()
    return path


def test_opening_reads_no_whole_file(tmp_path: Path, traced: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    path = _shop(tmp_path / "shop.sqlite3")
    traced.clear()
    assert check_file(path).state == FileState.OK
    services = app.open_database(path)  # the window's open: migrate, schema, first-write check
    services.suppliers.add(SupplierInput("窗口写入"))
    services.db.dispose()
    assert jxc(["--db", str(path), "suppliers", "add", "命令行写入"]) == 0
    capsys.readouterr()
    assert traced, "the trace saw nothing: the test would prove nothing"
    assert any("application_id" in s for s in traced) and any("alembic_version" in s for s in traced)
    assert not [s for s in traced if any(w in s.lower() for w in WHOLE_FILE)]


def test_the_full_check_still_runs_where_it_belongs(tmp_path: Path, traced: list[str]) -> None:
    """…at a backup (and in the window's background check, tests/ui/test_health_check.py)."""
    path = _shop(tmp_path / "shop.sqlite3")
    traced.clear()
    services = Services(Database.for_file(path))
    services.backup.backup(tmp_path / "usb")
    services.db.dispose()
    assert [s for s in traced if "integrity_check" in s.lower()]


def test_ready_marker_then_warm_up_after_show(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = _shop(tmp_path / "shop.sqlite3")
    ready = tmp_path / "ready"
    monkeypatch.setenv(app.READY_FILE_ENV, str(ready))
    monkeypatch.setattr(app, "WARM_UP_DELAY_MS", 50)
    seen: dict[str, object] = {}
    from jxc_desktop.reports import receipt

    real_warm = receipt.warm_up

    def warm(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen["visible"] = window.isVisible()
        seen["ready_before"] = ready.exists()
        seen["thread"] = threading.current_thread().name
        seen["seconds"] = real_warm(*args, **kwargs)
        return seen["seconds"]

    monkeypatch.setattr(receipt, "warm_up", warm)
    services = app.open_database(path)
    window = app.build_window(services, path)
    qtbot.addWidget(window)
    started = time.monotonic()
    window.show()
    app.after_show(window)
    assert not ready.exists() and "thread" not in seen  # nothing before the event loop turns
    qtbot.waitUntil(lambda: "seconds" in seen, timeout=30000)
    moment = float(ready.read_text())
    assert started <= moment <= time.monotonic()  # this process's monotonic clock, written whole
    assert seen["visible"] and seen["ready_before"] and seen["thread"] == "warm-up"
    # the first real receipt of the process now costs what later ones cost (no font loading)
    from jxc_desktop.reports import fonts

    assert fonts.cjk_font.cache_info().currsize == 1
    window.close()
    services.db.dispose()


def test_pinyin_loads_with_the_product_form_not_at_start_up(qtbot, services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """pypinyin's dictionaries (~55 MB resident) load when a product form opens, on a thread; the
    window's start-up warm-up leaves them alone (issue 15: memory through the reports)."""
    from jxc_desktop.reports import receipt
    from jxc_desktop.services.catalog import pinyin
    from jxc_desktop.ui.dialogs.product_dialog import ProductDialog

    calls: list[str] = []
    monkeypatch.setattr(pinyin, "pinyin_initials", lambda name: calls.append(threading.current_thread().name) or "")
    monkeypatch.setattr(receipt, "warm_up", lambda: 0.0)
    app.warm_up().join(30)
    assert calls == []
    dlg = ProductDialog(services)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: calls == ["pinyin-warm-up"], timeout=5000)

"""Restore never loses data and never leaves the shop unusable (issue 11 §5).

* a copy whose upgrade fails is refused before the data file is touched;
* a process committing rows while restores run loses none: each committed row is in the data file
  or in the copy a restore kept of it (made under the exclusive lock), or the restore is refused;
* three restores at once: each finishes or is refused in one line, never a traceback;
* the restore's audit row is in the restored file; four backups in the same second all succeed;
* temporary files of killed restores and backups are removed at the next start, live ones kept.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from jxc_desktop.cli import main as jxc
from jxc_desktop.db import health
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import DatabaseError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.catalog.product_files import Opening, insert_products
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety import backup as bk

SRC = str(Path(__file__).resolve().parents[2] / "src")
ENV = {**os.environ, "PYTHONPATH": SRC}


def _shop(path: Path, names: list[str]) -> Path:
    migrate(path)
    db = Database.for_file(path)
    with db.write() as uow:  # one write (the import's path): 600 create_product commits took most of a test
        insert_products(uow.session, [(ProductInput(name=name, sale_price=300), Opening(2000, 0)) for name in names])
        uow.commit()
    db.dispose()
    return path


def _rows(path: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _temp_files(*folders: Path) -> list[Path]:
    return [p for f in folders if f.is_dir() for p in f.iterdir()
            if p.name.startswith(".jxc-") or p.name.endswith((".partial", ".restoring"))]


def test_a_copy_whose_upgrade_fails_leaves_the_data_file_alone(tmp_path: Path, capsys) -> None:
    shop = _shop(tmp_path / "shop.sqlite3", ["当前的商品"])
    old = _shop(tmp_path / "old.sqlite3", ["备份里的商品"])
    con = sqlite3.connect(old)  # says 0003, but already has 0004's columns: its upgrade fails
    con.execute("UPDATE alembic_version SET version_num = '0003'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    info = bk.describe(old)
    assert info.ok and info.revision == "0003"
    before = shop.read_bytes()
    assert jxc(["--db", str(shop), "restore", str(old), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "upgrading it to this version failed" in err and "not changed" in err and err.count("\n") == 1
    assert shop.read_bytes() == before
    assert not _temp_files(tmp_path, tmp_path / "backups")
    assert not list((tmp_path / "backups").glob("*before-restore*"))
    assert jxc(["--db", str(shop), "check"]) == 0  # and every later command still works
    assert jxc(["--db", str(shop), "suppliers", "add", "照常"]) == 0


def test_restore_writes_its_audit_row_into_the_restored_file(tmp_path: Path) -> None:
    shop = _shop(tmp_path / "shop.sqlite3", ["甲"])
    services = Services(Database.for_file(shop))
    copy = services.backup.backup(tmp_path / "usb")
    services.db.dispose()
    result = bk.restore_file(copy.path, shop, tmp_path / "backups")
    rows = _rows(shop, "SELECT action, document, before, after FROM audit_log WHERE action = 'restore'")
    assert rows == [("restore", copy.path.name, str(result.saved_current), str(copy.path))]
    assert not _temp_files(tmp_path, tmp_path / "backups")
    assert not shop.with_name(shop.name + "-wal").exists() or not _rows(shop, "PRAGMA wal_checkpoint")[0][1]


WRITER = r"""
import sys
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.services.purchasing.dto import SupplierInput
from jxc_desktop.services.purchasing.suppliers import SupplierService
db = Database.for_file(sys.argv[1])
svc = SupplierService(db)
print("ready", flush=True)
n = 0
stop = sys.argv[2]
import os
while not os.path.exists(stop):
    n += 1
    try:
        svc.add(SupplierInput(f"写入{n:05d}"))
    except JxcError as exc:
        print("refused", exc.message, flush=True)
        continue
    print(f"committed 写入{n:05d}", flush=True)
db.dispose()
"""


def test_no_committed_row_is_lost_while_restores_run(tmp_path: Path) -> None:
    shop = _shop(tmp_path / "shop.sqlite3", ["甲"])
    services = Services(Database.for_file(shop))
    copy = services.backup.backup(tmp_path / "usb")
    services.db.dispose()
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(shop), str(stop)], stdout=subprocess.PIPE,
                              text=True, env=ENV)
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    restored = refused = 0
    saved: list[Path] = []
    folder = tmp_path / "backups"
    deadline = time.monotonic() + 60
    while restored < 6 and time.monotonic() < deadline:
        time.sleep(0.05)
        try:
            result = bk.restore_file(copy.path, shop, folder)
        except DatabaseError as exc:
            assert "in use" in exc.message or "busy" in exc.message, exc.message
            refused += 1
            continue
        restored += 1
        assert result.saved_current is not None
        saved.append(result.saved_current)
    stop.write_text("stop")
    out, _ = writer.communicate(timeout=60)
    committed = {line.split()[1] for line in out.splitlines() if line.startswith("committed")}
    assert restored >= 3 and len(committed) >= 20, (restored, refused, len(committed))
    present = {r[0] for r in _rows(shop, "SELECT name FROM supplier")}
    for copy_path in saved:
        assert not health.integrity_problems(copy_path)
        present |= {r[0] for r in _rows(copy_path, "SELECT name FROM supplier")}
    lost = committed - present
    assert not lost, f"{len(lost)} committed rows lost: {sorted(lost)[:5]}"
    assert not health.integrity_problems(shop)
    print(f"restores {restored}, refused {refused}, rows committed meanwhile {len(committed)}, lost 0")


RESTORER = r"""
import sys
from jxc_desktop.cli import main
raise SystemExit(main(["--db", sys.argv[1], "restore", sys.argv[2], "--yes", "--other-shop"]))
"""  # the copies come from three other shop files: chosen knowingly (issue 13 §2 refuses that otherwise)


def test_three_restores_at_once(tmp_path: Path) -> None:
    shop = _shop(tmp_path / "shop.sqlite3", ["当前"])
    copies = []
    for i in range(3):
        other = _shop(tmp_path / f"copy{i}.sqlite3", [f"备份{i}"])
        copies.append(Services(Database.for_file(other)).backup.backup(tmp_path / "usb").path)
    procs = [subprocess.Popen([sys.executable, "-c", RESTORER, str(shop), str(c)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=ENV) for c in copies]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    for code, _out, err in results:
        assert code in (0, 2) and "Traceback" not in err, err
        if code == 2:
            assert err.count("\n") == 1 and ("in use" in err or "busy" in err), err
    assert any(code == 0 for code, _o, _e in results)
    names = {r[0] for r in _rows(shop, "SELECT name FROM product")}
    assert len(names) == 1 and names <= {"备份0", "备份1", "备份2"}
    assert not health.integrity_problems(shop)
    assert not _temp_files(tmp_path, tmp_path / "backups")
    kept = sorted((tmp_path / "backups").glob("*before-restore*"))
    assert len(kept) == sum(code == 0 for code, _o, _e in results)


BACKER = r"""
import sys, time
from datetime import datetime
from pathlib import Path
from jxc_desktop.db.uow import Database
from jxc_desktop.services.safety.backup import BackupService
moment = datetime.fromisoformat(sys.argv[2])
svc = BackupService(Database.for_file(sys.argv[1]), clock=lambda: moment)
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.005)
print(svc.backup().path, flush=True)
"""


def test_four_backups_in_the_same_second_all_succeed(tmp_path: Path) -> None:
    shop = _shop(tmp_path / "shop.sqlite3", [f"商品{i}" + "长" * 100 for i in range(600)])  # copies overlap
    moment = datetime(2026, 11, 25, 8, 0, 0).astimezone().isoformat()
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", BACKER, str(shop), moment, str(go)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=ENV) for _ in range(4)]
    time.sleep(1.0)
    go.write_text("go")
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _o, e in outs]
    made = sorted(Path(o.strip()) for o, _e in outs)
    assert len(set(made)) == 4
    assert [p.name for p in made] == sorted(["shop-backup-20261125-080000.sqlite3",
                                             "shop-backup-20261125-080000-1.sqlite3",
                                             "shop-backup-20261125-080000-2.sqlite3",
                                             "shop-backup-20261125-080000-3.sqlite3"])
    assert all(bk.describe(p).ok for p in made)
    assert not _temp_files(tmp_path / "backups")


HOLD = r"""
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="flock marks a live temporary file on POSIX")
def test_stray_temporary_files_are_removed_at_the_next_start(tmp_path: Path) -> None:
    shop = _shop(tmp_path / "shop.sqlite3", ["甲"])
    folder = tmp_path / "backups"
    folder.mkdir()
    stray = [tmp_path / ".jxc-0a1b2c3d4e5f.restoring", tmp_path / ".jxc-0a1b2c3d4e5f.restoring-journal",
             tmp_path / "shop.sqlite3.restoring", folder / ".jxc-123456abcdef.partial",
             folder / "shop-auto-20261125-080000.sqlite3.partial"]
    for p in stray:
        p.write_bytes(b"x" * 2048)
    live = folder / ".jxc-aaaaaaaaaaaa.partial"
    live.write_bytes(b"y")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(live)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        from jxc_desktop import app

        lock = app.acquire_lock(shop)
        assert lock is not None
        removed = bk.clean_stray_files(shop)  # what app.run() does once it holds the file
        lock.unlock()
        assert {p.name for p in removed} >= {p.name for p in stray if not p.name.endswith("-journal")}
        assert not any(p.exists() for p in stray)
        assert live.exists()  # a backup still being written by another process is left alone
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
    assert bk.clean_stray_files(shop) == [live]


def test_a_clean_up_in_the_instant_before_the_lock_leaves_the_new_file(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Another process's start-up clean-up running between a temporary file's creation and its lock
    (as happened to one of three restores at once under load): the file is not yet under a name the
    clean-up looks at, so it survives, held, and the restore's copy is written into it."""
    from jxc_desktop.db import tempfiles

    shop = tmp_path / "shop.sqlite3"
    real_hold = tempfiles._hold
    removed: list[Path] = []

    def clean_up_first(fd: int) -> bool:  # flock: another open file description, so like another process
        removed.extend(tempfiles.remove_abandoned(shop, tmp_path))
        return real_hold(fd)

    monkeypatch.setattr(tempfiles, "_hold", clean_up_first)
    with tempfiles.TempFile(tmp_path, tempfiles.RESTORING) as incoming:
        assert removed == [] and incoming.path.exists()
        assert tempfiles.remove_abandoned(shop, tmp_path) == []  # held under its own name now
        assert not list(tmp_path.glob(f"*{tempfiles.MAKING}"))
    assert not incoming.path.exists()


def test_a_file_left_by_a_kill_before_its_rename_is_removed_once_old(tmp_path: Path) -> None:
    from jxc_desktop.db import tempfiles

    shop = tmp_path / "shop.sqlite3"
    making = tmp_path / f".jxc-0a1b2c3d4e5f{tempfiles.RESTORING}{tempfiles.MAKING}"
    making.write_bytes(b"")
    assert tempfiles.remove_abandoned(shop, tmp_path) == []  # it could be a live maker's instant
    old = time.time() - tempfiles.MAKING_GRACE_S - 5
    os.utime(making, (old, old))
    assert tempfiles.remove_abandoned(shop, tmp_path) == [making] and not making.exists()

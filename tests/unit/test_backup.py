"""Backups: checked online copies named with their time, 7 daily + 12 monthly rotation, restore."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import DatabaseError, StateError
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety import backup as bk
from jxc_desktop.services.safety.backup import BackupService, rotation_keep

# copies of the SQLite FILE (the backup API); a server's backups are pg_dump's (tests of their own)
pytestmark = pytest.mark.sqlite_only


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _local(y: int, m: int, d: int, hh: int = 9) -> datetime:
    return datetime(y, m, d, hh, 0, 0).astimezone()


def test_backup_is_checked_single_file_named_with_time(services, db_path, make_product) -> None:
    make_product("可口可乐 330ml", 300, 200, 24)
    clock = FakeClock(_local(2026, 11, 25, 8))
    svc = BackupService(services.db, clock=clock)
    seen: list[tuple[int, int]] = []
    info = svc.backup(progress=lambda done, total: seen.append((done, total)) or True)
    assert info.ok and info.products == 1 and info.sales == 0
    assert info.path.parent == db_path.parent / "backups"
    assert info.path.name == "jxc-backup-20261125-080000.sqlite3"
    assert seen and seen[-1][0] == seen[-1][1]
    con = sqlite3.connect(info.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert not list(info.path.parent.glob("*.partial"))
    assert svc.last_good_backup() == clock.now
    assert services.audit.query(action="backup")


def test_manual_backup_to_a_chosen_place_and_cancel(services, tmp_path: Path) -> None:
    svc = services.backup
    usb = tmp_path / "usb"
    usb.mkdir()
    info = svc.backup(usb)
    assert info.ok and info.path.parent == usb
    named = svc.backup(usb / "my-copy.sqlite3")
    assert named.path == usb / "my-copy.sqlite3"
    with pytest.raises(StateError):
        svc.backup(usb / "my-copy.sqlite3")  # never overwrites a chosen file
    with pytest.raises(StateError, match="cancelled"):
        svc.backup(usb / "cancelled.sqlite3", progress=lambda d, t: False)
    assert not (usb / "cancelled.sqlite3").exists() and not list(usb.glob("*.partial"))
    with pytest.raises(StateError):
        svc.backup(services.db.path)


def test_backup_to_an_unwritable_place_is_a_clear_error(services, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DatabaseError, match="Could not write the backup"):
        services.backup.backup(blocker / "sub" / "x.sqlite3")


def test_backup_folder_setting(services, tmp_path: Path) -> None:
    services.settings.update({"backup_dir": str(tmp_path / "sync")})
    assert services.backup.backup().path.parent == tmp_path / "sync"


def test_rotation_keeps_7_daily_and_12_monthly(tmp_path: Path) -> None:
    first = date(2025, 1, 1)
    paths = []
    for i in range(520):
        day = first + timedelta(days=i)
        for hh in (9, 21):  # two copies a day: the newest of the day is the daily one
            # Local wall-clock hours (a zone with summer time shifts a fixed UTC offset by an hour).
            t = _local(day.year, day.month, day.day, hh)
            paths.append(tmp_path / f"jxc-auto-{bk.stamp(t)}.sqlite3")
    keep = rotation_keep(paths)
    days = sorted({bk.time_of(p).date() for p in keep})  # type: ignore[union-attr]
    last_day = first + timedelta(days=519)
    assert [last_day - timedelta(days=n) for n in range(7)] == sorted(days, reverse=True)[:7]
    months = sorted({(d.year, d.month) for d in days})
    assert len(months) == 12
    for p in keep:  # always the day's evening copy
        assert bk.time_of(p).hour == 21  # type: ignore[union-attr]
    for y, m in months[:-1]:  # a past month keeps its last day
        kept = [d for d in days if (d.year, d.month) == (y, m)]
        nxt = datetime(y + (m == 12), m % 12 + 1, 1).date()
        assert max(kept) == nxt - timedelta(days=1)
    assert len(keep) <= 7 + 12


def test_auto_backup_once_a_day_with_rotation_on_faked_dates(services, db_path) -> None:
    clock = FakeClock(_local(2026, 1, 1))
    svc = BackupService(services.db, clock=clock)
    made = 0
    for step in range(50):  # ~15 months, a start-up every 9 days (and a second one that day)
        clock.now = _local(2026, 1, 1) + timedelta(days=9 * step)
        made += svc.auto_backup() is not None
        clock.now += timedelta(hours=3)
        assert svc.auto_backup() is None  # already done today
    assert made == 50
    files = sorted((db_path.parent / "backups").glob("jxc-auto-*.sqlite3"))
    assert 12 <= len(files) <= 19
    assert len({(bk.time_of(f).year, bk.time_of(f).month) for f in files}) == 12  # type: ignore[union-attr]
    assert all(bk.describe(f).ok for f in files[-3:])


def test_overdue_warning(services) -> None:
    clock = FakeClock(_local(2026, 3, 1))
    svc = BackupService(services.db, clock=clock)
    assert svc.last_good_backup() is None and svc.backup_overdue()
    svc.auto_backup()
    clock.now += timedelta(days=2)
    assert not svc.backup_overdue()
    clock.now += timedelta(days=2)
    assert svc.backup_overdue()


def test_restore_round_trip(services, db_path, make_product) -> None:
    make_product("矿泉水", 200, 100, 10)
    copy = services.backup.backup()
    make_product("方便面", 450, 300, 5)  # made after the backup: gone after the restore
    assert services.catalog.count() == 2
    info = bk.describe(copy.path)
    assert info.ok and info.products == 1
    result = services.backup.restore(copy.path)
    assert result.saved_current is not None and bk.describe(result.saved_current).products == 2
    fresh = Services(Database.for_file(db_path))
    assert [p.name for p in fresh.catalog.search("矿泉水")] == ["矿泉水"] and fresh.catalog.count() == 1
    assert fresh.audit.query(action="restore")
    for side in ("-journal",):
        assert not Path(str(db_path) + side).exists()
    fresh.db.dispose()


def test_restore_refuses_a_bad_backup_and_changes_nothing(services, db_path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"\x00garbage" * 1000)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="cannot be restored"):
        services.backup.restore(bad)
    assert db_path.read_bytes() == before
    assert not list((db_path.parent / "backups").glob("*before-restore*"))


def test_restore_over_a_damaged_file_keeps_its_bytes(services, db_path, make_product) -> None:
    make_product("鸡蛋", 100, 80, 30)
    good = services.backup.backup()
    services.db.dispose()
    for side in ("-wal", "-shm"):
        Path(str(db_path) + side).unlink(missing_ok=True)
    damaged = db_path.read_bytes()[: 4096 * 3]
    db_path.write_bytes(damaged)
    newest = bk.find_newest_good_backup(db_path.parent / "backups")
    assert newest is not None and newest.path == good.path
    result = bk.restore_file(newest.path, db_path, db_path.parent / "backups")
    assert result.saved_current is not None and "damaged" in result.saved_current.name
    assert result.saved_current.read_bytes() == damaged
    assert bk.describe(db_path).ok
    # a damaged copy in the folder is never offered as "newest good"
    assert bk.find_newest_good_backup(db_path.parent / "backups").path == good.path  # type: ignore[union-attr]

"""Issue 13 §2: backups belong to their shop file. Two shops sharing one backup folder never see,
offer or restore each other's copies by mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import StateError
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety import backup as bk
from jxc_desktop.services.safety.startup_check import advise


def open_shop(path: Path) -> Services:
    migrate(path)
    return Services(Database.for_file(path))


@pytest.fixture
def two_shops(tmp_path: Path):  # type: ignore[no-untyped-def]
    shop, demo = open_shop(tmp_path / "shop.db"), open_shop(tmp_path / "demo.db")
    yield shop, demo
    shop.db.dispose()
    demo.db.dispose()


def test_every_copy_carries_its_shop_id(two_shops) -> None:  # type: ignore[no-untyped-def]
    shop, demo = two_shops
    copy = shop.backup.backup()
    mine = shop.backup.shop_id()
    assert len(mine) == 16 and mine != demo.backup.shop_id()  # random, one per shop
    assert shop.backup.shop_id() == mine  # made once, then kept
    assert bk.shop_id_of(copy.path) == mine and bk.describe(copy.path).shop_id == mine
    assert shop.backup.is_ours(copy.path) and not demo.backup.is_ours(copy.path)


def test_a_new_shop_is_not_offered_another_shops_backup(two_shops, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    shop, demo = two_shops
    copy = shop.backup.backup()
    assert demo.backup.backup_dir() == shop.backup.backup_dir()  # one folder for both
    assert demo.backup.last_good_backup() is None  # the status bar: shop.db's copy is not demo.db's
    assert demo.backup.newest_good_backup() is None
    assert shop.backup.newest_good_backup().path == copy.path  # type: ignore[union-attr]
    # demo.db lost: the start-up offer is none rather than shop.db's newest copy
    assert advise(tmp_path / "demo.db.lost", shop.backup.backup_dir()).newest_backup is None
    lost = tmp_path / "gone" / "demo.db"
    assert advise(lost, shop.backup.backup_dir()).newest_backup is None
    assert advise(tmp_path / "gone" / "shop.db", shop.backup.backup_dir()).newest_backup == copy.path


def test_same_file_names_in_one_folder_are_told_apart_by_id(tmp_path: Path) -> None:
    a, b = open_shop(tmp_path / "a" / "jxc.sqlite3"), open_shop(tmp_path / "b" / "jxc.sqlite3")
    try:
        common = tmp_path / "usb"
        for s in (a, b):
            s.settings.update({"backup_dir": str(common)})
        copy = a.backup.backup()
        b.backup.shop_id()  # b was opened by the window: it has its id
        assert b.backup.last_good_backup() is None and b.backup.newest_good_backup() is None
        assert a.backup.last_good_backup() is not None
        own = b.backup.backup()
        assert own.path.name.startswith("jxc-backup-") and copy.path.name.startswith("jxc-backup-")
        assert [p for p in bk.list_backups(common) if b.backup.is_ours(p)] == [own.path]
        assert [p for p in bk.list_backups(common) if a.backup.is_ours(p)] == [copy.path]
    finally:
        a.db.dispose()
        b.db.dispose()


def test_restore_checks_the_shop(two_shops) -> None:  # type: ignore[no-untyped-def]
    shop, demo = two_shops
    theirs = shop.backup.backup()
    demo.backup.shop_id()
    with pytest.raises(StateError, match="another shop"):
        demo.backup.restore(theirs.path)
    assert demo.catalog.count() == 0 and demo.backup.shop_id() != shop.backup.shop_id()  # nothing changed
    own = demo.backup.backup()
    demo.backup.restore(own.path)  # its own copy: fine
    demo.backup.restore(theirs.path, other_shop=True)  # chosen knowingly: allowed
    assert demo.backup.shop_id() == shop.backup.shop_id()


def test_jxc_restore_refuses_another_shops_copy(two_shops, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.cli import main as jxc

    shop, demo = two_shops
    theirs = shop.backup.backup()
    demo.backup.shop_id()
    demo.db.dispose()
    args = ["--db", str(tmp_path / "demo.db"), "restore", str(theirs.path), "--yes"]
    assert jxc(args) != 0
    assert bk.shop_id_of(tmp_path / "demo.db") != shop.backup.shop_id()  # untouched
    assert jxc([*args, "--other-shop"]) == 0
    assert bk.shop_id_of(tmp_path / "demo.db") == shop.backup.shop_id()

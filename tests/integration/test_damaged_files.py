"""Damaged, foreign and newer files are classified, refused for writing with a clear message, and
never written over (bytes compared before/after); the newest good backup can be restored instead.

Issue 15 changed one rule: opening reads only the header, id, revision and schema, so a page torn
in the middle of the file is found by the full check (in the window's background, at a backup, on
demand), not at open; from then on its verdict, kept beside the file, refuses every write
(``test_torn_page_is_refused_once_a_full_check_found_it``)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from jxc_desktop.cli import main as jxc
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import DatabaseError
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety import backup as bk
from jxc_desktop.services.safety.startup_check import FileState, advise, check_file


def _shop_file(path: Path, products: int = 60) -> Path:
    migrate(path)
    services = Services(Database.for_file(path))
    from jxc_desktop.domain.product_rules import ProductInput

    for i in range(products):
        services.catalog.create_product(ProductInput(name=f"商品{i} " + "长" * 80, sale_price=100 + i),
                                        opening_qty=1000 * (i + 1), opening_cost=50)
    services.db.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path


def truncated(path: Path) -> None:
    data = _shop_file(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])


def torn_page(path: Path) -> None:
    data = bytearray(_shop_file(path).read_bytes())
    data[len(data) // 2: len(data) // 2 + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))


def random_binary(path: Path) -> None:
    path.write_bytes(os.urandom(64 * 1024))


def other_program(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.executemany("INSERT INTO notes (body) VALUES (?)", [("hello",)] * 50)
    con.commit()
    con.close()


def newer_schema(path: Path) -> None:
    _shop_file(path, products=3)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


CASES: list[tuple[str, Callable[[Path], None], FileState, str]] = [
    ("truncated", truncated, FileState.DAMAGED, "damaged"),
    ("random binary", random_binary, FileState.NOT_JXC, "not a JXC Desktop database"),
    ("other program", other_program, FileState.NOT_JXC, "not a JXC Desktop database"),
    ("newer schema", newer_schema, FileState.NEWER, "newer version"),
]


def _snapshot(path: Path) -> tuple[bytes, bytes]:
    """The file's bytes and its write-ahead log's (a read-only open may leave an empty -wal/-shm)."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes(), wal.read_bytes() if wal.exists() else b""


@pytest.mark.parametrize(("name", "make", "state", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_refused_and_never_written(tmp_path: Path, capsys, name: str, make, state: FileState,
                                               words: str) -> None:
    path = tmp_path / "jxc.sqlite3"
    make(path)
    before = _snapshot(path)
    check = check_file(path)
    assert check.state == state, check
    assert not check.usable
    err = check.error()
    assert err is not None and words in err.message
    with pytest.raises(DatabaseError):
        check.raise_if_unusable()
    # migrate (what the window and every jxc command do first) refuses too
    with pytest.raises(DatabaseError):
        migrate(path)
    # and so does the command line, with a one-line reason and exit code 2
    assert jxc(["--db", str(path), "init"]) == 2
    assert capsys.readouterr().err.strip().startswith("jxc: ")
    assert _snapshot(path) == before
    # nothing to restore yet: the window must ask (choose another file), not open it
    advice = advise(path)
    assert not advice.open_directly and not advice.can_restore


@pytest.mark.parametrize("make", [truncated, random_binary, newer_schema], ids=["truncated", "random", "newer"])
def test_restore_newest_good_backup_instead(tmp_path: Path, make) -> None:
    good = tmp_path / "before" / "jxc.sqlite3"  # the same file, earlier: its copies are named after it
    good.parent.mkdir()
    _shop_file(good, products=5)
    folder = tmp_path / "backups"
    services = Services(Database.for_file(good))
    older = services.backup.backup(folder)
    services.catalog.create_product(__import__("jxc_desktop.domain.product_rules", fromlist=["x"]).ProductInput(
        name="最新的商品"))
    newest = services.backup.backup(folder)
    services.db.dispose()
    (folder / "jxc-auto-20991231-235959.sqlite3").write_bytes(b"broken copy")  # newest by name, but bad
    path = tmp_path / "jxc.sqlite3"
    make(path)
    bad_bytes = path.read_bytes()
    advice = advise(path, folder)
    assert advice.can_restore and advice.newest_backup == newest.path != older.path
    result = bk.restore_file(advice.newest_backup, path, folder)
    assert check_file(path).state == FileState.OK
    assert Services(Database.for_file(path)).catalog.count() == 6
    assert result.saved_current is not None and result.saved_current.read_bytes() == bad_bytes


def test_zero_byte_file_is_new_unless_backups_exist(tmp_path: Path) -> None:
    path = tmp_path / "jxc.sqlite3"
    path.write_bytes(b"")
    assert check_file(path).state == FileState.EMPTY
    assert advise(path).open_directly  # a brand-new shop
    (tmp_path / "before").mkdir()
    good = _shop_file(tmp_path / "before" / "jxc.sqlite3", products=2)  # this file, before it was lost
    Services(Database.for_file(good)).backup.backup(tmp_path / "backups")
    advice = advise(path)
    assert not advice.open_directly and advice.can_restore  # lost data: ask, offer the backup
    assert path.read_bytes() == b""
    missing = advise(tmp_path / "gone" / "jxc.sqlite3", tmp_path / "backups")
    assert missing.check.state == FileState.MISSING and missing.can_restore and not missing.open_directly
    # another shop file (issue 13 §2): a new demo.sqlite3 is a new shop, not jxc's lost data
    other = advise(tmp_path / "demo.sqlite3")
    assert other.check.state == FileState.MISSING and not other.can_restore and other.open_directly


def test_healthy_and_older_files(tmp_path: Path) -> None:
    path = _shop_file(tmp_path / "jxc.sqlite3", products=1)
    assert check_file(path).state == FileState.OK and advise(path).open_directly
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.commit()
    con.close()
    assert check_file(path).state == FileState.OLDER and check_file(path).usable


def test_torn_page_is_refused_once_a_full_check_found_it(tmp_path: Path, capsys) -> None:
    path = _shop_file(tmp_path / "jxc.sqlite3")
    services = Services(Database.for_file(path))
    services.backup.shop_id()  # a shop that has been backed up before has its identity already
    services.db.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(path.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))
    before = _snapshot(path)
    # opening no longer reads every page (issue 15): the torn page is not seen at open …
    assert check_file(path).state == FileState.OK
    # … but by the backup's full check, which refuses, says so and keeps its verdict beside the file
    assert jxc(["--db", str(path), "backup", "--to", str(tmp_path / "usb")]) == 2
    assert "damaged" in capsys.readouterr().err
    assert _snapshot(path) == before
    check = check_file(path)
    assert check.state == FileState.DAMAGED and not check.usable
    assert not advise(path).open_directly  # the window offers the restore instead of opening it
    for args in (["suppliers", "add", "新供应商"], ["suppliers", "add", "另一个"]):
        assert jxc(["--db", str(path), *args]) == 2, args
        err = capsys.readouterr().err.strip()
        assert err.startswith("jxc: ") and "\n" not in err and "damaged" in err, err
    assert _snapshot(path) == before
    # reading what is still there stays possible (e.g. to copy out the product list)
    assert jxc(["--db", str(path), "suppliers", "list"]) == 0

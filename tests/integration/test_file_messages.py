"""Every way a data file can be unusable gets one clear line with the right reason, exit 2 — and
only ``jxc init`` / ``jxc demo`` (and the window's first start) make a new shop (issue 11 §9).

On main: multi-line SQLAlchemy errors with links for /dev/null, a FIFO and a failed upgrade; a
truncated, a read-only and a hot-journal file were all "not a JXC database file"; ``--db`` in a
folder that does not exist quietly created a new empty shop for ``stock``, ``sales list`` and
``suppliers add``.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import no_write_permission as ro
import pytest
from sqlalchemy.exc import OperationalError
from test_file_identity import legacy_file

from jxc_desktop import i18n
from jxc_desktop.cli import main as jxc
from jxc_desktop.db import migrate as migrate_module
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from tests.integration.hot_journal import cut_off_copy

COMMANDS = [["stock"], ["sales", "list"], ["suppliers", "add", "新供应商"]]


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.startswith("jxc: ") and err.count("\n") == 1, err
    assert "sqlalche.me" not in err and "Traceback" not in err and "[SQL" not in err, err
    return err


def shop(path: Path) -> Path:
    migrate(path)
    services = Services(Database.for_file(path))
    services.catalog.create_product(ProductInput(name="可乐", sale_price=300), opening_qty=5000, opening_cost=200)
    services.db.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_a_folder_that_does_not_exist_is_said_and_not_made(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          args: list[str]) -> None:
    path = tmp_path / "typo" / "shop.sqlite3"
    assert jxc(["--db", str(path), *args]) == 2
    err = one_line(capsys)
    assert "folder" in err and "does not exist" in err and "jxc init" in err
    assert not (tmp_path / "typo").exists()


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_a_missing_file_is_not_made_but_by_init(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                args: list[str]) -> None:
    path = tmp_path / "shop.sqlite3"
    assert jxc(["--db", str(path), *args]) == 2
    assert "does not exist. To start a new shop there, run: jxc init" in one_line(capsys)
    assert list(tmp_path.iterdir()) == []
    assert jxc(["--db", str(path), "init"]) == 0
    assert jxc(["--db", str(path), *args]) == 0


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _random(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def _truncated(path: Path) -> None:
    data = shop(path).read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


def _other_program(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.commit()
    con.close()


def _newer(path: Path) -> None:
    shop(path)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'ffff'")
    con.commit()
    con.close()


def _folder(path: Path) -> None:
    path.mkdir()


def _zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


BAD: list[tuple[str, Callable[[Path], None], str]] = [
    ("fifo", _fifo, "not a database file at all (a device or a pipe)"),
    ("random bytes", _random, "not a database file at all"),
    ("truncated", _truncated, "is damaged (the file is truncated)"),
    ("another program", _other_program, "belongs to another program"),
    ("newer", _newer, "newer version of JXC Desktop (schema ffff)"),
    ("a folder", _folder, "Cannot read the database file"),
    ("zero bytes", _zero_bytes, "holds no shop yet. To start a new shop in it, run: jxc init"),
]


@pytest.mark.parametrize(("make", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_each_bad_file_has_its_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      make: Callable[[Path], None], words: str) -> None:
    path = tmp_path / "shop.sqlite3"
    make(path)
    for args in COMMANDS:
        assert jxc(["--db", str(path), *args]) == 2, args
        assert words in one_line(capsys), args


def test_dev_null_is_not_a_database_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert jxc(["--db", os.devnull, "stock"]) == 2
    assert "not a database file at all (a device or a pipe)" in one_line(capsys)
    assert jxc(["--db", os.devnull, "init"]) == 2
    one_line(capsys)


def test_a_fifo_is_never_opened(tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer forever: the command must answer at once."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    env = {**os.environ, "PYTHONPATH": str(ro.SRC), "LANG": "en_US.UTF-8", "LC_ALL": "", "LANGUAGE": ""}
    result = subprocess.run([sys.executable, "-c", "from jxc_desktop.cli import main; raise SystemExit(main())",
                             "--db", str(fifo), "init"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2 and "a device or a pipe" in result.stderr


def test_a_failed_upgrade_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.sqlite3"
    legacy_file(path, "0003")

    def fail(cfg, revision):  # type: ignore[no-untyped-def]
        orig = sqlite3.OperationalError("duplicate column name: business_day")
        raise OperationalError("ALTER TABLE sale_line ADD COLUMN business_day DATE\n", (), orig)

    monkeypatch.setattr(migrate_module.command, "upgrade", fail)
    assert jxc(["--db", str(path), "stock"]) == 2
    err = one_line(capsys)
    assert "from schema 0003 failed and it was left as it was" in err and "duplicate column name" in err


def test_an_interrupted_write_is_undone_and_the_shop_opens(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A hot journal left by a kill is the normal recovery, not "not a JXC database file"."""
    path = cut_off_copy(shop(tmp_path / "live.sqlite3"), tmp_path / "shop.sqlite3",
                        "UPDATE product SET name = 'half written'", "CREATE TABLE half_done (x)")
    capsys.readouterr()
    assert jxc(["--db", str(path), "stock"]) == 0
    assert "可乐" in capsys.readouterr().out


def test_a_read_only_file_is_said_to_be_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = shop(folder / "shop.sqlite3")
    ro.make_read_only(path)
    try:
        write = ro.jxc("--db", str(path), "suppliers", "add", "新供应商")
        read = ro.jxc("--db", str(path), "stock")
    finally:
        ro.restore_writable(path)
    assert write.returncode == 2 and write.stderr.count("\n") == 1, write.stderr
    assert "read-only" in write.stderr and "Traceback" not in write.stderr
    assert read.returncode == 0 and "可乐" in read.stdout, read.stderr


def test_an_older_read_only_file_cannot_be_upgraded_and_says_why(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "old.sqlite3"
    legacy_file(path, "0003")
    ro.make_read_only(path, folder)
    try:
        result = ro.jxc("--db", str(path), "stock")
    finally:
        ro.restore_writable(path, folder)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "cannot be written: it or its folder is read-only" in result.stderr


def test_the_reasons_are_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    _other_program(tmp_path / "notes.db")
    expected = {
        tmp_path / "typo" / "x.sqlite3": "文件夹",
        tmp_path / "missing.sqlite3": "不存在",
        tmp_path / "notes.db": "属于其他程序",
        Path(os.devnull): "根本不是数据库文件",
    }
    try:
        for path, words in expected.items():
            assert jxc(["--db", str(path), "stock"]) == 2
            assert words in one_line(capsys)
    finally:
        i18n.set_language("en")

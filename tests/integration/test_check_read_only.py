"""``jxc check`` only reads: no WAL switch, no checkpoint, no roll-back of a pending write — the
file's and its -wal's bytes are the same after it — and it calls another program's file, a newer
schema and a file without its revision problems (exit 1), not "OK" (issue 11 §6).

On main it switched another program's file to WAL (byte 19 changed), checkpointed and deleted a
pending -wal, said OK for a newer file and for one without a revision row, and on a healthy
read-only file said "attempt to write a readonly database".
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import no_write_permission as ro
import pytest

from jxc_desktop.cli import main as jxc
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from tests.integration.hot_journal import cut_off_copy


def digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def state(path: Path) -> tuple[str | None, str | None, str | None]:
    """The file, its -wal (an empty one counts as none: a reader may leave one) and -journal."""
    wal = path.with_name(path.name + "-wal")
    wal_digest = digest(wal) if wal.exists() and wal.stat().st_size else None
    return digest(path), wal_digest, digest(path.with_name(path.name + "-journal"))


def run_check(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, dict]:
    capsys.readouterr()
    code = jxc(["--db", str(path), "check", "--json"])
    return code, json.loads(capsys.readouterr().out)


def shop(path: Path, products: int = 5) -> Path:
    migrate(path)
    services = Services(Database.for_file(path))
    for i in range(products):
        services.catalog.create_product(ProductInput(name=f"商品{i}", sale_price=300 + i), opening_qty=2000,
                                        opening_cost=150)
    services.db.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path


def with_pending_wal(source: Path, dest: Path) -> Path:
    """``dest``: ``source`` as a running program leaves it, committed pages still in the -wal."""
    con = sqlite3.connect(source)
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("INSERT INTO setting (key, value) VALUES ('shop_name', '新店名')")
    con.commit()
    shutil.copyfile(source, dest)
    shutil.copyfile(source.with_name(source.name + "-wal"), dest.with_name(dest.name + "-wal"))
    con.close()
    assert dest.with_name(dest.name + "-wal").stat().st_size > 0
    return dest


def test_another_programs_file_is_a_problem_and_stays_in_its_journal_mode(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "notes.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.executemany("INSERT INTO notes (body) VALUES (?)", [("hello",)] * 50)
    con.commit()
    con.close()
    before = state(path)
    assert path.read_bytes()[18:20] == b"\x01\x01"  # rollback journal
    code, report = run_check(capsys, path)
    assert code == 1 and report["ok"] is False
    assert [p["kind"] for p in report["problems"]] == ["file"]
    assert "not a JXC Desktop database" in report["problems"][0]["detail"]
    assert state(path) == before and path.read_bytes()[18:20] == b"\x01\x01"
    assert not path.with_name("notes.db-wal").exists()


def test_a_pending_wal_is_read_not_checkpointed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = with_pending_wal(shop(tmp_path / "live.sqlite3"), tmp_path / "copy.sqlite3")
    before = state(path)
    code, report = run_check(capsys, path)
    assert code == 0 and report["ok"] is True and report["products"] == 5, report
    assert state(path) == before  # the -wal is still there with the same bytes: no checkpoint
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert con.execute("SELECT value FROM setting WHERE key = 'shop_name'").fetchone()[0] == "新店名"
    con.close()


def test_a_newer_file_is_a_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = shop(tmp_path / "newer.sqlite3")
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    before = state(path)
    code, report = run_check(capsys, path)
    assert code == 1 and not report["ok"]
    assert report["problems"][0]["kind"] == "schema" and "newer version" in report["problems"][0]["detail"]
    assert state(path) == before


def test_a_file_without_its_revision_row_is_a_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = shop(tmp_path / "norev.sqlite3")
    con = sqlite3.connect(path)
    con.execute("DELETE FROM alembic_version")
    con.commit()
    con.close()
    before = state(path)
    code, report = run_check(capsys, path)
    assert code == 1 and not report["ok"]
    assert report["problems"][0] == {"kind": "schema", "where": "", "detail": "no schema revision recorded"}
    assert state(path) == before


def test_an_older_file_is_checked_as_it_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from test_file_identity import legacy_file

    path = tmp_path / "old.sqlite3"
    legacy_file(path, "0003")
    before = state(path)
    code, report = run_check(capsys, path)
    assert code == 0 and report["ok"] and "older" in " ".join(report["notes"])
    assert state(path) == before


def test_an_interrupted_write_is_read_as_undone_but_not_undone(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A hot journal (rollback-journal mode, a write cut off): the check reads the file as the next
    start will see it, on a copy; the file and its journal keep every byte."""
    path = cut_off_copy(shop(tmp_path / "live.sqlite3", products=40), tmp_path / "crashed.sqlite3",
                        "UPDATE product SET name = name || '（改）'", "DELETE FROM barcode")
    before = state(path)
    assert before[2] is not None
    code, report = run_check(capsys, path)
    assert code == 0 and report["ok"] and report["products"] == 40, report
    assert "interrupted write" in " ".join(report["notes"])
    assert state(path) == before


def test_a_healthy_read_only_file_checks_ok(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = shop(folder / "shop.sqlite3")
    before = state(path)
    ro.make_read_only(path, folder)
    try:
        result = ro.jxc("--db", str(path), "check")
    finally:
        ro.restore_writable(path, folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: 5 products" in result.stdout and "readonly" not in result.stdout + result.stderr
    assert state(path) == before


def test_a_read_only_file_with_a_pending_wal_checks_ok(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = with_pending_wal(shop(tmp_path / "live.sqlite3"), folder / "shop.sqlite3")
    before = state(path)
    ro.make_read_only(path, path.with_name(path.name + "-wal"), folder)
    try:
        result = ro.jxc("--db", str(path), "check", "--json")
    finally:
        ro.restore_writable(path, path.with_name(path.name + "-wal"), folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["ok"] is True
    assert state(path) == before

"""With an owner PIN set, ``jxc`` checks it on sqlite3 alone before a protected command (issue 15:
``jxc stock`` in a shop with a PIN no longer builds SQLAlchemy): the same answers, the same counted
tries, lock and audit entries as the PIN service writes on the full path, and every file a Database
would refuse to write (marked damaged, schema incomplete) sent to the full path, which refuses it."""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jxc_desktop.cli import main
from jxc_desktop.db import damage_mark
from jxc_desktop.db.text_writes import SqliteWrites
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import ANCHOR_ENV, NOW_ENV
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety.pin_state import FAILS_KEY, LOCKED_KEY
from tests.integration.test_cli_plain_reads import fill, full_path_output, jxc_process

PIN, WRONG = "4321", "9999"
DAYS = ["--from", "2026-03-01", "--to", "2026-03-03"]  # around AT, the shop's purchase (fixed: no real date)
PROTECTED_READS = [["stock"], ["stock", "--json"], ["report", "profit", *DAYS], ["report", "purchases", *DAYS],
                   ["purchase", "list"], ["staff", "list"], ["report", "payments", *DAYS]]


@pytest.fixture
def shop(db_path: Path) -> Path:
    """The small shop of test_cli_plain_reads, an owner named 张老板 and the owner PIN set."""
    services = Services(Database.for_file(db_path))
    fill(services)
    services.staff.add("张老板", "9", role="owner")
    services.pin.set_pin(PIN)
    services.db.dispose()
    return db_path


@pytest.fixture
def pins(tmp_path: Path) -> dict[str, Path]:
    files = {}
    for name, text in (("right", PIN), ("wrong", WRONG)):
        files[name] = tmp_path / f"{name}.txt"
        files[name].write_text(text + "\n", encoding="utf-8")
    return files


def twin(shop: Path, tmp_path: Path, name: str) -> Path:
    """A byte copy of the shop, for the same command on the other path."""
    copy = tmp_path / name / shop.name
    copy.parent.mkdir()
    shutil.copyfile(shop, copy)
    return copy


def trail(path: Path, after: int = 0) -> list[tuple[object, ...]]:
    """The audit entries after id ``after``, without the id and the time (each path's own clock)."""
    con = sqlite3.connect(path)
    try:
        return con.execute('SELECT action, document, "before", "after", detail, actor FROM audit_log WHERE id > ? '
                           "ORDER BY id", (after,)).fetchall()
    finally:
        con.close()


def last_id(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0])
    finally:
        con.close()


def pin_settings(path: Path) -> dict[str, str]:
    con = sqlite3.connect(path)
    try:
        return dict(con.execute("SELECT key, value FROM setting WHERE key IN (?, ?)", (FAILS_KEY, LOCKED_KEY)))
    finally:
        con.close()


@pytest.mark.parametrize("args", PROTECTED_READS, ids=" ".join)
def test_a_protected_read_with_the_right_pin_never_builds_sqlalchemy(shop: Path, pins: dict[str, Path], args: list[str],
                                                                      tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    other = twin(shop, tmp_path, "full")
    before = last_id(shop)
    plain = jxc_process("--db", str(shop), "--pin-file", str(pins["right"]), *args)
    assert plain["rc"] == 0 and plain["sqlalchemy"] is False, plain
    full = full_path_output(other, ["--pin-file", str(pins["right"]), *args], capsys)
    assert (plain["rc"], plain["out"], plain["err"]) == full
    # one approval, naming the owner, written alike
    written = trail(shop, before)
    assert written == trail(other, before) and [(row[0], row[5]) for row in written] == [("owner_authorized", "张老板")]


def test_wrong_tries_the_lock_and_its_end_as_on_the_full_path(shop: Path, pins: dict[str, Path], tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The same tries on both paths, each on its own copy: what jxc says, the count and the lock
    kept in the file, and the audit trail agree at every step — through the lock, a clock turned
    back under it, and the minute running out."""
    other = twin(shop, tmp_path, "full")
    start = last_id(shop)
    base = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # any instant: only the steps between count
    steps = [("wrong", 0), ("wrong", 0), ("right", 0),  # two tries used, then cleared
             *[("wrong", 0)] * 5,  # the fifth locks entry
             ("right", 0),  # refused while locked, even the right PIN
             ("right", -3600),  # the clock turned back an hour: the lock is capped at a minute and stored so
             ("right", 120)]  # the minute is over: the right PIN passes and clears the lock
    for n, (which, shift) in enumerate(steps):
        monkeypatch.setenv(NOW_ENV, (base + timedelta(seconds=shift)).isoformat())
        args = ["--pin-file", str(pins[which]), "stock"]
        # Each run's clock starts at the step's instant (a fresh anchor): the seconds a lock has
        # left read the same on both paths, however long the runs between took.
        monkeypatch.setenv(ANCHOR_ENV, str(time.time()))
        plain = jxc_process("--db", str(shop), *args)
        assert plain["sqlalchemy"] is False, (n, plain)
        monkeypatch.setenv(ANCHOR_ENV, str(time.time()))
        full = full_path_output(other, args, capsys)
        assert (plain["rc"], plain["out"], plain["err"]) == full, n
        got, want = pin_settings(shop), pin_settings(other)
        assert got.keys() == want.keys() and got.get(FAILS_KEY) == want.get(FAILS_KEY), n
        if LOCKED_KEY in got:  # each path's own instant; both a minute on from its try (or the cap)
            lock, other_lock = datetime.fromisoformat(got[LOCKED_KEY]), datetime.fromisoformat(want[LOCKED_KEY])
            assert abs((lock - other_lock).total_seconds()) < 30, n
        assert trail(shop, start) == trail(other, start), n
    assert [row[0] for row in trail(shop, start)] == ["pin_wrong"] * 2 + ["owner_authorized"] + ["pin_wrong"] * 4 \
        + ["pin_locked", "owner_authorized"]
    assert pin_settings(shop) == {}


def test_the_approval_names_the_owner_in_what_the_command_writes(shop: Path, pins: dict[str, Path],
                                                                 tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """``jxc collect`` with the PIN: approved on sqlite3 alone, then written through the services —
    whose audit entry names the owner who approved (the command names nobody), as on the full path."""
    other = twin(shop, tmp_path, "full")
    before = last_id(shop)
    args = ["--pin-file", str(pins["right"]), "collect", "老街饭店", "1.00", "--yes"]
    plain = jxc_process("--db", str(shop), *args)
    full = full_path_output(other, args, capsys)
    assert (plain["rc"], plain["out"], plain["err"]) == full and plain["rc"] == 0, plain
    written = trail(shop, before)
    assert written == trail(other, before) and len(written) == 2, written
    assert written[0][0] == "owner_authorized" and {row[5] for row in written} == {"张老板"}


@pytest.mark.parametrize("harm", ["marked damaged", "index dropped"])
def test_a_file_a_database_would_not_write_takes_the_full_path(shop: Path, pins: dict[str, Path], harm: str,
                                                               tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    if harm == "marked damaged":
        damage_mark.record(shop, "a check found it damaged")
    else:
        con = sqlite3.connect(shop)
        con.execute("DROP INDEX ix_audit_log_at")
        con.commit()
        con.close()
    other = twin(shop, tmp_path, "full")
    if harm == "marked damaged":
        damage_mark.record(other, "a check found it damaged")
    before = last_id(shop)
    args = ["--pin-file", str(pins["right"]), "stock"]
    plain = jxc_process("--db", str(shop), *args)
    assert plain["rc"] == 2 and plain["sqlalchemy"] is True and "damaged" in str(plain["err"]), plain
    rc, out, err = full_path_output(other, args, capsys)
    assert (plain["rc"], plain["out"], plain["err"]) == (rc, out, err.replace(str(other), str(shop)))
    assert trail(shop, before) == []  # nothing written into it
    assert damage_mark.recorded(shop) is not None  # and it stays refused


def test_an_error_of_sqlite3_before_the_commit_runs_the_check_again_on_the_full_path(
        shop: Path, pins: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The commit fails (a disk that said no): nothing of the plain try stays, the full path checks
    the PIN again and writes one approval."""
    real = SqliteWrites.commit
    failed: list[int] = []

    def refuse_once(self: SqliteWrites) -> None:
        if not failed:
            failed.append(1)
            raise sqlite3.OperationalError("disk I/O error")
        real(self)

    monkeypatch.setattr(SqliteWrites, "commit", refuse_once)
    before = last_id(shop)
    assert main(["--db", str(shop), "--pin-file", str(pins["right"]), "stock"]) == 0
    assert failed and "可乐" in capsys.readouterr().out
    assert [row[0] for row in trail(shop, before)] == ["owner_authorized"]


def test_an_error_after_the_commit_is_reported_and_the_check_never_runs_twice(
        shop: Path, pins: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The approval is committed, then sqlite3 fails (here: right after the commit): the command
    stops with the database's error (exit 2) and the approval is in the trail once, not again
    from the full path."""
    real = SqliteWrites.commit

    def commit_then_fail(self: SqliteWrites) -> None:
        real(self)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(SqliteWrites, "commit", commit_then_fail)
    before = last_id(shop)
    assert main(["--db", str(shop), "--pin-file", str(pins["right"]), "stock"]) == 2
    assert "disk I/O error" in capsys.readouterr().err
    assert [row[0] for row in trail(shop, before)] == ["owner_authorized"]


def test_a_wrong_pin_is_counted_once_when_the_plain_check_refuses(shop: Path, pins: dict[str, Path]) -> None:
    done = jxc_process("--db", str(shop), "--pin-file", str(pins["wrong"]), "report", "profit")
    assert done["rc"] == 2 and done["sqlalchemy"] is False and "4 tries left" in str(done["err"]), done
    assert pin_settings(shop) == {FAILS_KEY: "1"}
    assert [row[:2] for row in trail(shop, last_id(shop) - 1)] == [("pin_wrong", "view_profit")]

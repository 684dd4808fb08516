"""``jxc check`` on a file at head reads it with sqlite3 alone (issue 15: no SQLAlchemy, ORM or
models) and says, byte for byte and with the same exit code, what the check through a Database
says — on a sound shop, on files altered by hand so that each part of the check has a finding (the
books by month, a sale's cost, the ledger's caches, stored types, a move of no known kind, the
lines' categories, members, accounts, a shift's cash), with and without ``--json`` and ``--full``.
A damaged file is checked again through a Database: the same words, and the same verdict kept
beside the file (db/damage_mark.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from jxc_desktop.cli import main
from jxc_desktop.db import damage_mark
from jxc_desktop.services.safety import books_check
from tests.integration.test_books_check import alter_move, demo, sql
from tests.integration.test_cli_plain_reads import jxc_process
from tests.integration.test_corruption import _flip, _pages, corruptions

pytestmark = pytest.mark.clock  # the demo's history and the months depend on the date


@pytest.fixture(scope="module")
def season_shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 days of the demo shop: three calendar months, deliveries, sales, returns, a count,
    shifts, members and accounts."""
    return demo(tmp_path_factory.mktemp("plain_check") / "shop.sqlite3", 60)


@pytest.fixture
def shop(season_shop: Path, tmp_path: Path) -> Path:
    path = tmp_path / "shop.sqlite3"
    shutil.copyfile(season_shop, path)
    return path


def first(path: Path, query: str) -> int:
    (row,) = sql(path, query)
    assert row[0] is not None, query
    return int(row[0])


def moved_purchase(path: Path) -> None:
    alter_move(path, first(path, "SELECT min(id) FROM stock_move WHERE kind = 'purchase'"), 7)


# name -> (alteration, a (kind, text in its detail) the check must report)
SPOILS: dict[str, tuple[Callable[[Path], None], tuple[str, str]]] = {
    "sound": (lambda p: None, ("", "")),
    "books": (moved_purchase, ("books", "note amount")),
    "sale cost": (lambda p: sql(p, "UPDATE sale SET cost = cost + 3 WHERE id = (SELECT min(id) FROM sale)"),
                  ("ledger", "sale cost")),
    "cache": (lambda p: sql(p, "UPDATE product SET stock_qty = stock_qty + 1000 WHERE id = "
                               "(SELECT min(product_id) FROM stock_move)"), ("ledger", "stock_qty")),
    "type": (lambda p: sql(p, "UPDATE sale_line SET discount = 2.5 WHERE id = (SELECT max(id) FROM sale_line)"),
             ("type", "discount = 2.5")),
    "kind": (lambda p: sql(p, "UPDATE stock_move SET kind = 'mystery' WHERE id = (SELECT max(id) FROM stock_move)"),
             ("ledger", "unknown kind 'mystery'")),
    "category": (lambda p: sql(p, "UPDATE sale_line SET category_id = NULL WHERE id = "
                                  "(SELECT min(id) FROM sale_line)"), ("profit", "another category")),
    "members": (lambda p: sql(p, "UPDATE customer SET points = points + 9 WHERE id = "
                                 "(SELECT min(customer_id) FROM points_move)"), ("members", "points")),
    "accounts": (lambda p: sql(p, "UPDATE account_entry SET amount = amount + 1 WHERE id = "
                                  "(SELECT min(id) FROM account_entry)"), ("accounts", "")),
    "cash": (lambda p: sql(p, "UPDATE shift SET expected = expected + 100 WHERE id = "
                              "(SELECT min(id) FROM shift WHERE status = 'closed')"), ("cash", "cash expected")),
}
ARGS = [["check"], ["check", "--json"], ["check", "--full", "--json"]]


def database_check(path: Path, args: list[str], capsys: pytest.CaptureFixture[str],
                   monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """``jxc check`` in this process with the plain attempt refused: the check through a Database."""
    capsys.readouterr()
    with monkeypatch.context() as m:
        m.setattr(books_check, "_plain_check", lambda *a: None)
        rc = main(["--db", str(path), *args])
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.mark.parametrize("args", ARGS, ids=" ".join)
@pytest.mark.parametrize("spoil", SPOILS, ids=str)
def test_the_check_on_sqlite3_alone_says_what_the_database_says(shop: Path, spoil: str, args: list[str],
                                                                capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    alter, (kind, detail) = SPOILS[spoil]
    alter(shop)
    plain = jxc_process("--db", str(shop), *args)
    assert plain["sqlalchemy"] is False and plain["plain"] is True, plain
    full = database_check(shop, args, capsys, monkeypatch)
    assert (plain["rc"], plain["out"], plain["err"]) == full
    # what the comparison covered: the finding the alteration makes (or none)
    assert full[0] == (1 if kind else 0)
    if kind:
        shown = [line for line in full[1].splitlines() if line.startswith(kind) or f'"kind": "{kind}"' in line]
        assert shown, full[1]
        assert detail in full[1], full[1]
    else:
        assert ("OK: " in full[1]) or ('"ok": true' in full[1])
    assert not damage_mark.recorded(shop)


def damaged_pages(path: Path) -> list[tuple[str, Callable[[bytearray], None]]]:
    """A few single-page byte flips (test_corruption.corruptions' kinds): headers and cells of table
    and index pages."""
    size, kinds = _pages(path.read_bytes())
    tables = [n for n, k in kinds.items() if k in (0x05, 0x0D) and n != 1]
    indexes = [n for n, k in kinds.items() if k in (0x02, 0x0A)]
    return [(f"table page {tables[-1]} header", _flip(size, tables[-1], 3)),
            (f"table page {tables[len(tables) // 2]} middle", _flip(size, tables[len(tables) // 2], size // 2)),
            (f"index page {indexes[-1]} pointers", _flip(size, indexes[-1], 9)),
            ("schema page", _flip(size, 1, 100 + 9))]


def both_ways(season_shop: Path, where: Path, label: str, flip: Callable[[bytearray], None],
              capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *, seen: bool = True) -> str | None:
    """The damaged copy checked by a child ``jxc check --json`` and through a Database: the same
    words, exit code and verdict beside the file; returns the verdict. ``seen``: the damage is
    one the check must see."""
    data = bytearray(season_shop.read_bytes())
    flip(data)
    plain_path, full_path = where / "a" / "shop.sqlite3", where / "b" / "shop.sqlite3"
    for p in (plain_path, full_path):
        p.parent.mkdir(parents=True)
        p.write_bytes(bytes(data))
    plain = jxc_process("--db", str(plain_path), "check", "--json")
    full = database_check(full_path, ["check", "--json"], capsys, monkeypatch)
    assert (plain["rc"], plain["out"].replace(str(plain_path), "PATH"), plain["err"]) == \
        (full[0], full[1].replace(str(full_path), "PATH"), full[2]), label
    assert plain["rc"] == 1 or not seen, label
    # the verdict an error of SQLite leaves beside the file: the same, by whichever path
    verdict = damage_mark.recorded(plain_path)
    assert verdict == damage_mark.recorded(full_path), label
    # a read SQLite refused sent the child to the Database, whose unit of work records the damage
    # it met (every read of the check runs in one); a check sqlite3 finished alone records nothing
    assert (verdict is not None) == plain["sqlalchemy"], (label, verdict)
    return verdict


@pytest.mark.parametrize("case", range(4))
def test_a_damaged_file_is_checked_through_a_database_as_before(season_shop: Path, tmp_path: Path, case: int,
                                                                capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    label, flip = damaged_pages(season_shop)[case]
    both_ways(season_shop, tmp_path, label, flip, capsys, monkeypatch)


def test_an_index_damaged_past_its_first_row_leaves_its_verdict(season_shop: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """One changed bit in an index key (some go unseen by any read): quick_check sees nothing and a
    read meets the damage while stepping through its rows — past the first, where the driver's cursor, not SQLAlchemy, would
    report it. The check through a Database records the verdict as it always did."""
    keys = [(label, flip) for label, flip in corruptions(season_shop.read_bytes()) if "key bit" in label]
    verdicts = [both_ways(season_shop, tmp_path / str(i), label, flip, capsys, monkeypatch, seen=False)
                for i, (label, flip) in enumerate(keys)]
    assert "database disk image is malformed" in verdicts, verdicts


def test_any_error_of_the_plain_attempt_leaves_the_check_to_a_database(shop: Path, capsys: pytest.CaptureFixture[str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """An error that is not sqlite3's in the plain attempt (a damaged file's value Python cannot read,
    e.g. a date of scribbled bytes) sends the check to a Database, which lets SQLite's own findings
    speak first, as it always did — not out of `jxc check` as a traceback (found by the review)."""
    sql(shop, "UPDATE product SET stock_qty = stock_qty + 1000 WHERE id = (SELECT min(product_id) FROM stock_move)")
    want = database_check(shop, ["check", "--json"], capsys, monkeypatch)
    real = books_check._rest

    def garbled(reads: books_check.Reads, full: bool, books: bool) -> books_check._Rest:
        if reads.plain:
            raise ValueError("Invalid isoformat string: '2026-1\\x12-06'")
        return real(reads, full, books)

    monkeypatch.setattr(books_check, "_rest", garbled)
    capsys.readouterr()
    rc = main(["--db", str(shop), "check", "--json"])
    out = capsys.readouterr()
    assert (rc, out.out, out.err) == want and '"ledger"' in out.out

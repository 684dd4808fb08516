"""The `jxc` catalog commands end to end, in-process (same code path as the console script)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jxc_desktop.cli import main as jxc
from jxc_desktop.domain.barcode import with_check_digit
from tests.demo_day import DEMO_TODAY_ARG


def dump_hash(path: Path) -> str:
    """A digest of every row of every table: equal digests, equal contents."""
    con = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


def catalog_rows(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        products = con.execute(
            "SELECT p.code, p.name, p.pinyin, p.pinyin_manual, p.spec, p.unit, coalesce(c.name, ''),"
            " p.sale_price, p.ref_cost, p.min_stock, p.max_stock, p.shelf_life_days, p.tracks_batches, p.active,"
            " (SELECT group_concat(b.code || '*' || b.multiplier, ';') FROM"
            "   (SELECT code, multiplier FROM barcode WHERE product_id = p.id ORDER BY code) b)"
            " FROM product p LEFT JOIN category c ON c.id = p.category_id ORDER BY p.code").fetchall()
    finally:
        con.close()
    return products


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "shop.sqlite3"
    assert jxc(["--db", str(path), "init"]) == 0
    assert jxc(["--db", str(path), "demo", "--products", "2000", "--days", "10", "--seed", "7",
                "--today", DEMO_TODAY_ARG]) == 0
    return path


def test_demo_then_check_is_clean(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert jxc(["--db", str(demo_db), "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["problems"] == []
    assert report["products"] == 2000
    con = sqlite3.connect(demo_db)
    cats = {r[0] for r in con.execute("SELECT name FROM category")}
    assert {"饮料", "零食", "日用品", "粮油", "烟酒", "生鲜", "乳品"} <= cats
    assert con.execute("SELECT count(*) FROM supplier").fetchone()[0] >= 5
    assert con.execute("SELECT count(*) FROM barcode WHERE multiplier > 1").fetchone()[0] > 100
    assert con.execute("SELECT count(*) FROM product WHERE tracks_batches").fetchone()[0] > 100
    assert con.execute("SELECT count(*) FROM batch WHERE expiry_date IS NOT NULL").fetchone()[0] > 100
    con.close()


def test_demo_refuses_a_database_with_products(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = dump_hash(demo_db)
    assert jxc(["--db", str(demo_db), "demo", "--products", "5", "--today", DEMO_TODAY_ARG]) == 2
    assert "already holds" in capsys.readouterr().err
    assert dump_hash(demo_db) == before


def test_demo_is_the_same_shop_whatever_the_real_date_and_hour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--seed` and `--today` fix the shop, document for document and fen for fen: the clock
    (moved with JXC_NOW, as the CI's fixed instants do) changes nothing in it."""
    dumps = []
    for i, now in enumerate(("2026-11-25T05:10", "2026-12-04T07:40", "2027-03-01T23:55+08:00")):
        monkeypatch.setenv("JXC_NOW", now)
        monkeypatch.setenv("JXC_NOW_ANCHOR", repr(time.time()))
        path = tmp_path / f"shop{i}.sqlite3"
        assert jxc(["--db", str(path), "demo", "--products", "60", "--days", "5", "--seed", "5",
                    "--today", DEMO_TODAY_ARG]) == 0
        dumps.append(table_rows(path))
    assert len(dumps[0]["sale"]) > 100 and dumps[0]["stock_count"]
    for table in dumps[0]:
        assert dumps[0][table] == dumps[1][table] == dumps[2][table], table


# When a row was written (the moment the demo was made), not part of the shop's books; and a cashier's
# PIN hash, which carries a fresh random salt each time (as a PIN hash must).
WRITTEN_AT = {("audit_log", "at"), ("product", "created_at"), ("product", "updated_at"),
              ("person", "created_at"), ("person", "pin_hash")}


def table_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, without the WRITTEN_AT columns."""
    con = sqlite3.connect(path)
    listed = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    # The products' text indexes (FTS5, migration 0007) are derived from the product rows compared here.
    virtual = [name for name, sql in listed if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    tables = [t for t, _sql in listed if not any(t == v or t.startswith(v + "_") for v in virtual)]
    rows = {}
    for table in tables:
        cols = [c[1] for c in con.execute(f'PRAGMA table_info("{table}")') if (table, c[1]) not in WRITTEN_AT]
        rows[table] = con.execute(f'SELECT {", ".join(cols)} FROM "{table}" ORDER BY rowid').fetchall()
    con.close()
    return rows


def test_demo_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for p in (a, b):
        assert jxc(["--db", str(p), "demo", "--products", "150", "--days", "0", "--seed", "3", "--today", DEMO_TODAY_ARG]) == 0
    assert catalog_rows(a) == catalog_rows(b)
    c = tmp_path / "c.sqlite3"
    assert jxc(["--db", str(c), "demo", "--products", "150", "--days", "0", "--seed", "4", "--today", DEMO_TODAY_ARG]) == 0
    assert catalog_rows(c) != catalog_rows(a)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_into_a_fresh_db_gives_the_same_catalog(
        demo_db: Path, tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"products{suffix}"
    assert jxc(["--db", str(demo_db), "products", "export", str(out)]) == 0
    fresh = tmp_path / "fresh.sqlite3"
    assert jxc(["--db", str(fresh), "init"]) == 0  # only init and demo make a new shop
    # Categories do not exist in a fresh file: the plain import rejects every row ...
    assert jxc(["--db", str(fresh), "products", "import", str(out)]) == 2
    assert "Unknown category" in capsys.readouterr().err
    assert jxc(["--db", str(fresh), "check"]) == 0
    assert sqlite3.connect(fresh).execute("SELECT count(*) FROM product").fetchone()[0] == 0
    # ... and creates them when asked; a dry run reports and writes nothing.
    before = dump_hash(fresh)
    assert jxc(["--db", str(fresh), "products", "import", "--create-categories", "--dry-run", str(out)]) == 0
    assert "2000 new" in capsys.readouterr().out
    assert dump_hash(fresh) == before
    assert jxc(["--db", str(fresh), "products", "import", "--create-categories", str(out)]) == 0
    assert "2000 new" in capsys.readouterr().out
    assert catalog_rows(fresh) == catalog_rows(demo_db)
    # Importing the same file again updates every product and changes nothing.
    assert jxc(["--db", str(fresh), "products", "import", str(out)]) == 0
    assert "0 new, 2000 updated" in capsys.readouterr().out
    assert catalog_rows(fresh) == catalog_rows(demo_db)


def test_bad_file_exits_2_lists_every_bad_row_and_changes_nothing(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    con = sqlite3.connect(demo_db)
    taken = con.execute("SELECT code FROM barcode LIMIT 1").fetchone()[0]
    con.close()
    good = with_check_digit("690999000001")
    bad_digit = good[:-1] + str((int(good[-1]) + 1) % 10)
    lines = [
        "货号,名称,售价,进价,分类,条码",
        f"T001,好商品,3.50,2.00,饮料,{good}",  # row 2: fine
        "T002,,3.50,2.00,饮料,",  # row 3: missing name
        "T003,负价,-1,2.00,饮料,",  # row 4: negative price
        "T004,字母价,abc,2.00,饮料,",  # row 5: not a number
        f"T005,错校验位,3.00,2.00,饮料,{bad_digit}",  # row 6: check digit
        f"T006,别人的条码,3.00,2.00,饮料,{taken}",  # row 7: barcode of another product
        f"T007,重复条码,3.00,2.00,饮料,{good}",  # row 8: repeats row 2
        "T008," + "长" * 130 + ",3.00,2.00,饮料,",  # row 9: too long
        "T009,未知分类,3.00,2.00,不存在的分类,",  # row 10: unknown category
        "T010,控制\x01字符,3.00,2.00,饮料,",  # row 11: control character
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = dump_hash(demo_db)
    assert jxc(["--db", str(demo_db), "products", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    for row in range(3, 12):
        assert f"Row {row}:" in err, (row, err)
    assert "Row 2:" not in err
    assert "9 rows of the file are wrong" in err
    assert dump_hash(demo_db) == before


def test_check_exits_1_and_lists_a_broken_ledger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.sqlite3"
    assert jxc(["--db", str(path), "demo", "--products", "20", "--days", "0", "--today", DEMO_TODAY_ARG]) == 0
    con = sqlite3.connect(path)
    code = con.execute("SELECT code FROM product WHERE stock_qty > 0 ORDER BY id LIMIT 1").fetchone()[0]
    con.execute("UPDATE product SET stock_qty = stock_qty + 1000 WHERE code = ?", (code,))
    con.commit()
    con.close()
    capsys.readouterr()
    assert jxc(["--db", str(path), "check"]) == 1
    out = capsys.readouterr().out
    assert f"ledger [{code}]" in out and "stock_qty" in out
    assert jxc(["--db", str(path), "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["problems"][0]["where"] == code


def test_check_reports_a_damaged_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "d.sqlite3"
    assert jxc(["--db", str(path), "demo", "--products", "200", "--days", "0", "--today", DEMO_TODAY_ARG]) == 0
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, len(data) - 4096, 4096):  # scribble over every page but the first few
        data[offset + 100:offset + 400] = b"\xa5" * 300
    path.write_bytes(bytes(data))
    capsys.readouterr()
    assert jxc(["--db", str(path), "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert any(p["kind"] == "integrity" for p in report["problems"])


def test_jxc_never_imports_qt(tmp_path: Path) -> None:
    """The console command stays free of PySide6 (fast start, works without display libraries)."""
    code = ("import sys\nfrom jxc_desktop.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            f"rc = main(['--db', {str(tmp_path / 'q.sqlite3')!r}, 'check'])\n"
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'\n"
            "print('qt-free', rc)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "qt-free" in out.stdout


def test_check_finds_a_sale_line_whose_cost_differs_from_its_moves(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.sqlite3"
    assert jxc(["--db", str(path), "demo", "--products", "40", "--days", "2", "--today", DEMO_TODAY_ARG]) == 0
    assert jxc(["--db", str(path), "check"]) == 0
    con = sqlite3.connect(path)
    row = con.execute("SELECT s.number, l.id FROM sale_line l JOIN sale s ON s.id = l.sale_id "
                      "WHERE s.kind = 'sale' ORDER BY l.id LIMIT 1").fetchone()
    assert row is not None, "the demo history has sales"
    con.execute("UPDATE sale_line SET cost = cost + 7 WHERE id = ?", (row[1],))
    con.commit()
    con.close()
    capsys.readouterr()
    assert jxc(["--db", str(path), "check", "--json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    ledger = [p for p in problems if p["kind"] == "ledger"]
    assert {p["where"] for p in ledger} == {row[0]}
    assert len(ledger) == 2  # the line against its moves, the sale against its lines
    # issue 14: the month's books and the profit report's cost of goods no longer match the ledger
    assert {p["kind"] for p in problems} == {"ledger", "books", "profit"}

"""Damaged files are not written into (issue 11 §4, with the rule of issue 15).

A small demo shop gets single-page corruptions — bytes flipped in index pages, table pages, the
schema page, at several places in each page. For every copy that ``PRAGMA integrity_check`` calls
damaged, once the full check has run (as the window's background check, a backup or a check on
demand runs it: issue 15 took it off the open path and out of every ``jxc`` write), every ``jxc``
command that writes (and succeeds on the healthy file) refuses: exit 2, one line that says
"damaged", no traceback, and the file's bytes are exactly as before. A file with a table or an index
dropped is damaged at open (the schema is read on every open), and a backup of a damaged file is refused.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from jxc_desktop.cli import main as jxc
from jxc_desktop.db import health
from jxc_desktop.db.filecheck import FileState, check_file
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.demo.shop import fill_demo
from jxc_desktop.domain.errors import DamagedFileError
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import SupplierInput
from jxc_desktop.services.safety import file_health

INDEX_PAGES = (0x02, 0x0A)
TABLE_PAGES = (0x05, 0x0D)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "shop.sqlite3"
    migrate(path)
    services = Services(Database.building(path))  # as `jxc demo` writes a new file
    fill_demo(services, products=40, days=4, seed=3)
    services.db.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    barcode, category = con.execute(
        "SELECT b.code, c.name FROM barcode b JOIN product p ON p.id = b.product_id "
        "JOIN category c ON c.id = p.category_id WHERE b.multiplier = 1 LIMIT 1").fetchone()
    supplier = con.execute("SELECT name FROM supplier LIMIT 1").fetchone()[0]
    con.close()
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    files = folder / "inputs"
    files.mkdir()
    (files / "products.csv").write_text(f"货号,名称,售价,进价,分类,条码\nZZ01,新商品,3.50,2.00,{category},\n",
                                        encoding="utf-8")
    (files / "delivery.csv").write_text(f"条码,数量,单价,批号,有效期\n{barcode},2,1.00,,\n", encoding="utf-8")
    (files / "count.csv").write_text(f"barcode,qty\n{barcode},3\n", encoding="utf-8")
    (files / "pin.txt").write_text("2468\n", encoding="utf-8")
    commands = [
        ["suppliers", "add", "新来的供应商"],
        ["products", "import", str(files / "products.csv")],
        ["purchase", "import", str(files / "delivery.csv"), "--supplier", supplier, "--post", "--yes"],
        ["count", "import", str(files / "count.csv")],
        ["backup", "--to", str(folder / "usb")],
        ["pin", "set", "--new-pin-file", str(files / "pin.txt")],  # last: the others would need the PIN then
    ]
    return {"bytes": path.read_bytes(), "commands": commands, "folder": folder}


def _pages(data: bytes) -> tuple[int, dict[int, int]]:
    """Page size and ``page number -> b-tree page type`` (other pages left out)."""
    size = int.from_bytes(data[16:18], "big")
    size = 65536 if size == 1 else size
    kinds = {}
    for n in range(1, len(data) // size + 1):
        kind = data[(n - 1) * size + (100 if n == 1 else 0)]
        if kind in INDEX_PAGES + TABLE_PAGES:
            kinds[n] = kind
    return size, kinds


def _flip(size: int, page: int, offset: int, count: int = 4, mask: int = 0xFF) -> Callable[[bytearray], None]:
    def apply(buf: bytearray) -> None:
        at = (page - 1) * size + offset
        for i in range(at, at + count):
            buf[i] ^= mask
    return apply


def _key_offsets(data: bytes, size: int, page: int) -> list[int]:
    """Offsets inside the cells of an index leaf page (where its keys are stored)."""
    start = int.from_bytes(data[(page - 1) * size + 5:(page - 1) * size + 7], "big") or 65536
    return list(range(start + 3, size, 7))


def corruptions(data: bytes) -> list[tuple[str, Callable[[bytearray], None]]]:
    """Single-page byte flips: page header, cell pointers, middle and end (cell content) of index
    and table pages, the schema page, and one changed bit in an index key (the damage quick_check
    does not see: the index no longer matches its table)."""
    size, kinds = _pages(data)
    index = [n for n, k in kinds.items() if k in INDEX_PAGES][:8]
    table = [n for n, k in kinds.items() if k in TABLE_PAGES and n != 1][:5]
    cases: list[tuple[str, Callable[[bytearray], None]]] = []
    for n in index + table:
        what = "index" if n in index else "table"
        for label, offset in (("header", 3), ("pointers", 9), ("middle", size // 2), ("end", size - 12)):
            cases.append((f"{what} page {n} {label}", _flip(size, n, offset)))
    cases.append(("schema page", _flip(size, 1, 100 + 9)))
    leaves = [n for n, k in kinds.items() if k == 0x0A][:12]
    for n in leaves:
        offsets = _key_offsets(data, size, n)
        for offset in offsets[len(offsets) // 2: len(offsets) // 2 + 1] + offsets[-2:-1]:
            cases.append((f"index page {n} key bit at {offset}", _flip(size, n, offset, 1, 0x01)))
    return cases


def _state(path: Path) -> tuple[bytes, bytes]:
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes(), wal.read_bytes() if wal.exists() else b""


def test_healthy_file_takes_every_write(demo: dict[str, object], tmp_path: Path) -> None:
    """The commands below are real writes: on the healthy file each one succeeds."""
    path = tmp_path / "shop.sqlite3"
    path.write_bytes(demo["bytes"])  # type: ignore[arg-type]
    for args in demo["commands"]:  # type: ignore[attr-defined]
        before = _state(path)
        assert jxc(["--db", str(path), *args]) == 0, args
        if args[0] != "backup":
            assert _state(path) != before, args


def test_every_write_command_refuses_a_damaged_file(demo: dict[str, object], tmp_path: Path, capsys) -> None:
    data: bytes = demo["bytes"]  # type: ignore[assignment]
    tried = flagged = invisible = 0
    for name, corrupt in corruptions(data):
        tried += 1
        buf = bytearray(data)
        corrupt(buf)
        path = tmp_path / f"case{tried}" / "shop.sqlite3"
        path.parent.mkdir()
        path.write_bytes(bytes(buf))
        if not health.integrity_problems(path):
            continue  # SQLite itself sees nothing wrong (a flipped byte in free space): not damage
        flagged += 1
        invisible += not health.integrity_problems(path, quick=True)
        # the full check, as the window runs it in the background; its verdict is kept beside the file
        db = Database.for_file(path)
        file_health.mark_damaged(db, file_health.full_check(db))
        db.dispose()
        for args in demo["commands"]:  # type: ignore[attr-defined]
            before = _state(path)
            code = jxc(["--db", str(path), *args])
            err = capsys.readouterr().err.strip()
            assert code == 2, (name, args, err)
            # ("malformed": migrate's own refusal wording, which §9 of issue 11 rewords on its branch)
            assert err.startswith("jxc: ") and "\n" not in err, (name, args, err)
            assert "damaged" in err or "malformed" in err, (name, args, err)
            assert _state(path) == before, (name, args)
        shutil.rmtree(path.parent)
    print(f"corruptions tried {tried}, flagged by integrity_check {flagged}, quick_check-invisible {invisible}")
    assert tried >= 50 and flagged >= 30 and invisible >= 5


@pytest.mark.parametrize("drop", ["DROP TABLE sale_line", "DROP INDEX ix_sale_line_report",
                                  "DROP TRIGGER audit_log_no_delete"])
def test_a_dropped_table_index_or_trigger_is_damage(demo: dict[str, object], tmp_path: Path, capsys,
                                                     drop: str) -> None:
    path = tmp_path / "shop.sqlite3"
    path.write_bytes(demo["bytes"])  # type: ignore[arg-type]
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute(drop)
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    assert check_file(path).state == FileState.DAMAGED
    for args in demo["commands"]:  # type: ignore[attr-defined]
        before = _state(path)
        assert jxc(["--db", str(path), *args]) == 2, args
        err = capsys.readouterr().err.strip()
        assert "damaged" in err and "missing" in err and "\n" not in err
        assert _state(path) == before
    # the services refuse too, and say so in the same words
    db = Database.for_file(path)
    try:
        with pytest.raises(DamagedFileError, match="damaged"), db.write():
            pass
    finally:
        db.dispose()


def test_backup_of_a_damaged_file_is_refused_and_stops_writes(demo: dict[str, object], tmp_path: Path) -> None:
    data: bytes = demo["bytes"]  # type: ignore[assignment]
    size, kinds = _pages(data)
    path = tmp_path / "shop.sqlite3"
    found = False
    for page in (n for n, k in kinds.items() if k == 0x0A):  # index leaves
        for offset in _key_offsets(data, size, page):
            buf = bytearray(data)
            _flip(size, page, offset, 1, 0x01)(buf)
            path.write_bytes(bytes(buf))
            found = bool(health.integrity_problems(path)) and not health.integrity_problems(path, quick=True)
            if found:
                break
        if found:
            break
    assert found, "no index corruption that only integrity_check sees"
    assert check_file(path).state == FileState.OK  # the start-up inspection (header, schema) misses it
    db = Database.for_file(path)  # the window's database: checks the schema only, at open
    services = Services(db)
    try:
        services.suppliers.add(SupplierInput("开店时还能写"))  # before the full check ran, the window still writes
        with pytest.raises(DamagedFileError, match="no backup was made"):
            services.backup.backup(tmp_path / "usb")
        assert not list((tmp_path / "usb").glob("*.sqlite3")) and not list((tmp_path / "usb").glob(".jxc-*"))
        before = _state(path)
        with pytest.raises(DamagedFileError):
            services.suppliers.add(SupplierInput("之后不能再写"))
        assert _state(path) == before
    finally:
        db.dispose()


def test_a_write_command_learns_an_earlier_check_found_damage(demo: dict[str, object], tmp_path: Path,
                                                              capsys) -> None:
    """Damage only integrity_check sees: before any full check a command still writes (nothing on
    the open path reads the whole file); once a backup's check failed, every later command refuses
    it with the backup's reason, and a check that passes (after a restore) lets writes in again."""
    data: bytearray = bytearray(demo["bytes"])  # type: ignore[arg-type]
    path = tmp_path / "shop.sqlite3"
    size, kinds = _pages(bytes(data))
    for page in (n for n, k in kinds.items() if k == 0x0A):
        for offset in _key_offsets(bytes(data), size, page):
            buf = bytearray(data)
            _flip(size, page, offset, 1, 0x01)(buf)
            path.write_bytes(bytes(buf))
            if health.integrity_problems(path) and not health.integrity_problems(path, quick=True):
                break
        else:
            continue
        break
    db = Database.for_file(path)
    services = Services(db)
    with pytest.raises(DamagedFileError):
        services.backup.backup(tmp_path / "usb")  # a full check: fails, and says so beside the file
    db.dispose()
    before = _state(path)
    assert jxc(["--db", str(path), "suppliers", "add", "新来的"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("jxc: ") and "\n" not in err and "is damaged" in err and "Restore" in err, err
    assert _state(path) == before
    assert check_file(path).state == FileState.DAMAGED
    assert jxc(["--db", str(path), "suppliers", "list"]) == 0  # reading stays possible
    # a restore puts a checked file in place: the verdict was about the file it replaced
    good = tmp_path / "good.sqlite3"
    good.write_bytes(demo["bytes"])  # type: ignore[arg-type]
    db = Database.for_file(good)
    made = Services(db).backup.backup(tmp_path / "usb2")
    db.dispose()
    capsys.readouterr()
    assert jxc(["--db", str(path), "restore", str(made.path), "--yes"]) == 0, capsys.readouterr().err
    assert jxc(["--db", str(path), "suppliers", "add", "新来的"]) == 0

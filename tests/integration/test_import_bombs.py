"""Files that are bombs (issue 11 §8): every import reads within bounds and ends in one clear refusal.

The bomb files are built on the fly and small on disk: a zip whose shared strings declare gigabytes,
honest parts that unpack a thousand to one, a sheet declaring A1:XFD1048576, a sheet of millions of
empty rows, rows that openpyxl would pad to 330 million cells; a csv linked to /dev/zero, a FIFO.
Each test also runs under a watchdog, so a reader that loops for minutes fails instead of hanging.
"""

from __future__ import annotations

import os
import signal
import stat
import struct
import sys
import threading
import tracemalloc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from jxc_desktop.cli import main as jxc
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.files import tabular
from jxc_desktop.files.table_guard import Limits
from jxc_desktop.services.hub import Services
from tests.integration.xlsx_files import (
    build_xlsx,
    forge_unpacked_size,
    num_cell,
    shared_strings,
    sheet_xml,
    text_cell,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, /dev/zero and SIGALRM are POSIX")


@contextmanager
def watchdog(seconds: int = 30) -> Iterator[None]:
    """Fail (instead of hanging the suite) if the block runs longer than ``seconds``."""

    def expire(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"still reading after {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@contextmanager
def peak_memory(limit_mb: int) -> Iterator[None]:
    """The Python heap may grow at most ``limit_mb`` inside the block."""
    tracemalloc.start()
    try:
        yield
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < limit_mb * 1024 * 1024, f"peak {peak // 1024 // 1024} MB"


def refused(path: Path, match: str, **kwargs: object) -> ValidationError:
    with watchdog(), pytest.raises(ValidationError, match=match) as info:
        tabular.read_table(path, **kwargs)  # type: ignore[arg-type]
    assert "\n" not in info.value.message
    return info.value


def header_and_rows(n: int) -> Iterator[str]:
    yield f'<row r="1">{text_cell("A1", "名称")}{text_cell("B1", "售价")}</row>'
    for i in range(2, n + 2):
        yield f'<row r="{i}">{text_cell(f"A{i}", f"商品{i}")}{num_cell(f"B{i}", "3.5")}</row>'


# ------------------------------------------------------------------ the zip: sizes, ratios, methods


def test_shared_strings_declaring_gigabytes_are_refused_before_unpacking(tmp_path: Path) -> None:
    f = build_xlsx(tmp_path / "bomb.xlsx", sheet_xml(header_and_rows(3)), shared_strings(["x"] * 1000))
    forge_unpacked_size(f, "xl/sharedStrings.xml", 3 * 1024**3)  # as the 6.7 MB file that unpacked to 3 GB
    with peak_memory(20):
        refused(f, r"would unpack to 3072 MB")


def test_an_honest_part_that_unpacks_a_thousand_to_one_is_refused(tmp_path: Path) -> None:
    # 150 MB of shared strings (one text of spaces) in ~150 KB: beyond the shared-strings limit.
    def huge() -> Iterator[str]:
        yield '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
        for _ in range(150):
            yield " " * (1 << 20)
        yield "</t></si></sst>"

    f = build_xlsx(tmp_path / "strings.xlsx", sheet_xml(header_and_rows(3)), huge())
    assert f.stat().st_size < 1024 * 1024
    with peak_memory(20):
        refused(f, r"sharedStrings.xml inside the file would unpack to 150 MB \(at most 100 MB\)")
    # Within the size limit the compression ratio still gives it away: 60 MB of blanks in a sheet.
    sheet = sheet_xml(header_and_rows(3), tail=" " * (60 << 20))
    f2 = build_xlsx(tmp_path / "ratio.xlsx", sheet)
    with peak_memory(20):
        refused(f2, r"sheet1.xml inside the file is compressed \d+ to 1")


def test_parts_total_and_exotic_compression_are_refused(tmp_path: Path) -> None:
    f = build_xlsx(tmp_path / "ok.xlsx", sheet_xml(header_and_rows(2)))
    refused(f, r"holds 6 parts \(at most 5\)", limits=Limits(parts=5))
    refused(f, r"would unpack to 0 MB \(at most 0 MB\)", limits=Limits(unpacked_mb=0))
    bz = build_xlsx(tmp_path / "bz.xlsx", sheet_xml(header_and_rows(2)), compression=zipfile.ZIP_BZIP2)
    refused(bz, r"compressed in a way spreadsheets do not use")
    # The zip's end record is read before zipfile builds an object per directory entry.
    data = bytearray(f.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 60_000, 60_000)
    (tmp_path / "entries.xlsx").write_bytes(bytes(data))
    refused(tmp_path / "entries.xlsx", r"holds 60000 parts \(at most 10000\)")
    data = bytearray(f.read_bytes())
    struct.pack_into("<I", data, end + 12, 5 * 1024 * 1024)
    (tmp_path / "directory.xlsx").write_bytes(bytes(data))
    refused(tmp_path / "directory.xlsx", r"table of contents is 5120 KB \(at most 4096 KB\)")


def test_a_document_type_declaration_is_refused(tmp_path: Path) -> None:
    laughs = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    f = build_xlsx(tmp_path / "dtd.xlsx", sheet_xml(header_and_rows(2), head=laughs))
    refused(f, "document type declaration")


# ------------------------------------------------------------------ the sheet: dimension, rows, columns, cells


def test_a_declared_dimension_of_the_whole_grid_is_refused(tmp_path: Path) -> None:
    f = build_xlsx(tmp_path / "dim.xlsx", sheet_xml(header_and_rows(3), dimension="A1:XFD1048576"))
    refused(f, r"used range A1:XFD1048576 is larger than 250000 rows by 100 columns")
    ok = build_xlsx(tmp_path / "dim_ok.xlsx", sheet_xml(header_and_rows(3), dimension="A1:B4"))
    assert len(tabular.read_rows(ok)) == 3


def test_millions_of_empty_rows_stop_at_the_row_limit(tmp_path: Path) -> None:
    def rows() -> Iterator[str]:
        yield from header_and_rows(2)
        for i in range(10, 2_000_000):
            yield f'<row r="{i}"/>'

    f = build_xlsx(tmp_path / "rows.xlsx", sheet_xml(rows()))
    assert f.stat().st_size < 8 * 1024 * 1024
    refused(f, r"more than 250000 rows \(blank ones included\)")  # after reading 250 001 of them


def test_rows_openpyxl_would_pad_to_330_million_cells_read_in_seconds(services: Services, tmp_path: Path) -> None:
    # Each row has its value in A and an empty (styled) cell in XFD, the last column: a reader that
    # pads rows to the widest cell makes 20 000 x 16 384 = 330 million cells of this 100 KB file.
    def rows() -> Iterator[str]:
        yield f'<row r="1">{text_cell("A1", "名称")}<c r="XFD1" s="0"/></row>'
        for i in range(2, 20_002):
            yield f'<row r="{i}">{text_cell(f"A{i}", f"商品{i}")}<c r="XFD{i}" s="0"/></row>'

    f = build_xlsx(tmp_path / "wide.xlsx", sheet_xml(rows()))
    assert f.stat().st_size < 1024 * 1024
    with watchdog(), peak_memory(60):
        rows_read = tabular.read_rows(f)
    assert len(rows_read) == 20_000 and rows_read[-1] == {"名称": "商品20001"}
    small = build_xlsx(tmp_path / "wide_small.xlsx", sheet_xml(list(rows())[:101]))
    with watchdog():
        assert services.product_io.import_products(small).created == 100
    # A value out there is refused, by its cell.
    far = build_xlsx(tmp_path / "far.xlsx", sheet_xml([*header_and_rows(2), f'<row r="9">{num_cell("XFD9", "1")}</row>']))
    refused(far, r"Cell XFD9 lies beyond column 100")


def test_cell_and_shared_string_counts_are_bounded(tmp_path: Path) -> None:
    f = build_xlsx(tmp_path / "cells.xlsx", sheet_xml(header_and_rows(600)), shared_strings(["a", "b", "c"]))
    refused(f, r"more than 1000 cells", limits=Limits(cells=1000))
    refused(f, r"more than 2 different texts", limits=Limits(strings=2))
    assert len(tabular.read_rows(f)) == 600
    csv_file = tmp_path / "cells.csv"
    csv_file.write_text("名称,售价\n" + "甲,1\n" * 600, encoding="utf-8")
    refused(csv_file, r"more than 1000 cells", limits=Limits(cells=1000))
    refused(csv_file, r"more than 100 lines", limits=Limits(sheet_rows=100))
    refused(csv_file, r"more than 500 rows", limits=Limits(rows=500))


def test_reading_stops_at_the_deadline(tmp_path: Path) -> None:
    ticks = iter(range(10**9))
    slow_clock = Limits(seconds=50, clock=lambda: float(next(ticks)))  # each look at the clock: a second later
    f = build_xlsx(tmp_path / "slow.xlsx", sheet_xml(header_and_rows(30_000)))
    refused(f, r"took longer than 50 seconds", limits=slow_clock)
    c = tmp_path / "slow.csv"
    c.write_text("名称,售价\n" + "甲,1\n" * 100_000, encoding="utf-8")
    ticks = iter(range(10**9))
    refused(c, r"took longer than 50 seconds", limits=Limits(seconds=50, clock=lambda: float(next(ticks))))


# ------------------------------------------------------------------ csv and file kinds


def test_a_csv_linked_to_dev_zero_and_a_fifo_are_refused_without_reading(tmp_path: Path) -> None:
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    refused(zero, r"zero.csv is not an ordinary file")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            tabular.read_table(fifo)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # blocked in open(): let it go so the suite ends
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    assert isinstance(outcome[0], ValidationError) and "not an ordinary file" in outcome[0].message
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    refused(folder, "is a folder")


def test_a_csv_is_read_with_a_byte_cap_and_a_line_cap(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"a,b\n" + b"1,2\n" * 300_000)  # 1.2 MB
    refused(big, r"larger than 1 MB", limits=Limits(csv_mb=1))
    commas = tmp_path / "commas.csv"
    commas.write_bytes(b"a,b\n" + b"," * (2 * 1024 * 1024) + b"\n")
    with peak_memory(80):
        refused(commas, r"Line 2 of the file is longer than 1048576 characters")
    wide = tmp_path / "wide.csv"
    wide.write_text("a,b\n" + ",".join(["x"] * 120) + "\n", encoding="utf-8")
    refused(wide, r"Row 2 has more than 100 columns")


# ------------------------------------------------------------------ every import uses the same reader


def test_count_and_delivery_imports_share_the_bounds(services: Services, make_product, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.services.purchasing.dto import SupplierInput

    make_product("可乐", 300, 200, 5, barcode="6901234567892")
    rows = [f'<row r="1">{text_cell("A1", "条码")}{text_cell("B1", "数量")}{text_cell("C1", "单价")}</row>',
            f'<row r="2">{text_cell("A2", "6901234567892")}{num_cell("B2", "2")}{num_cell("C2", "2")}</row>']
    f = build_xlsx(tmp_path / "collector.xlsx", sheet_xml(rows, dimension="A1:XFD1048576"))
    with pytest.raises(ValidationError, match="used range"):
        services.stock_count.open_and_import(f)
    assert services.stock_count.list_counts() == []
    with pytest.raises(ValidationError, match="used range"):
        services.purchasing.read_delivery(str(f))
    sup = services.suppliers.add(SupplierInput("供应商甲"))
    from jxc_desktop.services.purchasing.delivery_import import import_delivery

    zero = tmp_path / "note.csv"
    zero.symlink_to("/dev/zero")
    with watchdog(), pytest.raises(ValidationError, match="not an ordinary file"):
        import_delivery(services.db, zero, sup.id)


def test_cli_import_of_a_bomb_exits_2_with_one_line(db_path: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    f = build_xlsx(tmp_path / "bomb.xlsx", sheet_xml(header_and_rows(3)), shared_strings(["x"]))
    forge_unpacked_size(f, "xl/sharedStrings.xml", 3 * 1024**3)
    with watchdog():
        assert jxc(["--db", str(db_path), "products", "import", str(f)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("jxc: ") and "would unpack to 3072 MB" in err and "\n" not in err


# ------------------------------------------------------------------ exports: regular files or new names


def test_export_refuses_a_fifo_a_device_and_a_folder_and_leaves_them_alone(services: Services, make_product,  # type: ignore[no-untyped-def]
                                                                          tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    make_product("可乐", 300, 200, 0)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    with watchdog(), pytest.raises(ValidationError, match="not an ordinary file"):
        services.product_io.export_products(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    db = str(services.db.path) if services.db.path else services.db.url  # a file, or the server's URL
    with watchdog():
        assert jxc(["--db", db, "products", "export", str(fifo)]) == 2
    assert "not an ordinary file" in capsys.readouterr().err and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    null = tmp_path / "null.xlsx"
    null.symlink_to("/dev/null")
    with pytest.raises(ValidationError, match="not an ordinary file"):
        services.product_io.export_products(null)
    assert null.is_symlink()
    folder = tmp_path / "dir.csv"
    folder.mkdir()
    with pytest.raises(ValidationError, match="is a folder"):
        services.product_io.export_products(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.csv", "null.xlsx", "out.csv"]  # no .part left


def test_export_replaces_a_regular_file_through_its_link_and_keeps_its_mode(services: Services, make_product,  # type: ignore[no-untyped-def]
                                                                           tmp_path: Path) -> None:
    make_product("可乐", 300, 200, 0)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    real = tmp_path / "real.xlsx"
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    assert services.product_io.export_products(link) == 1
    assert link.is_symlink() and stat.S_IMODE(real.stat().st_mode) == 0o640
    assert [r["名称"] for r in tabular.read_rows(real)] == ["可乐"]
    new = tmp_path / "new.csv"
    assert services.product_io.export_products(new) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.xlsx", "new.csv", "real.xlsx"]

"""Collector files carry time (issue 14, finding 4): a row's scan time, the file's time line or the
time the caller confirms is each line's counted time, so a unit sold between the handheld scan and
the import is no false gain."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.wall_time import format_wall_time, parse_wall_time
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.services.stock.count_import import read_collector
from jxc_desktop.services.stock.dto import CountImportRejected


def local(hour: int, minute: int = 0) -> datetime:
    """A local wall-clock time on 2026-11-20, aware."""
    return datetime(2026, 11, 20, hour, minute).astimezone()


@pytest.fixture
def cup(services, make_product):  # type: ignore[no-untyped-def]
    """5 on the shelf from 08:00, a count open from 09:00, one sold at 10:30."""
    p = make_product("杯子", 500, 200, barcode="6901234567892")
    sup = services.suppliers.add(SupplierInput("甲"))
    services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 5_000, 200),)), at=local(8))
    count = services.stock_count.open(at=local(9))
    line = replace(services.checkout.line_for_product(p.id), qty=1_000)
    cart = Cart(lines=(line,))
    services.checkout.post_sale(cart, [Tender("cash", services.checkout.price(cart).total)], at=local(10, 30),
                                confirmed=True)
    return p, count


def line(services, count, p):  # type: ignore[no-untyped-def]
    return services.stock_count.lines_of_product(count.id, p.id)[0]


@pytest.mark.parametrize("text", [
    "2026-11-20 10:00", "2026/11/20 10:00:00", "2026/11/20 10:00", "2026.11.20 10:00", "2026-11-20T10:00:00",
    "20261120 100000", "20261120100000", "2026年11月20日 10:00", "2026年11月20日 10时00分", "2026-11-20 10:00:00.5",
])
def test_handheld_time_formats(text: str) -> None:
    assert parse_wall_time(text) == local(10).astimezone(UTC)
    assert format_wall_time(parse_wall_time(text)) == "2026-11-20 10:00"


@pytest.mark.parametrize("text", ["", "10:00", "2026-11-20", "2026-13-01 10:00", "2026-11-20 25:00", "明天", "1800-01-01 10:00"])
def test_not_a_time(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_wall_time(text)


def test_a_sale_between_scan_and_import_is_no_gain(services, cup, tmp_path: Path) -> None:
    p, count = cup
    f = tmp_path / "pdj.csv"
    f.write_text("条码,数量,扫描时间\n6901234567892,5,2026/11/20 10:00:00\n", encoding="utf-8")
    services.stock_count.import_file(count.id, f, at=local(11))
    got = line(services, count, p)
    assert (got.counted_qty, got.diff_qty) == (5_000, 0)
    assert got.counted_at == local(10).astimezone(UTC)


def test_without_a_time_the_sale_would_be_a_false_gain(services, cup, tmp_path: Path) -> None:
    p, count = cup
    f = tmp_path / "pdj.csv"
    f.write_text("barcode,qty\n6901234567892,5\n", encoding="utf-8")
    services.stock_count.import_file(count.id, f, at=local(11))
    assert line(services, count, p).diff_qty == 1_000  # what finding 4 was


def test_the_callers_time_and_the_files_time_line(services, cup, tmp_path: Path) -> None:
    p, count = cup
    plain = tmp_path / "plain.csv"
    plain.write_text("barcode,qty\n6901234567892,5\n", encoding="utf-8")
    services.stock_count.import_file(count.id, plain, at=local(11), counted_at=local(10))
    assert line(services, count, p).diff_qty == 0
    services.stock_count.cancel(count.id)
    for text in ("# 2026-11-20 10:00\nbarcode\tqty\n6901234567892\t5\n",
                 "盘点时间: 2026-11-20 10:00\n条码,数量\n6901234567892,5\n",
                 "6901234567892,5,2026-11-20 10:00\n"):  # no header: the third cell is the scan time
        again = services.stock_count.open(at=local(9, 5))
        f = tmp_path / "timed.csv"
        f.write_text(text, encoding="utf-8")
        services.stock_count.import_file(again.id, f, at=local(11))
        got = line(services, again, p)
        assert (got.counted_qty, got.diff_qty) == (5_000, 0), text
        services.stock_count.cancel(again.id)


def test_collector_times_for_the_dialog(services, tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text("盘点时间：2026-11-20 09:30\nbarcode,qty,time\n1,2,2026-11-20 10:00\n1,3,\n3,4,2026-11-20 10:20\n",
                 encoding="utf-8")
    stamp = local(12).timestamp()
    os.utime(f, (stamp, stamp))
    t = services.stock_count.collector_times(f)
    assert (t.rows, t.timed_rows, t.all_timed) == (3, 2, False)
    assert (t.first_scan, t.last_scan) == (local(10).astimezone(UTC), local(10, 20).astimezone(UTC))
    assert t.file_time == local(9, 30).astimezone(UTC) and t.suggested == t.file_time
    assert t.modified == local(12).astimezone(UTC)
    rows, file_time = read_collector(f)
    assert [r.time is None for r in rows] == [False, True, False] and file_time == t.file_time


def test_bad_or_future_times_write_nothing(services, cup, tmp_path: Path) -> None:
    p, count = cup
    bad = tmp_path / "bad.csv"
    bad.write_text("barcode,qty,time\n6901234567892,2,2026-11-20 10:00\n6901234567892,3,昨天\n", encoding="utf-8")
    with pytest.raises(CountImportRejected) as info:
        services.stock_count.import_file(count.id, bad, at=local(11))
    assert [e.row for e in info.value.errors] == [3] and "昨天" in info.value.errors[0].reason
    late = tmp_path / "late.csv"
    late.write_text("barcode,qty,time\n6901234567892,2,2026-11-20 12:00\n", encoding="utf-8")
    with pytest.raises(CountImportRejected, match="1 rows"):
        services.stock_count.import_file(count.id, late, at=local(11))
    plain = tmp_path / "plain.csv"
    plain.write_text("barcode,qty\n6901234567892,5\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="later than now"):
        services.stock_count.import_file(count.id, plain, at=local(11), counted_at=local(11, 30))
    assert line(services, count, p).counted_qty is None


def test_an_xlsx_with_date_cells_and_a_time_line(services, cup, tmp_path: Path) -> None:
    from openpyxl import Workbook

    p, count = cup
    wb = Workbook()
    ws = wb.active
    ws.append(["盘点时间", datetime(2026, 11, 20, 9, 58)])  # a date cell beside its label
    ws.append(["条码", "数量", "时间"])
    ws.append(["6901234567892", 2, datetime(2026, 11, 20, 10, 0)])
    ws.append(["6901234567892", 3, None])  # no scan time: the file's time line
    f = tmp_path / "pdj.xlsx"
    wb.save(f)
    rows, file_time = read_collector(f)
    assert file_time == local(9, 58).astimezone(UTC)
    assert [r.time for r in rows] == [local(10).astimezone(UTC), None]
    services.stock_count.import_file(count.id, f, at=local(11))
    got = line(services, count, p)
    assert (got.counted_qty, got.diff_qty) == (5_000, 0)
    assert got.counted_at == local(10).astimezone(UTC)  # the latest of the line's rows

"""jxc sales import: sales from a file (orders of an online shop, handwritten notes), all or nothing,
posted through the till's own path; files as owners save them (GBK csv, xlsx from Excel)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from jxc_desktop.db.models import Payment, Sale, SaleLine, StockMove
from jxc_desktop.domain.clock import local_now, utcnow
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.wall_time import parse_day_or_time
from tests.integration.test_cli_sales import jxc, jxc_in


def _hours_ago(h: float) -> str:
    return (local_now() - timedelta(hours=h)).strftime("%Y-%m-%d %H:%M")


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _books(db) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        s = uow.session
        return (s.scalar(select(func.count()).select_from(Sale)) or 0,
                s.scalar(select(func.count()).select_from(SaleLine)) or 0,
                s.scalar(select(func.count()).select_from(StockMove)) or 0)


def test_orders_post_through_the_till_path(db_path, db, services, make_product, tmp_path, capsys,  # type: ignore[no-untyped-def]
                                           monkeypatch) -> None:
    cola = make_product("可乐", 350, 200, 20, barcode="6900000000014")
    milk = make_product("牛奶", 500, 300, 10, barcode="6900000000021", code="MILK01")
    t1, t2 = _hours_ago(5), _hours_ago(2)
    f = _csv(tmp_path / "orders.csv",
             "单号,时间,条码,货号,数量,单价,付款方式\n"
             f"A-1,{t1},6900000000014,,2,3.50,微信\n"
             f"A-1,{t1},,MILK01,1,4.80,微信\n"
             f"A-2,{t2},6900000000014,,1,3.50,cash\n", "gb18030")
    checked = jxc_in(capsys, monkeypatch, db_path, "sales", "import", str(f))
    assert checked.returncode == 0, checked.stderr
    assert "nothing posted" in checked.stderr and _books(db)[0] == 0
    assert "A-1" in checked.stdout and "11.80" in checked.stdout

    out = jxc_in(capsys, monkeypatch, db_path, "sales", "import", str(f), "--post")
    assert out.returncode == 0, out.stderr
    numbers = out.stdout.split()
    assert len(numbers) == 2 and all(n.startswith("XS") for n in numbers)
    with db.read() as uow:
        s = uow.session
        first = s.scalar(select(Sale).where(Sale.number == numbers[0]))
        assert first.total == 1180 and first.note == "导入订单 A-1"
        assert abs(first.created_at - parse_day_or_time(t1)) < timedelta(seconds=1)
        assert [(ln.product_id, ln.qty, ln.amount, ln.cost) for ln in first.lines] == [
            (cola.id, 2000, 700, 400), (milk.id, 1000, 480, 300)]
        assert [(p.method, p.amount) for p in s.scalars(select(Payment).where(Payment.sale_id == first.id))] == [
            ("wechat", 1180)]
        moves = s.scalars(select(StockMove).where(StockMove.doc_type == "sale", StockMove.doc_id == first.id)).all()
        assert sorted(m.value for m in moves) == [-400, -300]  # the cost snapshots are the moves' values
    assert services.catalog.get(cola.id).stock_qty == 17000

    again = jxc_in(capsys, monkeypatch, db_path, "sales", "import", str(f), "--post")
    assert again.returncode == 2 and "already imported" in again.stderr
    assert _books(db)[0] == 2


def test_bad_rows_all_listed_nothing_written(db_path, db, make_product, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make_product("可乐", 350, 200, 20, barcode="6900000000014")
    future = (local_now() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    f = _csv(tmp_path / "bad.csv",
             "time,barcode,qty,unit price,payment\n"
             f"{_hours_ago(1)},6900000000014,1,3.50,cash\n"
             f"{_hours_ago(1)},6999999999999,1,3.50,cash\n"
             f"yesterday,6900000000014,1,3.50,cash\n"
             f"{future},6900000000014,1,3.50,cash\n"
             f"{_hours_ago(1)},6900000000014,-1,3.50,cash\n"
             f"{_hours_ago(1)},6900000000014,1,3.50,bitcoin\n")
    before = _books(db)
    out = jxc_in(capsys, monkeypatch, db_path, "sales", "import", str(f), "--post")
    assert out.returncode == 2
    for row in (3, 4, 5, 6, 7):
        assert f"row {row}:" in out.stderr
    assert "row 2:" not in out.stderr
    assert "Unknown barcode" in out.stderr and "in the future" in out.stderr and "bitcoin" in out.stderr
    assert _books(db) == before


def test_missing_columns_named(db_path, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    f = _csv(tmp_path / "x.csv", "时间,数量\n2026-01-01 10:00,1\n")
    out = jxc_in(capsys, monkeypatch, db_path, "sales", "import", str(f))
    assert out.returncode == 2 and "barcode / code" in out.stderr and "payment" in out.stderr


def test_one_order_one_method_one_time(db_path, make_product, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make_product("可乐", 350, 200, 20, barcode="6900000000014")
    t = _hours_ago(3)
    f = _csv(tmp_path / "o.csv", "order,time,barcode,qty,price,payment\n"
                                 f"9,{t},6900000000014,1,3.50,cash\n"
                                 f"9,{t},6900000000014,1,3.50,alipay\n"
                                 f"9,{_hours_ago(4)},6900000000014,1,3.50,cash\n")
    out = jxc_in(capsys, monkeypatch, db_path, "sales", "import", str(f), "--post")
    assert out.returncode == 2
    assert "row 3: Order 9 is paid two ways" in out.stderr and "row 4: Order 9 has two different times" in out.stderr


def test_negative_stock_policy_and_yes(db_path, db, services, make_product, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make_product("可乐", 350, 200, 1, barcode="6900000000014")
    f = _csv(tmp_path / "n.csv", f"时间,条码,数量,单价,付款方式\n{_hours_ago(1)},6900000000014,3,3.50,现金\n")
    out = jxc_in(capsys, monkeypatch, db_path, "sales", "import", str(f), "--post")
    assert out.returncode == 2 and "--yes" in out.stderr and "Row 2" in out.stderr
    assert _books(db)[0] == 0
    out = jxc_in(capsys, monkeypatch, db_path, "sales", "import", str(f), "--post", "--yes")
    assert out.returncode == 0, out.stderr
    services.settings.update({"negative_stock": "block"})
    f2 = _csv(tmp_path / "n2.csv", f"时间,条码,数量,单价,付款方式\n{_hours_ago(1)},6900000000014,1,3.50,现金\n")
    out = jxc_in(capsys, monkeypatch, db_path, "sales", "import", str(f2), "--post", "--yes")
    assert out.returncode == 2 and "Not enough stock" in out.stderr and _books(db)[0] == 1


def test_pack_barcode_and_rows_without_order(db, services, make_product, tmp_path) -> None:  # type: ignore[no-untyped-def]
    water = services.catalog.create_product(
        ProductInput(name="矿泉水", sale_price=200, ref_cost=100, barcodes=(("6900000000038", 1), ("6900000000045", 12))),
        opening_qty=100_000, opening_cost=100)
    wb = Workbook()
    ws = wb.active
    ws.append(["数量", "单价", "条码", "时间", "付款方式"])
    ws.append([2, 21.5, "6900000000045", utcnow().astimezone().replace(tzinfo=None) - timedelta(hours=1), "支付宝"])
    ws.append([1, 2, "6900000000038", utcnow().astimezone().replace(tzinfo=None) - timedelta(hours=1), "银行卡"])
    path = tmp_path / "day.xlsx"
    wb.save(path)
    from jxc_desktop.services.sales.sales_import import import_sales

    posted = import_sales(db, path, post=True).sales
    assert [(p.lines, p.total, p.method) for p in posted] == [(1, 4300, "alipay"), (1, 200, "card")]
    assert services.catalog.get(water.id).stock_qty == 100_000 - 25_000
    with db.read() as uow:
        line = uow.session.scalars(select(SaleLine).order_by(SaleLine.id)).first()
        assert (line.qty, line.amount) == (24_000, 4300)


def test_the_real_command_in_a_child(db_path, make_product, tmp_path) -> None:  # type: ignore[no-untyped-def]
    make_product("可乐", 350, 200, 20, barcode="6900000000014")
    # The child runs on the real clock whatever this process's clock says (faketime, JXC_NOW): a
    # time long past is in the past for both.
    f = _csv(tmp_path / "c.csv", "time,code,qty,unit price,payment\n2020-06-01 10:00,X9,1,3.50,cash\n")
    out = jxc(db_path, "sales", "import", str(f), "--post", "--json")
    assert out.returncode == 2 and "No product has the code X9" in out.stderr
    f = _csv(tmp_path / "d.csv", "time,barcode,qty,unit price,payment\n2020-06-01 10:00,6900000000014,1,3.50,cash\n")
    out = jxc(db_path, "sales", "import", str(f), "--post", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows[0]["amount"] == 350 and rows[0]["method"] == "cash" and rows[0]["number"].startswith("XS")
    listed = jxc(db_path, "sales", "list", "--date", "2020-06-01", "--json")
    assert rows[0]["number"] in listed.stdout


@pytest.mark.parametrize("text", ["2026-12-04 09:30", "2026/12/4 9:30:15", "2026-12-04T09:30:00", "20261204 093000", "2026-12-04 9:30",
                                  "2026年12月4日 09:30", "2026-12-04 09:30:00.500000"])
def test_times_as_files_write_them(text: str) -> None:
    moment = parse_day_or_time(text).astimezone()
    assert (moment.year, moment.month, moment.day, moment.hour, moment.minute) == (2026, 12, 4, 9, 30)


def test_a_date_alone_is_noon() -> None:
    assert parse_day_or_time("2026-12-04").astimezone().hour == 12


def test_a_count_after_the_sale_is_pointed_out(db_path, services, make_product, tmp_path, capsys,  # type: ignore[no-untyped-def]
                                               monkeypatch) -> None:
    cola = make_product("可乐", 350, 200, 20, barcode="6900000000014")
    count = services.stock_count.open()
    services.stock_count.add(count.id, cola.id, 19_000)  # the count saw 19: one was sold on paper before
    services.stock_count.post(count.id)
    f = _csv(tmp_path / "late.csv", f"时间,条码,数量,单价,付款方式\n{_hours_ago(3)},6900000000014,1,3.50,现金\n")
    out = jxc_in(capsys, monkeypatch, db_path, "sales", "import", str(f))
    assert out.returncode == 0 and "可乐 was counted in" in out.stderr and count.number in out.stderr

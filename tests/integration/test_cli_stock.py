"""`jxc count ...` and `jxc stock` run in-process against a real database file."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from jxc_desktop.cli import main
from jxc_desktop.db.models import Batch, Product
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.stock import ledger


@pytest.fixture
def shop(services, make_product):  # type: ignore[no-untyped-def]
    a = make_product("可乐", 300, 200, 10, barcode="6901234567892", category="饮料", min_stock=20_000)
    b = make_product("面包", 500, 300, 5, barcode="6920000000012", category="食品")
    m = make_product("牛奶", 600, 400, 0, barcode="6930000000011", category="食品", tracks_batches=True)
    with services.db.write() as uow:
        s = uow.session
        batch = Batch(product_id=m.id, batch_no="B1", expiry_date=local_today() + timedelta(days=3), qty=0)
        s.add(batch)
        s.flush()
        ledger.receive(s, s.get(Product, m.id), 2_000, MoveKind.PURCHASE, ledger.DocRef("purchase"), value=800,
                       batch=batch)
        uow.commit()
    services.db.dispose()
    return a, b, m


def run(db_target: Path | str, *args: str) -> int:
    return main(["--db", str(db_target), *args])


def test_count_import_post_and_pdfs(shop, db_target: Path | str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "collector.csv"
    f.write_text("barcode,qty\n6901234567892,8\n", encoding="utf-8")
    assert run(db_target, "count", "import", str(f), "--category", "饮料") == 0
    number = capsys.readouterr().out.strip()
    assert number.startswith("PD")
    assert run(db_target, "count", "pdf", number, "--pdf", str(tmp_path / "blank.pdf"), "--blank") == 0
    assert (tmp_path / "blank.pdf").read_bytes().startswith(b"%PDF")
    assert run(db_target, "count", "post", "nope") == 2
    assert "does not exist" in capsys.readouterr().err
    assert run(db_target, "count", "post", number.lower(), "--uncounted", "keep") == 0
    out = capsys.readouterr().out
    assert "loss 2" in out
    assert run(db_target, "count", "post", number) == 2
    assert "already posted" in capsys.readouterr().err
    assert run(db_target, "count", "pdf", number, "--pdf", str(tmp_path / "var.pdf")) == 0
    capsys.readouterr()
    assert run(db_target, "count", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(c["number"], c["status"], c["loss_qty"], c["loss_value"]) for c in listed] == [
        (number, "posted", 2_000, 400)]
    assert run(db_target, "stock", "--json") == 0
    rows = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    cola = next(r for r in rows.values() if r["barcode"] == "6901234567892")
    assert (cola["qty"], cola["qty_units"], cola["avg_cost"], cola["value"]) == (8_000, "8", 200, 1600)


def test_count_import_bad_file_changes_nothing(shop, db_target: Path | str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "bad.csv"
    f.write_text("barcode,qty\n6901234567892,x\n0000,1\n", encoding="utf-8")
    assert run(db_target, "count", "import", str(f)) == 2
    err = capsys.readouterr().err
    assert "2 rows" in err and "nothing was imported" in err
    assert run(db_target, "count", "import", str(f), "--category", "没有") == 2
    assert "Unknown category" in capsys.readouterr().err


def test_stock_filters(shop, db_target: Path | str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(db_target, "stock", "--low") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split("\t") == ["code", "barcode", "name", "qty", "avg_cost_fen", "value_fen"]
    assert [ln.split("\t")[2] for ln in lines[1:]] == ["可乐"]
    assert run(db_target, "stock", "--expiring", "7", "--json") == 0
    out = capsys.readouterr().out
    assert [r["name"] for r in json.loads(out)] == ["牛奶"]
    assert run(db_target, "stock", "--expiring", "1") == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1



@pytest.fixture
def cups(services, make_product):  # type: ignore[no-untyped-def]
    """10 cups on the shelf from 08:00 on 2026-11-20, one sold at 10:30 (after the handheld's scan)."""
    from dataclasses import replace
    from datetime import datetime

    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
    from jxc_desktop.services.sales.dto import Tender

    p = make_product("水杯", 500, 200, barcode="6954321098762", category="杯具")
    sup = services.suppliers.add(SupplierInput("甲"))
    services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 10_000, 200),)),
                             at=datetime(2026, 11, 20, 8, 0).astimezone())
    line = replace(services.checkout.line_for_product(p.id), qty=1_000)
    cart = Cart(lines=(line,))
    services.checkout.post_sale(cart, [Tender("cash", services.checkout.price(cart).total)], confirmed=True,
                                at=datetime(2026, 11, 20, 10, 30).astimezone())
    services.db.dispose()
    return p


def test_count_import_counted_at_keeps_a_sale_after_the_scan_out_of_the_difference(
        cups, db_target: Path | str, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "collector.csv"
    f.write_text("barcode,qty\n6954321098762,10\n", encoding="utf-8")
    for bad, why in (("2026-13-01 10:00", "is not a date and time"), ("yesterday", "is not a date and time"),
                     ("2199-01-01 10:00", "later than now"), ("2026-11-20", "is not a date and time")):
        assert run(db_target, "count", "import", str(f), "--counted-at", bad) == 2
        err = capsys.readouterr().err
        assert why in err and err.count("\n") <= 2, err
    assert run(db_target, "count", "list", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing written
    assert run(db_target, "count", "import", str(f), "--category", "杯具", "--counted-at", "2026-11-20 10:00") == 0
    number = capsys.readouterr().out.strip()
    assert run(db_target, "count", "post", number) == 0
    out = capsys.readouterr().out
    assert "0 differences" in out and "gain 0" in out
    # the control: the same file counted "now" turns the sale into a false gain of one
    assert run(db_target, "count", "import", str(f), "--category", "杯具") == 0
    number = capsys.readouterr().out.strip()
    assert run(db_target, "count", "post", number) == 0
    assert "gain 1 " in capsys.readouterr().out


def test_count_import_takes_the_scan_time_column_and_the_time_line(cups, db_target: Path | str, tmp_path: Path,
                                                                    capsys) -> None:  # type: ignore[no-untyped-def]
    for text in ("条码,数量,扫描时间\n6954321098762,10,2026/11/20 10:00:00\n",
                 "# 2026-11-20 10:00\nbarcode;qty\n6954321098762;10\n"):
        f = tmp_path / "timed.csv"
        f.write_text(text, encoding="utf-8")
        assert run(db_target, "count", "import", str(f), "--category", "杯具") == 0
        number = capsys.readouterr().out.strip()
        assert run(db_target, "count", "post", number) == 0
        assert "0 differences" in capsys.readouterr().out

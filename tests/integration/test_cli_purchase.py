"""jxc suppliers list / purchase import / purchase pdf: the contracts and the bad-input paths."""

from __future__ import annotations

import json
import subprocess

import pytest
from openpyxl import Workbook

from jxc_desktop.cli import main
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.purchasing.dto import SupplierInput


@pytest.fixture
def shop(services, make_product):  # type: ignore[no-untyped-def]
    services.suppliers.add(SupplierInput("统一食品", phone="0571-1111"))
    cola = make_product("可乐", 300, 200, barcode="6901234567892")
    case = services.catalog.create_product(ProductInput(name="矿泉水", sale_price=200, ref_cost=100,
                                                        barcodes=(("6912345678902", 1), ("16912345678903", 12))))
    milk = make_product("鲜奶", 600, 400, barcode="6923456789012", tracks_batches=True)
    return {"cola": cola, "case": case, "milk": milk}


def run(db_target, *args, capsys):  # type: ignore[no-untyped-def]
    code = main(["--db", str(db_target), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_suppliers_list(db_target, shop, capsys) -> None:
    code, out, _err = run(db_target, "suppliers", "list", "--json", capsys=capsys)
    assert code == 0
    assert json.loads(out)[0] == {"name": "统一食品", "phone": "0571-1111", "contact": "", "active": True,
                                       "last_purchase_date": None, "lead_time_days": 0, "terms_days": 0}
    code, out, _err = run(db_target, "suppliers", "list", capsys=capsys)
    assert out.strip() == "统一食品\t0571-1111\t-"


def test_import_draft_then_post_and_pdf(db_target, services, shop, tmp_path, capsys) -> None:
    f = tmp_path / "送货单.csv"
    f.write_text("条码,数量,单价,批号,有效期\n6901234567892,24,2.10,,\n16912345678903,2,12.00,,\n"
                 "6923456789012,6,4.05,B7,2099-01-31\n", encoding="utf-8")
    code, out, err = run(db_target, "purchase", "import", str(f), "--supplier", "统一食品", capsys=capsys)
    assert code == 0, err
    number = out.strip()
    assert number.startswith("DRAFT-")
    assert services.catalog.get(shop["cola"].id).stock_qty == 0  # a draft moves nothing
    code, out, err = run(db_target, "purchase", "import", str(f), "--supplier", "统一食品", "--post", capsys=capsys)
    assert code == 0, err
    number = out.strip()
    assert number.startswith("CG")
    note = services.purchasing.get_by_number(number)
    assert [(ln.qty, ln.unit_cost, ln.amount) for ln in note.lines] == [
        (24_000, 210, 5040), (24_000, 100, 2400), (6_000, 405, 2430)]
    assert services.catalog.get(shop["case"].id).stock_qty == 24_000
    assert note.lines[2].batch_no == "B7"
    code, out, _err = run(db_target, "suppliers", "list", "--json", capsys=capsys)
    assert json.loads(out)[0]["last_purchase_date"] == note.doc_date.isoformat()
    pdf = tmp_path / "note.pdf"
    code, out, err = run(db_target, "purchase", "pdf", number, "--pdf", str(pdf), capsys=capsys)
    assert code == 0, err
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert number in text and "可乐" in text


def test_import_xlsx_lists_every_bad_row(db_target, services, shop, tmp_path, capsys) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["barcode", "qty", "unit cost", "batch", "expiry"])
    ws.append(["6901234567892", 10, 2.5, None, None])
    ws.append(["0000000000000", 1, 1, None, None])  # unknown
    ws.append(["6901234567892", 0, 1, None, None])  # zero quantity
    ws.append(["6901234567892", 1, -1, None, None])  # negative cost
    ws.append(["6923456789012", 1, 4, None, None])  # batch missing
    ws.append(["6923456789012", 1, 4, "B1", "31/01/2099"])  # bad date
    f = tmp_path / "bad.xlsx"
    wb.save(f)
    code, out, err = run(db_target, "purchase", "import", str(f), "--supplier", "统一食品", "--post", capsys=capsys)
    assert code == 2 and out == ""
    for row in (3, 4, 5, 6, 7):
        assert f"row {row}:" in err
    assert "row 2:" not in err
    assert services.purchasing.history(statuses=("draft", "posted")) == []


def test_unknown_supplier_and_number(db_target, shop, tmp_path, capsys) -> None:
    f = tmp_path / "ok.csv"
    f.write_text("barcode,qty,cost\n6901234567892,1,1\n", encoding="utf-8")
    code, _out, err = run(db_target, "purchase", "import", str(f), "--supplier", "没有这家", capsys=capsys)
    assert code == 2 and "没有这家" in err
    code, _out, err = run(db_target, "purchase", "pdf", "CG20990101-0001", "--pdf", str(tmp_path / "x.pdf"),
                          capsys=capsys)
    assert code == 2 and "CG20990101-0001" in err
    code, _out, err = run(db_target, "purchase", "import", str(tmp_path / "missing.csv"), "--supplier", "统一食品",
                          capsys=capsys)
    assert code == 2


def test_post_with_past_expiry_needs_yes(db_target, services, shop, tmp_path, capsys) -> None:
    f = tmp_path / "过期.csv"
    f.write_text("条码,数量,单价,批号,有效期\n6923456789012,6,4.05,B1,2020-01-31\n", encoding="utf-8")
    code, out, err = run(db_target, "purchase", "import", str(f), "--supplier", "统一食品", "--post", capsys=capsys)
    assert code == 2 and out == ""
    assert "already past" in err and "--yes" in err
    assert services.purchasing.history(statuses=("draft", "posted")) == []
    assert services.catalog.get(shop["milk"].id).stock_qty == 0
    code, out, err = run(db_target, "purchase", "import", str(f), "--supplier", "统一食品", "--post", "--yes",
                         capsys=capsys)
    assert code == 0, err
    note = services.purchasing.get_by_number(out.strip())
    assert note.status == "posted" and note.lines[0].expiry_date.isoformat() == "2020-01-31"
    assert services.catalog.get(shop["milk"].id).stock_qty == 6000


def test_import_post_paid_or_on_account(db_target, services, shop, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: a cash supplier's note is paid on delivery unless --on-account; --paid pays a
    supplier on terms at once."""
    from jxc_desktop.services.accounts.dto import SUPPLIER

    f = tmp_path / "送货单.csv"
    f.write_text("条码,数量,单价\n6901234567892,10,2.00\n", encoding="utf-8")
    sid = services.suppliers.find_by_name("统一食品").id
    assert run(db_target, "purchase", "import", str(f), "--supplier", "统一食品", "--post", capsys=capsys)[0] == 0
    assert services.accounts.balances(SUPPLIER).total == 0
    code, out, err = run(db_target, "purchase", "import", str(f), "--supplier", "统一食品", "--post", "--on-account",
                         capsys=capsys)
    assert code == 0, err
    assert [d.number for d in services.accounts.open_documents(SUPPLIER, sid)] == [out.strip()]
    run(db_target, "suppliers", "add", "远方批发", "--terms", "15", capsys=capsys)
    assert run(db_target, "purchase", "import", str(f), "--supplier", "远方批发", "--post", "--paid",
               capsys=capsys)[0] == 0
    assert services.accounts.balances(SUPPLIER).total == 2000

"""Imports that misread instead of refusing (issue 11 §7), with files as owners' programs save them:
openpyxl workbooks (formulas without saved results, merged cells), csv in UTF-8, GBK, GB18030, Big5.

Every test here failed on the main branch of issue 11: ``12,50`` became ¥1,250.00 and ``1,2,3``
¥123, a formula without a saved result and the rows under merged cells ¥0, a Big5 file garbled
names with exit 0, an empty 条码 cell deleted barcodes, and price changes left no audit row.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from jxc_desktop.cli import main as jxc
from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.files import tabular
from jxc_desktop.services.catalog.product_files import ImportRejected
from jxc_desktop.services.hub import Services
from tests.db_dump import table_dump
from tests.integration.xlsx_files import build_xlsx, sheet_xml, text_cell

EAN1 = with_check_digit("690123456789")
EAN2 = with_check_digit("690123456780")


def write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def rejected(services: Services, path: Path) -> dict[int, str]:
    before = table_dump(services)
    with pytest.raises(ImportRejected) as info:
        services.product_io.import_products(path)
    assert table_dump(services) == before
    return {e.row: e.reason for e in info.value.errors}


def price(services: Services, code: str) -> tuple[int, int]:
    p = services.catalog.get_by_code(code)
    assert p is not None
    return p.sale_price, p.ref_cost


# ------------------------------------------------------------------ numbers with a comma


def test_a_column_of_decimal_commas_is_read_as_such(services: Services, tmp_path: Path) -> None:
    # As a European-locale Excel saves csv: semicolons between cells, commas for decimals.
    f = write_csv(tmp_path / "eu.csv", [["货号", "名称", "售价", "进价"], ["A1", "甲", "12,50", "8,00"],
                                        ["A2", "乙", "1.250,50", "3"], ["A3", "丙", "1,250", "0,5"]],
                  encoding="utf-8-sig", delimiter=";")
    assert services.product_io.import_products(f).created == 3
    assert price(services, "A1") == (1250, 800)
    assert price(services, "A2") == (125050, 300)
    assert price(services, "A3") == (125, 50)  # a comma column: 1,250 is 1.25


def test_commas_that_cannot_be_read_one_way_are_bad_rows(services: Services, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "mixed.csv", [["货号", "名称", "售价"], ["B1", "甲", "3.50"], ["B2", "乙", "12,50"],
                                           ["B3", "丙", "1,2,3"], ["B4", "丁", "1,250.00"], ["B5", "戊", "1,250"]])
    rows = rejected(services, f)
    assert sorted(rows) == [3, 4, 6]
    assert "'12,50' has a decimal comma, but this column also has numbers with a decimal point; write 12.5" in rows[3]
    assert "'1,2,3' is not a number" in rows[4]
    assert "'1,250' is ambiguous" in rows[6]  # this column has both decimal marks: no hint
    # Without the bad rows: 1,250.00 and (in a column with decimal points) 1,250 are thousands.
    f = write_csv(tmp_path / "thousands.csv", [["货号", "名称", "售价"], ["B1", "甲", "3.50"], ["B4", "丁", "1,250.00"],
                                               ["B5", "戊", "1,250"]])
    assert services.product_io.import_products(f).created == 3
    assert price(services, "B4")[0] == price(services, "B5")[0] == 125000


def test_a_lone_ambiguous_number_is_a_bad_row_with_both_readings(services: Services, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "one.csv", [["货号", "名称", "售价", "最低库存"], ["C1", "甲", "1,250", "2"]])
    rows = rejected(services, f)
    assert "Sale price: '1,250' is ambiguous" in rows[2] and "write 1250 or 1.25" in rows[2]
    # In an xlsx: text cells with commas among numeric cells (numbers carry a decimal point).
    wb = Workbook()
    ws = wb.active
    ws.append(["货号", "名称", "售价"])
    ws.append(["D1", "甲", 3.5])
    ws.append(["D2", "乙", "12,50"])
    ws.append(["D3", "丙", "1,2,3"])
    wb.save(tmp_path / "text.xlsx")
    rows = rejected(services, tmp_path / "text.xlsx")
    assert sorted(rows) == [3, 4] and "decimal comma" in rows[3] and "not a number" in rows[4]


def test_collector_and_delivery_files_follow_the_same_number_rule(services: Services, make_product,  # type: ignore[no-untyped-def]
                                                                  tmp_path: Path) -> None:
    from jxc_desktop.services.stock.dto import CountImportRejected

    make_product("散装大米", 500, 300, 10, barcode=EAN1)
    f = write_csv(tmp_path / "count.csv", [["条码", "数量"], [EAN1, "1,5"]], delimiter=";")
    count, summary = services.stock_count.open_and_import(f)
    assert summary.qty == 1500
    bad = write_csv(tmp_path / "count_bad.csv", [["条码", "数量"], [EAN1, "1,250"]])
    with pytest.raises(CountImportRejected) as info:
        services.stock_count.import_file(count.id, bad)
    assert "ambiguous" in info.value.errors[0].reason
    note = write_csv(tmp_path / "note.csv", [["条码", "数量", "单价"], [EAN1, "2", "3.00"], [EAN1, "1", "2,50"]])
    with pytest.raises(ImportRejected) as info2:
        services.purchasing.read_delivery(str(note))
    assert [e.row for e in info2.value.errors] == [3] and "decimal comma" in info2.value.errors[0].reason


# ------------------------------------------------------------------ cells an xlsx cannot vouch for


def test_a_formula_without_a_saved_result_is_a_bad_row(services: Services, tmp_path: Path) -> None:
    wb = Workbook()  # openpyxl, like many generators, saves formulas without their results
    ws = wb.active
    ws.append(["货号", "名称", "进价", "售价"])
    ws.append(["F1", "可乐", 2, "=C2*1.5"])
    ws.append(["F2", "雪碧", 2, 3.5])
    wb.save(tmp_path / "formula.xlsx")
    rows = rejected(services, tmp_path / "formula.xlsx")
    assert rows == {2: "Cell D2 holds a formula without a saved result; open the file in Excel or WPS, save it, "
                       "and import it again"}
    # As Excel/WPS save it: the formula with its result, which is what is imported.
    sheet = [f'<row r="1">{text_cell("A1", "货号")}{text_cell("B1", "名称")}{text_cell("C1", "售价")}</row>',
             f'<row r="2">{text_cell("A2", "F1")}{text_cell("B2", "可乐")}<c r="C2"><f>2*1.5</f><v>3</v></c></row>',
             f'<row r="3">{text_cell("A3", "F3")}{text_cell("B3", "果汁")}<c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
             "</row>"]
    f = build_xlsx(tmp_path / "saved.xlsx", sheet_xml(sheet))
    assert rejected(services, f) == {3: "Cell C3 shows the error #DIV/0!"}
    build_xlsx(f, sheet_xml(sheet[:2]))
    assert services.product_io.import_products(f).created == 1
    assert price(services, "F1")[0] == 300


def test_rows_under_merged_cells_are_bad_rows(services: Services, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["货号", "名称", "售价", "备注"])
    ws.append(["M1", "可乐 罐装", 3.5, "夏季"])
    ws.append(["M2", "可乐 瓶装", None, None])
    ws.append(["M3", "可乐 大瓶", None, None])
    ws.append(["M4", "雪碧", 3, None])
    ws.merge_cells("C2:C4")  # one price shown for three products
    ws.merge_cells("D2:D5")  # a note over a column the import does not read: harmless
    wb.save(tmp_path / "merged.xlsx")
    rows = rejected(services, tmp_path / "merged.xlsx")
    assert rows == {3: "Cell C3 is part of the merged cells C2:C4; unmerge them and fill in every row",
                    4: "Cell C4 is part of the merged cells C2:C4; unmerge them and fill in every row"}
    ws.unmerge_cells("C2:C4")
    ws["C3"], ws["C4"] = 3.5, 5
    wb.save(tmp_path / "merged.xlsx")
    assert services.product_io.import_products(tmp_path / "merged.xlsx").created == 4
    assert [price(services, c)[0] for c in ("M1", "M2", "M3", "M4")] == [350, 350, 500, 300]


def test_count_files_report_formulas_and_merged_cells_per_row(services: Services, make_product,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    from jxc_desktop.services.stock.dto import CountImportRejected

    make_product("可乐", 300, 200, 5, barcode=EAN1)
    make_product("雪碧", 300, 200, 5, barcode=EAN2)
    wb = Workbook()
    ws = wb.active
    ws.append(["条码", "数量"])
    ws.append([EAN1, "=1+1"])
    ws.append([EAN2, 4])
    ws.append([EAN2, None])
    ws.merge_cells("B3:B4")
    wb.save(tmp_path / "count.xlsx")
    with pytest.raises(CountImportRejected) as info:
        services.stock_count.open_and_import(tmp_path / "count.xlsx")
    assert [(e.row, e.reason.split(";")[0]) for e in info.value.errors] == [
        (2, "Cell B2 holds a formula without a saved result"), (4, "Cell B4 is part of the merged cells B3:B4")]
    assert services.stock_count.list_counts() == []


# ------------------------------------------------------------------ encodings


# Common products as a Taiwanese or Hong Kong supplier's Big5 file names them.
BIG5_NAMES = ["可口可樂 330毫升", "康師傅紅燒牛肉麵", "統一鮮橙多", "農夫山泉礦泉水", "旺旺雪餅", "樂事薯片 原味",
              "蒙牛純牛奶", "伊利優酸乳", "青島啤酒 聽裝", "衛生紙 10捲", "洗衣粉 1公斤", "醬油 500毫升", "白糖 散裝",
              "雞蛋", "香皂", "牙膏 中華", "礦泉水", "麵包", "餅乾", "綠茶", "冰紅茶", "檸檬味", "巧克力", "口香糖", "鹽",
              "醋", "麵條", "濕紙巾", "電池", "打火機", "紅酒", "白酒", "飲料", "零食", "調味品", "糧油", "冷凍食品",
              "乳製品"]


def test_a_big5_file_is_refused_and_nothing_is_stored(services: Services, db_path: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["貨號", "名稱", "售價"]] + [[f"T{i}", name, "3.50"] for i, name in enumerate(BIG5_NAMES)]
    f = write_csv(tmp_path / "big5.csv", rows, encoding="big5")
    before = table_dump(services)
    with pytest.raises(ValidationError, match="Big5"):
        services.product_io.import_products(f)
    assert table_dump(services) == before
    services.db.dispose()
    assert jxc(["--db", str(db_path), "products", "import", str(f)]) == 2
    err = capsys.readouterr().err.strip()
    assert "Big5" in err and "UTF-8" in err and "\n" not in err


@pytest.mark.parametrize("header", [["貨號", "名稱", "售價"], ["code", "name", "price"]])
def test_every_big5_product_name_alone_is_refused(services: Services, tmp_path: Path, header: list[str]) -> None:
    """One product per file, the hardest case: few characters to judge by."""
    for i, name in enumerate(BIG5_NAMES):
        f = write_csv(tmp_path / f"one{i}.csv", [header, ["T1", name, "3.50"]], encoding="big5")
        with pytest.raises(ValidationError, match="UTF-8") as info:
            tabular.read_table(f)
        assert "Big5" in info.value.message or "garbled" in info.value.message or "told apart" in info.value.message
    assert services.catalog.count() == 0


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_simplified_files_in_every_chinese_encoding_are_read(services: Services, tmp_path: Path, encoding: str) -> None:
    names = ["可口可乐 330毫升", "康师傅红烧牛肉面", "农夫山泉矿泉水", "卫生纸 10卷", "盐酸氨溴索口服溶液", "布洛芬缓释胶囊"]
    rows = [["货号", "名称", "售价"]] + [[f"S{i}", n, "3.50"] for i, n in enumerate(names)]
    f = write_csv(tmp_path / "s.csv", rows, encoding=encoding)
    assert services.product_io.import_products(f).created == len(names)
    assert [services.catalog.get_by_code(f"S{i}").name for i in range(len(names))] == names  # type: ignore[union-attr]
    # A short price update whose Chinese bytes are valid Big5 too: its header names settle it.
    tiny = write_csv(tmp_path / "tiny.csv", [["货号", "进价"], ["S0", "2.50"]], encoding=encoding)
    assert services.product_io.import_products(tiny).updated == 1
    assert price(services, "S0") == (350, 250)


def test_gbk_bytes_that_happen_to_be_valid_utf8_are_read_as_gbk(services: Services, make_product,  # type: ignore[no-untyped-def]
                                                                tmp_path: Path) -> None:
    p = make_product("可乐", 300, 200, 0)
    f = write_csv(tmp_path / "status.csv", [["code", "状态", "unit"], [p.code, "0", "瓶"]], encoding="gbk")
    assert f.read_bytes().decode("utf-8") == "code,\u05f4\u032c,unit\r\n000001,0,\u01bf\r\n"  # valid UTF-8
    assert services.product_io.import_products(f).updated == 1
    after = services.catalog.get(p.id)
    assert not after.active and after.unit == "瓶"


# ------------------------------------------------------------------ an empty cell leaves the field alone


def test_empty_cells_in_an_update_file_change_nothing(services: Services, make_product,  # type: ignore[no-untyped-def]
                                                      tmp_path: Path) -> None:
    p = make_product("可乐", 300, 200, 0, barcode=EAN1, category="饮料", spec="330ml", min_stock=5000,
                     shelf_life_days=365)
    services.catalog.set_active(p.id, False)
    before = services.catalog.get(p.id)
    header = ["货号", "名称", "助记码", "规格", "单位", "分类", "售价", "进价", "条码", "最低库存", "最高库存",
              "保质期天数", "批次管理", "状态"]
    f = write_csv(tmp_path / "empty.csv", [header, [p.code] + [""] * 13])
    assert services.product_io.import_products(f).updated == 1
    assert services.catalog.get(p.id) == before  # barcodes, prices, flags, deactivation: all kept
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    ws.append([p.code, None, None, None, None, None, 3.8])
    wb.save(tmp_path / "empty.xlsx")
    services.product_io.import_products(tmp_path / "empty.xlsx")
    after = services.catalog.get(p.id)
    assert after.sale_price == 380 and after.barcodes == ((EAN1, 1),) and not after.active


def test_clear_markers_empty_a_field_on_purpose(services: Services, make_product, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 300, 200, 0, barcode=EAN1, category="饮料", spec="330ml", min_stock=5000,
                     shelf_life_days=365)
    f = write_csv(tmp_path / "clear.csv", [["货号", "条码", "分类", "规格", "最低库存", "保质期天数"],
                                           [p.code, "(清空)", "（清空）", "(CLEAR)", "(clear)", " (清空) "]])
    assert services.product_io.import_products(f).updated == 1
    after = services.catalog.get(p.id)
    assert (after.barcodes, after.category, after.spec, after.min_stock, after.shelf_life_days) == ((), "", "", 0, None)
    assert (after.sale_price, after.name) == (300, "可乐")
    f = write_csv(tmp_path / "bad.csv", [["货号", "名称", "售价", "状态"], [p.code, "(清空)", "", ""],
                                         [p.code + "X", "新品", "(清空)", "(clear)"]])
    rows = rejected(services, f)
    assert rows == {2: "Name cannot be cleared", 3: "Sale price cannot be cleared; Status cannot be cleared"}


# ------------------------------------------------------------------ price changes are audited


def audit_rows(services: Services) -> list[tuple[str, str, dict, dict, str]]:
    return [(e.action, e.document, json.loads(e.before), json.loads(e.after), e.detail)
            for e in reversed(services.audit.query(action="price_change"))]


def test_every_price_an_import_changes_is_audited_with_old_and_new_fen(services: Services, make_product,  # type: ignore[no-untyped-def]
                                                                       db_path: Path, tmp_path: Path) -> None:
    a = make_product("可乐", 300, 200, 0, barcode=EAN1)
    b = make_product("雪碧", 300, 200, 0, barcode=EAN2)
    c = make_product("芬达", 300, 200, 0)
    f = write_csv(tmp_path / "prices.csv", [["货号", "售价", "进价"], [a.code, "3.50", ""], [b.code, "3.00", "2.10"],
                                            [c.code, "3", "2"], ["NEW1", "9.9", "5"]])
    with pytest.raises(ValidationError):  # NEW1 has no name: rejected, and no audit row either
        services.product_io.import_products(f)
    assert audit_rows(services) == []
    f = write_csv(tmp_path / "prices.csv", [["货号", "售价", "进价"], [a.code, "3.50", ""], [b.code, "3.00", "2.10"],
                                            [c.code, "3", "2"]])
    services.product_io.import_products(f, dry_run=True)
    assert audit_rows(services) == []
    services.product_io.import_products(f)
    assert audit_rows(services) == [
        ("price_change", a.code, {"sale_price": 300, "ref_cost": 200}, {"sale_price": 350, "ref_cost": 200},
         "可乐, imported from prices.csv"),
        ("price_change", b.code, {"sale_price": 300, "ref_cost": 200}, {"sale_price": 300, "ref_cost": 210},
         "雪碧, imported from prices.csv")]  # 芬达's prices did not change: no row
    # The command line runs the same service.
    services.db.dispose()
    g = write_csv(tmp_path / "cli.csv", [["货号", "售价"], [c.code, "4.20"]])
    assert jxc(["--db", str(db_path), "products", "import", str(g)]) == 0
    assert audit_rows(services)[-1][1:4] == (c.code, {"sale_price": 300, "ref_cost": 200},
                                             {"sale_price": 420, "ref_cost": 200})

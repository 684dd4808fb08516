"""Table files and product import/export: reading (BOM, GBK, xlsx), formula safety, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.files import tabular
from jxc_desktop.services.catalog.product_files import HEADERS, ImportRejected
from jxc_desktop.services.hub import Services
from tests.db_dump import table_dump

EAN1 = with_check_digit("690123456789")
EAN2 = with_check_digit("690123456780")
CASE = with_check_digit("690123456781")


# ------------------------------------------------------------------ tabular


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_chinese_excel_writes(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / "t.csv"
    f.write_bytes("货号,名称,售价\r\n001,农夫山泉矿泉水,2.00\r\n\r\n002,\"可乐,罐装\",3\r\n".encode(encoding))
    rows = tabular.read_rows(f)
    assert [dict(r) for r in rows] == [{"货号": "001", "名称": "农夫山泉矿泉水", "售价": "2.00"},
                                       {"货号": "002", "名称": "可乐,罐装", "售价": "3"}]
    assert [r.row for r in rows] == [2, 4]  # spreadsheet row numbers, blank row skipped


def test_tab_and_semicolon_separated(tmp_path: Path) -> None:
    for sep in ("\t", ";"):
        f = tmp_path / "t.csv"
        f.write_text(f"名称{sep}售价\n苹果{sep}12.90\n", encoding="utf-8")
        assert dict(tabular.read_rows(f)[0]) == {"名称": "苹果", "售价": "12.90"}


def test_xlsx_numbers_come_back_as_exact_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["条码", "售价", "数量", "名称"])
    ws.append([6901234567892, 12.3, 3.0, None])
    ws.append([None, None, None, None])
    ws.append(["x", 0.1, 1e20, "后"])
    wb.save(tmp_path / "t.xlsx")
    rows = tabular.read_rows(tmp_path / "t.xlsx")
    assert dict(rows[0]) == {"条码": "6901234567892", "售价": "12.3", "数量": "3", "名称": ""}
    assert rows[1].row == 4 and rows[1]["售价"] == "0.1" and rows[1]["数量"] == "100000000000000000000"


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    ("名称,名称\n甲,乙\n".encode(), "twice"),
    (b"\xff\xfe\x00\x01\x02binary\x00", "neither UTF-8"),
])
def test_unreadable_csv_is_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    f = tmp_path / "t.csv"
    f.write_bytes(content)
    with pytest.raises(ValidationError, match=message):
        tabular.read_rows(f)


def test_broken_xlsx_and_wrong_suffix_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "t.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValidationError, match="Cannot read"):
        tabular.read_rows(tmp_path / "t.xlsx")
    (tmp_path / "t.xls").write_bytes(b"old")
    with pytest.raises(ValidationError, match="Unsupported file type"):
        tabular.read_rows(tmp_path / "t.xls")
    with pytest.raises(ValidationError, match="File not found"):
        tabular.read_rows(tmp_path / "missing.csv")


@pytest.mark.parametrize("text, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("-12.50", "-12.50"),  # a negative number is data, not a formula
    ("+3", "+3"),
    ("普通文字", "普通文字"),
    ("", ""),
])
def test_safe_cell(text: str, expected: str) -> None:
    assert tabular.safe_cell(text) == expected
    assert tabular.unquote_cell(tabular.safe_cell(text)) == text


def test_safe_cell_keeps_numbers_numeric() -> None:
    from decimal import Decimal

    assert tabular.safe_cell(-5) == -5
    assert tabular.safe_cell(Decimal("-1.50")) == Decimal("-1.50")
    assert tabular.safe_cell(None) is None


def test_written_xlsx_holds_no_formula(tmp_path: Path) -> None:
    out = tmp_path / "o.xlsx"
    tabular.write_table(out, ["名称", "金额"], [["=1+1", -3], ["@x", 5]])
    ws = load_workbook(out).worksheets[0]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert cells[1] == ["'=1+1", -3] and cells[2] == ["'@x", 5]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_write_cancelled_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "o.csv"
    with pytest.raises(tabular.Cancelled):
        tabular.write_table(out, ["a"], ([str(i)] for i in range(1000)), total=1000,
                            progress=lambda done, total: done < 400)
    assert not out.exists() and not list(tmp_path.iterdir())


# ------------------------------------------------------------------ product import / export


def write_csv(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_creates_with_barcodes_pack_sizes_and_flags(services: Services, tmp_path: Path) -> None:
    services.catalog.create_category("饮料")
    f = write_csv(tmp_path / "p.csv", ",".join(HEADERS),
                  f"A100,可口可乐 330ml,,330ml,罐,饮料,3.50,2.10,{EAN1};{CASE}*24,12,120,365,否,启用",
                  f"A101,鲜牛奶,xnn,950ml,瓶,饮料,15.9,11,{EAN2},0,0,7,是,停用")
    result = services.product_io.import_products(f)
    assert (result.created, result.updated) == (2, 0)
    cola = services.catalog.get_by_code("A100")
    assert cola is not None
    assert (cola.name, cola.spec, cola.unit, cola.category) == ("可口可乐 330ml", "330ml", "罐", "饮料")
    assert (cola.sale_price, cola.ref_cost, cola.min_stock, cola.max_stock) == (350, 210, 12000, 120000)
    assert set(cola.barcodes) == {(EAN1, 1), (CASE, 24)} and cola.active and not cola.tracks_batches
    assert cola.pinyin == "kkkl330ml"
    hit = services.catalog.find_by_barcode(CASE)
    assert hit is not None and hit.multiplier == 24
    milk = services.catalog.get_by_code("A101")
    assert milk is not None and milk.tracks_batches and not milk.active and milk.shelf_life_days == 7
    assert milk.pinyin == "xnn" and not milk.pinyin_manual  # typed = generated


def test_price_only_file_updates_prices_and_keeps_the_rest(services: Services, tmp_path: Path,
                                                           make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("雪碧 500ml", 300, 200, 10, barcode=EAN1, category="饮料", spec="500ml")
    q = make_product("芬达 500ml", 300, 200, 0, barcode=EAN2, category="饮料")
    f = write_csv(tmp_path / "prices.csv", "货号,售价", f"{p.code},3.80")
    assert services.product_io.import_products(f).updated == 1
    after = services.catalog.get(p.id)
    assert after.sale_price == 380 and after.spec == "500ml" and after.barcodes == ((EAN1, 1),)
    assert after.stock_qty == 10000  # stock is never touched by an import
    # No code column: matched by barcode.
    f2 = write_csv(tmp_path / "by_barcode.xlsx.csv", "条码,名称,进价", f"{EAN2},芬达橙味 500ml,2.20")
    assert services.product_io.import_products(f2).updated == 1
    q2 = services.catalog.get(q.id)
    assert (q2.name, q2.ref_cost, q2.code) == ("芬达橙味 500ml", 220, q.code)
    assert q2.pinyin == "fdcw500ml"  # regenerated on rename


def test_export_import_round_trip_keeps_text_that_looks_like_a_formula(services: Services,
                                                                      tmp_path: Path, make_product) -> None:  # type: ignore[no-untyped-def]
    make_product("=SUM(A1:A9)", 100, 50, 0, barcode=EAN1, spec="-5+5", category="日用品")
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"e{suffix}"
        assert services.product_io.export_products(out) == 1
        if suffix == ".csv":
            text = out.read_text(encoding="utf-8-sig")
            assert "'=SUM(A1:A9)" in text and "'-5+5" in text
        before = services.catalog.search(EAN1)[0]
        assert services.product_io.import_products(out).updated == 1
        after = services.catalog.search(EAN1)[0]
        assert (after.name, after.spec) == ("=SUM(A1:A9)", "-5+5")
        assert after == before


def test_xlsx_export_formats_by_column_and_reads_in_code_order_across_chunks(
        services: Services, tmp_path: Path, make_product, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Yuan are numbers shown with two decimals by the column's format; barcodes and codes stay
    text; rows come in code order from the keyset reads (chunks smaller than the file here)."""
    from jxc_desktop.services.catalog import product_files

    monkeypatch.setattr(product_files, "EXPORT_CHUNK", 2)
    for i in range(5):
        make_product(f"商品{i}", 1250 + i, 800, 0, barcode=with_check_digit(f"0690000{i:05d}"), category="饮料")
    out = tmp_path / "p.xlsx"
    assert services.product_io.export_products(out) == 5
    ws = load_workbook(out).active
    assert ws.title == "Sheet" and [c.value for c in ws[1]] == list(HEADERS)
    codes = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert codes == sorted(codes) and len(codes) == 5
    price = ws["G2"]
    assert price.value == 12.5 and price.number_format == "0.00"
    assert isinstance(ws["I2"].value, str) and ws["I2"].value.startswith("0690000")  # leading zero kept
    assert ws.column_dimensions["B"].width > ws.column_dimensions["E"].width
    assert services.product_io.import_products(out).updated == 5


def test_every_bad_row_is_listed_and_nothing_is_written(services: Services, tmp_path: Path,
                                                        make_product) -> None:  # type: ignore[no-untyped-def]
    other = make_product("别人的商品", 100, 50, 0, barcode=EAN1, category="饮料")
    bad_digit = EAN2[:-1] + str((int(EAN2[-1]) + 1) % 10)
    f = write_csv(
        tmp_path / "bad.csv", "货号,名称,售价,进价,分类,条码,批次管理,保质期天数",
        f"N1,好的,1,1,饮料,{CASE},否,",       # 2 ok
        "N2,,1,1,饮料,,否,",                  # 3 missing name
        "N3,负价,-0.01,1,饮料,,否,",          # 4 negative price
        "N4,多位小数,1.234,1,饮料,,否,",      # 5 three decimals
        f"N5,错位,1,1,饮料,{bad_digit},否,",  # 6 check digit
        f"N6,占用,1,1,饮料,{EAN1},否,",       # 7 another product's barcode
        f"N7,重复,1,1,饮料,{CASE},否,",       # 8 repeats row 2
        "N1,重复货号,1,1,饮料,,否,",          # 9 repeated code
        "N9,长," + "1" * 30 + ",1,饮料,,否,",  # 10 absurd price
        "N10,分类错,1,1,没有这个分类,,否,",   # 11 unknown category
        "N11,标志错,1,1,饮料,,也许,",         # 12 bad yes/no
        "N12,保质期,1,1,饮料,,是,十天",       # 13 bad shelf life
        "N 13,货号有空格,1,1,饮料,,否,",      # 14 bad code
    )
    before = table_dump(services)
    with pytest.raises(ImportRejected) as info:
        services.product_io.import_products(f)
    rows = {e.row: e.reason for e in info.value.errors}
    assert sorted(rows) == list(range(3, 15))
    assert "Name is required" in rows[3]
    assert "negative" in rows[4]
    assert "wrong check digit" in rows[6]
    assert other.code in rows[7]
    assert "repeats row 2" in rows[8] and "repeats row 2" in rows[9]
    assert "Unknown category" in rows[11]
    assert table_dump(services) == before


def test_rejection_messages_are_chinese_in_chinese(services: Services, tmp_path: Path) -> None:
    from jxc_desktop import i18n

    i18n.set_language("zh_CN")
    f = write_csv(tmp_path / "bad.csv", "名称,售价", ",1", "好,abc")
    with pytest.raises(ImportRejected) as info:
        services.product_io.import_products(f)
    assert "2 行有错误" in str(info.value)
    assert "请填写" in info.value.errors[0].reason


def test_import_is_cancellable_and_writes_nothing(services: Services, tmp_path: Path) -> None:
    services.catalog.create_category("零食")
    lines = ["名称,售价,分类"] + [f"商品{i},1.00,零食" for i in range(3000)]
    f = write_csv(tmp_path / "many.csv", *lines)
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 4000

    with pytest.raises(tabular.Cancelled):
        services.product_io.import_products(f, progress)
    assert services.catalog.count() == 0
    assert calls and calls[-1][1] == 6000
    assert services.product_io.import_products(f).created == 3000


def test_header_without_known_columns_is_rejected(services: Services, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "x.csv", "foo,bar", "1,2")
    with pytest.raises(ValidationError, match="none of the columns"):
        services.product_io.import_products(f)


def test_batch_tracking_cannot_change_while_in_stock(services: Services, tmp_path: Path,
                                                     make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("大米 5kg", 4000, 3000, 5, barcode=EAN1)
    f = write_csv(tmp_path / "b.csv", "货号,批次管理", f"{p.code},是")
    with pytest.raises(ImportRejected) as info:
        services.product_io.import_products(f)
    assert info.value.errors[0].row == 2 and "no stock" in info.value.errors[0].reason


def test_new_codes_skip_codes_the_file_gives_later_rows(services: Services, tmp_path: Path) -> None:
    lines = ["货号,名称"] + [f",无货号{i}" for i in range(2500)] + ["000001,有货号"]
    f = write_csv(tmp_path / "codes.csv", *lines)
    assert services.product_io.import_products(f).created == 2501
    own = services.catalog.get_by_code("000001")
    assert own is not None and own.name == "有货号"
    assert services.catalog.count() == 2501


def test_a_bad_row_after_written_chunks_still_leaves_nothing(services: Services, tmp_path: Path) -> None:
    lines = ["名称,售价"] + [f"商品{i},1.00" for i in range(4500)] + [",1.00"]
    f = write_csv(tmp_path / "late.csv", *lines)
    before = table_dump(services)
    with pytest.raises(ImportRejected) as info:
        services.product_io.import_products(f)
    assert [e.row for e in info.value.errors] == [4502]
    assert table_dump(services) == before


def test_barcode_mangled_by_excel_gets_a_clear_reason(services: Services, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "excel.csv", "名称,条码", "可乐,6.90123E+12")
    with pytest.raises(ImportRejected) as info:
        services.product_io.import_products(f)
    assert "turned into a number by a spreadsheet" in info.value.errors[0].reason


def test_pack_sizes_use_star_or_times_sign_and_letters_stay_in_codes(services: Services, tmp_path: Path) -> None:
    f = write_csv(tmp_path / "packs.csv", "货号,名称,条码", f"P1,甲,{EAN1}×6;SKUX12", f"P2,乙,{EAN2} * 24")
    services.product_io.import_products(f)
    assert set(services.catalog.get_by_code("P1").barcodes) == {(EAN1, 6), ("SKUX12", 1)}  # type: ignore[union-attr]
    assert services.catalog.get_by_code("P2").barcodes == ((EAN2, 24),)  # type: ignore[union-attr]

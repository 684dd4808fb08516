"""The rules under every import, one by one: commas in numbers (NumberColumn), which encoding a csv
is in (decode_table_text), and what the xlsx reader makes of cells (dates, rich text, references)."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import parse_yuan
from jxc_desktop.files import tabular
from jxc_desktop.files.table_numbers import NumberColumn
from jxc_desktop.files.table_text import decode_table_text

# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize("column, raw, fen", [
    (["3.50"], "3.50", 350),
    (["12,50", "8"], "12,50", 1250),          # decimal comma column
    (["12,50"], "1.250,50", 125050),          # dot thousands + decimal comma
    (["12,50"], "1,250", 125),                # 1,250 among decimal commas: 1.25
    (["3.50"], "1,250", 125000),              # 1,250 among decimal points: 1250
    ([], "1,250.00", 125000),                 # unambiguous on its own
    (["12,50"], "1,250.00", 125000),          # ... even in a decimal-comma column
    ([], "12,345,678", 1234567800),
    ([], "¥1,250.00", 125000),
    ([], "-1,250.00", -125000),
    (["1.250"], "1.250", None),               # three decimals: parse_yuan's "not an amount", as before
])
def test_number_column_readings(column: list[str], raw: str, fen: int | None) -> None:
    numbers = NumberColumn([*column, raw])
    text = numbers.text(raw, "Sale price")
    assert "," not in text
    if fen is None:
        with pytest.raises(ValidationError, match="not an amount"):
            parse_yuan(text)
    else:
        assert parse_yuan(text, allow_negative=True) == fen


@pytest.mark.parametrize("column, raw, message", [
    ([], "1,250", "ambiguous.*write 1250 or 1.25"),
    (["3.5", "12,50"], "1,250", "ambiguous"),       # both decimal marks in the column: no hint
    (["3.5"], "12,50", "has a decimal comma.*write 12.5"),
    (["3.5"], "1.250,5", "has a decimal comma.*write 1250.5"),
    (["12,50"], "1.250", "ambiguous.*write 1250 or 1.25"),
    ([], "1,2,3", "not a number"),
    ([], "12,5.0", "not a number"),
    ([], ",5", "not a number"),
    ([], "5,", "not a number"),
    ([], "12，50", "not a number"),                 # a full-width comma
    ([], "1,250元", "not a number"),
])
def test_number_column_refusals(column: list[str], raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        NumberColumn([*column, raw]).text(raw, "Sale price")


def test_values_without_a_comma_pass_unchanged() -> None:
    numbers = NumberColumn(["3.5", "abc", "", "１０"])
    assert [numbers.text(v, "x") for v in ("3.5", "abc", "１０", " 7 ")] == ["3.5", "abc", "１０", " 7 "]


# ------------------------------------------------------------------ encodings


def test_a_utf8_mark_means_utf8() -> None:
    assert decode_table_text("\ufeff名称\n可乐\n".encode()) == "名称\n可乐\n"
    with pytest.raises(ValidationError, match="UTF-8 mark but line 2"):
        decode_table_text("\ufeff名称\n".encode() + "可乐".encode("gbk"))


def test_latin1_text_in_utf8_stays_utf8() -> None:
    for text in ("name,price\nCafé,¥3.50\n", "名称,规格\n雀巢咖啡,°C × 2\n"):
        assert decode_table_text(text.encode()) == text


def test_neither_encoding_names_the_line() -> None:
    with pytest.raises(ValidationError, match=r"neither UTF-8 nor GBK text \(line 3"):
        decode_table_text(b"a,b\n1,2\n\xff\xfe,3\n")


@pytest.mark.parametrize("text, encoding", [
    ("品名,価格\nポッキー チョコレート,150\nじゃがりこ サラダ,160\n", "shift_jis"),
    ("貨號,名稱,售價\nT1,康師傅紅燒牛肉麵,3.5\n", "big5"),
    ("貨號,名稱,售價\nT1,可口可樂,3.5\n", "cp950"),
])
def test_other_cjk_encodings_are_refused_not_garbled(text: str, encoding: str) -> None:
    with pytest.raises(ValidationError, match="UTF-8"):
        decode_table_text(text.encode(encoding), ["货号", "名称", "售价"])


def test_a_gbk_header_word_settles_a_big5_doubt() -> None:
    data = "货号,进价\nA001,2.50\n".encode("gbk")
    data.decode("cp950")  # valid Big5 as well
    with pytest.raises(ValidationError, match="cannot be told apart"):
        decode_table_text(data)
    assert decode_table_text(data, ["货号", "进价"]) == "货号,进价\nA001,2.50\n"


# ------------------------------------------------------------------ xlsx cells


def _restyle(path: Path, new_id: str) -> None:
    """Point a workbook's custom-formatted cell styles (ids 164+) at built-in number format ``new_id``
    (as Chinese Excel saves yyyy"年"m"月"d"日": id 31, which openpyxl cannot write)."""
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    styles = parts["xl/styles.xml"].decode()
    styles = re.sub(r'numFmtId="1[6-9][0-9]"', f'numFmtId="{new_id}"', re.sub(r"<numFmts.*?</numFmts>", "", styles))
    parts["xl/styles.xml"] = styles.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_dates_by_their_number_format_including_chinese_builtins(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["条码", "有效期", "生产日期", "数量"])
    ws.append(["6901234567892", date(2026, 12, 31), date(2026, 1, 5), 46022])
    ws["B2"].number_format = 'yyyy"年"m"月"d"日"'
    wb.save(tmp_path / "d.xlsx")
    row = tabular.read_rows(tmp_path / "d.xlsx")[0]
    assert (row["有效期"], row["生产日期"], row["数量"]) == ("2026-12-31", "2026-01-05", "46022")
    _restyle(tmp_path / "d.xlsx", "31")
    row = tabular.read_rows(tmp_path / "d.xlsx")[0]
    assert row["有效期"] == "2026-12-31" and row["数量"] == "46022"


def test_shared_strings_rich_text_without_phonetics_and_cells_without_references(tmp_path: Path) -> None:
    from tests.integration.xlsx_files import build_xlsx, sheet_xml

    strings = ['<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
               "<si><t>名称</t></si><si><t>售价</t></si>",
               "<si><r><t>可口</t></r><r><rPr><b/></rPr><t>可乐</t></r><rPh sb=\"0\" eb=\"1\"><t>kekou</t></rPh></si>",
               "</sst>"]
    rows = ['<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>',
            '<row r="3"><c t="s"><v>2</v></c><c><v>3.5</v></c></row>']
    f = build_xlsx(tmp_path / "rich.xlsx", sheet_xml(rows), strings)
    read = tabular.read_rows(f)
    assert [(r.row, dict(r)) for r in read] == [(3, {"名称": "可口可乐", "售价": "3.5"})]

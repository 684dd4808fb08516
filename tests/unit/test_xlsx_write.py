"""The streamed sheet writer (files/xlsx_write.py): what it writes reads back the same through openpyxl
and through the program's own reader, with the columns' formats, the styles and the frozen pane."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl

from jxc_desktop.files.tabular import read_table
from jxc_desktop.files.xlsx_write import SheetColumn, SheetStream


def _write(path: Path) -> None:
    sheet = SheetStream(str(path), "利润 <汇总> & \"2026\"", [SheetColumn(12, "@"), SheetColumn(14, "#,##0.00"),
                                                       SheetColumn(12, "yyyy-mm-dd"), SheetColumn(8)])
    sheet.write(["标题"], sheet.format(bold=True, font_size=14))
    sheet.write([])
    sheet.write(["条码", "金额", "日期", "数量"], sheet.format(bold=True, bg_color="#DDE6F0", align="center",
                                                           valign="vcenter", text_wrap=True))
    sheet.freeze_above(3)
    sheet.write_rows([
        ["0069000000001", Decimal("1234.50"), date(2026, 12, 4), 3],
        ["  前后空格  ", Decimal("-0.01"), datetime(2026, 12, 4, 18, 0), 2.5],
        ["a<b & c>d\x01", None, None, True],
    ])
    sheet.write(["合计", Decimal("1234.49"), None, 5], [None, sheet.format(bold=True, num_format="#,##0.00"), None, None])
    sheet.close()


def test_values_formats_and_styles_read_back(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    _write(path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws.title == "利润 <汇总> & \"2026\""
    assert ws["A1"].value == "标题" and ws["A1"].font.b and ws["A1"].font.sz == 14
    assert ws["A3"].fill.fgColor.rgb == "FFDDE6F0" and ws["A3"].alignment.wrap_text and ws["A3"].font.b
    assert ws.freeze_panes == "A4"
    assert ws["A4"].value == "0069000000001" and ws["A4"].number_format == "@"  # every digit kept, as text
    assert ws["B4"].value == 1234.5 and ws["B4"].number_format == "#,##0.00"
    assert ws["C4"].value == datetime(2026, 12, 4) and ws["C4"].number_format == "yyyy-mm-dd"
    assert ws["D4"].value == 3 and ws["D5"].value == 2.5 and ws["D6"].value is True
    assert ws["A5"].value == "  前后空格  " and ws["C5"].value == datetime(2026, 12, 4, 18, 0)
    assert ws["A6"].value == "a<b & c>d" and ws["B6"].value is None  # a control character XML cannot carry is dropped
    assert ws["B7"].value == 1234.49 and ws["B7"].font.b and ws["A7"].font.b is False
    assert ws.column_dimensions["B"].width == 14


def test_the_programs_reader_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    sheet = SheetStream(str(path), "Sheet", [SheetColumn(12, "@"), SheetColumn(10, "0.00")])
    sheet.write(["条码", "售价"])
    sheet.write_rows([[f"69{i:011d}", Decimal(i).scaleb(-2)] for i in range(1, 2501)])
    sheet.close()
    headers, rows = read_table(path)
    assert headers == ["条码", "售价"] and len(rows) == 2500
    assert (rows[0]["条码"], rows[0]["售价"]) == ("6900000000001", "0.01")
    assert (rows[-1]["条码"], rows[-1]["售价"]) == ("6900000002500", "25")


def test_an_empty_sheet_is_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    SheetStream(str(path), "", []).close()
    assert openpyxl.load_workbook(path).active.max_row == 1

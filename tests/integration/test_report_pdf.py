"""Report PDFs (pdftotext / pdffonts) and xlsx files (read back with openpyxl)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from jxc_desktop import i18n
from jxc_desktop.domain.periods import Period
from jxc_desktop.reports.report_pdf import write_pdf
from jxc_desktop.services.hub import Services
from jxc_desktop.services.reporting.dto import ColKind, Column, ReportKind, ReportRequest, ReportTable
from jxc_desktop.services.reporting.xlsx_export import write_xlsx
from tests.unit import reports_scenario

WEEK = Period(date(2026, 10, 1), date(2026, 10, 6))
NOW = datetime(2026, 11, 25, 9, 30)
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def shop(services: Services, make_product) -> Services:  # type: ignore[no-untyped-def]
    reports_scenario.build(services, make_product)
    return services


def test_profit_pdf_in_chinese_with_embedded_font(shop: Services, tmp_path: Path) -> None:
    i18n.set_language("zh_CN")
    table = shop.reports.table(ReportRequest(ReportKind.PROFIT, WEEK, by="product"))
    path = write_pdf(table, tmp_path / "profit.pdf", shop="好邻居便利店", now=NOW)
    text = pdf_text(path)
    for expected in ("好邻居便利店", "利润汇总", "2026-10-01", "2026-10-06", "2026-11-25 09:30", "苹果", "牛奶",
                     "¥63.28", "¥41.40", "¥21.88", "34.58%", "合计", "第 1 页"):
        assert expected in text, expected
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "JxcCJK" in fonts or "WenQuanYi" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())  # all embedded


def test_day_pdf_has_chart_and_every_day(shop: Services, tmp_path: Path) -> None:
    table = shop.reports.table(ReportRequest(ReportKind.PROFIT, WEEK, by="day"))
    path = write_pdf(table, tmp_path / "days.pdf", shop="Shop", now=NOW)
    text = pdf_text(path)
    assert "Profit summary" in text and "Page 1 of 1" in text
    for d in range(1, 7):
        assert f"2026-10-0{d}" in text
    assert "Yuan" in text  # the chart's axis caption: the chart was drawn


def test_long_table_is_folded_but_still_adds_up(tmp_path: Path) -> None:
    cols = (Column("label", "Product", ColKind.TEXT), Column("value", "Value", ColKind.MONEY))
    rows = tuple((f"P{i:05d}", 100 + i) for i in range(2500))
    total = ("Total", sum(r[1] for r in rows))
    table = ReportTable("x", "Long", "2026-10", cols, rows, total)
    text = pdf_text(write_pdf(table, tmp_path / "long.pdf", max_rows=1000, now=NOW))
    rest = sum(r[1] for r in rows[1000:])
    assert "P00999" in text and "P01000" not in text
    assert "Other 1500 rows" in text and f"¥{rest / 100:,.2f}" in text
    assert f"¥{total[1] / 100:,.2f}" in text


def test_xlsx_numbers_formats_and_formula_text(shop: Services, tmp_path: Path, make_product) -> None:  # type: ignore[no-untyped-def]
    table = shop.reports.table(ReportRequest(ReportKind.PROFIT, WEEK, by="product"))
    evil = (table.rows[0][0], "=HYPERLINK(\"http://x\")", *table.rows[0][2:])
    table = ReportTable(table.report, table.title, table.subtitle, table.columns, (evil, *table.rows[1:]),
                        table.total, table.chart, table.notes)
    path = write_xlsx(table, tmp_path / "profit.xlsx", shop="+SUM(A1)", now=NOW)
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "Profit summary"
    assert ws["A2"].value == "'+SUM(A1)"
    headers = [c.value for c in ws[5]]
    net_col = headers.index("Net sales") + 1
    margin_col = headers.index("Margin") + 1
    rows = list(ws.iter_rows(min_row=6, max_row=5 + len(table.rows) + 1))
    values = [r[net_col - 1].value for r in rows]
    assert all(isinstance(v, int | float) for v in values)
    assert round(values[-1] * 100) == 6328 and round(sum(values[:-1]) * 100) == 6328
    assert rows[0][net_col - 1].number_format == "#,##0.00"
    assert rows[-1][margin_col - 1].number_format == "0.00%" and abs(rows[-1][margin_col - 1].value - 0.3458) < 1e-9
    assert rows[0][1].value == "'=HYPERLINK(\"http://x\")"
    qty_cell = rows[-1][headers.index("Qty")]
    assert qty_cell.value == 11


def test_every_report_exports(shop: Services, tmp_path: Path) -> None:
    for kind in ReportKind:
        table = shop.reports.table(ReportRequest(kind, WEEK, days=3, today=date(2026, 10, 6), warning_days=30))
        assert write_pdf(table, tmp_path / f"{kind}.pdf", now=NOW).read_bytes().startswith(b"%PDF")
        ws = openpyxl.load_workbook(write_xlsx(table, tmp_path / f"{kind}.xlsx", now=NOW)).active
        assert ws.max_row >= 5 + len(table.rows)


def test_bad_file_names(shop: Services, tmp_path: Path) -> None:
    from jxc_desktop.domain.errors import ValidationError

    table = shop.reports.table(ReportRequest(ReportKind.HOURS, WEEK))
    with pytest.raises(ValidationError):
        write_pdf(table, tmp_path / "x.txt")
    with pytest.raises(ValidationError):
        write_xlsx(table, tmp_path / "missing" / "x.xlsx")

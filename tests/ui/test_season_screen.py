"""The season table on the reports tab: month columns shaded by value (the heat table), the ABC
classes and the compare box, on the two-year shop of tests/unit/season_scenario.py."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from jxc_desktop.domain.periods import PeriodKind
from jxc_desktop.services.hub import Services
from jxc_desktop.services.reporting.dto import HEAT_COLORS
from jxc_desktop.ui.reports_tab import ReportsTab
from tests.unit import season_scenario

pytestmark = pytest.mark.clock  # its own dates: must give the same figures at any instant and zone

TODAY = date(2026, 12, 31)


@pytest.fixture
def tab(qtbot, services: Services, make_product) -> ReportsTab:  # type: ignore[no-untyped-def]
    season_scenario.build(services, make_product)
    widget = ReportsTab(services, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1500, 700)
    with qtbot.waitSignal(widget.loaded, timeout=30_000):
        widget.show()
    return widget


def choose(qtbot, tab: ReportsTab, box, data: str) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(tab.loaded, timeout=30_000):
        box.setCurrentIndex(box.findData(data))


def shade(tab: ReportsTab, row: int, col: int) -> str | None:
    brush = tab.model.data(tab.model.index(row, col), Qt.ItemDataRole.BackgroundRole)
    return None if brush is None else brush.color().name()


def test_heat_table_on_screen(qtbot, tab: ReportsTab, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab, tab.period_box, str(PeriodKind.THIS_YEAR))  # 2026-01-01 .. 2026-12-31
    choose(qtbot, tab, tab.report_box, "season")
    assert not tab.compare_check.isVisible()  # the season table carries its own 同比
    m = tab.model
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers[:3] == ["Category", "2026-01", "2026-02"] and headers[12] == "2026-12"
    labels = [m.data(m.index(r, 0)) for r in range(m.rowCount())]
    assert labels == ["冬装", "饮料", "零食", "Total"]
    assert m.data(m.index(1, 7)) == "¥90.00" and m.data(m.index(1, 15)) == "+83.3%"
    assert shade(tab, 0, 1) == HEAT_COLORS[5]  # January's coats: the largest cell
    assert shade(tab, 1, 7) == HEAT_COLORS[2]  # July's drinks: 90 of 300
    assert shade(tab, 1, 8) == HEAT_COLORS[1]  # August: 20 of 300
    assert shade(tab, 1, 1) == HEAT_COLORS[0]  # nothing sold: white
    assert shade(tab, 3, 1) is None  # the total row is not shaded
    assert shade(tab, 0, 13) is None  # nor the totals column
    assert not tab.chart_view.isVisible()  # the table is the picture
    qtbot.wait(100)  # let the splitter give the hidden chart's room to the table
    png = Path(os.environ.get("JXC_SCREEN_DIR", tmp_path)) / "season_screen.png"
    assert tab.grab().save(str(png))
    choose(qtbot, tab, tab.group_box, "product")
    assert [m.data(m.index(r, 1)) for r in range(m.rowCount() - 1)] == ["羽绒服", "可乐", "矿泉水", "薯片"]


def test_abc_and_compare_on_screen(qtbot, tab: ReportsTab) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab, tab.period_box, str(PeriodKind.THIS_YEAR))
    choose(qtbot, tab, tab.report_box, "abc")
    m = tab.model
    assert [m.data(m.index(r, 6)) for r in range(m.rowCount() - 1)] == ["A", "A", "B", "C"]
    assert m.data(m.index(1, 5)) == "92.42%"
    choose(qtbot, tab, tab.group_box, "profit")
    assert [m.data(m.index(r, 3)) for r in range(m.rowCount() - 1)] == ["¥120.00", "¥36.00", "¥10.00", "¥4.00"]
    choose(qtbot, tab, tab.report_box, "profit")
    assert tab.compare_check.isVisible()
    choose(qtbot, tab, tab.group_box, "category")
    with qtbot.waitSignal(tab.loaded, timeout=30_000):
        tab.compare_check.setChecked(True)
    keys = [c.key for c in tab.table.columns]  # type: ignore[union-attr]
    assert keys[-4:] == ["prev", "prev_pct", "last_year", "yoy_pct"]
    total = m.rowCount() - 1
    assert m.data(m.index(total, len(keys) - 1)) == "+17.2%"  # 422.00 against 360.00


def test_turnover_by_month_and_cover_on_screen(qtbot, tab: ReportsTab, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab, tab.period_box, str(PeriodKind.THIS_YEAR))
    choose(qtbot, tab, tab.report_box, "turnover")
    assert [tab.group_box.itemData(i) for i in range(tab.group_box.count())] == ["category", "month",
                                                                               "category_month"]
    choose(qtbot, tab, tab.group_box, "month")
    m = tab.model
    keys = [c.key for c in tab.table.columns]  # type: ignore[union-attr]
    july = next(r for r in range(m.rowCount()) if m.data(m.index(r, 0)) == "2026-07")
    assert m.data(m.index(july, keys.index("days_of_inventory"))) == "729"
    assert m.data(m.index(july, keys.index("turnover_x100"))) == "0.04"
    assert tab.table.chart is not None and tab.table.chart.kind == "line"  # type: ignore[union-attr]
    qtbot.wait(100)
    assert tab.grab().save(str(Path(os.environ.get("JXC_SCREEN_DIR", tmp_path)) / "turnover_months.png"))
    choose(qtbot, tab, tab.group_box, "category_month")
    assert tab.table.columns[1].key == "month"  # type: ignore[union-attr]
    choose(qtbot, tab, tab.report_box, "cover")
    choose(qtbot, tab, tab.group_box, "category")
    keys = [c.key for c in tab.table.columns]  # type: ignore[union-attr]
    total = m.rowCount() - 1
    assert m.data(m.index(total, keys.index("sell_through_bp"))) == "16.97%"  # 252.00 ÷ (252.00 + 1 233.00)
    assert m.data(m.index(total, keys.index("days_of_cover"))) == "1,786"  # 123300 × 365 ÷ 25200 = 1785.9


def test_heat_table_exported_from_the_tab_keeps_its_shades(qtbot, tab: ReportsTab, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab, tab.period_box, str(PeriodKind.THIS_YEAR))
    choose(qtbot, tab, tab.report_box, "season")
    tab.view.sortByColumn(7, Qt.SortOrder.DescendingOrder)  # by July, on screen: drinks first
    assert tab.model.data(tab.model.index(0, 0)) == "饮料"
    xlsx, pdf = tmp_path / "season.xlsx", tmp_path / "season.pdf"
    with qtbot.waitSignal(tab.export_xlsx(str(xlsx)).done, timeout=30_000):
        pass
    with qtbot.waitSignal(tab.export_pdf(str(pdf)).done, timeout=30_000):
        pass
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    first = list(sheet.iter_rows(min_row=6, max_row=6))[0]
    assert first[0].value == "饮料"  # the order the owner sorted on screen
    assert str(first[7].fill.fgColor.rgb).upper().endswith(HEAT_COLORS[2].lstrip("#").upper())
    assert pdf.read_bytes().startswith(b"%PDF")

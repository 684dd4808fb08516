"""The reports tab: the period picker, report and grouping choices drive the table, whose model
matches the service's figures; exports run off the GUI thread."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from jxc_desktop.domain.periods import Period, PeriodKind
from jxc_desktop.services.hub import Services
from jxc_desktop.services.reporting.dto import ReportKind, ReportRequest
from jxc_desktop.ui.models.report_table import RAW_ROLE, ReportTableModel
from jxc_desktop.ui.reports_tab import ReportsTab
from tests.unit import reports_scenario

TODAY = date(2026, 10, 6)


@pytest.fixture
def tab(qtbot, services: Services, make_product) -> ReportsTab:  # type: ignore[no-untyped-def]
    reports_scenario.build(services, make_product)
    widget = ReportsTab(services, today=lambda: TODAY)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=30_000):
        widget.show()
    return widget


def model_rows(model: ReportTableModel) -> list[tuple[object, ...]]:
    return [tuple(model.data(model.index(r, c), RAW_ROLE) for c in range(model.columnCount()))
            for r in range(model.rowCount())]


def choose(qtbot, tab: ReportsTab, box, data: str) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(tab.loaded, timeout=30_000):
        box.setCurrentIndex(box.findData(data))


def test_this_month_by_day_matches_the_service(tab: ReportsTab, services: Services) -> None:
    assert tab.period() == Period(date(2026, 10, 1), TODAY)  # "this month" runs to today
    expected = services.reports.table(ReportRequest(ReportKind.PROFIT, tab.period(), by="day"))
    assert model_rows(tab.model) == [*expected.rows, expected.total]
    last = tab.model.rowCount() - 1
    assert tab.model.data(tab.model.index(last, 0)) == "Total"
    assert tab.model.data(tab.model.index(last, 0), Qt.ItemDataRole.FontRole).bold()
    col = expected.col("gross_profit")
    assert tab.model.data(tab.model.index(last, col)) == "¥21.88"
    assert "¥63.28" in tab.summary.text()


def test_period_picker_and_grouping(qtbot, tab: ReportsTab, services: Services) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab, tab.period_box, str(PeriodKind.THIS_WEEK))  # Monday Oct 5 .. Tuesday Oct 6
    assert not tab.first_edit.isEnabled()
    assert [r[0] for r in tab.model.data_rows()] == ["2026-10-05", "2026-10-06"]
    choose(qtbot, tab, tab.period_box, str(PeriodKind.CUSTOM))
    assert tab.first_edit.isEnabled()
    with qtbot.waitSignal(tab.loaded, timeout=30_000):
        tab.set_period(PeriodKind.CUSTOM, date(2026, 10, 1), date(2026, 10, 6))
    choose(qtbot, tab, tab.group_box, "product")
    assert tab.rank_box.isVisible()
    rep = services.reports.profit(tab.period(), "product")
    labels = {r[1]: r for r in tab.model.data_rows()}
    keys = [c.key for c in tab.table.columns]  # type: ignore[union-attr]
    for row in rep.rows:
        shown = labels[row.label]
        assert shown[keys.index("net_sales")] == row.net_sales
        assert shown[keys.index("gross_profit")] == row.gross_profit
    choose(qtbot, tab, tab.rank_box, "bottom")
    choose(qtbot, tab, tab.sort_box, "gross_profit")
    assert [r[1] for r in tab.model.data_rows()] == ["牛奶", "苹果"]
    choose(qtbot, tab, tab.group_box, "category")
    assert {r[0] for r in tab.model.data_rows()} == {"水果", "饮料"}


def test_sorting_keeps_the_total_last(qtbot, tab: ReportsTab) -> None:  # type: ignore[no-untyped-def]
    col = tab.table.col("gross_profit")  # type: ignore[union-attr]
    tab.view.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    rows = model_rows(tab.model)
    values = [r[col] for r in rows[:-1]]
    assert values == sorted(values, reverse=True)
    assert rows[-1][0] == "Total"


def test_other_reports_from_the_chooser(qtbot, tab: ReportsTab) -> None:  # type: ignore[no-untyped-def]
    choose(qtbot, tab, tab.report_box, str(ReportKind.PURCHASES))
    assert tab.table is not None and tab.table.total[tab.table.col("net")] == 10540
    choose(qtbot, tab, tab.report_box, str(ReportKind.SLOW))
    assert tab.days_spin.isVisible() and not tab.period_box.isEnabled()
    with qtbot.waitSignal(tab.loaded, timeout=30_000):
        tab.days_spin.setValue(3)
    assert [r[1] for r in tab.model.data_rows()] == ["苹果", "饼干"]
    choose(qtbot, tab, tab.report_box, str(ReportKind.TURNOVER))
    assert tab.table.total[tab.table.col("closing")] == 6070  # type: ignore[union-attr]
    assert tab.chart_view.isVisible() and tab.chart.series()


def test_exports(qtbot, tab: ReportsTab, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    with qtbot.waitSignal(tab.export_pdf(str(pdf)).done, timeout=30_000):
        pass
    with qtbot.waitSignal(tab.export_xlsx(str(xlsx)).done, timeout=30_000):
        pass
    assert pdf.read_bytes().startswith(b"%PDF")
    ws = openpyxl.load_workbook(xlsx).active
    assert ws["A1"].value == "Profit summary"


def test_model_passes_qtmodeltester(qtmodeltester, tab: ReportsTab) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(tab.model)
    empty = ReportTableModel()
    qtmodeltester.check(empty)


def test_print_goes_through_the_shared_print_path(qtbot, tab: ReportsTab, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "printed.pdf"
    with qtbot.waitSignal(tab.print_report(output_file=str(out)).done, timeout=30_000):
        pass
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_size > 1000


def test_export_buttons_say_where_the_file_went(qtbot, tab: ReportsTab, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "profit"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    for button, suffix in ((tab.xlsx_button, ".xlsx"), (tab.pdf_button, ".pdf")):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda s=suffix: getattr(tab, "saved_file_box", None) is not None
                        and s in tab.saved_file_box.text(), timeout=30000)
        path = str(target) + suffix
        assert Path(path).stat().st_size > 0
        assert tab.saved_file_box.text() == f"Exported to {path}" and tab.saved_file_box.isVisible()
        tab.saved_file_box.accept()


def test_one_day_profit_draws_labelled_bars_not_an_empty_line(qtbot, tab: ReportsTab, services: Services) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCharts import QBarSeries, QLineSeries

    choose(qtbot, tab, tab.period_box, str(PeriodKind.TODAY))
    rows = tab.model.data_rows()
    assert len(rows) == 1 and tab.chart_view.isVisible()
    series = tab.chart.series()
    assert len(series) == 1 and isinstance(series[0], QBarSeries) and series[0].isLabelsVisible()
    keys = [c.key for c in tab.table.columns]  # type: ignore[union-attr]
    drawn = [(s.label(), s.at(0)) for s in series[0].barSets()]
    assert drawn == [("Net sales", rows[0][keys.index("net_sales")] / 100),
                     ("Gross profit", rows[0][keys.index("gross_profit")] / 100)]
    choose(qtbot, tab, tab.period_box, str(PeriodKind.THIS_MONTH))  # six days: a line again
    assert all(isinstance(s, QLineSeries) for s in tab.chart.series()) and len(tab.chart.series()) == 2


def test_the_shown_table_is_let_go_when_the_next_report_runs(qtbot, tab: ReportsTab) -> None:  # type: ignore[no-untyped-def]
    """Two big tables never share the memory: the one on screen is dropped (by the tab, its model
    and the finished task) as soon as another report is asked for, not when that one arrives."""
    import gc
    import weakref

    shown = weakref.ref(tab.table)  # type: ignore[arg-type]
    held_while_running: list[bool] = []
    real = tab.services.reports.table

    def table(req):  # type: ignore[no-untyped-def]
        gc.collect()
        held_while_running.append(shown() is not None)
        return real(req)

    object.__setattr__(tab.services.reports, "table", table)
    try:
        choose(qtbot, tab, tab.group_box, "month")
    finally:
        object.__delattr__(tab.services.reports, "table")
    assert held_while_running == [False]
    assert tab.table is not None and tab.model.rowCount() > 0  # the new one is shown

"""The reports table's columns are as wide as their widest cell over ALL rows (ui/report_widths.py),
not over the 1 000-row sample resizeColumnsToContents reads: a long name far down the list and the
bold total row at the bottom are not cut; a small table gets exactly Qt's widths."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTableView

from jxc_desktop.services.reporting.dto import ColKind, Column, ReportTable
from jxc_desktop.ui.models.report_table import ReportTableModel
from jxc_desktop.ui.report_widths import fit_columns

COLUMNS = (Column("code", "Code", ColKind.TEXT), Column("label", "Product", ColKind.TEXT),
           Column("category", "Category", ColKind.TEXT), Column("qty", "Qty", ColKind.QTY),
           Column("net_sales", "Net sales", ColKind.MONEY), Column("margin_bp", "Margin", ColKind.PCT),
           Column("sale_count", "Sales count", ColKind.INT), Column("days", "Days", ColKind.TIMES))


def table(rows: list[tuple[object, ...]], total: tuple[object, ...] | None) -> ReportTable:
    return ReportTable("profit", "Profit summary", "2026-01-01 – 2026-12-31", COLUMNS, tuple(rows), total)


def shop_rows(n: int) -> list[tuple[object, ...]]:
    cats = ("饮料", "零食", None, "Household & Garden")
    return [(f"{i:06d}", f"商品{i}", cats[i % 4], 1000 * (i % 50) + (125 if i % 7 == 0 else 0),
             (i * 7919) % 100_000 - 3_000, None if i % 11 == 0 else (i * 37) % 9_000 - 900, i % 300, i % 450)
            for i in range(n)]


@pytest.fixture
def view(qtbot) -> QTableView:  # type: ignore[no-untyped-def]
    v = QTableView()
    v.setModel(ReportTableModel(v))
    v.resize(900, 400)
    qtbot.addWidget(v)
    v.show()
    return v


def widths(view: QTableView) -> list[int]:
    return [view.columnWidth(c) for c in range(view.model().columnCount())]


def fits(view: QTableView, row: int, col: int) -> bool:
    grid = 1 if view.showGrid() else 0
    return view.sizeHintForIndex(view.model().index(row, col)).width() + grid <= view.columnWidth(col)


@pytest.mark.parametrize("total", [True, False])
def test_a_small_table_gets_qts_own_widths(view: QTableView, total: bool) -> None:
    rows = shop_rows(300)
    rows[17] = ("X1", "Nescafé Gold Blend 200 g jar (refill)", "Coffee", 3_500, -1_234_567, -12_345, 12_345, 99_999)
    t = table(rows, ("Total", "", "", 9_999_125, 98_765_432, 2_345, 40_000, None) if total else None)
    model = view.model()
    assert isinstance(model, ReportTableModel)
    model.set_table(t)
    view.resizeColumnsToContents()
    by_qt = widths(view)
    for c in range(len(COLUMNS)):
        view.setColumnWidth(c, 5)
    fit_columns(view, t)
    assert widths(view) == by_qt


def test_a_long_name_far_down_and_the_total_are_not_cut(view: QTableView) -> None:
    rows = shop_rows(5_000)
    far = 4_321  # past the 1 000 rows resizeColumnsToContents reads
    rows[far] = (rows[far][0], "康师傅蜜桃味冰红茶家庭装 1.5L×6 瓶（限时特惠）", "节日礼盒与季节性商品",
                 1_234_567_125, 7, 9_999, 1, 3)
    total = ("Total", "", "", 9_876_543_210, 12_345_678_901, -9_999, 1_234_567, 45_678)
    t = table(rows, total)
    model = view.model()
    assert isinstance(model, ReportTableModel)
    model.set_table(t)
    view.resizeColumnsToContents()
    assert not fits(view, far, 1) and not fits(view, len(rows), 4)  # Qt's sample cuts both
    fit_columns(view, t)
    for c in range(len(COLUMNS)):
        assert fits(view, far, c), COLUMNS[c].key
        assert fits(view, len(rows), c), COLUMNS[c].key  # the bold total
    for r in (0, 1, 77, 2_500, 4_999):  # and every other row still fits
        assert all(fits(view, r, c) for c in range(len(COLUMNS)))


def test_an_empty_table_is_as_wide_as_its_headers(view: QTableView) -> None:
    t = table([], None)
    model = view.model()
    assert isinstance(model, ReportTableModel)
    model.set_table(t)
    fit_columns(view, t)
    header = view.horizontalHeader()
    assert widths(view) == [header.sectionSizeHint(c) for c in range(len(COLUMNS))]

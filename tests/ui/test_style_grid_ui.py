"""A clothing shop through its screens: a style received by colour × size in the purchase note's
grid dialog, sold by scanning the variants' barcodes at the till, counted by grid in the count
tab, returned to the supplier by grid; the grids are looked at as PNG."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from sqlalchemy import select

from jxc_desktop.db.models import StockMove
from jxc_desktop.demo.clothing import fill_clothing_demo
from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.catalog.dto import StyleInput
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.stock import ledger
from jxc_desktop.ui.checkout_tab import CheckoutTab
from jxc_desktop.ui.count_tab import CountTab
from jxc_desktop.ui.dialogs.grid_entry_dialog import GridEntryDialog
from jxc_desktop.ui.dialogs.purchase_dialogs import ReturnDialog
from jxc_desktop.ui.products_tab import ProductsTab
from jxc_desktop.ui.purchase_tab import PurchaseTab
from jxc_desktop.ui.styles_view import StylesWindow
from jxc_desktop.ui.widgets.size_grid import SizeGrid
from tests.ui.cjk import type_cjk

COLOURS = (("01", "黑色"), ("07", "酒红"))
SIZES = ("S", "M", "L", "XL")
SHOTS = Path(os.environ.get("JXC_SHOTS", "")) if os.environ.get("JXC_SHOTS") else None


def shot(widget: QWidget, name: str, tmp_path: Path) -> Path:
    """The widget as a PNG (in $JXC_SHOTS to look at, else the test's folder)."""
    QApplication.processEvents()
    path = (SHOTS or tmp_path) / f"{name}.png"
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 2000
    return path


@pytest.fixture
def style(services):  # type: ignore[no-untyped-def]
    codes = tuple((c, s, with_check_digit(f"6971234{i:05d}"))
                  for i, (c, s) in enumerate(((c, s) for c, _n in COLOURS for s in SIZES), start=1))
    services.suppliers.add(SupplierInput(name="广州十三行服饰批发"))
    return services.styles.create_style(StyleInput(
        code="26Q101", name="复古卫衣", colours=COLOURS, sizes=SIZES, category="上衣", season="秋", year=2026,
        brand="简素", sale_price=24900, ref_cost=9800, size_group="S-XXL", barcodes=codes), create_category=True)


def type_cell(qtbot, grid: SizeGrid, colour: str, size: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Go to the cell, open it (F2), type, Enter keeps it."""
    r = [c.code for c in grid.grid.colours].index(colour)
    c = list(grid.grid.sizes).index(size)
    grid.setFocus()
    grid.setCurrentCell(r, c)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editors = [w for w in grid.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1, "the cell did not open for typing"
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


def scan(qtbot, lookup, code: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(lookup, code)
    qtbot.keyClick(lookup, Qt.Key.Key_Return)


def stock(services, code: str) -> dict[tuple[str, str], int]:  # type: ignore[no-untyped-def]
    grid = services.style_grids.stock_grid(code).grid
    return {k: v for k, v in grid.cells.items() if v}


def test_receive_sell_count_by_grid(qtbot, services, style, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # --- 1. the delivery: the style code on the purchase note's scan line opens the grid
    tab = PurchaseTab(services)
    qtbot.addWidget(tab)
    tab.resize(1300, 700)
    tab.show()
    editor = tab.editor
    editor.select_supplier(services.suppliers.list()[0].id)
    scan(qtbot, editor.lookup, "26Q101")
    dlg = editor.grid_dialog
    assert isinstance(dlg, GridEntryDialog) and dlg.isVisible()
    grid = dlg.grid
    for colour, size, qty in (("01", "S", "2"), ("01", "M", "5"), ("01", "L", "4"), ("01", "XL", "1"),
                              ("07", "M", "3"), ("07", "L", "12")):
        type_cell(qtbot, grid, colour, size, qty)
    # totals per row and column follow the typing
    assert grid.item(0, 4).text() == "12" and grid.item(1, 4).text() == "15"
    assert grid.item(2, 1).text() == "8" and grid.item(2, 4).text() == "27"
    assert "27" in dlg.total_label.text()
    shot(dlg, "grid_purchase", tmp_path)
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    assert editor.model.rowCount() == 6  # one line per non-zero cell
    assert [ln.qty for ln in editor.model.lines()] == [2000, 5000, 4000, 1000, 3000, 12000]
    shot(editor, "purchase_note_by_grid", tmp_path)
    # F6 on a line of the style opens its grid again, prefilled; a change replaces those lines
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow, timeout=30_000)  # F-key shortcuts need the active window
    editor.table.selectRow(1)
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_F6)
    again = editor.grid_dialog
    assert again is not dlg and again.grid.item(1, 2).text() == "12"
    type_cell(qtbot, again.grid, "07", "L", "6")
    again.buttons.button(again.buttons.StandardButton.Ok).click()
    assert sum(ln.qty for ln in editor.model.lines()) == 21 * MILLI and editor.model.rowCount() == 6
    editor.post_button.click()
    assert editor.model.rowCount() == 0 and editor.last_posted is not None
    assert stock(services, "26Q101") == {("01", "S"): 2000, ("01", "M"): 5000, ("01", "L"): 4000,
                                         ("01", "XL"): 1000, ("07", "M"): 3000, ("07", "L"): 6000}

    # --- 2. the till: scanning each variant's own barcode
    till = CheckoutTab(services)
    qtbot.addWidget(till)
    till.show()
    for colour, size in (("01", "M"), ("01", "M"), ("07", "L"), ("01", "S")):
        scan(qtbot, till.lookup, style.variant(colour, size).barcode)
    assert [(ln.name, ln.qty) for ln in till.cart.lines] == [
        ("复古卫衣 黑色 M", 2000), ("复古卫衣 酒红 L", 1000), ("复古卫衣 黑色 S", 1000)]
    till.pay()
    pay = till.dialog
    pay.fields["wechat"].setText(str(4 * 249))
    qtbot.keyClick(pay.fields["wechat"], Qt.Key.Key_Return)
    assert till.last_sale is not None and till.cart.empty
    after_sale = stock(services, "26Q101")
    assert after_sale[("01", "M")] == 3000 and after_sale[("01", "S")] == 1000 and after_sale[("07", "L")] == 5000

    # --- 3. the count: F6 on the count tab, a typed 0 is counted as nothing on the shelf
    counts = CountTab(services)
    qtbot.addWidget(counts)
    counts.resize(1300, 600)
    counts.show()
    counts.refresh()
    counts.new_count_dialog().accept()
    scan(qtbot, counts.lookup, "26Q101")
    cdlg = counts.grid_dialog
    assert isinstance(cdlg, GridEntryDialog)
    for colour, size, qty in (("01", "S", "0"), ("01", "M", "3"), ("01", "L", "3"), ("01", "XL", "1"),
                              ("07", "M", "3"), ("07", "L", "5")):
        type_cell(qtbot, cdlg.grid, colour, size, qty)
    shot(cdlg, "grid_count", tmp_path)
    cdlg.buttons.button(cdlg.buttons.StandardButton.Ok).click()
    assert "26Q101" in counts.last_label.text()
    count = counts.current_count()
    services.stock_count.post(count.id)
    with services.db.read() as uow:
        moves = sorted((m.product_id, m.kind, m.qty) for m in uow.session.scalars(
            select(StockMove).where(StockMove.kind.in_(("count_gain", "count_loss")))))
        assert ledger.reconcile(uow.session) == []
    assert moves == sorted([(style.variant("01", "S").product_id, "count_loss", -1000),
                            (style.variant("01", "L").product_id, "count_loss", -1000)])
    # --- 4. stock and sell-through by colour and size
    today = local_today()
    by_colour = services.style_grids.sell_through(today, today, level="colour", style_code="26Q101")
    assert [(r.colour, r.sold, r.on_hand, r.rate_bp) for r in by_colour] == [
        ("黑色", 3000, 7000, 3000), ("酒红", 1000, 8000, 1111)]
    by_size = services.style_grids.sell_through(today, today, level="size", style_code="26Q101")
    assert [(r.size, r.sold, r.on_hand) for r in by_size] == [
        ("S", 1000, 0), ("M", 2000, 6000), ("L", 1000, 8000), ("XL", 0, 1000)]


def test_create_a_style_in_one_dialog_and_see_its_grids(qtbot, services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    products = ProductsTab(services)
    qtbot.addWidget(products)
    products.show()
    products.styles_button.click()
    window = products.styles_window
    assert window is not None and window.list.rowCount() == 0
    dlg = window.new_style()
    qtbot.keyClicks(dlg.code, "26X201")
    type_cjk(dlg.name, "亚麻衬衫")
    type_cjk(dlg.category.lineEdit(), "上衣")
    dlg.season.setCurrentText("夏")
    qtbot.keyClicks(dlg.retail, "199")
    qtbot.keyClicks(dlg.cost, "80")
    dlg.size_group.setCurrentText("S-XXL")
    type_cjk(dlg.colours, "01 黑色\n02 白色")
    assert "10" in dlg.preview.text()
    shot(dlg, "style_dialog", tmp_path)
    dlg.buttons.button(dlg.buttons.StandardButton.Save).click()
    assert dlg.result_style is not None and len(dlg.result_style.variants) == 10
    assert window.list.rowCount() == 1 and window.style_dto.code == "26X201"
    assert window.grid is not None and window.grid.columnCount() == 6 and window.grid.rowCount() == 3
    # a colour and a size later; a combination not made is switched off
    window.add_colour("03 卡其")
    window.add_size("XXXL")
    assert window.grid.rowCount() == 4 and window.grid.columnCount() == 7
    window.grid.setCurrentCell(2, 5)
    window.toggle_button.click()
    assert not window.style_dto.variant("03", "XXXL").active
    assert window.grid.item(2, 5).text() == "—"
    assert services.catalog.get(window.style_dto.variant("03", "XXXL").product_id).active is False
    shot(window, "styles_window_new", tmp_path)
    pdf = window.pdf_bytes()
    assert pdf.startswith(b"%PDF")


def test_styles_window_on_the_clothing_demo(qtbot, services, fill_as_demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    today = local_today()
    # the demo is only the data shown: written as `jxc demo` writes a new file (on a server through
    # the shop itself), then shown through the test's own services
    fill_as_demo(lambda shop: fill_clothing_demo(shop, styles=8, days=120, today=today))
    window = StylesWindow(services)
    qtbot.addWidget(window)
    window.show()
    window.first.setDate(window.first.date().addDays(-90))
    assert window.list.rowCount() == 8
    assert window.sold_grid is not None and window.sold_grid.rowCount() == window.grid.rowCount()
    shot(window, "styles_window_sold", tmp_path)
    rows = [window.by_colour.item(r, 4).text() for r in range(window.by_colour.rowCount())]
    assert rows and all(r.endswith("%") or r == "" for r in rows)
    assert window.grid is not None and window.grid.item(window.grid.rowCount() - 1, window.grid.columnCount() - 1)
    shot(window, "styles_window_demo", tmp_path)
    window.tabs.setCurrentWidget(window.broken)
    shot(window, "styles_window_broken", tmp_path)


def test_return_to_supplier_by_grid(qtbot, services, style, tmp_path) -> None:  # type: ignore[no-untyped-def]
    supplier = services.suppliers.list()[0]
    services.purchasing.post(NoteInput(supplier.id, tuple(LineInput(v.product_id, 5 * MILLI, 9800)
                                                          for v in style.variants)))
    dlg = ReturnDialog(services, None)
    qtbot.addWidget(dlg)
    dlg.show()
    scan(qtbot, dlg.lookup, "26Q101")
    grid = dlg.grid_dialog
    assert isinstance(grid, GridEntryDialog)
    type_cell(qtbot, grid.grid, "01", "M", "2")
    type_cell(qtbot, grid.grid, "07", "XL", "1")
    grid.buttons.button(grid.buttons.StandardButton.Ok).click()
    assert dlg.table.rowCount() == 2
    assert [dlg.table.item(r, dlg.COL_QTY).text() for r in range(2)] == ["2", "1"]
    shot(dlg, "return_by_grid", tmp_path)
    note = dlg.post()
    assert note is not None
    left = stock(services, "26Q101")
    assert left[("01", "M")] == 3000 and left[("07", "XL")] == 4000 and left[("01", "S")] == 5000


def test_f6_on_a_variant_line_of_a_count_opens_its_grid(qtbot, services, style, tmp_path) -> None:  # type: ignore[no-untyped-def]
    counts = CountTab(services)
    qtbot.addWidget(counts)
    counts.resize(1300, 600)
    counts.show()
    counts.refresh()
    counts.new_count_dialog().accept()
    count = counts.current_count()
    target = style.variant("07", "M").product_id
    services.stock_count.set_counted_many(count.id, [(target, 4 * MILLI)])
    counts.reload_lines()
    row = next(r for r in range(counts.model.rowCount()) if counts.model.line_at(r).product_id == target)
    counts.activateWindow()
    qtbot.waitUntil(counts.isActiveWindow, timeout=30_000)  # F-key shortcuts need the active window
    counts.table.selectRow(row)
    counts.table.setFocus()
    qtbot.keyClick(counts.table, Qt.Key.Key_F6)
    dlg = counts.grid_dialog
    assert isinstance(dlg, GridEntryDialog) and dlg.style_dto.code == "26Q101"
    assert dlg.grid.item(1, 1).text() == "4" and dlg.grid.item(0, 0).text() == ""  # counted so far; not yet
    type_cell(qtbot, dlg.grid, "01", "S", "0")
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    lines = {ln.product_id: ln.counted_qty for ln in services.stock_count.lines(count.id)}
    assert lines[style.variant("01", "S").product_id] == 0 and lines[target] == 4 * MILLI
    assert lines[style.variant("01", "M").product_id] is None  # left empty: not counted

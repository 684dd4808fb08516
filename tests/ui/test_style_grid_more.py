"""The style's grid in the places the first round left out: a wholesale note entered by colour ×
size (a style code on the scan line, F6 on a variant line), the selected variant's style grid
from the stock tab, the forecast from the products tab, and labels for every variant of a style
from the styles window."""

from __future__ import annotations

import subprocess

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCharts import QLineSeries
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.accounts.dto import CustomerInput
from jxc_desktop.services.catalog.dto import StyleInput
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.ui import credit_approval, guard
from jxc_desktop.ui.dialogs.grid_entry_dialog import GridEntryDialog
from jxc_desktop.ui.models.wholesale_lines import Col
from jxc_desktop.ui.products_tab import ProductsTab
from jxc_desktop.ui.stock_tab import StockTab
from jxc_desktop.ui.styles_view import StylesWindow
from jxc_desktop.ui.wholesale_editor import WholesaleEditor
from tests.ui.cjk import type_cjk
from tests.ui.test_style_grid_ui import COLOURS, SIZES, scan, shot, stock, type_cell
from tests.unit.test_reorder_season import _drink_with_history


@pytest.fixture
def style(services):  # type: ignore[no-untyped-def]
    """A style of 2 colours × 4 sizes, five of each on hand."""
    codes = tuple((c, s, with_check_digit(f"6971234{i:05d}"))
                  for i, (c, s) in enumerate(((c, s) for c, _n in COLOURS for s in SIZES), start=1))
    supplier = services.suppliers.add(SupplierInput(name="广州十三行服饰批发"))
    made = services.styles.create_style(StyleInput(
        code="26Q101", name="复古卫衣", colours=COLOURS, sizes=SIZES, category="上衣", season="秋", year=2026,
        brand="简素", sale_price=24900, ref_cost=9800, size_group="S-XXL", barcodes=codes), create_category=True)
    supplier_id = supplier if isinstance(supplier, int) else supplier.id
    services.purchasing.post(NoteInput(supplier_id, tuple(LineInput(v.product_id, 5 * MILLI, 9800)
                                                          for v in made.variants)))
    return services.styles.get(made.id)


def show(qtbot, widget):  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=30_000)  # F-key shortcuts need the active window
    return widget


def test_a_wholesale_note_by_colour_and_size(qtbot, services, style, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    services.customers.add(CustomerInput("城南服装店", phone="13800001111"))
    black_m = style.variant("01", "M").product_id
    services.wholesale.set_wholesale_price(black_m, 12900)
    monkeypatch.setattr("jxc_desktop.ui.wholesale_editor.print_pdf", lambda *a, **k: "")
    editor = show(qtbot, WholesaleEditor(services))
    type_cjk(editor.picker.line, "城南")
    editor.picker.search_now()
    qtbot.keyClick(editor.picker.line, Qt.Key.Key_Return)
    assert editor.picker.customer is not None
    scan(qtbot, editor.lookup, "26Q101")  # the style code (款号) opens its grid
    dlg = editor.grid_dialog
    assert isinstance(dlg, GridEntryDialog) and dlg.isVisible() and dlg.style_dto.code == "26Q101"
    for colour, size, qty in (("01", "S", "1"), ("01", "M", "3"), ("07", "L", "2")):
        type_cell(qtbot, dlg.grid, colour, size, qty)
    assert "6" in dlg.total_label.text()
    shot(dlg, "grid_wholesale", tmp_path)
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    lines = editor.model.note.lines
    assert [(ln.product_id, ln.qty, ln.price) for ln in lines] == [
        (style.variant("01", "S").product_id, 1000, 24900), (black_m, 3000, 12900),
        (style.variant("07", "L").product_id, 2000, 24900)]  # the wholesale price where there is one
    assert editor.model.rowCount() == 3 and "26Q101" in editor.message.text()
    # a line priced by hand stays; F6 on a variant line reopens the grid with the rest prefilled
    edit_price = editor.model.index(2, Col.PRICE)
    assert editor.model.setData(edit_price, "200")
    editor.activateWindow()  # the dialog had the activation; F-key shortcuts need it back
    qtbot.waitUntil(editor.isActiveWindow, timeout=30_000)
    editor.table.selectRow(0)
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_F6)
    again = editor.grid_dialog
    assert again is not dlg and again.isVisible()
    assert again.grid.item(0, 1).text() == "3" and again.grid.item(1, 2).text() == ""  # hand-priced: not in it
    type_cell(qtbot, again.grid, "01", "S", "0")
    type_cell(qtbot, again.grid, "01", "XL", "4")
    again.buttons.button(again.buttons.StandardButton.Ok).click()
    assert sorted((ln.product_id, ln.qty, ln.price) for ln in editor.model.note.lines) == sorted([
        (style.variant("07", "L").product_id, 2000, 20000), (black_m, 3000, 12900),
        (style.variant("01", "XL").product_id, 4000, 24900)])
    shot(editor, "wholesale_by_grid", tmp_path)
    monkeypatch.setattr(guard, "ensure_owner", lambda *a, **k: True)
    monkeypatch.setattr(credit_approval, "confirm", lambda *a, **k: True)
    dto = editor.post()
    assert dto is not None and dto.total == 2 * 20000 + 3 * 12900 + 4 * 24900
    left = stock(services, "26Q101")
    assert left[("07", "L")] == 3000 and left[("01", "M")] == 2000 and left[("01", "XL")] == 1000


def test_the_grid_refuses_a_deactivated_variant_and_keeps_the_note(qtbot, services, style, tmp_path) -> None:  # type: ignore[no-untyped-def]
    editor = show(qtbot, WholesaleEditor(services))
    scan(qtbot, editor.lookup, style.variant("07", "S").barcode)  # scanning a variant still works line by line
    assert editor.model.rowCount() == 1
    dlg = editor.grid_entry(style)
    assert dlg is not None
    type_cell(qtbot, dlg.grid, "01", "M", "2")
    services.catalog.set_active(style.variant("01", "M").product_id, False)  # meanwhile, elsewhere
    dlg.buttons.button(dlg.buttons.StandardButton.Ok).click()
    assert editor.model.rowCount() == 1 and "deactivated" in editor.message.text()


def test_lines_for_splits_a_cell_into_packs(services) -> None:  # type: ignore[no-untyped-def]
    pid = services.catalog.create_product(ProductInput(name="袜子", sale_price=900, ref_cost=300, unit="双",
                                                       barcodes=(("6901234567892", 1), ("16901234567899", 12)))).id
    [line] = services.wholesale.lines_for([(pid, 30 * MILLI)])
    assert (line.packs, line.pack_size, line.loose, line.qty, line.price) == (2, 12, 6 * MILLI, 30 * MILLI, 900)


def test_the_stock_tab_shows_the_variants_style_as_a_grid(qtbot, services, style, make_product, tmp_path) -> None:  # type: ignore[no-untyped-def]
    make_product("矿泉水", 200, 100, 10)
    tab = show(qtbot, StockTab(services))
    tab.refresh()
    rows = {tab.model.row_at(r).product_id: r for r in range(tab.model.rowCount())}
    plain = next(pid for pid in rows if pid not in {v.product_id for v in style.variants})
    tab.table.selectRow(rows[plain])
    assert not tab.style_button.isEnabled()  # not a variant: no grid to show
    wine_l = style.variant("07", "L").product_id
    tab.table.selectRow(rows[wine_l])
    assert tab.style_button.isEnabled()
    tab.style_button.click()
    window = tab.styles_window
    assert window is not None and window.isVisible() and window.style_dto.code == "26Q101"
    grid = window.grid
    assert grid is not None and grid.cell_at(grid.currentRow(), grid.currentColumn()) == ("07", "L")
    assert grid.item(1, 2).text() == "5" and grid.item(2, 4).text() == "40"  # 5 of each, 8 cells
    shot(window, "stock_tab_style_grid", tmp_path)


def test_the_forecast_from_the_products_tab(qtbot, services, make_product, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    drink = _drink_with_history(services, make_product, db, local_today())
    make_product("矿泉水", 200, 100, 10)
    tab = show(qtbot, ProductsTab(services))
    tab.refresh()
    assert tab.show_forecast() is None and "Choose a product first" in tab.message_box.text()  # nothing chosen
    tab.message_box.close()
    assert tab.forecast_action in tab.table.actions()  # on the list's right-click menu
    assert tab.table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    tab.model.finish_loading()
    tab.select_row(tab.model.row_of(drink.id))
    tab.forecast_action.trigger()
    dialog = tab.forecast_dialog
    assert dialog is not None and dialog.isVisible()
    f = dialog.forecast
    assert f is not None and f.code == drink.code and len(f.weeks) == 8
    assert dialog.month_table.rowCount() == 12 and dialog.week_table.rowCount() == 8  # past 12 months; ahead
    assert len([s for s in dialog.chart.series() if isinstance(s, QLineSeries)]) == 3  # incl. last year's weeks
    qtbot.wait(50)  # the chart lays its axes out on the event loop
    shot(dialog, "forecast_from_products", tmp_path)


def test_labels_for_every_variant_of_a_style(qtbot, services, style, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    supplier = services.suppliers.list()[0]
    services.purchasing.post(NoteInput(supplier.id, (LineInput(style.variant("07", "M").product_id, 2 * MILLI, 9800),)))
    services.styles.set_variant_active(style.id, "01", "XL", False)  # switched off: no label
    window = show(qtbot, StylesWindow(services))
    assert window.style_dto.code == "26Q101"
    dlg = window.print_labels()
    assert dlg is not None and dlg.isVisible()
    qtbot.waitExposed(dlg)
    on = [v for v in style.variants if (v.colour_code, v.size) != ("01", "XL")]
    assert [(i.product_id, i.copies) for i in dlg.items()] == [(v.product_id, 1) for v in on]
    assert [(i.colour, i.size) for i in dlg.items()][:2] == [("黑色", "S"), ("黑色", "M")]
    assert "One label per unit on hand" in dlg.per_unit_box.text() and dlg.per_unit_box.isVisible()
    dlg.per_unit_box.setChecked(True)
    assert [i.copies for i in dlg.items()] == [7 if v.colour_code == "07" and v.size == "M" else 5 for v in on]
    assert dlg.info.text() == "37 labels on 37 pages"
    shot(dlg, "style_labels", tmp_path)
    dlg.per_unit_box.setChecked(False)
    dlg.format_box.setCurrentIndex(dlg.format_box.findData("a4-4x10"))
    target = tmp_path / "style-labels.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert dlg.save_pdf() is None
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "26Q101-07-L" in text and "26Q101-01-XL" not in text and "酒红" in text
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(target), str(tmp_path / "p")], check=True)
    codes = sorted(r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "p-1.png")))
    assert codes == sorted(v.barcode for v in on)
    dlg.close()


def test_for_style_refuses_what_has_nothing_to_print(services, style) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError):
        services.labels.for_style("NOPE")
    made = services.styles.create_style(StyleInput(code="26Q102", name="针织开衫", colours=(("01", "黑色"),),
                                                   sizes=("M",), sale_price=19900, ref_cost=8000))
    with pytest.raises(ValidationError, match="on hand"):
        services.labels.for_style(made.code, per_unit=True)
    assert [i.copies for i in services.labels.for_style(made.code)] == [1]

"""The products tab driven like an owner would: keys, clicks, Chinese typed through the IME path.
The database is checked through the services."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from jxc_desktop.ui.models.product_table import COL
from jxc_desktop.ui.products_tab import ProductsTab
from tests.ui.cjk import type_cjk


@pytest.fixture
def tab(qtbot, services):  # type: ignore[no-untyped-def]
    widget = ProductsTab(services)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.refresh()
    return widget


def _save(qtbot, dlg) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_search_filters_as_you_type(qtbot, tab, make_product) -> None:  # type: ignore[no-untyped-def]
    make_product("康师傅红烧牛肉面", 450, 300, 5, barcode="6901234567892")
    make_product("农夫山泉矿泉水", 200, 100, 10)
    make_product("统一绿茶", 300, 200, 0)
    tab.refresh()
    assert tab.model.rowCount() == 3
    qtbot.keyClicks(tab.search, "ksf")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=30_000)
    assert tab.model.product_at(0).name == "康师傅红烧牛肉面"
    assert tab.current_id() == tab.model.id_at(0)  # best match selected, ready for Enter
    tab.search.clear()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=30_000)
    type_cjk(tab.search, "矿泉")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=30_000)
    assert tab.model.product_at(0).name == "农夫山泉矿泉水"
    tab.search.clear()
    qtbot.keyClicks(tab.search, "6901234567892")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=30_000)
    assert tab.count_label.text() == "1 products match"
    qtbot.keyClick(tab.search, Qt.Key.Key_Escape)  # Esc clears the search at once
    assert tab.search.text() == "" and tab.model.rowCount() == 3


def test_new_product_with_keys(qtbot, tab, services) -> None:  # type: ignore[no-untyped-def]
    assert tab.count_label.text().startswith("No products yet")  # an empty shop gets a hint
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dlg = tab.dialog
    assert dlg is not None and dlg.isVisible() and dlg.product is None
    type_cjk(dlg.name, "农夫山泉矿泉水")
    assert dlg.pinyin.text() == "nfsqkqs"  # filled from the name as it is typed
    qtbot.keyClicks(dlg.spec, "550ml")
    qtbot.keyClicks(dlg.sale_price, "2.50")
    qtbot.keyClicks(dlg.ref_cost, "1.2")
    qtbot.keyClicks(dlg.min_stock, "6")
    qtbot.keyClicks(dlg.opening_qty, "24")
    qtbot.mouseClick(dlg.add_barcode_button, Qt.MouseButton.LeftButton)
    dlg.barcodes.item(0, 0).setText("6901234567892")
    dlg.add_barcode_row("6901234567885", 12)
    _save(qtbot, dlg)
    assert not dlg.isVisible()
    stored = services.catalog.get(dlg.result_product.id)
    assert (stored.name, stored.spec, stored.sale_price, stored.ref_cost) == ("农夫山泉矿泉水", "550ml", 250, 120)
    assert stored.min_stock == 6000 and stored.stock_qty == 24000
    assert dict(stored.barcodes) == {"6901234567892": 1, "6901234567885": 12}
    hit = services.catalog.find_by_barcode("6901234567885")
    assert hit is not None and hit.multiplier == 12
    assert tab.model.rowCount() == 1 and tab.current_id() == stored.id


def test_bad_input_is_explained_and_nothing_saved(qtbot, tab, services, make_product) -> None:  # type: ignore[no-untyped-def]
    make_product("已有商品", 100, 50, 0, barcode="6901234567892")
    dlg = tab.open_editor(None)
    _save(qtbot, dlg)  # no name
    assert dlg.isVisible() and dlg.error_label.isVisible() and "Name" in dlg.error_label.text()
    type_cjk(dlg.name, "新商品")
    qtbot.keyClicks(dlg.sale_price, "abc")
    _save(qtbot, dlg)
    assert "not an amount of money" in dlg.error_label.text() and dlg.sale_price.hasFocus()
    dlg.sale_price.setText("-1")
    _save(qtbot, dlg)
    assert "must not be negative" in dlg.error_label.text()
    dlg.sale_price.setText("3")
    dlg.add_barcode_row("6901234567890", 1)  # wrong check digit
    _save(qtbot, dlg)
    assert "check digit" in dlg.error_label.text()
    dlg.barcodes.item(0, 0).setText("6901234567892")  # belongs to another product
    _save(qtbot, dlg)
    assert "already belongs to 已有商品" in dlg.error_label.text()
    dlg.barcodes.item(0, 0).setText("20001")
    dlg.barcodes.item(0, 1).setText("0")
    _save(qtbot, dlg)
    assert "Pack size" in dlg.error_label.text()
    assert services.catalog.count() == 1
    dlg.barcodes.item(0, 1).setText("6")
    _save(qtbot, dlg)
    assert not dlg.isVisible() and services.catalog.count() == 2


def test_edit_and_deactivate(qtbot, tab, services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("统一绿茶", 300, 200, 3)
    make_product("统一冰红茶", 300, 200, 0)
    tab.refresh()
    tab.select_row(tab.model.row_of(p.id))
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    dlg = tab.dialog
    assert dlg is not None and dlg.product.id == p.id and dlg.name.text() == "统一绿茶"
    dlg.sale_price.clear()
    qtbot.keyClicks(dlg.sale_price, "3.80")
    dlg.name.selectAll()
    type_cjk(dlg.name, "统一绿茶500ml")
    _save(qtbot, dlg)
    stored = services.catalog.get(p.id)
    assert stored.sale_price == 380 and stored.name == "统一绿茶500ml" and stored.pinyin.startswith("tylc")
    assert tab.model.data(tab.model.index(tab.model.row_of(p.id), COL["sale_price"])) == "¥3.80"

    assert tab.active_button.text() == "Deactivate"
    qtbot.mouseClick(tab.active_button, Qt.MouseButton.LeftButton)
    assert services.catalog.get(p.id).active is False
    assert tab.model.row_of(p.id) == -1 and tab.model.rowCount() == 1
    qtbot.mouseClick(tab.show_inactive, Qt.MouseButton.LeftButton)
    row = tab.model.row_of(p.id)
    assert row >= 0
    tab.select_row(row)
    assert tab.active_button.text() == "Reactivate"
    qtbot.mouseClick(tab.active_button, Qt.MouseButton.LeftButton)
    assert services.catalog.get(p.id).active is True


def test_category_manager(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.dialogs.category_dialog import CategoryDialog

    dlg = CategoryDialog(services)
    qtbot.addWidget(dlg)
    type_cjk(dlg.name, "饮料")
    qtbot.keyClick(dlg.name, Qt.Key.Key_Return)
    type_cjk(dlg.name, "零食")
    qtbot.mouseClick(dlg.add_button, Qt.MouseButton.LeftButton)
    assert [c.name for c in services.catalog.categories()] == ["零食", "饮料"]
    type_cjk(dlg.name, "零食")
    qtbot.mouseClick(dlg.add_button, Qt.MouseButton.LeftButton)
    assert "already exists" in dlg.error_label.text()
    dlg.list.setCurrentRow([dlg.list.item(i).text() for i in range(dlg.list.count())].index("零食"))
    dlg.name.setText("休闲零食")
    qtbot.mouseClick(dlg.rename_button, Qt.MouseButton.LeftButton)
    assert {c.name for c in services.catalog.categories()} == {"休闲零食", "饮料"}
    from jxc_desktop.domain.product_rules import ProductInput

    services.catalog.create_product(ProductInput(name="可乐", category="饮料"))
    dlg.reload("饮料")
    qtbot.mouseClick(dlg.delete_button, Qt.MouseButton.LeftButton)
    assert "still holds 1 products" in dlg.error_label.text()
    dlg.reload("休闲零食")
    qtbot.mouseClick(dlg.delete_button, Qt.MouseButton.LeftButton)
    assert [c.name for c in services.catalog.categories()] == ["饮料"]


def test_product_dialog_lists_categories(qtbot, tab, services) -> None:  # type: ignore[no-untyped-def]
    services.catalog.create_category("饮料")
    dlg = tab.open_editor(None)
    dlg.category.setCurrentIndex(dlg.category.findData("饮料"))
    type_cjk(dlg.name, "雪碧")
    _save(qtbot, dlg)
    assert services.catalog.get(dlg.result_product.id).category == "饮料"


def test_export_then_import_runs_off_the_gui_thread(qtbot, tab, services, make_product, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    make_product("康师傅红烧牛肉面", 450, 300, 5, barcode="6901234567892")
    make_product("统一绿茶", 300, 200, 0)
    out = tmp_path / "products.csv"
    task = tab.export_to(out)
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    assert task.error is None and out.exists()
    assert "products.csv" in tab.message_box.text()
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert "名称" in header
    price = header.index("售价")
    for r in rows[1:]:
        r[price] = "9.99"
    rows.append([""] * len(header))
    rows[-1][header.index("名称")] = "新导入的商品"
    rows[-1][price] = "1.50"
    edited = tmp_path / "edited.csv"
    with edited.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    task = tab.import_from(edited)
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    assert task.error is None, task.error
    assert services.catalog.count() == 3
    assert {p.sale_price for p in services.catalog.search("康师傅")} == {999}
    assert tab.model.rowCount() == 3  # the list was reloaded


def test_bad_import_lists_rows_and_changes_nothing(qtbot, tab, services, make_product, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    make_product("统一绿茶", 300, 200, 0)
    bad = tmp_path / "bad.csv"
    bad.write_text("名称,售价,条码\n好商品,1.00,\n,2.00,\n坏价格,-3,\n坏条码,1.00,6901234567890\n", encoding="utf-8")
    task = tab.import_from(bad)
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    box = tab.message_box
    assert box is not None and box.isVisible()
    detail = box.detailedText()
    assert "Row 3" in detail and "Row 4" in detail and "Row 5" in detail and "Row 2:" not in detail
    assert services.catalog.count() == 1


def test_cancelled_import_writes_nothing(qtbot, tab, services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    big = tmp_path / "big.csv"
    lines = ["名称,售价"] + [f"批量商品{i},{i % 50 + 1}.00" for i in range(3000)]
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    task = tab.import_from(big)
    task.cancel()  # as the Cancel button of the progress dialog does
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    assert "Cancelled" in type(task.error).__name__ and task.result is None
    assert services.catalog.count() == 0
    assert tab.message_box is None or not tab.message_box.isVisible()


def test_pinyin_initials_typed_by_hand_are_kept_until_cleared(qtbot, tab, services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("重庆小面", 1200, 600, 0)
    assert services.catalog.get(p.id).pinyin == "cqxm"
    dlg = tab.open_editor(p.id)
    dlg.pinyin.clear()
    qtbot.keyClicks(dlg.pinyin, "mian1")  # the owner's own 助记码
    _save(qtbot, dlg)
    stored = services.catalog.get(p.id)
    assert stored.pinyin == "mian1" and stored.pinyin_manual
    dlg = tab.open_editor(p.id)
    dlg.name.selectAll()
    type_cjk(dlg.name, "重庆小面大碗")
    assert dlg.pinyin.text() == "mian1"  # a hand-typed code is not overwritten while typing
    _save(qtbot, dlg)
    assert services.catalog.get(p.id).pinyin == "mian1"
    dlg = tab.open_editor(p.id)
    dlg.pinyin.selectAll()
    qtbot.keyClick(dlg.pinyin, Qt.Key.Key_Delete)  # cleared: back to automatic
    _save(qtbot, dlg)
    stored = services.catalog.get(p.id)
    assert stored.pinyin == "cqxmdw" and not stored.pinyin_manual

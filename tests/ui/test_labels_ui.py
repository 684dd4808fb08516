"""Labels from the window: in-store barcodes for the chosen products, the label dialog (preview,
format, number of labels, print, save as PDF), labels for a purchase note and for price changes,
and the in-store code button of the product dialog. Screens are grabbed to PNG to be looked at."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QFileDialog

from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.store_barcode import store_code
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.ui.dialogs import label_dialog
from jxc_desktop.ui.dialogs.product_dialog import ProductDialog
from jxc_desktop.ui.models.product_table import COL
from jxc_desktop.ui.products_tab import ProductsTab
from jxc_desktop.ui.purchase_history import HistoryView

SHOTS = Path("/tmp/jxc-label-shots")


@pytest.fixture
def tab(qtbot, services):  # type: ignore[no-untyped-def]
    widget = ProductsTab(services)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.refresh()
    return widget


def _choose(tab: ProductsTab, rows: list[int]) -> None:
    sel = tab.table.selectionModel()
    sel.clearSelection()
    for r in rows:
        sel.select(tab.model.index(r, COL["name"]),
                   QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_store_barcodes_then_labels_from_the_products_tab(qtbot, tab, services, make_product,  # type: ignore[no-untyped-def]
                                                          monkeypatch, tmp_path) -> None:
    make_product("可口可乐 330ml", 300)
    make_product("散装花生", 1290, barcode="", unit="kg")
    make_product("散装瓜子", 990, barcode="")
    tab.refresh()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3, timeout=30_000)
    _choose(tab, [0, 1, 2])
    assert len(tab.chosen_ids()) == 3
    made = tab.labels.make_store_barcodes()
    assert [m.barcode for m in made] == [store_code("20", 1), store_code("20", 2)]
    assert "2" in tab.message_box.text() and "1" in tab.message_box.text()
    qtbot.waitUntil(lambda: tab.model.product_at(1).barcode == store_code("20", 1), timeout=30_000)

    _choose(tab, [0, 1, 2])
    dlg = tab.labels.print_labels()
    assert dlg is not None and dlg.table.rowCount() == 3
    qtbot.waitExposed(dlg)
    assert not dlg.preview.pixmap().isNull()
    dlg.table.item(1, 4).setData(Qt.ItemDataRole.EditRole, 5)  # five labels of the peanuts
    assert [i.copies for i in dlg.items()] == [1, 5, 1]
    assert dlg.info.text() == "7 labels on 7 pages"
    _shot(dlg, "label-dialog-40x30")
    dlg.format_box.setCurrentIndex(dlg.format_box.findData("a4-4x10"))
    dlg.kind_box.setCurrentIndex(dlg.kind_box.findData("barcode"))
    assert dlg.info.text() == "7 labels on 1 pages"
    qtbot.wait(20)
    _shot(dlg, "label-dialog-a4")

    target = tmp_path / "labels.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert dlg.save_pdf() is None
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(target), str(tmp_path / "p")], check=True)
    codes = sorted(r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "p-1.png")))
    assert codes == sorted([tab.model.product_at(0).barcode] + [store_code("20", 1)] * 5 + [store_code("20", 2)])

    sent: list[tuple[bytes, str]] = []  # the shared print path itself is tested in test_printing.py
    monkeypatch.setattr(label_dialog, "print_pdf",
                        lambda parent, data, printer_name="", **kw: sent.append((data, printer_name)))
    dlg.printer_box.addItem("Label printer", "Label printer")
    dlg.printer_box.setCurrentIndex(dlg.printer_box.count() - 1)
    assert dlg.print_labels() is None
    assert len(sent) == 1 and sent[0][1] == "Label printer" and sent[0][0].startswith(b"%PDF")
    dlg.close()


def test_labels_for_a_purchase_note(qtbot, services, make_product) -> None:  # type: ignore[no-untyped-def]
    tee = make_product("纯棉T恤", 12900, barcode="")
    cup = make_product("保温杯", 5900)
    sup = services.suppliers.add(SupplierInput(name="服装批发"))
    note = services.purchasing.post(NoteInput(sup.id, (LineInput(tee.id, 3000, 5000), LineInput(cup.id, 2000, 3000))))
    view = HistoryView(services)
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    assert view.select_number(note.number)
    assert view.labels_button.isEnabled()
    dlg = view.labels_current()
    assert dlg is not None
    assert [i.copies for i in dlg.items()] == [1, 1]
    dlg.per_unit_box.setChecked(True)
    assert [i.copies for i in dlg.items()] == [3, 2]
    assert dlg.info.text() == "5 labels on 5 pages"
    _shot(dlg, "label-dialog-purchase")
    dlg.close()


def test_labels_for_price_changes(qtbot, tab, services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 300)
    make_product("薯片", 650)
    assert tab.labels.price_change_labels(local_today()) is None  # nothing changed: a note says so
    assert "No sale price changed" in tab.message_box.text()
    dto = services.catalog.get(p.id)
    data = ProductInput(name=dto.name, code=dto.code, sale_price=350, barcodes=dto.barcodes)
    services.catalog.update_product(p.id, replace(data, sale_price=350))
    dlg = tab.labels.price_change_labels(local_today())
    assert dlg is not None and [i.product_id for i in dlg.items()] == [p.id]
    assert dlg.items()[0].price == 350
    dlg.close()


def test_product_dialog_in_store_code(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    dlg = ProductDialog(services)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.name.setText("散装糖果")
    code = dlg.add_store_barcode()
    assert code == store_code("20", 1)
    assert dlg.barcodes.item(0, 0).text() == code
    _shot(dlg, "product-dialog-store-code")

"""The purchase tab driven like the owner does: create a supplier, scan lines (a case barcode, an
unknown barcode that becomes a new product, a batch-tracked product), post; then the books are
checked in the database; return, reversal, draft, PDF, reorder draft."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from sqlalchemy import select

from jxc_desktop.db.models import Batch, StockMove
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.purchasing.dto import SupplierInput
from jxc_desktop.services.stock import ledger
from jxc_desktop.ui.models.purchase_lines import Col, PurchaseLinesModel
from jxc_desktop.ui.models.purchase_tables import NoteLinesModel, NoteListModel, SupplierModel, SupplierRow
from jxc_desktop.ui.purchase_actions import save_note_pdf
from jxc_desktop.ui.purchase_tab import PurchaseTab
from tests.ui.cjk import type_cjk

CASE = "16901234567899"


@pytest.fixture
def yes(monkeypatch):  # type: ignore[no-untyped-def]
    """Answer Yes to every question box; record the texts."""
    asked: list[str] = []

    def question(_parent, _title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a, **_k: warnings.append(text))
    return asked, warnings


@pytest.fixture
def tab(qtbot, services):  # type: ignore[no-untyped-def]
    w = PurchaseTab(services)
    qtbot.addWidget(w)
    w.resize(1300, 700)
    w.show()
    return w


def scan(qtbot, editor, code: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(editor.lookup, code)
    qtbot.keyClick(editor.lookup, Qt.Key.Key_Return)


def edit_cell(qtbot, table, row: int, col: int, text: str) -> None:  # type: ignore[no-untyped-def]
    idx = table.model().index(row, col)
    table.setCurrentIndex(idx)
    table.edit(idx)
    editors = [w for w in table.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1, "the cell did not open an editor"
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits on a queued call


def test_receive_a_delivery_then_return_and_reverse(qtbot, tab, services, make_product, db, yes, tmp_path) -> None:
    asked, warnings = yes
    cola = make_product("可乐", 300, 200, qty=6, barcode="6901234567892")  # 6 @ 2.00
    water = services.catalog.create_product(ProductInput(name="矿泉水", sale_price=200, ref_cost=100, barcodes=(
        ("6912345678902", 1), (CASE, 12))))
    milk = make_product("鲜牛奶", 600, 400, barcode="6923456789012", tracks_batches=True, shelf_life_days=10)
    ed = tab.editor

    # A supplier created on the spot, with the name typed in Chinese.
    dlg = ed.new_supplier()
    type_cjk(dlg.name, "华联批发")
    qtbot.keyClicks(dlg.phone, "0571-5555")
    dlg.accept()
    assert ed.supplier.currentText() == "华联批发"
    sup_id = ed.supplier_id()
    assert sup_id is not None

    scan(qtbot, ed, "6901234567892")
    scan(qtbot, ed, CASE)
    scan(qtbot, ed, CASE)  # the same case again: 2 packs of 12
    scan(qtbot, ed, "6923456789012")
    scan(qtbot, ed, "6939999999992")  # a misread scan (wrong check digit) is named as such
    assert "check digit" in ed.message.text() and not asked
    scan(qtbot, ed, "6939999999993")  # unknown barcode
    assert "6939999999993" in asked[-1]
    pd = ed.product_dialog
    assert pd is not None and pd.barcodes.item(0, 0).text() == "6939999999993"
    type_cjk(pd.name, "新口味薯片")
    qtbot.keyClicks(pd.sale_price, "6.5")
    qtbot.keyClicks(pd.ref_cost, "4")
    pd.accept()
    m = ed.model
    assert m.rowCount() == 4
    assert [(ln.product.name, ln.packs, ln.pack, ln.qty, ln.unit_cost) for ln in m.lines()] == [
        ("可乐", 1000, 1, 1000, 200), ("矿泉水", 2000, 12, 24_000, 100), ("鲜牛奶", 1000, 1, 1000, 400),
        ("新口味薯片", 1000, 1, 1000, 400)]

    edit_cell(qtbot, ed.table, 0, Col.PACKS, "10")  # 10 colas
    edit_cell(qtbot, ed.table, 0, Col.COST, "2.6")  # at 2.60: the average moves to (12 + 26) / 16
    edit_cell(qtbot, ed.table, 2, Col.QTY, "bad")  # refused with a message, nothing changed
    assert "not a quantity" in ed.message.text() and m.line(2).qty == 1000
    edit_cell(qtbot, ed.table, 2, Col.QTY, "12")
    # Posting without the milk's batch is refused with a clear message; nothing is posted.
    qtbot.mouseClick(ed.post_button, Qt.MouseButton.LeftButton)
    assert "batch number" in warnings[-1]
    assert services.purchasing.history() == []
    produced = local_today() - timedelta(days=1)
    edit_cell(qtbot, ed.table, 2, Col.BATCH, "M2611")
    edit_cell(qtbot, ed.table, 2, Col.PRODUCTION, produced.strftime("%Y%m%d"))  # as owners type it
    assert "¥" in ed.totals.text()
    qtbot.mouseClick(ed.post_button, Qt.MouseButton.LeftButton)
    assert "CG" in ed.message.text() and m.rowCount() == 0

    note = services.purchasing.history()[0]
    assert note.supplier_name == "华联批发" and note.line_count == 4 and note.total == 2600 + 2400 + 4800 + 400
    c = services.catalog.get(cola.id)
    assert (c.stock_qty, c.stock_value, c.avg_cost, c.last_cost) == (16_000, 1200 + 2600, 238, 260)
    assert services.catalog.get(water.id).stock_qty == 24_000
    with db.read() as uow:
        s = uow.session
        assert ledger.reconcile(s) == []
        batch = s.scalar(select(Batch).where(Batch.product_id == milk.id))
        assert (batch.batch_no, batch.qty, batch.production_date, batch.expiry_date) == (
            "M2611", 12_000, produced, produced + timedelta(days=10))
        kinds = [(mv.kind, mv.qty, mv.value) for mv in s.scalars(
            select(StockMove).where(StockMove.product_id == cola.id).order_by(StockMove.id))]
    assert kinds == [("opening", 6000, 1200), ("purchase", 10_000, 2600)]

    # The printed note (saved as PDF) reads back with pdftotext.
    pdf = save_note_pdf(tab, services, services.purchasing.get(note.id), str(tmp_path / "note.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert note.number in text and "新口味薯片" in text and "M2611" in text and "¥102.00" in text

    # Return 4 colas against the note, from the history page.
    tab.pages.setCurrentWidget(tab.history)
    h = tab.history
    assert h.select_number(note.number)
    rd = h.return_current()
    rd.set_qty(0, "4")
    qtbot.mouseClick(rd.post_button, Qt.MouseButton.LeftButton)
    ret = rd.result_note
    assert ret is not None and ret.number.startswith("CT") and ret.total == 950  # 4 of 16 worth ¥38.00
    assert services.catalog.get(cola.id).stock_qty == 12_000
    # Reversing the purchase is refused while the return stands; reverse the return, then the note.
    assert h.select_number(note.number)
    assert h.reverse_current() is None and "returns" in warnings[-1]
    assert h.select_number(ret.number)
    assert h.reverse_current() is not None
    assert h.select_number(note.number)
    assert h.reverse_current() is not None
    c = services.catalog.get(cola.id)
    assert (c.stock_qty, c.stock_value) == (6_000, 1200)
    with db.read() as uow:
        assert ledger.reconcile(uow.session) == []
        assert uow.session.scalar(select(Batch.qty).where(Batch.product_id == milk.id)) == 0


def test_reversal_refused_under_block_after_a_sale(qtbot, tab, services, make_product, db, yes) -> None:
    _asked, warnings = yes
    sup = services.suppliers.add(SupplierInput("甲"))
    tab.editor.refresh_suppliers(sup.id)
    p = make_product("饼干", 500, 300, barcode="6901234567892")
    scan(qtbot, tab.editor, "6901234567892")
    edit_cell(qtbot, tab.editor.table, 0, Col.PACKS, "5")
    note = tab.editor.post()
    assert note is not None
    from tests.unit.purchase_fixtures import record_sale

    record_sale(db, p.id, 3000, local_today())
    services.settings.update({"negative_stock": "block"})
    tab.history.refresh()
    assert tab.history.select_number(note.number)
    assert tab.history.reverse_current() is None
    assert "Not enough stock" in warnings[-1]
    assert services.purchasing.get(note.id).status == "posted"
    assert services.catalog.get(p.id).stock_qty == 2000


def test_draft_survives_and_reorder_makes_one(qtbot, tab, services, make_product, db, yes) -> None:
    sup = services.suppliers.add(SupplierInput("乙"))
    p = make_product("纸巾", 500, 300, barcode="6901234567892", min_stock=10_000)
    tab.editor.refresh_suppliers(sup.id)
    scan(qtbot, tab.editor, "6901234567892")
    draft = tab.editor.save_draft()
    assert draft is not None and draft.is_draft
    # A new tab on the same file (a restart) finds the draft in the history and opens it.
    again = PurchaseTab(services)
    qtbot.addWidget(again)
    again.history.show_drafts()
    assert again.history.select_number(draft.number)
    again.history.open_current()
    assert again.editor.draft_id == draft.id and again.editor.model.rowCount() == 1
    posted = again.editor.post()
    assert posted is not None and posted.id == draft.id and posted.number.startswith("CG")
    # 1 in stock, minimum 10: the reorder page suggests 9 from 乙 and makes a draft of it.
    again.pages.setCurrentWidget(again.reorder)
    again.reorder.refresh()
    assert [g.supplier_name for g in again.reorder.groups] == ["乙"]
    again.reorder.make_draft()
    assert again.pages.currentWidget() is again.editor
    assert [(ln.product.id, ln.qty) for ln in again.editor.model.lines()] == [(p.id, 9000)]


def test_suppliers_page(qtbot, tab, services, yes) -> None:
    page = tab.suppliers
    dlg = page.add()
    type_cjk(dlg.name, "丙商行")
    dlg.accept()
    assert [r.supplier.name for r in page.model.rows()] == ["丙商行"]
    page.table.selectRow(0)
    page.toggle_active()
    assert page.model.row(0).supplier.active is False
    assert tab.editor.supplier.findText("丙商行") == -1  # deactivated: not offered for new notes


def test_models(qtmodeltester, services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("测试", 100, 50, tracks_batches=True)
    lines = PurchaseLinesModel()
    lines.add(p, 6, 50)
    qtmodeltester.check(lines)
    sup = services.suppliers.add(SupplierInput("丁"))
    sm = SupplierModel()
    sm.set_rows([SupplierRow(sup, None)])
    qtmodeltester.check(sm)
    nl = NoteListModel()
    nl.set_rows(services.purchasing.history())
    qtmodeltester.check(nl)
    qtmodeltester.check(NoteLinesModel())


def test_doubtful_expiry_asks_and_import_fills_lines(qtbot, tab, services, make_product, tmp_path, yes) -> None:
    asked, warnings = yes
    sup = services.suppliers.add(SupplierInput("戊"))
    milk = make_product("酸奶", 600, 400, barcode="6901234567892", tracks_batches=True)
    ed = tab.editor
    ed.refresh_suppliers(sup.id)
    f = tmp_path / "delivery.csv"
    yesterday = local_today() - timedelta(days=1)
    f.write_text(f"条码,数量,单价,批号,有效期\n6901234567892,12,3.50,Y1,{yesterday.isoformat()}\n", encoding="utf-8")
    assert ed.import_file(str(f))
    assert [(ln.qty, ln.unit_cost, ln.batch_no, ln.expiry) for ln in ed.model.lines()] == [
        (12_000, 350, "Y1", yesterday)]
    bad = tmp_path / "bad.csv"
    bad.write_text("条码,数量,单价\n0000000000000,1,1\n6901234567892,-1,1\n", encoding="utf-8")
    assert not ed.import_file(str(bad))
    assert "Row 2" in warnings[-1] and "Row 3" in warnings[-1] and ed.model.rowCount() == 1
    note = ed.post()  # the expiry is already past: asked, confirmed (Yes), posted
    assert note is not None and "already past" in asked[-1]
    assert services.catalog.get(milk.id).stock_qty == 12_000


def test_free_standing_return_by_scanning(qtbot, tab, services, make_product, yes) -> None:
    _asked, warnings = yes
    services.suppliers.add(SupplierInput("己"))
    p = make_product("洗发水", 3000, 2000, qty=10, barcode="6901234567892")  # 10 @ 20.00
    tab.pages.setCurrentWidget(tab.history)
    rd = tab.history.free_return()
    assert rd.supplier.currentText() == "己"
    scan(qtbot, rd, "6901234567892")  # the dialog has its own scan line
    assert rd.table.rowCount() == 1 and rd.table.item(0, rd.COL_AVAILABLE).text() == "10"
    qtbot.mouseClick(rd.post_button, Qt.MouseButton.LeftButton)  # no quantity typed: refused
    assert "quantity to return" in warnings[-1] and rd.result_note is None
    rd.set_qty(0, "3")
    qtbot.mouseClick(rd.post_button, Qt.MouseButton.LeftButton)
    assert rd.result_note is not None and rd.result_note.total == 6000 and rd.result_note.origin_id is None
    assert services.catalog.get(p.id).stock_qty == 7_000
    assert tab.history.model.rows()[0].number == rd.result_note.number


def test_choosing_the_supplier_prefills_its_last_cost(qtbot, tab, services, make_product, yes) -> None:
    from jxc_desktop.services.purchasing.dto import LineInput, NoteInput

    a = services.suppliers.add(SupplierInput("庚"))
    services.suppliers.add(SupplierInput("辛"))
    p = make_product("酱油", 900, 500, barcode="6901234567892")
    services.purchasing.post(NoteInput(a.id, (LineInput(p.id, 1000, 555),)))
    ed = tab.editor
    ed.refresh_suppliers()
    scan(qtbot, ed, "6901234567892")
    assert ed.model.line(0).unit_cost == 500  # no supplier yet: the reference cost
    ed.supplier.setCurrentIndex(ed.supplier.findText("庚"))
    assert ed.model.line(0).unit_cost == 555  # the last cost from 庚
    ed.supplier.setCurrentIndex(ed.supplier.findText("辛"))
    assert ed.model.line(0).unit_cost == 500

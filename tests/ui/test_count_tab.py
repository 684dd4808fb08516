"""The count tab with real widgets: open a count, scan and type, sell in the middle through the
checkout service, post; batches; collector import; the line model under qtmodeltester."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox
from sqlalchemy import select

from jxc_desktop.db.models import Batch, Product, StockMove
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.services.stock import ledger
from jxc_desktop.ui.count_tab import CountTab
from jxc_desktop.ui.models.count_lines import Col, CountLinesModel


@pytest.fixture
def tab(qtbot, services):  # type: ignore[no-untyped-def]
    widget = CountTab(services)
    qtbot.addWidget(widget)
    widget.resize(1300, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.refresh()
    return widget


def sell(services, product_id: int, units: int) -> None:  # type: ignore[no-untyped-def]
    line = replace(services.checkout.line_for_product(product_id), qty=units * 1000)
    cart = Cart(lines=(line,))
    services.checkout.post_sale(cart, [Tender("cash", services.checkout.price(cart).total)], confirmed=True)


def scan(qtbot, tab, code: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(tab.lookup, code)
    qtbot.keyClick(tab.lookup, Qt.Key.Key_Return)


def row_of(tab, product_id: int) -> int:  # type: ignore[no-untyped-def]
    for r in range(tab.model.rowCount()):
        if tab.model.line_at(r).product_id == product_id:
            return r
    raise AssertionError("line not shown")


def count_moves(services):  # type: ignore[no-untyped-def]
    with services.db.read() as uow:
        return sorted((m.product_id, m.kind, m.qty) for m in uow.session.scalars(
            select(StockMove).where(StockMove.kind.in_(("count_gain", "count_loss")))))


def test_scan_type_sell_and_post(qtbot, tab, services, make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 300, 200, 10, barcode="6901234567892", category="饮料")
    bread = make_product("面包", 500, 300, 5, barcode="6920000000012", category="食品")
    make_product("绿茶", 400, 250, 8, category="饮料")
    dlg = tab.new_count_dialog()
    dlg.accept()
    count = tab.current_count()
    assert count is not None and count.status == "open" and tab.model.rowCount() == 3

    for _ in range(9):
        scan(qtbot, tab, "6901234567892")
    line = tab.model.line_at(row_of(tab, cola.id))
    assert line.counted_qty == 9_000
    assert tab.model.is_flashing(line.id)
    assert "可乐" in tab.last_label.text() and "9" in tab.last_label.text()
    qtbot.waitUntil(lambda: not tab.model.is_flashing(line.id), timeout=30_000)
    sell(services, cola.id, 3)  # after the shelf was counted: not a loss

    sell(services, bread.id, 2)  # before counting
    row = row_of(tab, bread.id)
    index = tab.model.index(row, Col.COUNTED)
    tab.table.setCurrentIndex(index)
    qtbot.keyClick(tab.table, Qt.Key.Key_F2)  # edit the Counted cell, as a user would
    editor = tab.table.viewport().findChild(QLineEdit)
    assert editor is not None
    qtbot.keyClicks(editor, "4")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.table.state() != tab.table.State.EditingState, timeout=30_000)  # queued commit
    assert tab.model.line_at(row).counted_qty == 4_000
    qtbot.waitUntil(lambda: "Counted 2/3" in tab.summary_label.text(), timeout=30_000)

    tab.filter.setCurrentIndex(tab.filter.findData("differences"))
    assert tab.model.rowCount() == 2
    post = tab.post_dialog()
    assert "1 uncounted" in post.keep_radio.text()
    post.accept()
    qtbot.waitUntil(lambda: tab.task is not None and tab.task.finished, timeout=30_000)
    assert tab.current_count().status == "posted"
    assert count_moves(services) == sorted([(cola.id, "count_loss", -1_000), (bread.id, "count_gain", 1_000)])
    assert services.catalog.get(cola.id).stock_qty == 6_000
    assert not tab.post_button.isEnabled() and not tab.lookup.isEnabled()


def test_zero_uncounted_needs_the_tick(qtbot, tab, services, make_product) -> None:  # type: ignore[no-untyped-def]
    a = make_product("甲", 300, 200, 4)
    tab.new_count_dialog().accept()
    post = tab.post_dialog()
    post.zero_radio.setChecked(True)
    post.accept()
    assert post.isVisible() and tab.current_count().status == "open"
    post.confirm_zero.setChecked(True)
    post.accept()
    qtbot.waitUntil(lambda: tab.task is not None and tab.task.finished, timeout=30_000)
    assert tab.current_count().status == "posted"
    assert services.catalog.get(a.id).stock_qty == 0


def test_scan_outside_scope_offers_to_add(qtbot, tab, services, make_product, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make_product("甲", category="饮料")
    other = make_product("乙", category="食品", barcode="6920000000012")
    cats = {c.name: c.id for c in services.catalog.categories()}
    dlg = tab.new_count_dialog()
    dlg.some_radio.setChecked(True)
    dlg.check_category(cats["饮料"])
    dlg.accept()
    assert tab.model.rowCount() == 1
    asked: list[str] = []

    def yes(_parent, _title, text, *_a, **_k):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    scan(qtbot, tab, "6920000000012")
    assert asked and "乙" in asked[0]
    assert tab.model.rowCount() == 2
    assert tab.model.line_at(row_of(tab, other.id)).counted_qty == 1_000
    third = make_product("丙", category="食品", barcode="")
    tab.pick(third)  # chosen by search: asked too, then its Counted cell opens for typing
    assert len(asked) == 2 and "丙" in asked[1]
    qtbot.waitUntil(lambda: tab.table.state() == tab.table.State.EditingState, timeout=30_000)
    assert tab.model.line_at(tab.table.currentIndex().row()).product_id == third.id


def test_batch_scan_asks_for_batch_and_adds_new_one(qtbot, tab, services, make_product) -> None:  # type: ignore[no-untyped-def]
    milk = make_product("牛奶", 600, 400, 0, barcode="6930000000011", tracks_batches=True)
    with services.db.write() as uow:
        s = uow.session
        for no in ("B1", "B2"):
            b = Batch(product_id=milk.id, batch_no=no, expiry_date=local_today() + timedelta(days=9), qty=0)
            s.add(b)
            s.flush()
            ledger.receive(s, s.get(Product, milk.id), 2_000, MoveKind.PURCHASE, ledger.DocRef("purchase"),
                           value=800, batch=b)
        uow.commit()
    tab.new_count_dialog().accept()
    scan(qtbot, tab, "6930000000011")
    dlg = tab.dialog
    assert dlg.list.count() == 2
    dlg.list.setCurrentRow(1)
    dlg.accept()
    lines = services.stock_count.lines_of_product(tab.current_count().id, milk.id)
    assert [(ln.batch_no, ln.counted_qty) for ln in lines] == [("B1", None), ("B2", 1_000)]
    scan(qtbot, tab, "6930000000011")
    dlg = tab.dialog
    dlg.batch_no.setText("B9")
    dlg.new_radio.setChecked(True)
    dlg.accept()
    lines = services.stock_count.lines_of_product(tab.current_count().id, milk.id)
    assert [(ln.batch_no, ln.counted_qty) for ln in lines][-1] == ("B9", 1_000)
    assert tab.model.rowCount() == 3


def test_import_and_pdfs(qtbot, tab, services, make_product, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a = make_product("甲", 300, 200, 5, barcode="6901234567892")
    tab.new_count_dialog().accept()
    good = tmp_path / "c.csv"
    good.write_text("barcode,qty\n6901234567892,3\n", encoding="utf-8")
    task = tab.import_file(good)
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    assert task.error is None
    assert tab.model.line_at(row_of(tab, a.id)).counted_qty == 3_000
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(text))
    bad = tmp_path / "bad.csv"
    bad.write_text("barcode,qty\n6999999999997,1\n", encoding="utf-8")
    task = tab.import_file(bad)
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    assert task.error is not None
    assert shown and "6999999999997" in shown[0]
    assert tab.write_pdf("blank", tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    assert tab.write_pdf("variance", tmp_path / "v.pdf").read_bytes().startswith(b"%PDF")
    task = tab.print_current(output_file=str(tmp_path / "printed.pdf"))  # engineer C's print path
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    assert tab.print_error is None and (tmp_path / "printed.pdf").stat().st_size > 1000


def test_resume_and_cancel(qtbot, services, make_product, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make_product("甲", 300, 200, 5)
    count = services.stock_count.open()
    tab = CountTab(services)
    qtbot.addWidget(tab)
    tab.refresh()
    assert tab.current_count().id == count.id  # the open count comes back after a restart
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.cancel_count()
    assert services.stock_count.get(count.id).status == "cancelled"


def test_line_model_passes_modeltester(qtmodeltester, services, make_product) -> None:  # type: ignore[no-untyped-def]
    for i in range(5):
        make_product(f"品{i}", 300, 200, i)
    count = services.stock_count.open()
    services.stock_count.add(count.id, services.stock_count.lines(count.id)[0].product_id, 2_000)
    model = CountLinesModel(services.stock_count)
    model.load(count.id, editable=True)
    qtmodeltester.check(model)
    assert model.setData(model.index(1, Col.COUNTED), "1.5")
    assert model.line_at(1).counted_qty == 1_500
    assert not model.setData(model.index(1, Col.NAME), "x")


def test_search_and_pick_opens_the_counted_cell(qtbot, tab, services, make_product) -> None:  # type: ignore[no-untyped-def]
    make_product("散装大米", 600, 400, 20, barcode="", category="粮油")
    for i in range(5):
        make_product(f"饼干{i}", category="零食")
    tab.new_count_dialog().accept()
    tab.filter.setCurrentIndex(tab.filter.findData("counted"))  # the rice line is hidden by this filter
    assert tab.model.rowCount() == 0
    qtbot.keyClicks(tab.lookup, "sz")
    tab.lookup.search_now()
    assert tab.lookup.popup_visible()
    qtbot.keyClick(tab.lookup, Qt.Key.Key_Down)
    qtbot.keyClick(tab.lookup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.table.state() == tab.table.State.EditingState, timeout=30_000)
    editor = tab.table.viewport().findChild(QLineEdit)
    assert editor is not None and tab.model.rowCount() == 6
    qtbot.keyClicks(editor, "18.5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.table.state() != tab.table.State.EditingState, timeout=30_000)
    line = tab.model.line_at(tab.table.currentIndex().row())
    assert line.name == "散装大米" and line.counted_qty == 18_500 and line.diff_qty == -1_500


def test_saved_count_pdf_says_where_without_a_viewer(qtbot, tab, services, make_product, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                     monkeypatch) -> None:
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog

    make_product("可乐", 300, 200, 5_000)
    tab.new_count_dialog().accept()
    target = tmp_path / "sheet.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))  # no PDF viewer here
    qtbot.mouseClick(tab.blank_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(tab, "saved_file_box", None) is not None, timeout=30000)
    assert target.read_bytes().startswith(b"%PDF")
    assert str(target) in tab.saved_file_box.text() and "No program to show PDF" in tab.saved_file_box.text()

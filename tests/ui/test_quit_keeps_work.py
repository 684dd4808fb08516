"""Quitting (Ctrl+Q, the window's close button) with work in progress keeps it, without a question:
the cart is held (F9 brings it back after the restart), the purchase note being typed is saved as a
draft, a count quantity typed but not confirmed with Enter is recorded."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QMessageBox

from jxc_desktop.db.uow import Database
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.main_window import MainWindow
from jxc_desktop.ui.models.count_lines import Col
from tests.ui.cjk import type_cjk


def test_quit_holds_the_cart_keeps_the_draft_and_the_typed_count(qtbot, services, db_path, make_product,  # type: ignore[no-untyped-def]
                                                                monkeypatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(a[2]) or
                                                               QMessageBox.StandardButton.No))
    cola = make_product("可口可乐", 350, 200, 10_000)
    window = MainWindow(services, db_path)
    qtbot.addWidget(window)
    window.show()
    checkout = window.show_tab("checkout")
    checkout.add_product(cola)  # type: ignore[union-attr]
    purchase = window.show_tab("purchase").editor  # type: ignore[union-attr]
    purchase.add_product(cola)
    type_cjk(purchase.note, "送货单 A-17")
    count = window.show_tab("count")
    count.new_count_dialog().accept()  # type: ignore[union-attr]
    index = count.model.index(0, Col.COUNTED)  # type: ignore[union-attr]
    count.table.setCurrentIndex(index)  # type: ignore[union-attr]
    count.table.edit(index)  # type: ignore[union-attr]
    editor = count.table.viewport().findChildren(QLineEdit)[0]  # type: ignore[union-attr]
    editor.setText("7")  # typed, no Enter yet

    window.quit_action.trigger()  # what Ctrl+Q and 文件 → 退出 send
    assert not window.isVisible() and asked == []
    services.db.dispose()

    again = Services(Database.for_file(db_path))
    held = again.held_sales.list()
    assert [(h.first_item, h.label) for h in held] == [("可口可乐", "Held when the program closed")]
    drafts = again.purchasing.drafts()
    assert len(drafts) == 1
    note = again.purchasing.get(drafts[0].id)
    assert note.note == "送货单 A-17" and [ln.product_id for ln in note.lines] == [cola.id]
    line = again.stock_count.lines(count.current_count().id)[0]  # type: ignore[union-attr]
    assert line.counted_qty == 7_000
    again.db.dispose()


def test_nothing_to_keep_closes_at_once(qtbot, services, db_path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(services, db_path)
    qtbot.addWidget(window)
    window.show()
    window.build_all_tabs()
    window.quit_action.trigger()
    assert not window.isVisible()
    assert services.held_sales.list() == [] and services.purchasing.drafts() == []

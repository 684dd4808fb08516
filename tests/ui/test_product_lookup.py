"""The shared scan/search line: Enter scans, typing shows a pick list, arrows + Enter pick."""

from __future__ import annotations

from PySide6.QtCore import Qt

from jxc_desktop.ui.widgets.product_lookup import ProductListModel, ProductLookup
from tests.ui.cjk import type_cjk


def test_enter_emits_scan_and_clears(qtbot, services, make_product) -> None:  # type: ignore[no-untyped-def]
    make_product("可口可乐", 350, 200, 10, barcode="6901234567892")
    w = ProductLookup(services.catalog.search)
    qtbot.addWidget(w)
    w.show()
    scans: list[str] = []
    w.scanned.connect(scans.append)
    qtbot.keyClicks(w, "6901234567892")
    qtbot.keyClick(w, Qt.Key.Key_Return)
    assert scans == ["6901234567892"]
    assert w.text() == ""
    assert not w.popup_visible()


def test_pinyin_pick_list_arrows_and_enter(qtbot, services, make_product) -> None:  # type: ignore[no-untyped-def]
    make_product("可口可乐", 350, 200, 10)
    cola2 = make_product("可口可乐零度", 380, 220, 10)
    make_product("雪碧", 300, 180, 10)
    w = ProductLookup(services.catalog.search, delay_ms=10)
    qtbot.addWidget(w)
    w.show()
    picked: list[object] = []
    scans: list[str] = []
    w.picked.connect(picked.append)
    w.scanned.connect(scans.append)
    qtbot.keyClicks(w, "kkkl")
    qtbot.waitUntil(w.popup_visible, timeout=30_000)
    assert [p.name for p in w.results()] == ["可口可乐", "可口可乐零度"]
    qtbot.keyClick(w, Qt.Key.Key_Down)
    qtbot.keyClick(w, Qt.Key.Key_Down)
    assert w.current_row() == 1
    qtbot.keyClick(w, Qt.Key.Key_Return)
    assert [p.id for p in picked] == [cola2.id]  # type: ignore[attr-defined]
    assert scans == []
    assert not w.popup_visible() and w.text() == ""


def test_name_search_in_chinese_and_escape(qtbot, services, make_product) -> None:  # type: ignore[no-untyped-def]
    make_product("雪碧", 300, 180, 10)
    w = ProductLookup(services.catalog.search)
    qtbot.addWidget(w)
    w.show()
    type_cjk(w, "雪")
    w.search_now()
    assert [p.name for p in w.results()] == ["雪碧"]
    qtbot.keyClick(w, Qt.Key.Key_Escape)
    assert not w.popup_visible() and w.text() == "雪"
    qtbot.keyClick(w, Qt.Key.Key_Escape)
    assert w.text() == ""


def test_list_model(qtmodeltester, services, make_product) -> None:  # type: ignore[no-untyped-def]
    m = ProductListModel()
    m.set_products([make_product("甲", 100, 50, 1), make_product("乙", 200, 50, 1)])
    qtmodeltester.check(m)
    assert "甲" in m.data(m.index(0, 0))

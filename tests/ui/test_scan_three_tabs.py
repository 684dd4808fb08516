"""One scan rule in the three tabs that scan: the same text + Enter in the checkout, the purchase
editor and the count names the same product (a single search hit is taken as if picked), several
hits show the pick list with the text kept, and nothing found adds nothing. Keys go through the
real scan line; Chinese arrives as an input-method commit string."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.checkout_tab import CheckoutTab
from jxc_desktop.ui.count_tab import CountTab
from jxc_desktop.ui.purchase_editor import NoteEditor
from jxc_desktop.ui.widgets.product_lookup import ProductLookup
from tests.ui.cjk import type_cjk

MILK_EAN = with_check_digit("690000001234")
MILK_CASE = with_check_digit("1690000001234")


@pytest.fixture
def shop(services: Services) -> dict[str, int]:
    add = services.catalog.create_product
    return {
        "qf": add(ProductInput(name="清风抽纸", sale_price=1290, ref_cost=900), opening_qty=5_000).id,
        "milk": add(ProductInput(name="蒙牛纯牛奶", code="000777", sale_price=350, ref_cost=250,
                                 barcodes=((MILK_EAN, 1), (MILK_CASE, 12))), opening_qty=30_000).id,
        "whh": add(ProductInput(name="娃哈哈", sale_price=200, ref_cost=120), opening_qty=10_000).id,
        "chips": add(ProductInput(name="乐事薯片", sale_price=650, ref_cost=400), opening_qty=10_000).id,
        "nfsq": add(ProductInput(name="农夫山泉", sale_price=200, ref_cost=100), opening_qty=10_000).id,
    }


@dataclass
class Till:
    """One tab as the test sees it: its scan line and what it has taken so far."""

    widget: QWidget
    lookup: ProductLookup
    taken: Callable[[], list[tuple[int, int | None]]]  # (product id, qty or None: its cell opened)


def checkout(qtbot, services: Services) -> Till:  # type: ignore[no-untyped-def]
    tab = CheckoutTab(services)
    return Till(tab, tab.lookup, lambda: [(ln.product_id, ln.qty) for ln in tab.cart.lines])


def purchase(qtbot, services: Services) -> Till:  # type: ignore[no-untyped-def]
    ed = NoteEditor(services)
    return Till(ed, ed.lookup, lambda: [(ln.product.id, ln.qty) for ln in ed.model.lines()])


def count(qtbot, services: Services) -> Till:  # type: ignore[no-untyped-def]
    tab = CountTab(services)
    tab.refresh()
    tab.new_count_dialog().accept()

    def taken() -> list[tuple[int, int | None]]:
        out: list[tuple[int, int | None]] = [
            (ln.product_id, ln.counted_qty) for r in range(tab.model.rowCount())
            if (ln := tab.model.line_at(r)) is not None and ln.counted_qty]
        if tab.table.state() == tab.table.State.EditingState:  # a picked product: its Counted cell is open
            line = tab.model.line_at(tab.table.currentIndex().row())
            assert line is not None
            out.append((line.product_id, None))
        return out

    return Till(tab, tab.lookup, taken)


TABS = {"checkout": checkout, "purchase": purchase, "count": count}


def open_tab(qtbot, services: Services, which: str) -> Till:  # type: ignore[no-untyped-def]
    till = TABS[which](qtbot, services)
    qtbot.addWidget(till.widget)
    till.widget.resize(1300, 700)
    till.widget.show()
    qtbot.waitExposed(till.widget)
    till.lookup.setFocus()
    return till


def enter(qtbot, till: Till, text: str) -> None:  # type: ignore[no-untyped-def]
    if text.isascii():
        qtbot.keyClicks(till.lookup, text)
    else:
        type_cjk(till.lookup, text)
    qtbot.keyClick(till.lookup, Qt.Key.Key_Return)


def settle(qtbot, till: Till) -> None:  # type: ignore[no-untyped-def]
    """The count opens a picked product's cell a moment after the pick."""
    if isinstance(till.widget, CountTab):
        qtbot.wait(400)


@pytest.fixture(autouse=True)
def _no_boxes(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a, **_k: shown.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)
    return shown


def test_qf_enter_in_the_purchase_tab_takes_the_single_match(qtbot, services, shop) -> None:  # type: ignore[no-untyped-def]
    till = open_tab(qtbot, services, "purchase")
    enter(qtbot, till, "qf")
    assert till.taken() == [(shop["qf"], 1000)]
    assert till.lookup.text() == "" and not till.lookup.popup_visible()


def test_qf_enter_in_the_count_tab_takes_the_single_match(qtbot, services, shop) -> None:  # type: ignore[no-untyped-def]
    till = open_tab(qtbot, services, "count")
    enter(qtbot, till, "qf")
    qtbot.waitUntil(lambda: till.taken() == [(shop["qf"], None)], timeout=30_000)  # its Counted cell is open


@pytest.mark.parametrize("text, key", [("cnn", "milk"), ("wahaha", "whh"), ("chunniunai", "milk"), ("sp", "chips")])
def test_checkout_finds_pinyin_inside_and_full_pinyin(qtbot, services, shop, text, key) -> None:  # type: ignore[no-untyped-def]
    till = open_tab(qtbot, services, "checkout")
    enter(qtbot, till, text)
    assert till.taken() == [(shop[key], 1000)]
    assert till.widget.focusWidget() is till.lookup and till.lookup.text() == ""


# (text, the product Enter takes, its qty where the tab counts one: barcode ×1, case ×12, code ×1)
SAME = [
    ("qf", "qf", None), ("cnn", "milk", None), ("wahaha", "whh", None), ("纯牛奶", "milk", None),
    (MILK_EAN, "milk", 1000), (MILK_CASE, "milk", 12_000), ("000777", "milk", 1000),
]


@pytest.mark.parametrize("which", TABS)
@pytest.mark.parametrize("text, key, qty", SAME)
def test_the_same_input_takes_the_same_product_in_every_tab(qtbot, services, shop, which, text, key, qty) -> None:  # type: ignore[no-untyped-def]
    till = open_tab(qtbot, services, which)
    enter(qtbot, till, text)
    settle(qtbot, till)
    taken = till.taken()
    assert [pid for pid, _q in taken] == [shop[key]], (which, text, taken)
    if qty is not None:
        assert taken[0][1] == qty, (which, text, taken)
    elif which != "count":  # checkout and purchase add one unit of a picked product
        assert taken[0][1] == 1000


@pytest.mark.parametrize("which", TABS)
def test_several_matches_show_the_pick_list_and_take_nothing(qtbot, services, shop, which) -> None:  # type: ignore[no-untyped-def]
    till = open_tab(qtbot, services, which)
    enter(qtbot, till, "n")  # 蒙牛纯牛奶 (mncnn) and 农夫山泉 (nfsq)
    assert till.taken() == []
    assert till.lookup.popup_visible() and till.lookup.text() == "n"
    assert {p.id for p in till.lookup.results()} >= {shop["milk"], shop["nfsq"]}
    qtbot.keyClick(till.lookup, Qt.Key.Key_Down)  # then the arrows and Enter choose one
    qtbot.keyClick(till.lookup, Qt.Key.Key_Return)
    settle(qtbot, till)
    qtbot.waitUntil(lambda: len(till.taken()) == 1, timeout=30_000)


@pytest.mark.parametrize("which", TABS)
def test_nothing_found_takes_nothing(qtbot, services, shop, which, _no_boxes) -> None:  # type: ignore[no-untyped-def]
    till = open_tab(qtbot, services, which)
    enter(qtbot, till, "zzqx")
    settle(qtbot, till)
    assert till.taken() == [] and not till.lookup.popup_visible()

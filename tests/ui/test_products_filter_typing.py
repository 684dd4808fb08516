"""Typing into the products filter: each key filters at once (no pause), a filter with many matches
shows its first screen and then the whole list, and the rows are those the catalog lists."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.catalog import table_walk
from jxc_desktop.ui import products_tab
from jxc_desktop.ui.models import product_table
from jxc_desktop.ui.models.product_table import COL
from jxc_desktop.ui.products_tab import ProductsTab
from tests.ui.cjk import type_cjk


@pytest.fixture
def shop(services):  # type: ignore[no-untyped-def]
    for i in range(90):
        services.catalog.create_product(ProductInput(name=f"纯牛奶{i}号"))
    for i in range(30):
        services.catalog.create_product(ProductInput(name=f"康师傅红烧牛肉面{i}号"))
    return services


@pytest.fixture
def tab(qtbot, shop):  # type: ignore[no-untyped-def]
    widget = ProductsTab(shop)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.refresh()
    return widget


def _shown_names(tab: ProductsTab) -> list[str]:
    return [tab.model.data(tab.model.index(r, COL["name"])) for r in range(tab.model.rowCount())]


def test_no_pause_before_the_filter_runs() -> None:
    assert products_tab.DEBOUNCE_MS == 0


def test_each_key_shows_the_catalogs_rows(qtbot, tab, shop) -> None:  # type: ignore[no-untyped-def]
    for key, text in (("c", "c"), ("n", "cn"), ("n", "cnn")):
        qtbot.keyClick(tab.search, key)
        qtbot.waitUntil(lambda t=text: tab.model.filter_text() == t and tab.model.is_complete(), timeout=10_000)
        assert tab.model._ids == shop.catalog.list_ids(text)  # noqa: SLF001 - the model's whole list
    assert tab.model.rowCount() == 90 and tab.count_label.text() == "90 products match"
    assert tab.current_id() == shop.catalog.list_ids("cnn")[0]  # the best match, ready for Enter
    tab.search.clear()
    type_cjk(tab.search, "牛肉")
    qtbot.waitUntil(lambda: tab.model.filter_text() == "牛肉" and tab.model.is_complete(), timeout=10_000)
    assert _shown_names(tab) == [f"康师傅红烧牛肉面{i}号" for i in range(30)]


@pytest.mark.sqlite_only  # the walk and the stoppable rest read are SQLite's (a server lists all at once)
def test_many_matches_show_a_first_screen_then_all(qtbot, tab, shop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # 90 matches are "many" here (at 100 000 products the index would list ~120 at once: table_walk)
    monkeypatch.setattr(table_walk, "PROBE_STEPS", 0)
    sizes: list[int] = []
    inserts: list[tuple[int, int]] = []
    tab.model.filtered.connect(lambda: sizes.append(tab.model.rowCount()))  # a first screen in place
    tab.model.rowsInserted.connect(lambda _p, first, last: inserts.append((first, last)))
    type_cjk(tab.search, "奶")  # 90 of 120 products: the walk finds a screen of them at once
    qtbot.waitUntil(lambda: tab.model.filter_text() == "奶", timeout=10_000)
    assert sizes[-1] == product_table.FIRST and not tab.model.is_complete()
    assert tab.count_label.text() == ""  # no number until the whole list is read
    assert tab.model._ids == shop.catalog.list_ids("奶")[:product_table.FIRST]  # noqa: SLF001
    assert _shown_names(tab)[:3] == ["纯牛奶0号", "纯牛奶1号", "纯牛奶2号"]
    qtbot.waitUntil(tab.model.is_complete, timeout=10_000)  # read off the GUI thread after a pause
    assert inserts == [(product_table.FIRST, 89)]  # one insert below the first screen, one repaint
    assert tab.model.rowCount() == 90 and tab.count_label.text() == "90 products match"
    assert _shown_names(tab) == [f"纯牛奶{i}号" for i in range(90)]
    tab.table.sortByColumn(COL["name"], Qt.SortOrder.DescendingOrder)
    assert tab.model.is_complete() and tab.model.rowCount() == 90


@pytest.mark.sqlite_only  # the walk and the stoppable rest read are SQLite's (a server lists all at once)
def test_a_key_typed_meanwhile_drops_the_rest(qtbot, tab, shop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The rest of a long list is being read when the next key lands: that read stops where it is,
    its answer is dropped, and the old list never comes back."""
    qtbot.waitUntil(tab.model.is_complete, timeout=10_000)  # the whole shop, read after the tab opened
    monkeypatch.setattr(table_walk, "PROBE_STEPS", 0)  # 90 matches are "many" here
    monkeypatch.setattr(product_table, "REST_DELAY_MS", 0)
    tab.model._rest_timer.setInterval(0)  # noqa: SLF001 - the timer was made with the old delay
    reading, release = threading.Event(), threading.Event()
    stopped: list[bool] = []
    real = shop.catalog.list_ids_unless

    def held(stop, *args, **kw):  # type: ignore[no-untyped-def]
        reading.set()
        release.wait(10)  # the read is under way when the owner types on
        stopped.append(stop())
        return real(stop, *args, **kw)

    object.__setattr__(shop.catalog, "list_ids_unless", held)  # (a frozen dataclass)
    arrived: list[int] = []
    tab.model._rest_read.connect(lambda generation, _ids: arrived.append(generation))  # noqa: SLF001
    type_cjk(tab.search, "奶")
    qtbot.waitUntil(lambda: tab.model.filter_text() == "奶", timeout=10_000)
    qtbot.waitUntil(reading.is_set, timeout=10_000)
    qtbot.keyClick(tab.search, "x")  # "奶x": nothing matches
    qtbot.waitUntil(lambda: tab.model.filter_text() == "奶x", timeout=10_000)
    release.set()
    qtbot.waitUntil(lambda: bool(arrived), timeout=10_000)
    assert stopped == [True]  # the stale read was told to stop
    assert tab.model.is_complete() and tab.model.rowCount() == 0
    assert tab.count_label.text() == "0 products match"
    tab.search.clear()
    qtbot.keyClick(tab.search, "k")
    qtbot.keyClick(tab.search, "s")
    qtbot.waitUntil(lambda: tab.model.filter_text() == "ks" and tab.model.is_complete(), timeout=10_000)
    assert tab.model.rowCount() == 30


def test_a_key_that_keeps_the_same_rows_repaints_nothing(qtbot, tab, shop) -> None:  # type: ignore[no-untyped-def]
    """"康师傅" → "康师傅红烧": the same 30 products. The model is not reset (the view repaints
    nothing) and the list, the count and the selection are what a reset would have left; a row whose
    values changed meanwhile is no longer the same row."""
    resets: list[int] = []
    tab.model.modelReset.connect(lambda: resets.append(tab.model.rowCount()))
    type_cjk(tab.search, "康师傅")
    qtbot.waitUntil(lambda: tab.model.filter_text() == "康师傅" and tab.model.is_complete(), timeout=10_000)
    tab.select_row(3)  # the owner moved down the list
    chosen, before = tab.current_id(), len(resets)
    type_cjk(tab.search, "红烧")
    qtbot.waitUntil(lambda: tab.model.filter_text() == "康师傅红烧", timeout=10_000)
    assert len(resets) == before  # kept, not reset
    assert tab.model._ids == shop.catalog.list_ids("康师傅红烧")  # noqa: SLF001
    assert _shown_names(tab) == [f"康师傅红烧牛肉面{i}号" for i in range(30)]
    assert tab.current_id() == chosen
    assert [i.row() for i in tab.table.selectionModel().selectedRows()] == [3]
    assert tab.count_label.text() == "30 products match"
    first = shop.catalog.get(tab.model.id_at(0))
    shop.catalog.update_product(first.id, ProductInput(name=first.name, sale_price=4321))
    qtbot.waitUntil(lambda: len(resets) == before + 1, timeout=10_000)  # the list re-read: a row changed
    assert tab.model.data(tab.model.index(0, COL["sale_price"])) == "¥43.21"
    type_cjk(tab.search, "牛")
    qtbot.waitUntil(lambda: tab.model.filter_text() == "康师傅红烧牛", timeout=10_000)
    assert len(resets) == before + 1 and tab.model.rowCount() == 30


@pytest.mark.sqlite_only  # a server lists every match at once: no first screen
def test_a_key_repaints_only_the_rows_it_changes(qtbot, tab, shop, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """"纯" → "纯牛" → "纯牛奶": the same 90 products, many (a first screen of them): the rows stay,
    none is painted again, and the rows, count and selection are those a reset would give."""
    from jxc_desktop.ui.models.product_table import ProductCellDelegate

    monkeypatch.setattr(table_walk, "PROBE_STEPS", 0)  # 90 matches are "many" here (as test_many_matches…)
    tab.model._rest_timer.setInterval(60_000)  # noqa: SLF001 - the first screens only, no rest meanwhile
    painted: list[int] = []

    class Counting(ProductCellDelegate):
        def paint(self, painter, option, index) -> None:  # type: ignore[no-untyped-def]
            painted.append(index.row())
            super().paint(painter, option, index)

    tab.table.setItemDelegate(Counting(tab.model, tab.table))
    type_cjk(tab.search, "纯")
    qtbot.waitUntil(lambda: tab.model.filter_text() == "纯", timeout=10_000)
    qtbot.waitUntil(lambda: bool(painted), timeout=10_000)
    qtbot.wait(100)
    first = tab.model._ids  # noqa: SLF001
    assert len(first) == product_table.FIRST and not tab.model.is_complete()
    for key, text in (("牛", "纯牛"), ("奶", "纯牛奶")):
        painted.clear()
        type_cjk(tab.search, key)
        qtbot.waitUntil(lambda t=text: tab.model.filter_text() == t, timeout=10_000)
        qtbot.wait(100)  # time to paint
        assert len(painted) <= 1  # the same rows: none painted again (the current cell at most)
        assert tab.model._ids == first == shop.catalog.list_ids(text)[:product_table.FIRST]  # noqa: SLF001
        assert tab.current_id() == first[0] and tab.count_label.text() == ""
        assert [i.row() for i in tab.table.selectionModel().selectedRows()] == [0]
    tab.select_row(5)
    qtbot.keyClick(tab.search, "x")  # "纯牛奶x": nothing left
    qtbot.waitUntil(lambda: tab.model.filter_text() == "纯牛奶x", timeout=10_000)
    assert tab.model.rowCount() == 0 and tab.current_id() is None
    assert tab.table.selectionModel().selectedRows() == []

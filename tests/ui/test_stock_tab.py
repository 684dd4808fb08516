"""The stock tab with real widgets: filters, totals, ledger, batches in colour, the start-up
notice, and its models under qtmodeltester."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from jxc_desktop.db.models import Batch, Product
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.stock import ledger
from jxc_desktop.services.stock.stock_view import StockFilter, StockQuery
from jxc_desktop.ui.models.stock_table import EXPIRED, SOON, BatchModel, LedgerModel, StockTableModel
from jxc_desktop.ui.stock_tab import AlertButton, StockTab, make_stock_tab


def add_batch(services, pid: int, no: str, days: int, qty: int) -> None:  # type: ignore[no-untyped-def]
    with services.db.write() as uow:
        s = uow.session
        b = Batch(product_id=pid, batch_no=no, expiry_date=local_today() + timedelta(days=days), qty=0)
        s.add(b)
        s.flush()
        ledger.receive(s, s.get(Product, pid), qty * 1000, MoveKind.PURCHASE,
                       ledger.DocRef("purchase", 3, "CG20261120-0003"), value=qty * 400, batch=b)
        uow.commit()


@pytest.fixture
def shop(services, make_product):  # type: ignore[no-untyped-def]
    low = make_product("可乐", 300, 200, 2, min_stock=5_000, category="饮料")
    for i in range(10):
        make_product(f"饼干{i}", 300, 100, 3 + i, category="食品")
    milk = make_product("牛奶", 600, 400, 0, tracks_batches=True, category="乳品")
    add_batch(services, milk.id, "OLD", -2, 1)
    add_batch(services, milk.id, "SOON", 5, 2)
    add_batch(services, milk.id, "LATER", 300, 3)
    return low, milk


@pytest.fixture
def tab(qtbot, services, shop):  # type: ignore[no-untyped-def]
    widget = StockTab(services)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.refresh()
    return widget


def test_filters_totals_and_search(qtbot, tab, services) -> None:  # type: ignore[no-untyped-def]
    assert tab.model.rowCount() == 12
    assert tab.model.total_value == services.stock_view.total_value()
    tab.filter.setCurrentIndex(tab.filter.findData("below_min"))
    assert tab.model.rowCount() == 1 and tab.model.row_at(0).name == "可乐"
    assert "1" in tab.totals_label.text()
    tab.filter.setCurrentIndex(tab.filter.findData("expiring"))
    assert tab.days.isEnabled() and tab.days.value() == 90
    assert [tab.model.row_at(r).name for r in range(tab.model.rowCount())] == ["牛奶"]
    tab.filter.setCurrentIndex(tab.filter.findData("expired"))
    assert tab.model.rowCount() == 1
    tab.filter.setCurrentIndex(tab.filter.findData("all"))
    qtbot.keyClicks(tab.search, "000003")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=30_000)


def test_show_filter_reads_the_list_once(tab, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The start-up notice's click: one totals read per filter shown (not one per box changed),
    with the days box following the filter as when it is chosen by hand."""
    calls: list[StockQuery] = []
    real = tab.model.load
    monkeypatch.setattr(tab.model, "load", lambda q: calls.append(q) or real(q))
    tab.category.setCurrentIndex(tab.category.count() - 1)
    calls.clear()
    tab.show_filter(StockFilter.EXPIRING)
    assert [q.filter for q in calls] == [StockFilter.EXPIRING]
    assert tab.category.currentIndex() == 0 and tab.days.isEnabled() and tab.days.value() == 90
    assert [tab.model.row_at(r).name for r in range(tab.model.rowCount())] == ["牛奶"]
    tab.days.setValue(30)
    tab.apply_filter()
    calls.clear()
    tab.show_filter(StockFilter.EXPIRING)  # already shown: the days typed stay
    assert len(calls) == 1 and tab.days.value() == 30
    calls.clear()
    tab.show_filter(StockFilter.BELOW_MIN)
    assert [q.filter for q in calls] == [StockFilter.BELOW_MIN] and not tab.days.isEnabled()
    assert tab.model.rowCount() == 1 and tab.model.row_at(0).name == "可乐"


def test_ledger_and_batches_of_selected_product(qtbot, tab, shop) -> None:  # type: ignore[no-untyped-def]
    _low, milk = shop
    tab.filter.setCurrentIndex(tab.filter.findData("expired"))
    tab.table.selectRow(0)
    assert tab.ledger_model.rowCount() == 3
    assert tab.ledger_model.data(tab.ledger_model.index(0, LedgerModel.DOC)) == "CG20261120-0003"
    states = [tab.batch_model.data(tab.batch_model.index(r, 0)) for r in range(tab.batch_model.rowCount())]
    assert states == ["OLD", "SOON", "LATER"]
    colours = [tab.batch_model.data(tab.batch_model.index(r, 0), Qt.ItemDataRole.BackgroundRole)
               for r in range(3)]
    assert colours[0].color() == EXPIRED and colours[1].color() == SOON and colours[2] is None
    opened: list[tuple[str, int, str]] = []
    tab.document_requested.connect(lambda t, i, n: opened.append((t, i, n)))
    tab._open_document(tab.ledger_model.index(0, LedgerModel.DOC))
    assert opened == [("purchase", 3, "CG20261120-0003")]


def test_startup_notice_opens_filtered_view(qtbot, services, shop) -> None:  # type: ignore[no-untyped-def]
    class Window(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.status: list[QWidget] = []
            self.shown: list[str] = []

        def add_status_widget(self, w: QWidget) -> None:
            self.status.append(w)

        def show_tab(self, key: str) -> None:
            self.shown.append(key)

    win = Window()
    qtbot.addWidget(win)
    tab = make_stock_tab(services, win)
    button = win.status[0]
    assert isinstance(button, AlertButton)
    qtbot.waitUntil(lambda: button.alerts is not None, timeout=30_000)
    assert button.alerts.below_min == 1 and button.alerts.expiring_batches == 1 and button.alerts.expired_batches == 1
    assert "1" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert win.shown == ["stock"]
    assert tab.current_filter() == StockFilter.BELOW_MIN and tab.model.rowCount() == 1


def test_models_pass_modeltester(qtmodeltester, services, shop) -> None:  # type: ignore[no-untyped-def]
    _low, milk = shop
    model = StockTableModel(services.stock_view)
    model.load(StockQuery())
    qtmodeltester.check(model)
    led = LedgerModel()
    led.set_rows(services.stock_view.ledger(milk.id))
    qtmodeltester.check(led)
    bat = BatchModel()
    bat.set_rows(services.stock_view.batches(milk.id))
    qtmodeltester.check(bat)


def test_ledger_opens_count_and_sale_in_the_real_window(qtbot, services, db_path, shop) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.services.sales.dto import Tender
    from jxc_desktop.ui.main_window import MainWindow

    low, _milk = shop
    count = services.stock_count.open()
    services.stock_count.add(count.id, low.id, 1_000)
    services.stock_count.post(count.id)  # 2 on the books, 1 found: a loss of 1
    line = replace(services.checkout.line_for_product(low.id), qty=1_000)
    services.checkout.post_sale(Cart(lines=(line,)), [Tender("cash", 300)], confirmed=True)
    win = MainWindow(services, db_path)
    qtbot.addWidget(win)
    win.show()
    stock = win.show_tab("stock")
    stock.show_filter(StockFilter.ALL)
    stock.search.setText(low.code)
    stock.apply_filter()
    stock.table.selectRow(0)
    kinds = [stock.ledger_model.row_at(r).kind for r in range(stock.ledger_model.rowCount())]
    assert kinds == ["sale", "count_loss", "opening"]
    stock._open_document(stock.ledger_model.index(1, LedgerModel.DOC))
    assert win.tabs.currentWidget() is win.tab("count")
    assert win.tab("count").current_count().id == count.id
    win.show_tab("stock")
    stock._open_document(stock.ledger_model.index(0, LedgerModel.DOC))
    qtbot.waitUntil(lambda: win.sale_box.isVisible(), timeout=30_000)
    assert "可乐" in win.sale_box.text()
    win.sale_box.accept()


def test_search_finds_pinyin_inside_and_full_pinyin(qtbot, tab, make_product) -> None:  # type: ignore[no-untyped-def]
    """As the catalogue searches: "cnn" inside 蒙牛纯牛奶's 助记码 (mncnn), "wahaha" its 全拼."""
    make_product("蒙牛纯牛奶", category="乳品")
    make_product("娃哈哈AD钙奶", category="饮料")
    tab.refresh()

    def shown() -> list[str]:
        return [tab.model.row_at(r).name for r in range(tab.model.rowCount())]

    qtbot.keyClicks(tab.search, "cnn")
    qtbot.waitUntil(lambda: shown() == ["蒙牛纯牛奶"], timeout=30_000)
    tab.search.clear()
    qtbot.keyClicks(tab.search, "wahaha")
    qtbot.waitUntil(lambda: shown() == ["娃哈哈AD钙奶"], timeout=30_000)

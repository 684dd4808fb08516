"""库存 tab: current stock of every product with filters and the total value; below it the
selected product's ledger (double-click opens the source document) and its batches.

Also the start-up notice: a status-bar button saying how many products are below minimum and
how many batches expire soon, which opens the matching filtered list.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.catalog.dto import VariantNames
from jxc_desktop.services.hub import Services
from jxc_desktop.services.stock.stock_view import StockAlerts, StockFilter, StockQuery
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.changes import Change, subscribe
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.stock_table import BatchModel, LedgerModel, StockTableModel
from jxc_desktop.ui.styles_view import StylesWindow
from jxc_desktop.ui.widgets.elided import ElidedButton
from jxc_desktop.ui.widgets.tables import row_table

DEBOUNCE_MS = 200
LEDGER_ROWS = 1000
ALERT_RECHECK_MS = 5 * 60 * 1000


def _table(model: object) -> QTableView:
    view = row_table(model)  # type: ignore[arg-type]
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setHighlightSections(False)
    return view


class StockTab(QWidget):
    # doc_type, doc_id, doc_number: the main window routes it to the tab that shows that document
    document_requested = Signal(str, int, str)
    refreshed = Signal()  # the list was re-read: the start-up notice re-counts too

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._loaded = False

        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search: code, barcode, name or pinyin initials"))
        self.search.setClearButtonEnabled(True)
        self.filter = QComboBox()
        for label, value in ((tr("All products"), StockFilter.ALL), (tr("Below minimum"), StockFilter.BELOW_MIN),
                             (tr("Above maximum"), StockFilter.ABOVE_MAX), (tr("Negative stock"), StockFilter.NEGATIVE),
                             (tr("Expiring soon"), StockFilter.EXPIRING), (tr("Expired"), StockFilter.EXPIRED),
                             (tr("No movement"), StockFilter.NO_MOVEMENT)):
            self.filter.addItem(label, str(value))
        self.days_label = QLabel(tr("Days:"))
        self.days = QSpinBox()
        self.days.setRange(0, 3650)
        self.days.setToolTip(tr("Expiring within / no movement for this many days"))
        self.category = QComboBox()
        self.category.setMinimumWidth(120)
        self.refresh_button = QPushButton(tr("Refresh"))
        self.style_button = QPushButton(tr("Colour × size of the style…"))
        self.style_button.setToolTip(tr("The stock of the selected variant's style as a colour × size grid"))
        self.style_button.setEnabled(False)
        self.styles_window: StylesWindow | None = None
        self._variant: VariantNames | None = None
        self.totals_label = QLabel()
        self.totals_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(QLabel(tr("Show:")))
        top.addWidget(self.filter)
        top.addWidget(self.days_label)
        top.addWidget(self.days)
        top.addWidget(QLabel(tr("Category:")))
        top.addWidget(self.category)
        top.addWidget(self.refresh_button)
        top.addWidget(self.style_button)
        top.addStretch(1)
        top.addWidget(self.totals_label)

        self.model = StockTableModel(services.stock_view, self)
        self.table = _table(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in ((0, 80), (1, 120), (2, 240), (3, 80), (4, 50), (5, 90), (6, 80), (7, 80), (8, 100),
                           (9, 60), (10, 60)):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(StockTableModel.NAME, QHeaderView.ResizeMode.Stretch)

        self.ledger_model = LedgerModel(self)
        self.ledger = _table(self.ledger_model)
        # Widths that still leave 结存金额 whole in a 1366-px window (the ledger gets 3/5 of it).
        for col, width in ((0, 118), (1, 70), (2, 132), (3, 80), (4, 60), (5, 80), (6, 70)):
            self.ledger.setColumnWidth(col, width)
        self.ledger.horizontalHeader().setStretchLastSection(True)
        self.ledger.horizontalHeader().setMinimumSectionSize(60)
        self.batch_model = BatchModel(self)
        self.batches = _table(self.batch_model)
        # five short columns share the panel, so 数量 is never cut off at the right edge
        self.batches.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.ledger_title = QLabel(tr("Ledger"))
        self.batch_title = QLabel(tr("Batches"))

        lower = QSplitter(Qt.Orientation.Horizontal)
        for title, view in ((self.ledger_title, self.ledger), (self.batch_title, self.batches)):
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(title)
            lay.addWidget(view)
            lower.addWidget(box)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.filter.currentIndexChanged.connect(self._filter_changed)
        self.days.valueChanged.connect(lambda _v: self._timer.start())
        self.category.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.refresh_button.clicked.connect(self.refresh)
        self.style_button.clicked.connect(lambda: self.show_style_grid())
        self.table.selectionModel().currentRowChanged.connect(self._product_changed)
        self.ledger.doubleClicked.connect(self._open_document)
        self._filter_changed()

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        """Called when the tab becomes current: categories and the list are re-read."""
        self._fill_categories()
        self.apply_filter()
        self._loaded = True
        self.refreshed.emit()

    def _fill_categories(self) -> None:
        current = self.category.currentData()
        self.category.blockSignals(True)
        self.category.clear()
        self.category.addItem(tr("All categories"), None)
        for c in self._services.catalog.categories():
            self.category.addItem(c.name, c.id)
        idx = self.category.findData(current)
        self.category.setCurrentIndex(max(idx, 0))
        self.category.blockSignals(False)

    def current_filter(self) -> StockFilter:
        return StockFilter(self.filter.currentData())

    def query(self) -> StockQuery:
        f = self.current_filter()
        days = self.days.value() if f in (StockFilter.EXPIRING, StockFilter.NO_MOVEMENT) else None
        return StockQuery(f, text=self.search.text().strip(), category_id=self.category.currentData(), days=days)

    def apply_filter(self) -> None:
        self._timer.stop()
        if not run(self, lambda: self.model.load(self.query())):
            return
        self.totals_label.setText(tr("{n} products · total value {value}").format(
            n=self.model.total, value=format_fen(self.model.total_value)))
        if self.model.total:
            self.table.selectRow(0)
        else:
            self.ledger_model.set_rows([])
            self.batch_model.set_rows([])

    def _filter_changed(self) -> None:
        self._show_days()
        if self._loaded:
            self.apply_filter()

    def _show_days(self) -> None:
        """The days box follows the filter: enabled for the two that use it, with their default."""
        f = self.current_filter()
        uses_days = f in (StockFilter.EXPIRING, StockFilter.NO_MOVEMENT)
        self.days.setEnabled(uses_days)
        self.days_label.setEnabled(uses_days)
        self.days.blockSignals(True)
        if f == StockFilter.EXPIRING:
            self.days.setValue(int(self._services.settings.get("expiry_warning_days") or 90))
        elif f == StockFilter.NO_MOVEMENT:
            self.days.setValue(30)
        self.days.blockSignals(False)

    def show_filter(self, f: StockFilter) -> None:
        """Open the tab's list with one filter (the start-up notice calls this)."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._loaded = True
        # The filter and category boxes are set quietly and the list is read once, below (their
        # signals would each re-read it first: two totals queries and two ledger reads per click).
        index = self.filter.findData(str(f))
        if index != self.filter.currentIndex():
            self.filter.blockSignals(True)
            self.filter.setCurrentIndex(index)
            self.filter.blockSignals(False)
            self._show_days()
        self._fill_categories()
        self.category.blockSignals(True)
        self.category.setCurrentIndex(0)
        self.category.blockSignals(False)
        self.apply_filter()

    # ------------------------------------------------------------------ the selected product
    def _product_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is None:
            self._variant = None
            self.style_button.setEnabled(False)
            return
        got = run(self, lambda: (self._services.stock_view.ledger(row.product_id, limit=LEDGER_ROWS),
                                 self._services.stock_view.batches(row.product_id),
                                 self._services.styles.variant_names(row.product_id)))
        if not got or got.value is None:
            return
        self._variant = got.value[2]
        self.style_button.setEnabled(self._variant is not None)
        self.ledger_model.set_rows(got.value[0])
        self.batch_model.set_rows(got.value[1])
        self.ledger_title.setText(tr("Ledger of {name}").format(name=row.name))
        self.batch_title.setText(tr("Batches of {name}").format(name=row.name) if row.tracks_batches
                                 else tr("Batches (not tracked)"))

    def show_style_grid(self) -> StylesWindow | None:
        """The selected variant's style as colour × size (stock, sales, sell-through), on its cell."""
        v = self._variant
        if v is None:
            return None
        self.styles_window = StylesWindow(self._services, self, select_code=v.style_code)
        self.styles_window.select_cell(v.colour_code, v.size)
        self.styles_window.open()
        return self.styles_window

    def _open_document(self, index: QModelIndex) -> None:
        r = self.ledger_model.row_at(index.row())
        if r is None or not r.doc_type or r.doc_id is None:
            return
        self.document_requested.emit(r.doc_type, int(r.doc_id), r.doc_number)


class AlertButton(ElidedButton):
    """A flat status-bar button: "3 below minimum · 2 batches expiring"; hidden when all is well."""

    chosen = Signal(str)  # the StockFilter to open

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet("QPushButton { color: #b71c1c; padding: 0 6px; }")
        self.alerts: StockAlerts | None = None
        self.clicked.connect(self._clicked)
        self.hide()

    def set_alerts(self, alerts: StockAlerts) -> None:
        self.alerts = alerts
        parts = []
        if alerts.below_min:
            parts.append(tr("{n} products below minimum").format(n=alerts.below_min))
        if alerts.expiring_batches:
            parts.append(tr("{n} batches expire within {days} days").format(
                n=alerts.expiring_batches, days=alerts.warning_days))
        if alerts.expired_batches:
            parts.append(tr("{n} batches expired").format(n=alerts.expired_batches))
        self.setText("⚠ " + " · ".join(parts))
        self.setToolTip(tr("Click to see them in the stock tab"))
        self.setVisible(alerts.any)

    def target(self) -> StockFilter:
        a = self.alerts
        if a is None or a.below_min:
            return StockFilter.BELOW_MIN
        return StockFilter.EXPIRING if a.expiring_batches else StockFilter.EXPIRED

    def _clicked(self) -> None:
        self.chosen.emit(str(self.target()))


# ---------------------------------------------------------------- wiring into the main window

def _show_sale(window: QWidget, services: Services, number: str) -> bool:
    """A sale or customer return: its lines in a small (non-blocking) message."""
    sale = services.checkout.get_sale(number)
    lines = "\n".join(tr("{name}  {qty} × {price} = {amount}").format(
        name=ln.name, qty=format_qty(ln.qty), price=format_fen(ln.unit_price), amount=format_fen(ln.amount))
        for ln in sale.lines)
    text = tr("{number}  {time}\n{lines}\nTotal {total}").format(
        number=sale.number, time=sale.created_at.astimezone().strftime("%Y-%m-%d %H:%M"), lines=lines,
        total=format_fen(sale.total))
    box = QMessageBox(QMessageBox.Icon.Information, sale.number, text, QMessageBox.StandardButton.Ok, window)
    window.sale_box = box  # type: ignore[attr-defined]  # keep it alive while open
    box.open()
    return True


def _show_purchase(window: QWidget, number: str) -> bool:
    """Purchase notes live in the purchase tab's history: select the note there and open it."""
    show_tab = getattr(window, "show_tab", None)
    tab = show_tab("purchase") if callable(show_tab) else None
    history = getattr(tab, "history", None)
    pages = getattr(tab, "pages", None)
    if history is None or not hasattr(history, "select_number"):
        return False
    if pages is not None:
        pages.setCurrentWidget(history)
    if not history.select_number(number):
        return False
    opener = getattr(history, "open_current", None)
    if callable(opener):
        opener()
    return True


def open_document(window: QWidget, services: Services, doc_type: str, doc_id: int, number: str) -> bool:
    """Show a ledger move's source document where the program can: a count in the count tab, a
    purchase note in the purchase history, a sale as a short message."""
    def show() -> bool | None:
        if doc_type == "count":
            show_tab = getattr(window, "show_tab", None)
            tab = show_tab("count") if callable(show_tab) else None
            opener = getattr(tab, "open_count", None)
            if callable(opener):
                opener(doc_id)
                return True
        elif doc_type == "purchase" and _show_purchase(window, number):
            return True
        elif doc_type == "sale" and number:
            return _show_sale(window, services, number)
        return None

    got = run(window, show)
    if not got:
        return False
    if got.value is not None:
        return got.value
    status = getattr(window, "statusBar", None)
    if callable(status):
        status().showMessage(tr("Document {number} cannot be opened from here").format(number=number), 6000)
    return False


def make_stock_tab(services: Services, window: QWidget) -> StockTab:
    """The tab plus the start-up notice in the window's status bar (checked once shown)."""
    tab = StockTab(services, window)
    tab.document_requested.connect(lambda t, i, n: open_document(window, services, t, i, n))
    button = AlertButton(window)
    tab.alert_button = button  # type: ignore[attr-defined]
    add = getattr(window, "add_status_widget", None)
    if callable(add):
        add(button)

    def chosen(f: str) -> None:
        show = getattr(window, "show_tab", None)
        if callable(show):
            show("stock")
        tab.show_filter(StockFilter(f))

    def check() -> None:
        # A file that cannot be read just now hides the button (no message: this runs on a timer).
        got = run(button, services.stock_view.alerts, inline=lambda _exc: button.hide())
        if got and got.value is not None:
            button.set_alerts(got.value)

    button.chosen.connect(chosen)
    tab.check_alerts = check  # type: ignore[attr-defined]
    tab.refreshed.connect(check)
    # a restock, a sale, a new minimum, a count: re-counted at once, not when the tab is next shown
    subscribe(button, services, Change.STOCK | Change.PRODUCTS | Change.SETTINGS, check)
    QTimer.singleShot(300, button, check)  # the button as context: skipped if the window is gone
    timer = QTimer(button)  # the command line may change the file meanwhile: re-count now and then
    timer.setInterval(ALERT_RECHECK_MS)
    timer.timeout.connect(check)
    timer.start()
    return tab

"""商品 tab: the product list (lazy, 100 000 rows), search as you type, add/edit, deactivate,
categories, import and export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.services.hub import Services
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.changes import Change, subscribe
from jxc_desktop.ui.dialogs.category_dialog import CategoryDialog
from jxc_desktop.ui.dialogs.forecast_dialog import ForecastDialog
from jxc_desktop.ui.dialogs.product_dialog import ProductDialog
from jxc_desktop.ui.dialogs.promotions_dialog import PromotionsDialog
from jxc_desktop.ui.i18n import documents_dir, tr
from jxc_desktop.ui.models.product_table import COL, ProductCellDelegate, ProductTableModel
from jxc_desktop.ui.product_labels import ProductLabels
from jxc_desktop.ui.styles_view import StylesWindow
from jxc_desktop.ui.tasks import Task, run_task
from jxc_desktop.ui.widgets.flow_row import FlowRow
from jxc_desktop.ui.widgets.tables import row_table

# The filter runs on the next turn of the event loop after a key, not after a pause: a key typed
# while the list was being read is already queued by then and folds into the same run, and the
# owner never waits for a timer. (A first screen costs milliseconds: see ProductTableModel.)
DEBOUNCE_MS = 0
# Column widths from sample contents, so they fit the font and the language of the headers.
_SAMPLES = {"code": "00000000", "name": "康师傅红烧牛肉面经典五连包", "barcode": "6900000000000",
            "spec": "3层100抽x", "unit": "千克", "category": "粮油调味品", "sale_price": "¥9,999.99",
            "ref_cost": "¥9,999.99", "avg_cost": "¥9,999.99", "stock_qty": "99999.25",
            "stock_value": "¥999,999.99", "pinyin": "ksfhsnrm"}


class ProductsTab(QWidget):
    """The list re-reads itself after any write to products or stock (ui/changes.py), whoever wrote."""

    refreshes_itself = True  # the main window need not subscribe the whole tab

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.dialog: ProductDialog | None = None
        self.message_box: QMessageBox | None = None
        self.task: Task | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search: pinyin initials, name, code or barcode"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self.show_inactive = QCheckBox(tr("Show inactive"))
        self.new_button = QPushButton(tr("New product"))
        self.edit_button = QPushButton(tr("Edit"))
        self.active_button = QPushButton(tr("Deactivate"))
        self.categories_button = QPushButton(tr("Categories…"))
        self.styles_button = QPushButton(tr("Styles (colour × size)…"))
        self.styles_window: StylesWindow | None = None
        self.import_button = QPushButton(tr("Import…"))
        self.export_button = QPushButton(tr("Export…"))
        self.labels_button = QPushButton(tr("Labels"))
        self.labels_menu = QMenu(self.labels_button)
        self.print_labels_action = self.labels_menu.addAction(tr("Print labels for the chosen products…"))
        self.price_labels_action = self.labels_menu.addAction(tr("Labels for price changes…"))
        self.store_codes_action = self.labels_menu.addAction(tr("Make in-store barcodes for the chosen products"))
        self.labels_button.setMenu(self.labels_menu)
        self.promotions_button = QPushButton(tr("Promotions…"))
        self.new_button.setToolTip(tr("New product (Ctrl+N)"))

        # The search and its check box side by side in one widget, which the row never makes
        # narrower than the two need; the buttons wrap onto a second line when the window is
        # narrower than the whole row (a box layout drew them over each other there).
        self.filter_bar = QWidget()
        bar = QHBoxLayout(self.filter_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.search, 2)
        bar.addWidget(self.show_inactive)
        bar.addStretch(1)
        top = FlowRow()
        top.addWidget(self.filter_bar)
        for b in (self.new_button, self.edit_button, self.active_button, self.categories_button,
                  self.styles_button, self.import_button, self.export_button, self.labels_button,
                  self.promotions_button):
            top.addWidget(b)

        self.model = ProductTableModel(services.catalog, self)
        self.table = row_table(self.model)
        self.table.setItemDelegate(ProductCellDelegate(self.model, self.table))
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(COL["code"], Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        # Several products may be chosen (Ctrl/Shift-click) for labels and in-store barcodes.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        cell, head = self.table.fontMetrics(), header.fontMetrics()
        for key, col in COL.items():
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            header.resizeSection(col, max(cell.horizontalAdvance(_SAMPLES[key]) + 18,
                                          head.horizontalAdvance(title) + 30))

        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #555;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.show_inactive.toggled.connect(lambda _on: self.apply_filter())
        self._keep_id: int | None = None  # the product to select once the whole list is read
        self.model.completed.connect(self._list_completed)
        self.new_button.clicked.connect(lambda: self.open_editor(None))
        self.edit_button.clicked.connect(self.edit_current)
        self.active_button.clicked.connect(self.toggle_active)
        self.categories_button.clicked.connect(self.manage_categories)
        self.styles_button.clicked.connect(self.show_styles)
        self.import_button.clicked.connect(self.import_dialog)
        self.export_button.clicked.connect(self.export_dialog)
        self.labels = ProductLabels(self, services)
        self.print_labels_action.triggered.connect(lambda: self.labels.print_labels())
        self.price_labels_action.triggered.connect(lambda: self.labels.price_change_labels())
        self.store_codes_action.triggered.connect(lambda: self.labels.make_store_barcodes())
        self.promotions_button.clicked.connect(self.open_promotions)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        subscribe(self, services, Change.PRODUCTS | Change.STOCK, self._data_changed, lazy=True)
        # Shortcuts live only while this tab has the focus, so they never steal keys from other tabs.
        for seq, slot, owner, ctx in (
                ("Ctrl+N", lambda: self.open_editor(None), self, Qt.ShortcutContext.WidgetWithChildrenShortcut),
                ("Ctrl+F", self.focus_search, self, Qt.ShortcutContext.WidgetWithChildrenShortcut),
                ("Return", self.edit_current, self.table, Qt.ShortcutContext.WidgetShortcut),
                ("Enter", self.edit_current, self.table, Qt.ShortcutContext.WidgetShortcut)):
            shortcut = QShortcut(QKeySequence(seq), owner)
            shortcut.setContext(ctx)
            shortcut.activated.connect(slot)
        self.search.installEventFilter(self)
        # Right-click on a product: its forecast next to the history behind it (issue 20).
        self.forecast_action = QAction(tr("Sales forecast…"), self.table)
        self.forecast_action.triggered.connect(lambda: self.show_forecast())
        self.table.addAction(self.forecast_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.forecast_dialog: ForecastDialog | None = None
        self._update_buttons()

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        """Called when the tab becomes current: other tabs may have changed stock and prices."""
        from jxc_desktop.ui.guard import costs_visible

        hide = not costs_visible(self._services)  # a cashier sees no costs when an owner PIN is set (G)
        for key in ("ref_cost", "avg_cost", "stock_value"):
            self.table.setColumnHidden(COL[key], hide)
        self.apply_filter()

    def apply_filter(self) -> None:
        """Re-read the list for the search text now (the debounce timer calls this as you type)."""
        self._debounce.stop()
        self._keep_id = None
        current = self.current_id()
        self.model.set_filter(self.search.text(), self.show_inactive.isChecked())
        if current is None or self.model.row_of(current) < 0:
            # As after a reset (the model keeps the rows at the top that stay the same instead):
            # no selection left on a row that now shows another product.
            self.table.selectionModel().clear()
        self._after_reload(current)

    def _after_reload(self, keep_id: int | None) -> None:
        row = self.model.row_of(keep_id) if keep_id is not None else -1
        # Past the first screen: found again when the rest of the list is read (_list_completed).
        self._keep_id = keep_id if row < 0 and not self.model.is_complete() else None
        if row < 0 and self.model.rowCount() and self.search.text().strip():
            row = 0  # a search result: the best match is ready for Enter
        if row >= 0:
            self.select_row(row)
        self._show_count()

    def _list_completed(self) -> None:
        keep, self._keep_id = self._keep_id, None
        row = self.model.row_of(keep) if keep is not None else -1
        if row >= 0 and (self.current_id() is None or self.table.currentIndex().row() == 0):
            self.select_row(row)  # unless the owner has moved on meanwhile
        self._show_count()

    def _show_count(self) -> None:
        if not self.model.is_complete():
            self.count_label.setText("")  # the number comes with the rest of the list
            self._update_buttons()
            return
        n = self.model.rowCount()
        if self.search.text().strip():
            self.count_label.setText(tr("{count} products match").format(count=n))
        elif n == 0 and not self.show_inactive.isChecked():
            self.count_label.setText(tr("No products yet: add one with New product (Ctrl+N) or import a list."))
        else:
            self.count_label.setText(tr("{count} products").format(count=n))
        self._update_buttons()

    def select_row(self, row: int) -> None:
        index = self.model.index(row, COL["name"])
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def chosen_ids(self) -> list[int]:
        """The products chosen in the list, in list order (the current one when none is chosen)."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [pid for pid in (self.model.id_at(r) for r in rows) if pid is not None]
        if not ids and (current := self.current_id()) is not None:
            ids = [current]
        return ids

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def eventFilter(self, obj: Any, event: Any) -> bool:
        # Up/Down in the search box move through the list, Enter there edits the selection.
        if obj is self.search and event.type() == event.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.table.setFocus()
                self.table.keyPressEvent(event)
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                self.apply_filter()
                return True
        return super().eventFilter(obj, event)

    def _update_buttons(self) -> None:
        pid = self.current_id()
        self.edit_button.setEnabled(pid is not None)
        self.active_button.setEnabled(pid is not None)
        row = self.model.product_at(self.table.currentIndex().row()) if pid is not None else None
        self.active_button.setText(tr("Reactivate") if row is not None and not row.active else tr("Deactivate"))

    # ------------------------------------------------------------------ editing
    def open_editor(self, product_id: int | None, *, barcode: str = "") -> ProductDialog | None:
        """Open the add/edit dialog (window-modal, not blocking); the list refreshes when it saves."""
        got = run(self, lambda: self._services.catalog.get(product_id) if product_id is not None else None)
        if not got:
            return None
        product = got.value
        self.dialog = ProductDialog(self._services, product, self, barcode=barcode)
        self.dialog.saved.connect(self._saved)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.show()
        return self.dialog

    def edit_current(self) -> None:
        pid = self.current_id()
        if pid is not None:
            self.open_editor(pid)

    def _data_changed(self) -> None:
        self._keep_id = None
        self.model.reload()
        self._after_reload(self.current_id())

    def _saved(self, dto: Any) -> None:
        self._after_reload(dto.id)  # the list was re-read already (the subscription)
        if self.model.row_of(dto.id) < 0 and self.search.text().strip():
            # A new product that the current filter hides: clear the filter so the owner sees it.
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.apply_filter()
            self._after_reload(dto.id)
        self.table.setFocus()

    def toggle_active(self) -> None:
        pid = self.current_id()
        row = self.model.product_at(self.table.currentIndex().row())
        if pid is None or row is None:
            return
        if not run(self, lambda: self._services.catalog.set_active(pid, not row.active)):
            return
        keep = self.model.row_of(pid)
        self._after_reload(pid)
        if keep < 0 and self.model.rowCount():
            # Deactivated and hidden: select its neighbour so the owner can carry on.
            self.select_row(min(self.table.currentIndex().row() if self.table.currentIndex().isValid() else 0,
                                self.model.rowCount() - 1))

    def show_styles(self) -> StylesWindow:
        """Styles by colour × size: create, add colours and sizes, stock and sell-through grids."""
        self.styles_window = StylesWindow(self._services, self)
        self.styles_window.open()
        return self.styles_window
    def open_promotions(self) -> PromotionsDialog:
        dlg = PromotionsDialog(self._services, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # a new one, fresh, on each click
        dlg.open()
        return dlg

    def show_forecast(self) -> ForecastDialog | None:
        """销量预测 of the current product: past 12 months, last year's same weeks, the weeks ahead."""
        row = self.model.product_at(self.table.currentIndex().row()) if self.current_id() is not None else None
        if row is None:
            self._tell(tr("Sales forecast"), tr("Choose a product first"))
            return None
        self.forecast_dialog = ForecastDialog(self._services, row.code, self)
        self.forecast_dialog.show()
        return self.forecast_dialog

    def manage_categories(self) -> None:
        dlg = CategoryDialog(self._services, self)
        dlg.exec()  # what it changed re-reads the list (the subscription)

    # ------------------------------------------------------------------ import / export
    def _product_io(self) -> Any:
        io = getattr(self._services, "product_io", None)
        if io is None:
            from jxc_desktop.services.catalog import product_files as product_io

            return product_io.ProductIOService(self._services.db)
        return io

    def _tell(self, title: str, text: str) -> None:
        """A non-blocking note (the owner may carry on; tests can read it)."""
        self.message_box = QMessageBox(QMessageBox.Icon.Information, title, text,
                                       QMessageBox.StandardButton.Ok, self)
        self.message_box.open()

    def _owner_allows(self, action: str) -> bool:
        from jxc_desktop.ui.guard import ensure_owner

        return ensure_owner(self, self._services, action)

    def export_dialog(self) -> None:
        # The file holds every purchase price: the owner's, when a PIN is set.
        if not self._owner_allows("view_profit"):
            return
        path, _f = QFileDialog.getSaveFileName(self, tr("Export products"), documents_dir("products.xlsx"),
                                               tr("Excel workbook (*.xlsx);;CSV file (*.csv)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Task | None:
        if not self._owner_allows("view_profit"):
            return None
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_suffix(".xlsx")
        io = self._product_io()

        def done(result: Any) -> None:
            self._tell(tr("Export products"), tr("Products were written to {path}").format(path=str(path)))

        self.task = run_task(self, tr("Exporting products…"),
                             lambda progress: io.export_products(path, progress=progress), done)
        return self.task

    def import_dialog(self) -> None:
        # An import may change sale and purchase prices of any product: the owner's, when a PIN is set.
        if not self._owner_allows("edit_data"):
            return
        path, _f = QFileDialog.getOpenFileName(self, tr("Import products"), documents_dir(),
                                               tr("Product lists (*.xlsx *.csv)"))
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> Task | None:
        if not self._owner_allows("edit_data"):
            return None
        io = self._product_io()

        def done(result: Any) -> None:  # the list was re-read already (the subscription)
            added = getattr(result, "created", getattr(result, "added", 0))
            updated = getattr(result, "updated", 0)
            self._tell(tr("Import products"), tr("Import finished: {added} new, {updated} updated.")
                       .format(added=added, updated=updated))

        def failed(exc: BaseException) -> bool:
            errors = getattr(exc, "errors", None)
            if not errors:
                return False
            lines = [tr("Row {row}: {reason}").format(row=e.row, reason=e.reason) for e in errors[:30]]
            if len(errors) > 30:
                lines.append(tr("… and {count} more").format(count=len(errors) - 30))
            box = QMessageBox(QMessageBox.Icon.Warning, tr("Import products"),
                              tr("The file was not imported; nothing was changed. Fix these rows and "
                                 "import it again:"), QMessageBox.StandardButton.Ok, self)
            box.setDetailedText("\n".join(tr("Row {row}: {reason}").format(row=e.row, reason=e.reason)
                                          for e in errors))
            box.setInformativeText("\n".join(lines))
            box.open()
            self.message_box = box
            return True

        self.task = run_task(self, tr("Importing products…"),
                             lambda progress: io.import_products(path, progress=progress), done, failed)
        return self.task

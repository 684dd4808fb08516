"""The promotions window (促销, from the products tab): the list with dates and status, add / edit /
end, and a preview — pick products and quantities, and see what that cart would get at a moment
(domain/promotions.py through PromotionService.preview)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.changes import Change
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.promotions import PromotionResult
from jxc_desktop.domain.quantity import format_qty, parse_qty
from jxc_desktop.services.catalog.dto import ProductDTO
from jxc_desktop.services.hub import Services
from jxc_desktop.services.promotions.describe import summary, when
from jxc_desktop.services.promotions.dto import ACTIVE, ENDED, PreviewLine, PromotionDTO
from jxc_desktop.services.promotions.service import now_local
from jxc_desktop.services.safety.pin import PRICE_CHANGE
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.changes import subscribe
from jxc_desktop.ui.dialogs.promotion_form import FORMAT, PromotionForm, from_edit, kind_label, to_qdatetime
from jxc_desktop.ui.errors import show_error
from jxc_desktop.ui.guard import run_as_owner
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.product_lookup import ProductLookup


def status_label(status: str) -> str:
    return {ACTIVE: tr("Running"), ENDED: tr("Ended")}.get(status, tr("Scheduled"))


class PromotionsDialog(QDialog):
    COLUMNS = 6
    CART_NAME, CART_PRICE, CART_QTY = 0, 1, 2

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._rows: list[PromotionDTO] = []
        self._cart: list[ProductDTO] = []
        self.setWindowTitle(tr("Promotions"))
        self.resize(1280, 680)  # the deal column needs room; still inside a 1366×768 screen

        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([tr("Name"), tr("Kind"), tr("Starts"), tr("Ends"), tr("Status"),
                                              tr("Deal")])
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        self.new_button = QPushButton(tr("New promotion"))
        self.edit_button = QPushButton(tr("Edit"))
        self.end_button = QPushButton(tr("End now"))
        self.new_button.clicked.connect(lambda: self.open_form(None))
        self.edit_button.clicked.connect(self.edit_current)
        self.end_button.clicked.connect(self.end_current)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.end_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.table, 1)

        self.lookup = ProductLookup(services.catalog.search, resolve=services.catalog.resolve_scan)
        self.lookup.scanned.connect(self._scanned)
        self.lookup.picked.connect(self.add_product)
        self.cart = QTableWidget(0, 3)
        self.cart.setHorizontalHeaderLabels([tr("Product"), tr("Price"), tr("Qty")])
        self.cart.horizontalHeader().setSectionResizeMode(self.CART_NAME, QHeaderView.ResizeMode.Stretch)
        self.cart.verticalHeader().setVisible(False)
        self.cart.itemChanged.connect(lambda _item: self.update_preview())
        # who buys: no member (retail), or a member of a level — at that level's prices, as the till
        # puts a member's cart, with the member-only promotions
        self.buyer = QComboBox()
        self.buyer.currentIndexChanged.connect(lambda _i: self.update_preview())
        self.at = QDateTimeEdit(to_qdatetime(now_local()))
        self.at.setDisplayFormat(FORMAT)
        self.at.setCalendarPopup(True)
        self.at.dateTimeChanged.connect(lambda _d: self.update_preview())
        self.clear_button = QPushButton(tr("Clear cart"))
        self.clear_button.clicked.connect(self.clear_cart)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.PlainText)
        self.result.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.result.setMinimumHeight(120)
        options = QHBoxLayout()
        options.addWidget(QLabel(tr("At")))
        options.addWidget(self.at)
        options.addWidget(self.buyer)
        options.addStretch(1)
        options.addWidget(self.clear_button)
        box = QGroupBox(tr("Preview: this cart would get …"))
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.lookup)
        box_layout.addWidget(self.cart, 1)
        box_layout.addLayout(options)
        box_layout.addWidget(self.result)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(box)
        splitter.setSizes([800, 480])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        subscribe(self, services, Change.PROMOTIONS | Change.PRODUCTS | Change.CUSTOMERS, self.reload)  # levels too
        self.reload()

    # ------------------------------------------------------------------ the list
    def _fill_buyers(self) -> None:
        got = run(self, lambda: self._services.members.levels(active_only=True))
        levels = got.value if got and got.value else []
        wanted = self.buyer.currentText()
        self.buyer.blockSignals(True)
        self.buyer.clear()
        self.buyer.addItem(tr("No member"), None)
        for level in levels:
            self.buyer.addItem(tr("Member: {level}").format(level=level.name), level.price_pct)
        self.buyer.setCurrentIndex(max(0, self.buyer.findText(wanted)))
        self.buyer.blockSignals(False)

    def reload(self) -> None:
        self._fill_buyers()
        got = run(self, self._services.promotions.list)
        if not got:
            return
        self._rows = got.value or []
        now = now_local()
        self.table.setRowCount(len(self._rows))
        for row, p in enumerate(self._rows):
            flags = [when(p), tr("members") if p.member_only else "", tr("stackable") if p.stackable else ""]
            cells = [p.name, kind_label(p.kind), p.starts.strftime("%Y-%m-%d %H:%M"),
                     p.ends.strftime("%Y-%m-%d %H:%M") if p.ends else tr("no end"), status_label(p.status(now)),
                     summary(p) + "".join(f" · {f}" for f in flags if f)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # the deal column is cut to the window's width
                self.table.setItem(row, col, item)
        for col in range(self.COLUMNS - 1):  # the deal takes the rest
            self.table.resizeColumnToContents(col)
        self.update_preview()

    def current(self) -> PromotionDTO | None:
        row = self.table.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def open_form(self, promotion: PromotionDTO | None) -> PromotionForm:
        form = PromotionForm(self._services, promotion, self)
        form.saved.connect(lambda _p: self._changed())
        form.open()
        return form

    def edit_current(self) -> PromotionForm | None:
        p = self.current()
        return self.open_form(p) if p else None

    def end_current(self, *, confirm: bool = True) -> None:
        p = self.current()
        if p is None:
            return
        if confirm and QMessageBox.question(self, tr("End promotion"), tr("End {name} now?").format(name=p.name)) \
                != QMessageBox.StandardButton.Yes:
            return
        run_as_owner(self, self._services, PRICE_CHANGE, lambda: self._services.promotions.end(p.id),
                     changes=Change.PROMOTIONS)
        self._changed()

    def _changed(self) -> None:
        """A promotion added, edited or ended: the preview shows the cart as of now at the earliest — the
        moment it was opened at may be a minute behind the new promotion's start, or before the end."""
        now = now_local()
        if self.preview_at() < now:
            self.at.setDateTime(to_qdatetime(now))
        self.reload()

    # ------------------------------------------------------------------ the preview
    def _scanned(self, text: str) -> None:
        result = self.lookup.resolve(text)
        if result.single is not None:
            self.add_product(result.single, result.qty or 1000)
        elif result.problem is not None and not result.candidates:
            show_error(self, result.problem)

    def add_product(self, product: ProductDTO, qty: int = 1000) -> None:
        self.cart.blockSignals(True)
        row = self.cart.rowCount()
        self.cart.insertRow(row)
        for col, text in ((self.CART_NAME, f"{product.code} {product.name}"),
                          (self.CART_PRICE, format_fen(product.sale_price))):
            item = QTableWidgetItem(text)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.cart.setItem(row, col, item)
        self.cart.setItem(row, self.CART_QTY, QTableWidgetItem(format_qty(qty)))
        self.cart.blockSignals(False)
        self._cart.append(product)
        self.lookup.clear()
        self.update_preview()

    def set_qty(self, row: int, text: str) -> None:
        self.cart.item(row, self.CART_QTY).setText(text)

    def clear_cart(self) -> None:
        self.cart.setRowCount(0)
        self._cart.clear()
        self.update_preview()

    def preview_at(self) -> datetime:
        return from_edit(self.at)

    def update_preview(self) -> None:
        if not self._cart:
            self.result.setText(tr("Add products to see what a cart would get."))
            return
        try:
            lines = [PreviewLine(p.id, parse_qty(self.cart.item(row, self.CART_QTY).text(), field="Qty"))
                     for row, p in enumerate(self._cart)]
            result = self._services.promotions.preview(lines, at=self.preview_at(), member_pct=self.buyer.currentData())
        except JxcError as exc:
            self.result.setText(exc.message)
            return
        self.result.setText(self.describe(result))

    def describe(self, result: PromotionResult) -> str:
        if not result.applied:
            head = tr("No promotion applies: {total}").format(total=format_fen(result.total))
            return head
        lines = [tr("This cart would get:")]
        lines += [f"  {a.name}  -{format_fen(a.amount)}" for a in result.applied]
        lines.append(tr("Subtotal {subtotal}, promotions -{discount}, to pay {total}").format(
            subtotal=format_fen(result.subtotal), discount=format_fen(result.discount),
            total=format_fen(result.total)))
        return "\n".join(lines)

"""Add / edit one promotion: the fields of its kind only. The rules are the promotion service's; the
form gathers input and shows the service's message under it when something is wrong."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.changes import Change
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.money import fen_to_yuan_str, parse_yuan
from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.services.catalog.dto import ProductDTO
from jxc_desktop.services.hub import Services
from jxc_desktop.services.promotions.dto import PromotionDTO, PromotionInput
from jxc_desktop.services.promotions.service import now_local
from jxc_desktop.services.safety.pin import PRICE_CHANGE
from jxc_desktop.ui.errors import show_error
from jxc_desktop.ui.guard import run_as_owner
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.forms import error_label, save_cancel_buttons
from jxc_desktop.ui.widgets.product_lookup import ProductLookup

FORMAT = "yyyy-MM-dd HH:mm"


def kind_label(kind: Kind) -> str:
    return {Kind.SPECIAL_PRICE: tr("Special price"), Kind.BUY_N_PAY_M: tr("Buy N pay M"),
            Kind.NTH_AT_PERCENT: tr("N-th item at X %"), Kind.THRESHOLD: tr("Spend threshold reduction")}[kind]


def to_qdatetime(moment: datetime) -> QDateTime:
    return QDateTime(moment.year, moment.month, moment.day, moment.hour, moment.minute, 0)


def from_edit(edit: QDateTimeEdit) -> datetime:
    d, t = edit.dateTime().date(), edit.dateTime().time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class PromotionForm(QDialog):
    """``PromotionForm(services, promotion=None)``; ``saved`` carries the stored PromotionDTO."""

    saved = Signal(object)
    COL_NAME, COL_PRICE = 0, 1

    def __init__(self, services: Services, promotion: PromotionDTO | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.promotion = promotion
        self.result_promotion: PromotionDTO | None = None
        self._product_ids: list[int] = []
        self.setWindowTitle(tr("Edit promotion") if promotion else tr("New promotion"))
        self.setMinimumWidth(560)
        p = promotion
        self.name = QLineEdit(p.name if p else "")
        self.kind = QComboBox()
        for kind in Kind:
            self.kind.addItem(kind_label(kind), kind)
        self.kind.setCurrentIndex(list(Kind).index(p.kind) if p else 0)
        start = p.starts if p else now_local().replace(second=0)
        self.starts = QDateTimeEdit(to_qdatetime(start))
        self.ends = QDateTimeEdit(to_qdatetime(p.ends if p and p.ends else start + timedelta(days=7)))
        for edit in (self.starts, self.ends):
            edit.setDisplayFormat(FORMAT)
            edit.setCalendarPopup(True)
        self.no_end = QCheckBox(tr("No end date"))
        self.no_end.setChecked(bool(p and p.ends is None))
        self.ends.setEnabled(not self.no_end.isChecked())
        self.no_end.toggled.connect(lambda on: self.ends.setEnabled(not on))
        ends_row = QHBoxLayout()
        ends_row.addWidget(self.ends, 1)
        ends_row.addWidget(self.no_end)

        self.lookup = ProductLookup(services.catalog.search, resolve=services.catalog.resolve_scan)
        self.lookup.scanned.connect(self._scanned)
        self.lookup.picked.connect(self.add_product)
        self.products = QTableWidget(0, 2)
        self.products.setHorizontalHeaderLabels([tr("Product"), tr("Special price (yuan)")])
        self.products.horizontalHeader().setSectionResizeMode(self.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.products.horizontalHeader().setSectionResizeMode(self.COL_PRICE, QHeaderView.ResizeMode.ResizeToContents)
        self.products.verticalHeader().setVisible(False)
        self.products.setMinimumHeight(110)
        self.remove_button = QPushButton(tr("Remove product"))
        self.remove_button.clicked.connect(self.remove_product)
        self.categories = QListWidget()
        self.categories.setMaximumHeight(90)
        chosen = {c.id for c in p.categories} if p else set()
        for cat in services.catalog.categories():
            item = QListWidgetItem(cat.name)
            item.setData(Qt.ItemDataRole.UserRole, cat.id)
            item.setCheckState(Qt.CheckState.Checked if cat.id in chosen else Qt.CheckState.Unchecked)
            self.categories.addItem(item)

        self.n = QSpinBox()
        self.n.setRange(0, 100)
        self.n.setValue(p.n if p else 2)
        self.m = QSpinBox()
        self.m.setRange(0, 100)
        self.m.setValue(p.m if p else 1)
        self.pay_pct = QSpinBox()
        self.pay_pct.setRange(0, 100)
        self.pay_pct.setSuffix(" %")
        self.pay_pct.setValue(p.pay_pct if p else 50)
        self.threshold = QLineEdit(fen_to_yuan_str(p.threshold) if p and p.threshold else "")
        self.reduction = QLineEdit(fen_to_yuan_str(p.reduction) if p and p.reduction else "")
        self.repeat = QCheckBox(tr("Again for every full threshold (每满)"))
        self.repeat.setChecked(bool(p and p.repeat))
        self.member_only = QCheckBox(tr("Members only"))
        self.member_only.setChecked(bool(p and p.member_only))
        self.stackable = QCheckBox(tr("Stackable with other promotions"))
        self.stackable.setChecked(bool(p and p.stackable))
        self.weekdays: list[QCheckBox] = []
        days_row = QHBoxLayout()
        for i, label in enumerate((tr("Mon"), tr("Tue"), tr("Wed"), tr("Thu"), tr("Fri"), tr("Sat"), tr("Sun"))):
            box = QCheckBox(label)
            box.setChecked(bool(p and str(i) in p.weekdays))
            box.setToolTip(tr("None ticked: every day"))
            self.weekdays.append(box)
            days_row.addWidget(box)
        self.daily_from = QLineEdit(p.daily_from if p else "")
        self.daily_to = QLineEdit(p.daily_to if p else "")
        for edit in (self.daily_from, self.daily_to):
            edit.setPlaceholderText("HH:MM")
        hours_row = QHBoxLayout()
        hours_row.addWidget(self.daily_from)
        hours_row.addWidget(self.daily_to)

        self.form = QFormLayout()
        self.form.addRow(tr("Name *"), self.name)
        self.form.addRow(tr("Kind"), self.kind)
        self.form.addRow(tr("Starts"), self.starts)
        self.form.addRow(tr("Ends"), ends_row)
        self.form.addRow(tr("Add product"), self.lookup)
        self.form.addRow(self.products)
        self.form.addRow("", self.remove_button)
        self.form.addRow(tr("Categories"), self.categories)
        self.form.addRow(tr("Buy N"), self.n)
        self.form.addRow(tr("Pay M"), self.m)
        self.form.addRow(tr("That item pays"), self.pay_pct)
        self.form.addRow(tr("Threshold (yuan)"), self.threshold)
        self.form.addRow(tr("Reduction (yuan)"), self.reduction)
        self.form.addRow("", self.repeat)
        self.form.addRow(tr("Weekdays"), days_row)
        self.form.addRow(tr("Daily from / to"), hours_row)
        self.form.addRow("", self.member_only)
        self.form.addRow("", self.stackable)
        self.error_label = error_label(hidden=True)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(save_cancel_buttons(self))
        if p:
            for item in p.products:
                self._add_row(item.id, item.label, item.price)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_kind())
        self._show_kind()
        self.name.setFocus()

    # ------------------------------------------------------------------ the fields of a kind
    def current_kind(self) -> Kind:
        return Kind(self.kind.currentData())

    def _show_kind(self) -> None:
        kind = self.current_kind()
        special, threshold = kind is Kind.SPECIAL_PRICE, kind is Kind.THRESHOLD
        shown = {self.categories: not special, self.n: kind in (Kind.BUY_N_PAY_M, Kind.NTH_AT_PERCENT),
                 self.m: kind is Kind.BUY_N_PAY_M, self.pay_pct: kind is Kind.NTH_AT_PERCENT,
                 self.threshold: threshold, self.reduction: threshold, self.repeat: threshold}
        for widget, on in shown.items():
            self.form.setRowVisible(widget, on)
        self.products.setColumnHidden(self.COL_PRICE, not special)
        if kind is Kind.NTH_AT_PERCENT:
            self.form.labelForField(self.n).setText(tr("Every N-th item"))
        elif kind is Kind.BUY_N_PAY_M:
            self.form.labelForField(self.n).setText(tr("Buy N"))

    # ------------------------------------------------------------------ products
    def _scanned(self, text: str) -> None:
        result = self.lookup.resolve(text)
        if result.single is not None:
            self.add_product(result.single)
        elif result.problem is not None and not result.candidates:
            show_error(self, result.problem)

    def add_product(self, product: ProductDTO) -> None:
        if product.id in self._product_ids:
            return
        self._add_row(product.id, f"{product.code} {product.name}", None)

    def _add_row(self, product_id: int, label: str, price: int | None) -> None:
        row = self.products.rowCount()
        self.products.insertRow(row)
        name = QTableWidgetItem(label)
        name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.products.setItem(row, self.COL_NAME, name)
        self.products.setItem(row, self.COL_PRICE, QTableWidgetItem(fen_to_yuan_str(price) if price is not None
                                                                     else ""))
        self._product_ids.append(product_id)
        self.lookup.clear()

    def remove_product(self) -> None:
        row = self.products.currentRow()
        if row >= 0:
            self.products.removeRow(row)
            del self._product_ids[row]

    def set_price(self, row: int, text: str) -> None:
        self.products.item(row, self.COL_PRICE).setText(text)

    # ------------------------------------------------------------------ saving
    def gather(self) -> PromotionInput:
        """The input as typed (yuan parsed here; every other rule is the service's)."""
        kind = self.current_kind()
        products = []
        for row, pid in enumerate(self._product_ids):
            text = self.products.item(row, self.COL_PRICE).text().strip()
            products.append((pid, parse_yuan(text, field="Special price") if kind is Kind.SPECIAL_PRICE and text
                             else None))
        cats = tuple(int(self.categories.item(i).data(Qt.ItemDataRole.UserRole))
                     for i in range(self.categories.count())
                     if self.categories.item(i).checkState() == Qt.CheckState.Checked)

        def yuan(edit: QLineEdit, field: str) -> int:
            return parse_yuan(edit.text(), field=field) if edit.text().strip() else 0

        threshold = kind is Kind.THRESHOLD
        return PromotionInput(
            name=self.name.text(), kind=kind, starts=from_edit(self.starts),
            ends=None if self.no_end.isChecked() else from_edit(self.ends), products=tuple(products),
            category_ids=cats if kind is not Kind.SPECIAL_PRICE else (), n=self.n.value(), m=self.m.value(),
            pay_pct=self.pay_pct.value(), threshold=yuan(self.threshold, "Threshold") if threshold else 0,
            reduction=yuan(self.reduction, "Reduction") if threshold else 0,
            repeat=self.repeat.isChecked() and threshold, member_only=self.member_only.isChecked(),
            stackable=self.stackable.isChecked(),
            weekdays="".join(str(i) for i, box in enumerate(self.weekdays) if box.isChecked()),
            daily_from=self.daily_from.text(), daily_to=self.daily_to.text())

    def save(self) -> PromotionDTO | None:
        try:
            data = self.gather()
        except JxcError as exc:
            self._say(exc.message)
            return None
        svc, current = self._services.promotions, self.promotion
        got = run_as_owner(self, self._services, PRICE_CHANGE,
                           lambda: svc.add(data) if current is None else svc.edit(current.id, data),
                           inline=lambda exc: self._say(exc.message), changes=Change.PROMOTIONS)
        if not got or got.value is None:
            return None
        self.result_promotion = got.value
        self.saved.emit(got.value)
        return got.value

    def _say(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        if self.save() is not None:
            super().accept()

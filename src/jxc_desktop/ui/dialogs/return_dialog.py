"""The customer-return dialog (F10): load a sale by its receipt number, type what comes back, refund."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty, parse_qty
from jxc_desktop.services.sales.dto import ReturnItem, SaleDTO
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.till_dialog import EnterDialog, method_name
from jxc_desktop.ui.i18n import tr

_Index = QModelIndex | QPersistentModelIndex


class ReturnLinesModel(QAbstractTableModel):
    """Lines of the sale being returned; the last column (qty to return) is editable."""

    HEAD = ("Name", "Sold", "Returned", "Price", "Amount", "Return qty")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sale: SaleDTO | None = None
        self.qty: list[int] = []

    def set_sale(self, sale: SaleDTO | None) -> None:
        self.beginResetModel()
        self.sale = sale
        self.qty = [0] * (len(sale.lines) if sale else 0)
        self.endResetModel()

    def left(self, row: int) -> int:
        assert self.sale is not None
        ln = self.sale.lines[row]
        return ln.qty - ln.returned_qty

    def fill_all(self) -> None:
        if self.sale:
            self.qty = [self.left(i) for i in range(len(self.qty))]
            self.dataChanged.emit(self.index(0, 5), self.index(len(self.qty) - 1, 5))

    def items(self) -> list[ReturnItem]:
        if not self.sale:
            return []
        return [ReturnItem(ln.id, q) for ln, q in zip(self.sale.lines, self.qty, strict=True) if q]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.sale else len(self.sale.lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 6:
            return (tr("Name"), tr("Sold"), tr("Returned"), tr("Price"), tr("Amount"), tr("Return qty"))[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 5 else base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.sale is None or not 0 <= index.row() < len(self.sale.lines):
            return None
        ln = self.sale.lines[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (ln.name, format_qty(ln.qty), format_qty(ln.returned_qty), format_fen(ln.unit_price, symbol=False),
                    format_fen(ln.amount, symbol=False), format_qty(self.qty[index.row()]))[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != 5 or self.sale is None:
            return False
        try:  # an edit, not error -> message: the view keeps the old quantity for text that is not one
            qty = parse_qty(str(value) or "0", allow_zero=True)
        except ValidationError:
            return False
        self.qty[index.row()] = qty
        self.dataChanged.emit(index, index)
        return True


class ReturnDialog(EnterDialog):
    """Scan or type the receipt number (Enter loads it), type the quantities that come back
    (F5: everything left), choose the refund method, F12 posts the return."""

    def __init__(self, parent: QWidget | None, load: Callable[[str], SaleDTO],
                 post: Callable[[str, list[ReturnItem], str], None]) -> None:
        super().__init__(parent, tr("Customer return"))
        self._load, self._post = load, post
        self.resize(720, 420)
        self.number = QLineEdit()
        self.number.setPlaceholderText(tr("Scan the barcode on the receipt or type its number"))
        self.model = ReturnLinesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.DoubleClicked)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.method = QComboBox()
        for m in ("cash", "wechat", "alipay", "card"):
            self.method.addItem(method_name(m), m)
        self.info = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Receipt number")))
        top.addWidget(self.number, 1)
        bottom = QHBoxLayout()
        all_btn = QPushButton(tr("Return everything (F5)"))
        all_btn.clicked.connect(self.model.fill_all)
        post_btn = QPushButton(tr("Post return (F12)"))
        post_btn.clicked.connect(self.post)
        bottom.addWidget(QLabel(tr("Refund by")))
        bottom.addWidget(self.method)
        bottom.addStretch(1)
        bottom.addWidget(all_btn)
        bottom.addWidget(post_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.info)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.error)
        lay.addLayout(bottom)
        QShortcut(QKeySequence("F5"), self).activated.connect(self.model.fill_all)
        QShortcut(QKeySequence("F12"), self).activated.connect(self.post)
        self.number.setFocus()

    def submit(self) -> None:
        # Enter in the number field loads; elsewhere it moves down the quantities.
        if self.number.hasFocus() or self.model.sale is None:
            self.load(self.number.text())
        else:
            row = self.table.currentIndex().row()
            self.table.setCurrentIndex(self.model.index(min(row + 1, self.model.rowCount() - 1), 5))

    def load(self, number: str) -> None:
        self.error.clear()

        def load() -> SaleDTO:
            sale = self._load(number)
            if sale.kind != "sale":
                raise ValidationError("{number} is a return, not a sale", number=sale.number)
            return sale

        got = run(self, load, inline=self.fail)
        if not got or got.value is None:
            self.model.set_sale(None)
            self.info.clear()
            self.number.selectAll()
            return
        sale = got.value
        self.model.set_sale(sale)
        self.number.setText(sale.number)
        self.info.setText(tr("Sale {number}, {time}, total {total}").format(
            number=sale.number, time=sale.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            total=format_fen(sale.total)))
        first = sale.payments[0].method if sale.payments else "cash"
        on_account = self.method.findData("credit")
        if on_account >= 0:
            self.method.removeItem(on_account)
        if any(p.method == "credit" for p in sale.payments):  # a sale on account: back to the account first
            self.method.addItem(method_name("credit"), "credit")
            first = "credit"
        self.method.setCurrentIndex(max(0, self.method.findData(first)))
        self.table.setFocus()
        self.table.setCurrentIndex(self.model.index(0, 5))

    def post(self) -> None:
        if self.model.sale is None:
            self.fail(ValidationError("Load a sale by its receipt number first"))
            return
        sale = self.model.sale
        if run(self, lambda: self._post(sale.number, self.model.items(), str(self.method.currentData())),
               inline=self.fail):
            self.accept()

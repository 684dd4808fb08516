"""Choosing a customer by typing part of the name, the phone number or the pinyin initials
(services.customers.search): a line and the list of matches below it, each with the balance owed
and the credit limit. Enter or a click chooses; ``chosen`` carries the CustomerDTO."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.accounts.dto import CustomerDTO
from jxc_desktop.ui.i18n import tr

SearchFn = Callable[[str], Sequence[CustomerDTO]]


def customer_line(c: CustomerDTO) -> str:
    """``隔壁饭店  138…  owes ¥523.00  limit ¥1,000.00`` for lists and labels."""
    parts = [c.name]
    if c.phone:
        parts.append(c.phone)
    parts.append(tr("owes {amount}").format(amount=format_fen(c.balance)))
    if c.credit_limit is not None:
        parts.append(tr("limit {amount}").format(amount=format_fen(c.credit_limit)))
    return "   ".join(parts)


def customer_card(c: CustomerDTO) -> str:
    """The chosen customer on a few lines: name, phone and address, what they owe, the limit."""
    lines = [c.name, "  ".join(x for x in (c.phone, c.address) if x),
             tr("owes {amount}").format(amount=format_fen(c.balance))
             + ("   " + tr("limit {amount}").format(amount=format_fen(c.credit_limit))
                if c.credit_limit is not None else "")]
    return "\n".join(x for x in lines if x)


class _SearchLine(QLineEdit):
    """Up/Down move in the list below while the cursor stays in the line."""

    moved = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.moved.emit(1 if event.key() == Qt.Key.Key_Down else -1)
            return
        super().keyPressEvent(event)


class CustomerPicker(QWidget):
    chosen = Signal(object)  # CustomerDTO

    def __init__(self, search: SearchFn, parent: QWidget | None = None, *, rows: int = 6,
                 delay_ms: int = 150) -> None:
        super().__init__(parent)
        self._search = search
        self.customer: CustomerDTO | None = None
        self.line = _SearchLine()
        self.line.setPlaceholderText(tr("Customer: name, phone or pinyin initials"))
        self.list = QListWidget()
        self.list.setMaximumHeight(22 * rows + 6)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.current.setStyleSheet("font-weight: bold;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.line)
        lay.addWidget(self.list)
        lay.addWidget(self.current)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.search_now)
        self.line.textEdited.connect(lambda _t: self._timer.start())
        self.line.returnPressed.connect(self.choose_current)
        self.line.moved.connect(self._move)
        self.list.itemClicked.connect(lambda _i: self.choose_current())
        self.search_now()

    def search_now(self) -> None:
        self._timer.stop()
        try:
            found = list(self._search(self.line.text().strip()))
        except JxcError as exc:
            self.current.setText(exc.message)
            return
        self.list.clear()
        for c in found:
            item = QListWidgetItem(customer_line(c))
            item.setToolTip(customer_card(c))
            item.setData(Qt.ItemDataRole.UserRole, c)
            self.list.addItem(item)
        if found:
            self.list.setCurrentRow(0)

    def _move(self, step: int) -> None:
        if self.list.count():
            self.list.setCurrentRow(max(0, min(self.list.count() - 1, self.list.currentRow() + step)))

    def choose_current(self) -> None:
        if self._timer.isActive():
            self.search_now()
        item = self.list.currentItem()
        if item is not None:
            self.choose(item.data(Qt.ItemDataRole.UserRole))

    def choose(self, customer: CustomerDTO | None) -> None:
        self.customer = customer
        self.current.setText(customer_card(customer) if customer else "")
        if customer is not None:
            self.chosen.emit(customer)

"""Customers (客户): the list with phone, price level, credit limit and balance, searched by name,
phone or pinyin initials as you type; add, edit, deactivate (a customer with documents is never
deleted: the accounts keep them) and activate again."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.accounts.dto import CustomerDTO
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.customer_dialog import CustomerDialog, level_name
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.list_model import Index, ListTableModel

INACTIVE = QBrush(QColor("#999999"))


class CustomersModel(ListTableModel[CustomerDTO]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([tr("Name"), tr("Phone"), tr("Price level"), tr("Credit limit"), tr("Balance"),
                          tr("Address"), tr("Note"), tr("Payment terms")], parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        c = self.row_at(index.row())
        if c is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and not c.active:
            return INACTIVE
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        name = c.name if c.active else tr("{name} (inactive)").format(name=c.name)
        limit = format_fen(c.credit_limit) if c.credit_limit is not None else tr("no limit")
        terms = tr("{n} days").format(n=c.terms_days) if c.terms_days else tr("due on the day")
        return (name, c.phone, level_name(c.level), limit, format_fen(c.balance), c.address, c.note, terms)[col]


class CustomersPage(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.dialog: CustomerDialog | None = None
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search customers: name, phone or pinyin initials"))
        self.show_inactive = QCheckBox(tr("Show inactive"))
        self.add_button = QPushButton(tr("New customer…"))
        self.edit_button = QPushButton(tr("Edit…"))
        self.active_button = QPushButton(tr("Deactivate"))
        self.model = CustomersModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        head = QHBoxLayout()
        for w in (self.search, self.show_inactive, self.add_button, self.edit_button, self.active_button):
            head.addWidget(w, 1 if w is self.search else 0)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(self.table, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        self.search.textEdited.connect(lambda _t: self._timer.start())
        self.show_inactive.toggled.connect(lambda _on: self.refresh())
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.table.doubleClicked.connect(lambda _i: self.edit(self.current()))
        self.active_button.clicked.connect(self.toggle_active)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.refresh()

    def refresh(self) -> None:
        keep = self.current()
        got = run(self, lambda: self._services.customers.list(text=self.search.text().strip(),
                                                              active_only=not self.show_inactive.isChecked()))
        if not got or got.value is None:
            return
        self.model.set_rows(got.value)
        for row, c in enumerate(got.value):
            if keep is not None and c.id == keep.id:
                self.table.selectRow(row)
        self._update_buttons()

    def current(self) -> CustomerDTO | None:
        return self.model.row_at(self.table.currentIndex().row())

    def edit(self, customer: CustomerDTO | None) -> CustomerDialog:
        self.dialog = CustomerDialog(self._services, customer, self, name="" if customer else self.search.text())
        self.dialog.saved.connect(lambda _c: self.refresh())
        self.dialog.open()
        return self.dialog

    def toggle_active(self) -> None:
        c = self.current()
        if c is None:
            return
        if run(self, lambda: self._services.customers.set_active(c.id, not c.active)):
            self.refresh()

    def _update_buttons(self) -> None:
        c = self.current()
        self.edit_button.setEnabled(c is not None)
        self.active_button.setEnabled(c is not None)
        self.active_button.setText(tr("Activate") if c is not None and not c.active else tr("Deactivate"))

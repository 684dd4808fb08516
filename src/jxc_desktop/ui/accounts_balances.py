"""Balances at a glance (余额一览): what each customer owes the shop (应收) beside what the shop owes
each supplier (应付), with the overdue part and the oldest due date; the totals on top. A double
click (or the buttons) opens the collection/payment entry or the statement of the chosen party."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER, BalanceRow
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.list_model import Index, ListTableModel

OVERDUE = QBrush(QColor("#c0392b"))


class BalancesModel(ListTableModel[BalanceRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([tr("Name"), tr("Balance"), tr("Overdue"), tr("Oldest due")], parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == 2 and row.overdue > 0:
            return OVERDUE
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (row.name, format_fen(row.balance), format_fen(row.overdue) if row.overdue else "",
                row.oldest_due.isoformat() if row.oldest_due else "")[col]


class BalancesPage(QWidget):
    pay_requested = Signal(str, int)  # party, party id
    statement_requested = Signal(str, int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        grid = QGridLayout(self)
        self.models: dict[str, BalancesModel] = {}
        self.tables: dict[str, QTableView] = {}
        self.totals: dict[str, QLabel] = {}
        titles = {CUSTOMER: tr("Customers owe the shop (应收)"), SUPPLIER: tr("The shop owes suppliers (应付)")}
        money = {CUSTOMER: tr("Collect…"), SUPPLIER: tr("Pay…")}
        for col, party in enumerate((CUSTOMER, SUPPLIER)):
            model = BalancesModel(self)
            table = QTableView()
            table.setModel(model)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().setVisible(False)
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            table.doubleClicked.connect(lambda idx, p=party: self._request(p, idx, self.pay_requested))
            total = QLabel()
            total.setStyleSheet("font-size: 15px; font-weight: bold;")
            title = QLabel(titles[party])
            title.setStyleSheet("font-weight: bold;")
            buttons = QHBoxLayout()
            pay = QPushButton(money[party])
            statement = QPushButton(tr("Statement…"))
            pay.clicked.connect(lambda _c=False, p=party: self._request(p, None, self.pay_requested))
            statement.clicked.connect(lambda _c=False, p=party: self._request(p, None, self.statement_requested))
            buttons.addWidget(total, 1)
            buttons.addWidget(pay)
            buttons.addWidget(statement)
            grid.addWidget(title, 0, col)
            grid.addLayout(buttons, 1, col)
            grid.addWidget(table, 2, col)
            self.models[party], self.tables[party], self.totals[party] = model, table, total
        self.refresh()

    def refresh(self) -> None:
        today = local_today()
        for party, model in self.models.items():
            b = self._services.accounts.balances(party, today)
            model.set_rows([r for r in b.rows if r.balance or r.overdue])
            overdue = sum(r.overdue for r in b.rows)
            text = tr("Total {amount}").format(amount=format_fen(b.total))
            if overdue:
                text += "  " + tr("overdue {amount}").format(amount=format_fen(overdue))
            self.totals[party].setText(text)

    def _request(self, party: str, index: QModelIndex | None, signal: Any) -> None:
        table = self.tables[party]
        row = (index or table.currentIndex()).row()
        got = self.models[party].row_at(row)
        signal.emit(party, got.party_id if got else 0)

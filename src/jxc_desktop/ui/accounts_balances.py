"""Balances at a glance (余额一览): what each customer owes the shop (应收) above what the shop owes
each supplier (应付), each with its open documents by age (账龄: not due, 1–30 … over 90 days
overdue) and the oldest due date; the totals on top. A double
click (or the buttons) opens the collection/payment entry or the statement of the chosen party."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class PartyRow:
    """A party's balance with its open documents by age (账龄)."""

    balance: BalanceRow
    buckets: tuple[int, int, int, int, int]  # not due, 1–30, 31–60, 61–90, >90 days overdue


BUCKET_COLS = range(2, 7)


class BalancesModel(ListTableModel[PartyRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([tr("Name"), tr("Balance"), tr("Not due"), tr("1–30 days"), tr("31–60 days"),
                          tr("61–90 days"), tr("Over 90 days"), tr("Oldest due")], parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        got = self.row_at(index.row())
        if got is None:
            return None
        row, col = got.balance, index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and 1 <= col <= 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col in BUCKET_COLS and col > 2 and got.buckets[col - 2] > 0:
            return OVERDUE
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col in BUCKET_COLS:
            amount = got.buckets[col - 2]
            return format_fen(amount) if amount else ""
        return (row.name, format_fen(row.balance), "", "", "", "", "",
                row.oldest_due.isoformat() if row.oldest_due else "")[col]


class BalancesPage(QWidget):
    pay_requested = Signal(str, int)  # party, party id
    statement_requested = Signal(str, int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        grid = QGridLayout(self)  # customers above suppliers: the aging columns need the width
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
            grid.addWidget(title, 3 * col, 0)
            grid.addLayout(buttons, 3 * col + 1, 0)
            grid.addWidget(table, 3 * col + 2, 0)
            self.models[party], self.tables[party], self.totals[party] = model, table, total
        self.refresh()

    def refresh(self) -> None:
        today = local_today()
        for party, model in self.models.items():
            b = self._services.accounts.balances(party, today)
            ages = {r.party_id: r.buckets for r in self._services.accounts.aging(party, today).rows}
            model.set_rows([PartyRow(r, ages.get(r.party_id, (0, 0, 0, 0, 0))) for r in b.rows
                            if r.balance or r.overdue])
            overdue = sum(r.overdue for r in b.rows)
            text = tr("Total {amount}").format(amount=format_fen(b.total))
            if overdue:
                text += "  " + tr("overdue {amount}").format(amount=format_fen(overdue))
            self.totals[party].setText(text)

    def _request(self, party: str, index: QModelIndex | None, signal: Any) -> None:
        table = self.tables[party]
        row = (index or table.currentIndex()).row()
        got = self.models[party].row_at(row)
        signal.emit(party, got.balance.party_id if got else 0)

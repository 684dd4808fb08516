"""The statement (对账单) of one customer or supplier for a period: the opening balance, every
document and payment in date order with the running balance, the closing balance; saved as A4
PDF or xlsx to hand to the other side."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER, StatementDTO, StatementRow
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.allocation_table import kind_name
from jxc_desktop.ui.models.list_model import Index, ListTableModel


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class StatementModel(ListTableModel[StatementRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([tr("Date"), tr("Document"), tr("Kind"), tr("Debit"), tr("Credit"), tr("Balance"),
                          tr("Note")], parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 4, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (row.date.isoformat(), row.number, kind_name(row.kind), format_fen(row.debit) if row.debit else "",
                format_fen(row.credit) if row.credit else "", format_fen(row.balance), row.note)[col]


class StatementPage(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.current: StatementDTO | None = None
        self.party = QComboBox()
        self.party.addItem(tr("Customer"), CUSTOMER)
        self.party.addItem(tr("Supplier"), SUPPLIER)
        self.who = QComboBox()
        self.who.setEditable(True)
        self.who.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.who.setMinimumWidth(240)
        completer = self.who.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(completer.CompletionMode.PopupCompletion)
        today = local_today()
        self.start, self.end = QDateEdit(), QDateEdit()
        for edit, day in ((self.start, today.replace(day=1)), (self.end, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(qdate(day))
        self.show_button = QPushButton(tr("Show"))
        self.model = StatementModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 150)
        self.opening, self.closing = QLabel(), QLabel()
        for label in (self.opening, self.closing):
            label.setStyleSheet("font-weight: bold;")
        head = QHBoxLayout()
        for w in (self.party, self.who, QLabel(tr("From")), self.start, QLabel(tr("To")), self.end, self.show_button):
            head.addWidget(w)
        head.addStretch(1)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.closing, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(self.opening)
        lay.addWidget(self.table, 1)
        lay.addLayout(self.buttons)
        self.party.currentIndexChanged.connect(lambda _i: self.refresh())
        self.show_button.clicked.connect(self.show_statement)
        self.refresh()

    def refresh(self) -> None:
        keep = self.party_id()
        self.who.blockSignals(True)
        self.who.clear()
        self.who.addItem("", None)
        rows = (self._services.customers.list() if self.party.currentData() == CUSTOMER
                else self._services.suppliers.list())
        for r in rows:
            self.who.addItem(r.name, r.id)
        self.who.setCurrentIndex(max(0, self.who.findData(keep)) if keep is not None else 0)
        self.who.blockSignals(False)

    def party_id(self) -> int | None:
        idx = self.who.findText(self.who.currentText().strip(), Qt.MatchFlag.MatchExactly)
        return self.who.itemData(idx) if idx > 0 else None

    def choose(self, party: str, party_id: int, *, days: int = 0) -> None:
        self.party.setCurrentIndex(self.party.findData(party))
        self.who.setCurrentIndex(max(0, self.who.findData(party_id)))
        if days:
            self.start.setDate(qdate(local_today() - timedelta(days=days)))
        self.show_statement()

    def show_statement(self) -> StatementDTO | None:
        pid = self.party_id()
        if pid is None:
            self.opening.setText(tr("Choose the customer or supplier first."))
            return None
        start, end = self.start.date().toPython(), self.end.date().toPython()
        got = run(self, lambda: self._services.accounts.statement(str(self.party.currentData()), pid, start, end))
        if not got or got.value is None:
            return None
        st = self.current = got.value
        self.model.set_rows(st.rows)
        self.opening.setText(tr("{name}: opening balance {amount} on {day}").format(
            name=st.name, amount=format_fen(st.opening), day=st.start.isoformat()))
        self.closing.setText(tr("Closing balance {amount} on {day}").format(amount=format_fen(st.closing),
                                                                            day=st.end.isoformat()))
        return st

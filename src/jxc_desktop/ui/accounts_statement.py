"""The statement (对账单) of one customer or supplier for a period: the opening balance, every
document and payment in date order with the running balance, the closing balance; saved as A4
PDF or xlsx to hand to the other side."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
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
from jxc_desktop.reports.statement import statement_pdf
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER, StatementDTO, StatementRow, kind_label
from jxc_desktop.services.accounts.statement_file import write_statement
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.accounts_settle import SettleBar
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.i18n import documents_dir, tr
from jxc_desktop.ui.models.list_model import Index, ListTableModel
from jxc_desktop.ui.saved_file import open_or_tell, tell_exported


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
        return (row.date.isoformat(), row.number, kind_label(row.kind), format_fen(row.debit) if row.debit else "",
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
        self.pdf_button = QPushButton(tr("Save PDF…"))
        self.xlsx_button = QPushButton(tr("Save xlsx…"))
        for b in (self.pdf_button, self.xlsx_button):
            b.setEnabled(False)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.closing, 1)
        self.buttons.addWidget(self.pdf_button)
        self.buttons.addWidget(self.xlsx_button)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(self.opening)
        lay.addWidget(self.table, 1)
        self.settle = SettleBar(services)  # 撤销核销 and 核销/冲销 on the chosen row
        lay.addWidget(self.settle)
        lay.addLayout(self.buttons)
        self.party.currentIndexChanged.connect(lambda _i: self.refresh())
        self.show_button.clicked.connect(self.show_statement)
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.xlsx_button.clicked.connect(lambda: self.save_xlsx())
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._row_chosen(cur.row()))
        self.settle.changed.connect(self.show_statement)
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
        self.settle.set_row(None, st.party, st.party_id)  # the rows are new: choose again
        self.opening.setText(tr("{name}: opening balance {amount} on {day}").format(
            name=st.name, amount=format_fen(st.opening), day=st.start.isoformat()))
        self.closing.setText(tr("Closing balance {amount} on {day}").format(amount=format_fen(st.closing),
                                                                            day=st.end.isoformat()))
        self.pdf_button.setEnabled(True)
        self.xlsx_button.setEnabled(True)
        return st

    def _row_chosen(self, i: int) -> None:
        st = self.current
        self.settle.set_row(self.model.row_at(i) if st is not None and i >= 0 else None,
                            st.party if st else "", st.party_id if st else 0)

    def _file_name(self, suffix: str) -> str:
        st = self.current
        assert st is not None
        return f"{tr('Statement')} {st.name} {st.start.isoformat()}_{st.end.isoformat()}.{suffix}"

    def save_pdf(self, path: str = "") -> Path | None:
        """The statement as A4 PDF (reports/statement.py), then shown in the system's viewer."""
        st = self.current
        if st is None:
            return None
        if not path:
            path, _f = QFileDialog.getSaveFileName(self, tr("Save PDF"), documents_dir(self._file_name("pdf")),
                                                   tr("PDF files (*.pdf)"))
            if not path:
                return None
        got = run(self, lambda: Path(path).write_bytes(statement_pdf(st)))
        if not got:
            return None
        open_or_tell(self, path)
        return Path(path)

    def save_xlsx(self, path: str = "") -> Path | None:
        st = self.current
        if st is None:
            return None
        if not path:
            path, _f = QFileDialog.getSaveFileName(self, tr("Save xlsx"), documents_dir(self._file_name("xlsx")),
                                                   tr("Tables (*.xlsx *.csv)"))
            if not path:
                return None
        if not run(self, lambda: write_statement(st, path)):
            return None
        tell_exported(self, path)
        return Path(path)

"""Payment (付款单, to a supplier) and collection (收款单, from a customer) entry: the party, the
amount, how and when it was paid, and the allocation (核销) to its open documents — pre-filled
oldest first, each part editable; what is left over stays on the account as a prepayment (asked
first). Paying a supplier needs the owner (PIN), taking money in does not."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.money import format_fen, parse_yuan
from jxc_desktop.services.accounts.dto import CUSTOMER, METHODS, SUPPLIER, MoneyDocResult
from jxc_desktop.services.hub import Services
from jxc_desktop.ui import guard
from jxc_desktop.ui.actions import run_confirmed
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.allocation_table import AllocationModel, Col

PAY_SUPPLIER = "pay_supplier"  # the PIN action


def money_method_name(method: str) -> str:
    return {"cash": tr("Cash"), "bank": tr("Bank transfer"), "wechat": tr("WeChat"), "alipay": tr("Alipay")}.get(
        method, method)


class MoneyPage(QWidget):
    posted = Signal(object)  # MoneyDocResult

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.party = QComboBox()
        self.party.addItem(tr("Collection from a customer (收款)"), CUSTOMER)
        self.party.addItem(tr("Payment to a supplier (付款)"), SUPPLIER)
        self.who = QComboBox()
        self.who.setEditable(True)
        self.who.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.who.setMinimumWidth(260)
        completer = self.who.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(completer.CompletionMode.PopupCompletion)
        self.balance = QLabel()
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("0.00")
        self.method = QComboBox()
        for m in METHODS:
            self.method.addItem(money_method_name(m), m)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("Note (bank reference, who paid…)"))
        self.refill_button = QPushButton(tr("Oldest first"))
        self.post_button = QPushButton(tr("Post"))
        self.post_button.setStyleSheet("font-weight: bold;")
        self.model = AllocationModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(Col.NUMBER, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-weight: bold;")
        self.message = QLabel()
        self.message.setWordWrap(True)

        form = QGridLayout()
        form.addWidget(self.party, 0, 0, 1, 2)
        form.addWidget(self.who, 0, 2, 1, 2)
        form.addWidget(self.balance, 0, 4, 1, 3)
        form.addWidget(QLabel(tr("Amount")), 1, 0)
        form.addWidget(self.amount, 1, 1)
        form.addWidget(self.method, 1, 2)
        form.addWidget(QLabel(tr("Date")), 1, 3)
        form.addWidget(self.date, 1, 4)
        form.addWidget(self.note, 1, 5)
        form.setColumnStretch(5, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.summary)
        foot.addWidget(self.message, 1)
        foot.addWidget(self.refill_button)
        foot.addWidget(self.post_button)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel(tr("Open documents: what the amount settles (核销), oldest first; type to change")))
        lay.addWidget(self.table, 1)
        lay.addLayout(foot)

        self.party.currentIndexChanged.connect(lambda _i: self.refresh())
        self.who.currentIndexChanged.connect(lambda _i: self._load_documents())
        self.amount.textEdited.connect(lambda _t: self._refill())
        self.refill_button.clicked.connect(self._refill)
        self.post_button.clicked.connect(self.post)
        self.model.changed.connect(self._show_summary)
        self.model.problem.connect(lambda exc: self.say(exc.message, error=True))
        self.refresh()

    # ------------------------------------------------------------ choosing
    def party_kind(self) -> str:
        return str(self.party.currentData())

    def refresh(self) -> None:
        """The parties again (names and balances), keeping the chosen one."""
        keep = self.party_id()
        self.who.blockSignals(True)
        self.who.clear()
        self.who.addItem("", None)
        if self.party_kind() == CUSTOMER:
            for c in self._services.customers.list(active_only=True):
                self.who.addItem(c.name, c.id)
        else:
            for s in self._services.suppliers.list(active_only=True):
                self.who.addItem(s.name, s.id)
        self.who.setCurrentIndex(max(0, self.who.findData(keep)) if keep is not None else 0)
        self.who.blockSignals(False)
        today = local_today()
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        if not self.amount.text():
            self.date.setDate(QDate(today.year, today.month, today.day))
        self._load_documents()

    def party_id(self) -> int | None:
        idx = self.who.findText(self.who.currentText().strip(), Qt.MatchFlag.MatchExactly)
        return self.who.itemData(idx) if idx > 0 else None

    def choose(self, party: str, party_id: int) -> None:
        """Open the page on one party (from the balances)."""
        self.party.setCurrentIndex(self.party.findData(party))
        self.who.setCurrentIndex(max(0, self.who.findData(party_id)))
        self.amount.setFocus()

    def _load_documents(self) -> None:
        pid = self.party_id()
        if pid is None:
            self.model.set_documents([], 0)
            self.balance.setText("")
            return
        docs = self._services.accounts.open_documents(self.party_kind(), pid)
        owed = sum(d.open for d in docs)
        self.balance.setText(tr("Open: {amount} in {n} documents").format(amount=format_fen(owed), n=len(docs)))
        self.model.set_documents(docs, self._amount_or_zero())

    def _amount_or_zero(self) -> int:
        try:
            return parse_yuan(self.amount.text() or "0")
        except JxcError:
            return 0

    def _refill(self) -> None:
        self.model.refill(self._amount_or_zero())

    # ------------------------------------------------------------ posting
    def post(self) -> MoneyDocResult | None:
        pid, party = self.party_id(), self.party_kind()
        if pid is None:
            self.say(tr("Choose the customer or supplier first."), error=True)
            return None
        try:
            amount = parse_yuan(self.amount.text(), field=tr("Amount"))
        except JxcError as exc:
            self.say(exc.message, error=True)
            return None
        if party == SUPPLIER and not guard.ensure_owner(self, self._services, PAY_SUPPLIER):
            return None
        method, day, note = str(self.method.currentData()), self.date.date().toPython(), self.note.text()
        allocations = self.model.allocations()
        call = self._services.accounts.collect if party == CUSTOMER else self._services.accounts.pay
        got = run_confirmed(self, lambda ok: call(pid, amount, method=method, day=day, note=note,
                                                   allocations=allocations, prepay_ok=ok))
        if not got or got.value is None:
            return None
        result = got.value
        self.amount.clear()
        self.note.clear()
        self._load_documents()
        text = tr("{number}: {amount}, settled {allocated}").format(
            number=result.number, amount=format_fen(result.amount), allocated=format_fen(result.allocated))
        if result.prepayment:
            text += "; " + tr("kept as prepayment {amount}").format(amount=format_fen(result.prepayment))
        self.say(text)
        self.posted.emit(result)
        return result

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #c0392b;" if error else "color: #1e7e34;")
        self.message.setText(text)

    def _show_summary(self) -> None:
        allocated, amount = self.model.allocated(), self._amount_or_zero()
        text = tr("Allocated {allocated} of {amount}").format(allocated=format_fen(allocated),
                                                              amount=format_fen(amount))
        if amount > allocated:
            text += "  " + tr("prepayment {amount}").format(amount=format_fen(amount - allocated))
        self.summary.setText(text)



"""The till's 挂账 dialog (Shift+F12): choose the customer (name, phone or pinyin initials), put
all or part of the amount due on their account, the rest paid now by cash or another method.
Enter in the customer line chooses the customer; Enter elsewhere posts through ``post``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.money import format_fen, parse_yuan
from jxc_desktop.services.accounts.dto import CREDIT_METHOD, CustomerDTO
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.ui.dialogs.till_dialog import EnterDialog, big, method_name
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.customer_picker import CustomerPicker

PostFn = Callable[[CustomerDTO, list[Tender]], bool]


class CreditDialog(EnterDialog):
    def __init__(self, parent: QWidget | None, services: Services, due: int, post: PostFn) -> None:
        super().__init__(parent, tr("On account (挂账)"))
        self.setMinimumWidth(480)
        self.due = due
        self._post = post
        lay = QVBoxLayout(self)
        lay.addWidget(big(QLabel(tr("Amount due: {amount}").format(amount=format_fen(due))), 20))
        self.picker = CustomerPicker(lambda text: services.customers.search(text))
        lay.addWidget(self.picker)
        form = QFormLayout()
        self.credit = QLineEdit(format_fen(due, symbol=False))
        big(self.credit, 14)  # type: ignore[arg-type]
        self.method = QComboBox()
        for m in ("cash", "wechat", "alipay", "card"):
            self.method.addItem(method_name(m), m)
        form.addRow(tr("On account"), self.credit)
        form.addRow(tr("The rest paid by"), self.method)
        lay.addLayout(form)
        self.after = QLabel()
        self.after.setWordWrap(True)
        lay.addWidget(self.after)
        lay.addWidget(self.error)
        hint = QLabel(tr("Enter in the customer line: choose    Enter: put on account    Esc: back to the cart"))
        hint.setStyleSheet("color: gray;")
        lay.addWidget(hint)
        self.credit.textChanged.connect(self._update)
        self.picker.chosen.connect(self._chosen)
        self.picker.line.setFocus()
        self._update()

    def _chosen(self, _customer: CustomerDTO) -> None:
        # after this Enter has reached the dialog too (see submit): then on to the amount
        QTimer.singleShot(0, self._to_amount)
        self._update()

    def _to_amount(self) -> None:
        self.credit.setFocus()
        self.credit.selectAll()

    def on_account(self) -> int:
        amount = parse_yuan(self.credit.text() or "0", field=tr("On account"))
        if amount <= 0:
            raise ValidationError("The amount on account must be greater than zero")
        if amount > self.due:
            raise ValidationError("On account {amount} is more than the amount due {due}",
                                  amount=format_fen(amount), due=format_fen(self.due))
        return amount

    def tenders(self) -> list[Tender]:
        credit = self.on_account()
        rest = self.due - credit
        out = [Tender(CREDIT_METHOD, credit)]
        if rest:
            out.insert(0, Tender(str(self.method.currentData()), rest))
        return out

    def _update(self) -> None:
        customer = self.picker.customer
        try:
            credit = self.on_account()
        except JxcError as exc:
            self.after.setText(exc.message)
            return
        rest = tr("Paid now: {amount}").format(amount=format_fen(self.due - credit))
        if customer is None:
            self.after.setText(rest)
            return
        owes = customer.balance + credit
        text = tr("{name} will owe {amount}").format(name=customer.name, amount=format_fen(owes))
        if customer.credit_limit is not None and owes > customer.credit_limit:
            text += "  " + tr("(above the credit limit {limit}: the owner must approve)").format(
                limit=format_fen(customer.credit_limit))
        self.after.setText(f"{rest}    {text}")

    def submit(self) -> None:
        if self.focusWidget() is self.picker.line:  # Enter in the customer line chooses (the line did already)
            return
        customer = self.picker.customer
        if customer is None:
            self.error.setText(tr("Choose the customer first."))
            self.picker.line.setFocus()
            return
        try:
            tenders = self.tenders()
        except JxcError as exc:
            self.fail(exc)
            return
        if self._post(customer, tenders):
            self.accept()

"""Add / edit a customer: name, phone, address, price level, credit limit (empty = no limit),
payment terms (days until a sale on account falls due), note. The dialog gathers text; the rules are the customers service's."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.money import fen_to_yuan_str, parse_yuan
from jxc_desktop.services.accounts.dto import CustomerDTO, CustomerInput
from jxc_desktop.services.hub import Services
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.forms import error_label, save_cancel_buttons


def level_name(level: str) -> str:
    return {"retail": tr("Retail"), "wholesale": tr("Wholesale")}.get(level, level)


class CustomerDialog(QDialog):
    """``saved`` carries the stored CustomerDTO."""

    saved = Signal(object)

    def __init__(self, services: Services, customer: CustomerDTO | None = None, parent: QWidget | None = None,
                 *, name: str = "") -> None:
        super().__init__(parent)
        self._services = services
        self.customer = customer
        self.setWindowTitle(tr("Edit customer") if customer else tr("New customer"))
        self.setMinimumWidth(420)
        self.name = QLineEdit(customer.name if customer else name)
        self.phone = QLineEdit(customer.phone if customer else "")
        self.address = QLineEdit(customer.address if customer else "")
        self.level = QComboBox()
        for lv in ("retail", "wholesale"):
            self.level.addItem(level_name(lv), lv)
        if customer:
            self.level.setCurrentIndex(max(0, self.level.findData(customer.level)))
        limit = customer.credit_limit if customer else None
        self.limit = QLineEdit(fen_to_yuan_str(limit) if limit is not None else "")
        self.limit.setPlaceholderText(tr("empty = no limit"))
        self.terms = QSpinBox()  # 0: a sale on account is due on its day
        self.terms.setRange(0, 3650)
        self.terms.setSuffix(tr(" days"))
        self.terms.setValue(customer.terms_days if customer else 0)
        self.note = QLineEdit(customer.note if customer else "")
        form = QFormLayout()
        form.addRow(tr("Name *"), self.name)
        form.addRow(tr("Phone"), self.phone)
        form.addRow(tr("Address"), self.address)
        form.addRow(tr("Price level"), self.level)
        form.addRow(tr("Credit limit"), self.limit)
        form.addRow(tr("Payment terms"), self.terms)
        form.addRow(tr("Note"), self.note)
        self.error_label = error_label(hidden=True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(save_cancel_buttons(self))
        self.name.setFocus()

    def gather(self) -> CustomerInput:
        text = self.limit.text().strip()
        limit = parse_yuan(text, field=tr("Credit limit")) if text else None
        return CustomerInput(self.name.text(), self.phone.text(), self.address.text(), str(self.level.currentData()),
                             limit, self.note.text(), self.terms.value())

    def save(self) -> CustomerDTO | None:
        try:
            data = self.gather()
        except JxcError as exc:
            self._say(exc.message)
            return None
        customers, customer = self._services.customers, self.customer
        got = run(self, lambda: customers.get(customers.add(data)) if customer is None
                  else customers.update(customer.id, data), inline=lambda exc: self._say(exc.message))
        if not got or got.value is None:
            return None
        self.saved.emit(got.value)
        return got.value

    def _say(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        if self.save() is not None:
            super().accept()

"""Add / edit a supplier. The dialog gathers text; the rules are the supplier service's."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import SupplierDTO, SupplierInput
from jxc_desktop.services.purchasing.suppliers import MAX_LEAD_DAYS
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.forms import error_label, save_cancel_buttons


class SupplierDialog(QDialog):
    """``SupplierDialog(services, supplier=None)``; ``saved`` carries the stored SupplierDTO."""

    saved = Signal(object)

    def __init__(self, services: Services, supplier: SupplierDTO | None = None, parent: QWidget | None = None,
                 *, name: str = "") -> None:
        super().__init__(parent)
        self._services = services
        self.supplier = supplier
        self.result_supplier: SupplierDTO | None = None
        self.setWindowTitle(tr("Edit supplier") if supplier else tr("New supplier"))
        self.setMinimumWidth(420)
        self.name = QLineEdit(supplier.name if supplier else name)
        self.contact = QLineEdit(supplier.contact if supplier else "")
        self.phone = QLineEdit(supplier.phone if supplier else "")
        self.address = QLineEdit(supplier.address if supplier else "")
        self.note = QLineEdit(supplier.note if supplier else "")
        self.lead_time = QSpinBox()  # days from order to delivery, for the seasonal reorder rule
        self.lead_time.setRange(0, MAX_LEAD_DAYS)
        self.lead_time.setSpecialValueText(tr("not known"))
        self.lead_time.setSuffix(tr(" days"))
        self.lead_time.setValue(supplier.lead_time_days if supplier else 0)
        form = QFormLayout()
        form.addRow(tr("Name *"), self.name)
        form.addRow(tr("Contact"), self.contact)
        form.addRow(tr("Phone"), self.phone)
        form.addRow(tr("Address"), self.address)
        form.addRow(tr("Note"), self.note)
        form.addRow(tr("Lead time"), self.lead_time)
        self.error_label = error_label(hidden=True)
        buttons = save_cancel_buttons(self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.name.setFocus()

    def save(self) -> SupplierDTO | None:
        data = SupplierInput(self.name.text(), self.contact.text(), self.phone.text(), self.address.text(),
                             self.note.text(), self.lead_time.value())
        supplier = self.supplier
        got = run(self, lambda: self._services.suppliers.add(data) if supplier is None
                  else self._services.suppliers.edit(supplier.id, data), inline=lambda exc: self._say(exc.message))
        if not got or got.value is None:
            return None
        dto = got.value
        self.result_supplier = dto
        self.saved.emit(dto)
        return dto

    def _say(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def accept(self) -> None:
        if self.save() is not None:
            super().accept()

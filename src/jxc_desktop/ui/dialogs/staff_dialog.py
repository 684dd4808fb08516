"""The staff list (员工) for the owner: who works at the till, adding a cashier, a new PIN for one
who forgot it, and the till's staff settings (shifts, no PIN for cashiers, sign-out on idle, the
till's name). The caller asks the owner PIN first (guard.ensure_owner "staff")."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.services.hub import Services
from jxc_desktop.services.staff.dto import OWNER
from jxc_desktop.ui.actions import into, run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.forms import error_label


class StaffDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(tr("Staff"))
        self.setMinimumWidth(460)
        self.people = QListWidget()
        self.error = error_label()

        add = QGroupBox(tr("Add a person"))
        self.name = QLineEdit()
        self.name.setMaxLength(40)
        self.number = QLineEdit()
        self.number.setMaxLength(8)
        self.pin = QLineEdit()
        self.pin.setMaxLength(12)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.is_owner = QCheckBox(tr("This is the owner (signs in with the owner PIN)"))
        form = QFormLayout(add)
        form.addRow(tr("Name:"), self.name)
        form.addRow(tr("Login number:"), self.number)
        form.addRow(tr("PIN:"), self.pin)
        form.addRow(self.is_owner)
        buttons = QHBoxLayout()
        self.add_btn = QPushButton(tr("Add"))
        self.add_btn.clicked.connect(self.add_person)
        self.reset_btn = QPushButton(tr("New PIN for the selected cashier"))
        self.reset_btn.clicked.connect(self.reset_pin)
        buttons.addWidget(self.add_btn)
        buttons.addWidget(self.reset_btn)
        form.addRow(buttons)

        values = services.settings.all()
        rules = QGroupBox(tr("At the till"))
        self.use_shifts = QCheckBox(tr("Use shifts (交班): a sale needs an open shift"))
        self.use_shifts.setChecked(values["use_shifts"] == "1")
        self.no_pin = QCheckBox(tr("No PIN for cashiers: they pick their name"))
        self.no_pin.setChecked(values["cashier_no_pin"] == "1")
        self.idle = QSpinBox()
        self.idle.setRange(0, 600)
        self.idle.setSuffix(tr(" min"))
        self.idle.setSpecialValueText(tr("never"))
        self.idle.setValue(int(values["idle_sign_out_min"]) if values["idle_sign_out_min"].isdigit() else 0)
        self.till = QLineEdit(values["till_id"])
        self.till.setMaxLength(20)
        rform = QFormLayout(rules)
        rform.addRow(self.use_shifts)
        rform.addRow(self.no_pin)
        rform.addRow(tr("Sign out when idle for:"), self.idle)
        rform.addRow(tr("This till's name:"), self.till)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save settings"))
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))
        close.accepted.connect(self.save_settings)
        close.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addWidget(self.people)
        lay.addWidget(add)
        lay.addWidget(rules)
        lay.addWidget(self.error)
        lay.addWidget(close)
        self.reload()

    def reload(self) -> None:
        self.people.clear()
        for p in self.services.staff.list():
            role = tr("owner") if p.role == OWNER else tr("cashier")
            locked = "  " + tr("(locked)") if p.locked_until is not None else ""
            self.people.addItem(f"{p.number}  {p.name}  {role}{locked}")
            self.people.item(self.people.count() - 1).setData(256, p.name)

    def add_person(self) -> None:
        role = OWNER if self.is_owner.isChecked() else "cashier"
        if run(self, lambda: self.services.staff.add(self.name.text(), self.number.text(), self.pin.text(), role=role),
               inline=into(self.error)):
            self.error.clear()
            for edit in (self.name, self.number, self.pin):
                edit.clear()
            self.reload()

    def reset_pin(self) -> None:
        item = self.people.currentItem()
        if item is None:
            self.error.setText(tr("Choose a cashier in the list first"))
            return
        name = str(item.data(256))
        if run(self, lambda: self.services.staff.reset_pin(name, self.pin.text()), inline=into(self.error)):
            self.error.setText("")
            self.pin.clear()
            self.reload()

    def save_settings(self) -> None:
        values = {"use_shifts": "1" if self.use_shifts.isChecked() else "0",
                  "cashier_no_pin": "1" if self.no_pin.isChecked() else "0",
                  "idle_sign_out_min": str(self.idle.value()), "till_id": self.till.text().strip()}
        if run(self, lambda: self.services.settings.update(values), inline=into(self.error)):
            self.accept()

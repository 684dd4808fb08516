"""Ask the owner PIN (老板密码) for one protected action, and set / change / turn off the PIN.

The dialogs call services/safety/pin.py; a wrong PIN shows the service's message (tries left, or the
one-minute lock) and the dialog stays open.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety.pin import MAX_LEN
from jxc_desktop.ui.actions import into, run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.till_session import session_for


def action_label(action: str) -> str:
    """What the owner is asked to allow, in words."""
    labels = {
        "refund": tr("Refund or return"),
        "price_change": tr("Price change or discount above the limit"),
        "reversal": tr("Reverse a posted document"),
        "post_count": tr("Post a stock count"),
        "stock_adjust": tr("Adjust stock by hand"),
        "delete_held_sale": tr("Delete a held sale"),
        "settings": tr("Change settings"),
        "backup": tr("Back up the data"),
        "restore": tr("Restore a backup"),
        "view_profit": tr("See costs, profit and reports"),
        "edit_data": tr("Change data"),
        "credit_override": tr("A sale on account above the customer's credit limit"),
        "stored_value_pay": tr("Paying from a member's stored value above the limit"),
        "member_adjust": tr("Correct a member's points or stored value"),
        "pay_supplier": tr("Pay a supplier"),
        "unallocate": tr("Undo an allocation (撤销核销)"),
        "write_off": tr("Write off what a document leaves open"),
        "staff": tr("Manage the staff"),
    }
    return labels.get(action, action)


def _pin_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(MAX_LEN)
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]*")))
    edit.setPlaceholderText(tr("digits"))
    return edit


class PinDialog(QDialog):
    """``accept()`` checks the PIN for ``action``; ``authorized`` tells the caller it was right."""

    def __init__(self, services: Services, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.action = action
        self.authorized = False
        self.setWindowTitle(tr("Owner PIN"))
        self.pin_edit = _pin_edit()
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("This needs the owner: {what}").format(what=action_label(action))))
        form = QFormLayout()
        form.addRow(tr("Owner PIN (老板密码):"), self.pin_edit)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.pin_edit.setFocus()

    def accept(self) -> None:
        who = session_for(self._services).person  # the audit names the owner approving, for whom
        if not run(self, lambda: self._services.pin.authorize(
                self.action, self.pin_edit.text(), actor=self._services.staff.owner_name(),
                for_whom=who.name if who is not None else ""), inline=into(self.error_label)):
            self.pin_edit.clear()
            self.pin_edit.setFocus()
            return
        self.authorized = True
        super().accept()


class SetPinDialog(QDialog):
    """Set, change or (with an empty new PIN) turn off the owner PIN; changing needs the current one."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.is_set = services.pin.is_set()
        self.recovery_code = ""
        self.setWindowTitle(tr("Owner PIN"))
        self.current = _pin_edit()
        self.new = _pin_edit()
        self.again = _pin_edit()
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        if self.is_set:
            form.addRow(tr("Current PIN:"), self.current)
        form.addRow(tr("New PIN:"), self.new)
        form.addRow(tr("New PIN again:"), self.again)
        # No reset command here: this dialog is on the till's screen (the recovery code dialog names it).
        help_text = tr("4 to 12 digits. When a PIN is set, refunds, reversals, price changes, counts, settings, "
                       "backups, costs and profit need it. You get a recovery code to keep in case you "
                       "forget it.")
        if self.is_set:
            help_text += "\n" + tr("Leave the new PIN empty to turn the PIN off.")
        hint = QLabel(help_text)
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def accept(self) -> None:
        new, again = self.new.text(), self.again.text()

        def store() -> None:
            if new != again:
                raise ValidationError("The two PINs differ")
            if self.is_set and not new:
                self._services.pin.clear_pin(self.current.text())
            else:
                self.recovery_code = self._services.pin.set_pin(
                    new, current_pin=self.current.text() if self.is_set else None)

        if not run(self, store, inline=into(self.error_label)):
            return
        super().accept()
        if self.recovery_code:
            from jxc_desktop.ui.dialogs.recovery_code_dialog import RecoveryCodeDialog

            # Shown once: only the code's hash is stored.
            self.recovery_dialog = RecoveryCodeDialog(self.recovery_code, self._services.settings.get("shop_name"),
                                                      self.parentWidget())
            self.recovery_dialog.open()

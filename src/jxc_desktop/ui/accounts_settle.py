"""Settling by hand from the statement (对账单): undo what a document or payment was allocated to
(撤销核销 — e.g. before reversing a purchase note, which is refused while payments are allocated to
it), and write off what a document leaves open (核销/冲销: the few fen the customer rounded away, a
bad debt). Both need the owner (PIN) and land in the audit trail (the service records them).

The bar works on the statement row chosen; the statement is shown again after each action."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.money import format_fen, parse_yuan
from jxc_desktop.services.accounts.dto import AllocationDTO, StatementRow
from jxc_desktop.services.hub import Services
from jxc_desktop.ui import guard
from jxc_desktop.ui.errors import confirm
from jxc_desktop.ui.i18n import tr

UNALLOCATE = "unallocate"  # the PIN actions (ui/dialogs/pin_dialog.py names them)
WRITE_OFF = "write_off"


class WriteOffDialog(QDialog):
    """How much of a document's open amount to write off (default: all of it), and why."""

    def __init__(self, number: str, open_fen: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Write off (核销/冲销)"))
        self.open_fen = open_fen
        self.amount = QLineEdit(format_fen(open_fen, symbol=False))
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("Why (rounded away, bad debt…)"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout(self)
        form.addRow(QLabel(tr("{number}: {amount} open").format(number=number, amount=format_fen(open_fen))))
        form.addRow(tr("Amount"), self.amount)
        form.addRow(tr("Note"), self.note)
        form.addRow(self.error)
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def accept(self) -> None:
        """Closes only on an amount that parses (the service checks it against what is open)."""
        try:
            self.value()
        except JxcError as exc:
            self.error.setText(exc.message)
            return
        super().accept()

    def value(self) -> int:
        return parse_yuan(self.amount.text(), field=tr("Amount"))


def _allocation_text(a: AllocationDTO) -> str:
    return tr("{debit} ← {credit}: {amount}").format(debit=a.debit_number, credit=a.credit_number,
                                                    amount=format_fen(a.amount))


class SettleBar(QWidget):
    """The statement's 撤销核销 and 核销/冲销 buttons and what they said."""

    changed = Signal()  # something was undone or written off: show the statement again

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.row: StatementRow | None = None
        self.party, self.party_id = "", 0
        self.dialog: WriteOffDialog | None = None
        self.undo_button = QPushButton(tr("Undo allocation (撤销核销)…"))
        self.write_off_button = QPushButton(tr("Write off (核销/冲销)…"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.message, 1)
        lay.addWidget(self.undo_button)
        lay.addWidget(self.write_off_button)
        self.undo_button.clicked.connect(lambda: self.undo())
        self.write_off_button.clicked.connect(lambda: self.ask_write_off())
        self.set_row(None, "", 0)

    def set_row(self, row: StatementRow | None, party: str, party_id: int) -> None:
        self.row, self.party, self.party_id = row, party, party_id
        usable = row is not None and row.entry_id > 0
        self.undo_button.setEnabled(usable)
        # only what raises the balance (a note owed, a sale on account) has an open amount to write off
        self.write_off_button.setEnabled(usable and row is not None and row.debit > 0)

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #c0392b;" if error else "color: #1e7e34;")
        self.message.setText(text)

    # ------------------------------------------------------------ 撤销核销
    def undo(self) -> int | None:
        """Undo every live allocation of the chosen row's entry, after a question and the PIN."""
        row = self.row
        if row is None:
            return None
        allocations = self._services.accounts.allocations(row.entry_id)
        if not allocations:
            self.say(tr("{number} has no allocation to undo").format(number=row.number), error=True)
            return None
        lines = "\n".join(_allocation_text(a) for a in allocations)
        if not confirm(self, tr("Undo these allocations of {number}? What they settled is open again.\n{lines}")
                       .format(number=row.number, lines=lines)):
            return None
        got = guard.run_as_owner(self, self._services, UNALLOCATE,
                                 lambda: self._services.accounts.unallocate([a.id for a in allocations]),
                                 inline=lambda exc: self.say(exc.message, error=True))
        if not got or got.value is None:
            return None
        self.say(tr("{n} allocations of {number} undone").format(n=got.value, number=row.number))
        self.changed.emit()
        return got.value

    # ------------------------------------------------------------ 核销/冲销
    def ask_write_off(self) -> WriteOffDialog | None:
        """Open the write-off dialog on the chosen document's open amount (window-modal)."""
        row = self.row
        if row is None:
            return None
        left = next((d.open for d in self._services.accounts.open_documents(self.party, self.party_id)
                     if d.entry_id == row.entry_id), 0)
        if left <= 0:
            self.say(tr("{number} is settled: nothing open to write off").format(number=row.number), error=True)
            return None
        self.dialog = WriteOffDialog(row.number, left, self)
        self.dialog.accepted.connect(lambda: self.write_off(row))
        self.dialog.open()
        return self.dialog

    def write_off(self, row: StatementRow) -> int | None:
        dialog = self.dialog
        if dialog is None:
            return None
        amount, note = dialog.value(), dialog.note.text()
        got = guard.run_as_owner(self, self._services, WRITE_OFF,
                                 lambda: self._services.accounts.write_off(row.entry_id, amount, note=note),
                                 inline=lambda exc: self.say(exc.message, error=True))
        if not got or got.value is None:
            return None
        self.say(tr("{amount} of {number} written off").format(amount=format_fen(amount), number=row.number))
        self.changed.emit()
        return got.value

"""The till's staff dialogs: signing in (number + PIN, or picking the name), opening a shift with
the float, paying cash in or out of the drawer, and closing the shift with the counted cash (by
denomination or as one sum). Keyboard first like the other till dialogs (till_dialog.py): Enter
submits, a refused value shows its reason in the red line and the dialog stays open."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.cash_count import DENOMINATIONS, MAX_PIECES, count_total
from jxc_desktop.domain.money import format_fen, parse_yuan
from jxc_desktop.services.staff.dto import CASHIER, PersonDTO, ShiftSummary
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.till_dialog import EnterDialog, big
from jxc_desktop.ui.i18n import tr


def _digits(max_len: int, *, secret: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(max_len)
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]*")))
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    big(edit, 14)  # type: ignore[arg-type]
    return edit


def _money(initial: int | None = None) -> QLineEdit:
    edit = QLineEdit("" if initial is None else format_fen(initial, symbol=False))
    big(edit, 14)  # type: ignore[arg-type]
    return edit


class SignInDialog(EnterDialog):
    """Number + PIN; when the shop lets cashiers sign in without a PIN, a name list too."""

    def __init__(self, parent: QWidget | None, people: list[PersonDTO], no_pin: bool,
                 sign_in: Callable[[str, str], PersonDTO], by_name: Callable[[str], PersonDTO]) -> None:
        super().__init__(parent, tr("Sign in at the till"))
        self._sign_in, self._by_name = sign_in, by_name
        self.person: PersonDTO | None = None
        self.number = _digits(8)
        self.pin = _digits(12, secret=True)
        self.names = QComboBox()
        self.names.addItem(tr("(type your number)"), "")
        for p in people:
            if no_pin and p.role == CASHIER:
                self.names.addItem(p.name, p.name)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("Type your login number and PIN, then Enter.")))
        form = QFormLayout()
        if self.names.count() > 1:
            form.addRow(tr("Cashier:"), self.names)
        form.addRow(tr("Login number:"), self.number)
        form.addRow(tr("PIN:"), self.pin)
        lay.addLayout(form)
        lay.addWidget(self.error)
        self.number.setFocus()

    def submit(self) -> None:
        name = self.names.currentData()

        def go() -> PersonDTO:
            return self._by_name(name) if name else self._sign_in(self.number.text(), self.pin.text())

        outcome = run(self, go, inline=self.fail)
        if not outcome:
            self.pin.clear()
            return
        self.person = outcome.value
        self.accept()


class OpenShiftDialog(EnterDialog):
    """The float (备用金) put in the drawer; ``open_shift(fen)`` opens the shift."""

    def __init__(self, parent: QWidget | None, cashier: str, float_default: int,
                 open_shift: Callable[[int], ShiftSummary]) -> None:
        super().__init__(parent, tr("Open a shift"))
        self._open_shift = open_shift
        self.shift: ShiftSummary | None = None
        self.float_edit = _money(float_default)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("Cashier: {name}").format(name=cashier)))
        form = QFormLayout()
        form.addRow(tr("Float in the drawer (备用金):"), self.float_edit)
        lay.addLayout(form)
        lay.addWidget(self.error)
        self.float_edit.selectAll()
        self.float_edit.setFocus()

    def submit(self) -> None:
        outcome = run(self, lambda: self._open_shift(parse_yuan(self.float_edit.text() or "0", field=tr("Float"))),
                      inline=self.fail)
        if outcome:
            self.shift = outcome.value
            self.accept()


class CashMoveDialog(EnterDialog):
    """Cash paid out of (default) or into the drawer, with its reason."""

    def __init__(self, parent: QWidget | None, record: Callable[[int, str], object]) -> None:
        super().__init__(parent, tr("Cash in or out of the drawer"))
        self._record = record
        self.out = QRadioButton(tr("Paid out (e.g. to a delivery man)"))
        self.into = QRadioButton(tr("Paid in"))
        self.out.setChecked(True)
        self.amount = _money()
        self.reason = QLineEdit()
        self.reason.setMaxLength(100)
        lay = QVBoxLayout(self)
        lay.addWidget(self.out)
        lay.addWidget(self.into)
        form = QFormLayout()
        form.addRow(tr("Amount:"), self.amount)
        form.addRow(tr("Reason:"), self.reason)
        lay.addLayout(form)
        lay.addWidget(self.error)
        self.amount.setFocus()

    def submit(self) -> None:
        def go() -> object:
            fen = parse_yuan(self.amount.text() or "0", field=tr("Amount"))
            return self._record(-fen if self.out.isChecked() else fen, self.reason.text())

        if run(self, go, inline=self.fail):
            self.accept()


class CloseShiftDialog(EnterDialog):
    """Count the drawer: pieces per note and coin (the total adds up live) or one sum typed in;
    what stays in the drawer as the next float. ``close(counted, pieces, float_left)``."""

    def __init__(self, parent: QWidget | None, shift: ShiftSummary,
                 close: Callable[[int | None, dict[int, int], int], ShiftSummary]) -> None:
        super().__init__(parent, tr("Close the shift (交班)"))
        self._close = close
        self.closed: ShiftSummary | None = None
        self.pieces: dict[int, QSpinBox] = {}
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("Shift {id} of {name}: count the cash in the drawer").format(
            id=shift.id, name=shift.cashier)))
        grid = QGridLayout()
        for i, fen in enumerate(DENOMINATIONS):
            spin = QSpinBox()
            spin.setRange(0, MAX_PIECES)
            spin.valueChanged.connect(self._update)
            self.pieces[fen] = spin
            grid.addWidget(QLabel(format_fen(fen)), i // 2, (i % 2) * 2)
            grid.addWidget(spin, i // 2, (i % 2) * 2 + 1)
        lay.addLayout(grid)
        self.by_notes = big(QLabel(), 12)
        lay.addWidget(self.by_notes)
        form = QFormLayout()
        self.total = _money()
        self.total.setPlaceholderText(tr("or type the total counted"))
        self.float_left = _money(shift.float_amount)
        form.addRow(tr("Counted in all:"), self.total)
        form.addRow(tr("Float left for the next shift:"), self.float_left)
        lay.addLayout(form)
        lay.addWidget(self.error)
        self._update()

    def counted_pieces(self) -> dict[int, int]:
        return {fen: spin.value() for fen, spin in self.pieces.items() if spin.value()}

    def _update(self) -> None:
        self.by_notes.setText(tr("Notes and coins: {amount}").format(amount=format_fen(count_total(self.counted_pieces()))))

    def submit(self) -> None:
        def go() -> ShiftSummary:
            text = self.total.text().strip()
            counted = parse_yuan(text, field=tr("Counted")) if text else None
            left = parse_yuan(self.float_left.text() or "0", field=tr("Float left"))
            return self._close(counted, self.counted_pieces(), left)

        outcome = run(self, go, inline=self.fail)
        if outcome:
            self.closed = outcome.value
            self.accept()

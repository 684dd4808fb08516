"""A member's money on screen: the top-up (储值充值, 充100送10), the owner's correction of points or
stored value (the caller asks the PIN first: ui/guard.run_as_owner), and the two ledgers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import format_fen, parse_yuan
from jxc_desktop.services.members.money_dto import TOPUP_METHODS, PointsMoveDTO, TopUpResult, ValueMoveDTO
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.till_dialog import EnterDialog, big, method_name
from jxc_desktop.ui.i18n import tr


class TopUpDialog(EnterDialog):
    """Amount received, bonus given, how the money came in; ``post(amount, bonus, method)``."""

    def __init__(self, parent: QWidget | None, name: str, balance: int,
                 post: Callable[[int, int, str], TopUpResult]) -> None:
        super().__init__(parent, tr("Top up stored value"))
        self._post = post
        self.result: TopUpResult | None = None
        self.amount, self.bonus = QLineEdit(), QLineEdit()
        big(self.amount, 16)  # type: ignore[arg-type]
        self.method = QComboBox()
        for m in TOPUP_METHODS:
            self.method.addItem(method_name(m), m)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("{name}: stored value {amount}").format(name=name, amount=format_fen(balance))))
        form = QFormLayout()
        form.addRow(tr("Amount received:"), self.amount)
        form.addRow(tr("Bonus (充100送10):"), self.bonus)
        form.addRow(tr("Paid by:"), self.method)
        lay.addLayout(form)
        lay.addWidget(self.error)
        self.amount.setFocus()

    def submit(self) -> None:
        def go() -> TopUpResult:
            amount = parse_yuan(self.amount.text() or "0", field=tr("Top-up"))
            bonus = parse_yuan(self.bonus.text() or "0", field=tr("Bonus"))
            return self._post(amount, bonus, str(self.method.currentData()))

        done = run(self, go, inline=self.fail)
        if done and done.value is not None:
            self.result = done.value
            self.accept()


class AdjustDialog(EnterDialog):
    """The owner's correction: points or stored value (signed), with the reason the audit keeps;
    ``post(kind, amount, reason)`` where kind is "points" or "stored_value"."""

    def __init__(self, parent: QWidget | None, name: str, post: Callable[[str, int, str], int]) -> None:
        super().__init__(parent, tr("Correct {name}'s points or stored value").format(name=name))
        self._post = post
        self.points = QRadioButton(tr("Points"))
        self.value = QRadioButton(tr("Stored value (yuan)"))
        self.points.setChecked(True)
        self.amount, self.reason = QLineEdit(), QLineEdit()
        self.reason.setMaxLength(200)
        lay = QVBoxLayout(self)
        lay.addWidget(self.points)
        lay.addWidget(self.value)
        form = QFormLayout()
        form.addRow(tr("Add (negative: take off):"), self.amount)
        form.addRow(tr("Reason:"), self.reason)
        lay.addLayout(form)
        lay.addWidget(self.error)
        self.amount.setFocus()

    def submit(self) -> None:
        def go() -> int:
            text = self.amount.text().strip()
            if self.points.isChecked():
                if not text.lstrip("-").isdigit():
                    raise ValidationError("The points must be a whole number, not zero")
                return self._post("points", int(text), self.reason.text())
            return self._post("stored_value", parse_yuan(text or "0", field=tr("Stored value"), allow_negative=True),
                              self.reason.text())

        if run(self, go, inline=self.fail):
            self.accept()


def ledger_table(points: list[PointsMoveDTO], value: list[ValueMoveDTO]) -> QTableWidget:
    """Both ledgers in one table, each move with the balance after it, oldest first."""
    kinds = {"earn": tr("Earned"), "redeem": tr("Paid with points"), "return": tr("Taken back by a return"),
             "reverse": tr("Given back by a return"), "adjust": tr("Correction"), "topup": tr("Top-up"),
             "bonus": tr("Bonus"), "pay": tr("Paid at the till"), "refund": tr("Refunded by a return")}
    rows = [(m.at, tr("Points"), kinds.get(m.kind, m.kind), f"{m.points:+d}", str(m.balance), m.sale, m.note)
            for m in points]
    rows += [(m.at, tr("Stored value"), kinds.get(m.kind, m.kind), format_fen(m.amount), format_fen(m.balance),
              m.number, m.note) for m in value]
    rows.sort(key=lambda r: r[0])
    table = QTableWidget(len(rows), 7)
    table.setHorizontalHeaderLabels([tr("Time"), tr("Points / stored value"), tr("Move"), tr("Amount"),
                                     tr("Balance"), tr("Document"), tr("Note")])
    for i, row in enumerate(rows):
        cells = (row[0].astimezone().strftime("%Y-%m-%d %H:%M"), *row[1:])
        for j, cell in enumerate(cells):
            table.setItem(i, j, QTableWidgetItem(str(cell)))
    table.resizeColumnsToContents()
    return table


class LedgerDialog(EnterDialog):
    def __init__(self, parent: QWidget | None, name: str, points: list[PointsMoveDTO],
                 value: list[ValueMoveDTO]) -> None:
        super().__init__(parent, tr("{name}: points and stored value").format(name=name))
        self.table = ledger_table(points, value)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        self.resize(760, 420)

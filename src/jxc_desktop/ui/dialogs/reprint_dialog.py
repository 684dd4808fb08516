"""The reprint dialog (F11): today's sales and returns, a receipt again, the end-of-day summary, and
a shift slip (交班单) of today's shifts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.sales.dto import SaleRow
from jxc_desktop.services.staff.dto import ShiftSummary
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.till_dialog import EnterDialog, method_name
from jxc_desktop.ui.i18n import tr


class ReprintDialog(EnterDialog):
    """Today's sales and returns; Enter reprints the typed number or the chosen row."""

    def __init__(self, parent: QWidget | None, rows: Sequence[SaleRow], reprint: Callable[[str, bool], None],
                 day_summary: Callable[[bool], None], shifts: Sequence[ShiftSummary] = (),
                 shift_slip: Callable[[int, bool], None] | None = None) -> None:
        super().__init__(parent, tr("Reprint a receipt"))
        self._reprint = reprint
        self.resize(560, 380)
        self.number = QLineEdit()
        self.number.setPlaceholderText(tr("Receipt number, or choose from today's list"))
        self.list = QListWidget()
        for r in rows:
            kind = tr("Return") if r.kind == "return" else tr("Sale")
            item = QListWidgetItem(f"{r.created_at.astimezone():%H:%M}  {r.number}  {kind}  "
                                   f"{format_fen(r.total)}  {' '.join(method_name(m) for m in r.methods)}")
            item.setData(Qt.ItemDataRole.UserRole, r.number)
            self.list.addItem(item)
        if rows:
            self.list.setCurrentRow(0)
        self.preview = QCheckBox(tr("Preview before printing"))
        summary_btn = QPushButton(tr("Print end-of-day summary (F5)"))
        summary_btn.clicked.connect(lambda: day_summary(self.preview.isChecked()))
        QShortcut(QKeySequence("F5"), self).activated.connect(summary_btn.click)
        # today's shifts, newest first: a slip again (an open shift prints as an interim slip)
        self.shifts = QComboBox()
        for sh in sorted(shifts, key=lambda sh: sh.opened_at, reverse=True):
            state = tr("(closed)") if sh.status == "closed" else tr("(still open)")
            self.shifts.addItem(f"{sh.opened_at.astimezone():%H:%M}  {tr('Shift {id}').format(id=sh.id)}  "
                                f"{sh.cashier}  {state}", sh.id)
        self.slip_button = QPushButton(tr("Print shift slip (F6)"))
        self.slip_button.setEnabled(shift_slip is not None and self.shifts.count() > 0)
        if shift_slip is not None:
            self.slip_button.clicked.connect(lambda: self._slip(shift_slip))
            QShortcut(QKeySequence("F6"), self).activated.connect(self.slip_button.click)
        lay = QVBoxLayout(self)
        lay.addWidget(self.number)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.preview)
        row.addStretch(1)
        row.addWidget(summary_btn)
        lay.addLayout(row)
        slip_row = QHBoxLayout()
        slip_row.addWidget(self.shifts, 1)
        slip_row.addWidget(self.slip_button)
        lay.addLayout(slip_row)
        self.number.installEventFilter(self)
        self.number.setFocus()

    def eventFilter(self, watched: Any, event: Any) -> bool:
        # Up/Down in the number field move in today's list, so the hands stay on the keys.
        if watched is self.number and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            self.list.setCurrentRow(max(0, min(self.list.count() - 1, self.list.currentRow() + step)))
            return True
        return super().eventFilter(watched, event)

    def _slip(self, shift_slip: Callable[[int, bool], None]) -> None:
        shift_id = self.shifts.currentData()
        if shift_id is not None and self.slip_button.isEnabled():
            run(self, lambda: shift_slip(int(shift_id), self.preview.isChecked()), inline=self.fail)

    def submit(self) -> None:
        number = self.number.text().strip()
        if not number and self.list.currentItem() is not None:
            number = str(self.list.currentItem().data(Qt.ItemDataRole.UserRole))
        if not number:
            return
        if run(self, lambda: self._reprint(number, self.preview.isChecked()), inline=self.fail):
            self.accept()

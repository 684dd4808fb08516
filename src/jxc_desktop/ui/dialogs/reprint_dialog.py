"""The reprint dialog (F11): today's sales and returns, a receipt again, the end-of-day summary."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
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
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.till_dialog import EnterDialog, method_name
from jxc_desktop.ui.i18n import tr


class ReprintDialog(EnterDialog):
    """Today's sales and returns; Enter reprints the typed number or the chosen row."""

    def __init__(self, parent: QWidget | None, rows: Sequence[SaleRow], reprint: Callable[[str, bool], None],
                 day_summary: Callable[[bool], None]) -> None:
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
        lay = QVBoxLayout(self)
        lay.addWidget(self.number)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.preview)
        row.addStretch(1)
        row.addWidget(summary_btn)
        lay.addLayout(row)
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

    def submit(self) -> None:
        number = self.number.text().strip()
        if not number and self.list.currentItem() is not None:
            number = str(self.list.currentItem().data(Qt.ItemDataRole.UserRole))
        if not number:
            return
        if run(self, lambda: self._reprint(number, self.preview.isChecked()), inline=self.fail):
            self.accept()

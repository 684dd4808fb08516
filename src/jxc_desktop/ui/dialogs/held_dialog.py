"""The held-sales dialog (F9): the carts put aside, resume one or throw it away."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.sales.dto import HeldDTO
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.till_dialog import EnterDialog
from jxc_desktop.ui.i18n import tr


def held_text(h: HeldDTO) -> str:
    """One held cart as the cashier recognises it: when, what (first item), how much, the note."""
    when = h.created_at.astimezone().strftime("%m-%d %H:%M")
    if h.lines > 1:
        what = tr("{first} + {more} more").format(first=h.first_item, more=h.lines - 1)
    else:
        what = h.first_item
    text = f"{when}   {what}   {format_fen(h.gross)}"
    return text + "   " + tr("Note: {note}").format(note=h.label) if h.label else text


class HeldDialog(EnterDialog):
    """The held carts; Enter resumes the chosen one, Delete throws it away."""

    def __init__(self, parent: QWidget | None, held: Sequence[HeldDTO], resume: Callable[[int], None],
                 delete: Callable[[int], None]) -> None:
        super().__init__(parent, tr("Held sales"))
        self._resume, self._delete = resume, delete
        self.resize(560, 320)
        self.list = QListWidget()
        for h in held:
            item = QListWidgetItem(held_text(h))
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            self.list.addItem(item)
        self.list.setCurrentRow(self.list.count() - 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.list)
        lay.addWidget(self.error)
        hint = QLabel(tr("Enter: resume    Delete: discard    Esc: close"))
        hint.setStyleSheet("color: gray;")
        lay.addWidget(hint)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self).activated.connect(self.delete_current)
        self.list.setFocus()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def submit(self) -> None:
        held_id = self.current_id()
        if held_id is None:
            return
        if run(self, lambda: self._resume(held_id), inline=self.fail):
            self.accept()

    def delete_current(self) -> None:
        held_id = self.current_id()
        if held_id is None:
            return
        if not run(self, lambda: self._delete(held_id), inline=self.fail):
            return
        self.list.takeItem(self.list.currentRow())

"""What the till's keyboard dialogs share, and the one-value prompt (quantity, price, discount, note).

Each dialog takes callables that do the work (so it stays thin and testable) and shows a service
error in its own red line, staying open, instead of a modal box: the cashier corrects and presses
Enter again. The tab opens them with ``open()`` (not ``exec()``), so tests can drive them.
The others: pay_dialog.py, return_dialog.py, held_dialog.py, reprint_dialog.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.forms import error_label


def method_name(method: str) -> str:
    return {"cash": tr("Cash"), "wechat": tr("WeChat"), "alipay": tr("Alipay"), "card": tr("Bank card"),
            "credit": tr("On account"), "stored_value": tr("Stored value"), "points": tr("Points")}.get(
        method, method)


def big(label: QLabel, points: int) -> QLabel:
    font = QFont(label.font())
    font.setPointSize(points)
    font.setBold(True)
    label.setFont(font)
    return label


class EnterDialog(QDialog):
    """A dialog where Enter runs ``submit`` (not the default button dance)."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.error = error_label()

    def fail(self, exc: BaseException) -> None:
        self.error.setText(exc.message if isinstance(exc, JxcError) else str(exc))

    def submit(self) -> None:  # pragma: no cover - overridden
        self.accept()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            return
        super().keyPressEvent(event)


class ValueDialog(EnterDialog):
    """Ask for one value; ``apply(text)`` raises JxcError to keep the dialog open with the message."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str, initial: str,
                 apply: Callable[[str], None]) -> None:
        super().__init__(parent, title)
        self._apply = apply
        self.edit = QLineEdit(initial)
        self.edit.selectAll()
        big(self.edit, 16)  # type: ignore[arg-type]
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(prompt))
        lay.addWidget(self.edit)
        lay.addWidget(self.error)
        hint = QLabel(tr("Enter: OK    Esc: cancel"))
        hint.setStyleSheet("color: gray;")
        lay.addWidget(hint)

    def submit(self) -> None:
        if not run(self, lambda: self._apply(self.edit.text()), inline=self.fail):
            self.edit.selectAll()
            return
        self.accept()

"""Typing Chinese into widgets: QTest maps only Latin-1 keys and aborts on CJK, so CJK text is
sent as an input-method commit string, the way a real IME delivers it."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_cjk(widget: QWidget, text: str) -> None:
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
    QApplication.processEvents()

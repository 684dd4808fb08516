"""Status-bar texts that end in "…" when the window is too narrow for them, instead of being cut off
mid-letter (a QLabel or QPushButton never asks for less than its whole text, so the status bar,
given less room than its texts need, drew "back up now (" and "mum · 4 batches" at 1 024 px).

Each may be squeezed to a few characters; painted, its text is elided to the width it got, and its
tooltip then starts with the whole text (above any tooltip of its own). ``text()`` is always the
whole text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QCursor, QFontMetrics, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QToolTip,
    QWidget,
)

SHOWN_AT_LEAST = "⚠ Ab…"  # how narrow a text may get: its first letters and the ellipsis


def _narrowest(metrics: QFontMetrics, hint: QSize, chrome: int) -> QSize:
    return QSize(min(hint.width(), metrics.horizontalAdvance(SHOWN_AT_LEAST) + chrome), hint.height())


def _tip(widget: QWidget, event: QEvent, whole: str, room: int) -> bool:
    """Show the whole text (and the widget's own tooltip under it) when it is elided; False when
    the widget's own handling should run."""
    if event.type() != QEvent.Type.ToolTip or widget.fontMetrics().horizontalAdvance(whole) <= room:
        return False
    own = widget.toolTip()
    at = event.globalPos() if isinstance(event, QHelpEvent) else QCursor.pos()
    QToolTip.showText(at, f"{whole}\n{own}" if own else whole, widget)
    return True


class ElidedLabel(QLabel):
    """A one-line label elided at its end (``mode``: Qt.TextElideMode, e.g. the middle of a path)."""

    def __init__(self, parent: QWidget | None = None, *,
                 mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> None:
        super().__init__(parent)
        self._mode = mode

    def minimumSizeHint(self) -> QSize:
        m = self.contentsMargins()
        return _narrowest(self.fontMetrics(), super().minimumSizeHint(), m.left() + m.right())

    def room(self) -> int:
        return self.contentsRect().width()

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.room()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.is_elided():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        shown = self.fontMetrics().elidedText(self.text(), self._mode, self.room())
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()), self.palette(),
                                  self.isEnabled(), shown, self.foregroundRole())

    def event(self, event: QEvent) -> bool:
        return _tip(self, event, self.text(), self.room()) or super().event(event)


class ElidedButton(QPushButton):
    """A (flat) push button whose text is elided at its end."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A push button's width policy is Minimum (never below its text); this one may give way.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, self.sizePolicy().verticalPolicy())

    def _option(self) -> QStyleOptionButton:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        return option

    def room(self) -> int:
        contents = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, self._option(), self)
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, self._option(), self)
        return max(0, contents.width() - margin)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        chrome = max(0, self.sizeHint().width() - self.fontMetrics().horizontalAdvance(self.text()))
        return _narrowest(self.fontMetrics(), hint, chrome)

    def paintEvent(self, event: QPaintEvent) -> None:
        option = self._option()
        if self.fontMetrics().horizontalAdvance(option.text) > self.room():
            option.text = self.fontMetrics().elidedText(option.text, Qt.TextElideMode.ElideRight, self.room())
        QStylePainter(self).drawControl(QStyle.ControlElement.CE_PushButton, option)

    def event(self, event: QEvent) -> bool:
        return _tip(self, event, self.text(), self.room()) or super().event(event)

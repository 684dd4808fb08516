"""A row of widgets that wraps onto further lines when the window is too narrow for it, instead of
squeezing them over each other (a box layout given less than its minimum width overlaps its widgets:
the main window's minimum is smaller than a tab's button bar in Chinese or English).

Each widget keeps its size hint (never less than its minimum); what a line has left over goes to
its widgets that expand horizontally (a search box), so on a wide window the row looks like a box
layout with a stretching first widget. The height follows the width (``heightForWidth``), so the
layout holding the row moves what is below it down when the row wraps.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QLayout, QLayoutItem, QStyle, QWidget


class FlowRow(QLayout):
    """Widgets left to right at their size hints, as many lines as the width needs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []

    # ------------------------------------------------------------ QLayout's item list
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # ------------------------------------------------------------ sizes
    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def minimumSize(self) -> QSize:
        """The widest widget alone on a line: the row can be that narrow."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        items = self._shown()
        gaps = self._gap(Qt.Orientation.Horizontal) * max(0, len(items) - 1)
        width = sum(self._width(item) for item in items) + gaps
        height = max((item.sizeHint().height() for item in items), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    # ------------------------------------------------------------ the lines
    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]  # a hidden widget takes no room

    @staticmethod
    def _width(item: QLayoutItem) -> int:
        return max(item.sizeHint().width(), item.minimumSize().width())

    def _gap(self, orientation: Qt.Orientation) -> int:
        """The layout's spacing when set, else the style's between two widgets (as a box layout)."""
        if self.spacing() >= 0:
            return self.spacing()
        parent = self.parentWidget()
        style = parent.style() if parent is not None else QApplication.style()
        metric = (QStyle.PixelMetric.PM_LayoutHorizontalSpacing if orientation == Qt.Orientation.Horizontal
                  else QStyle.PixelMetric.PM_LayoutVerticalSpacing)
        return max(0, style.pixelMetric(metric))

    def _arrange(self, rect: QRect, *, place: bool) -> int:
        """Fill lines left to right, a new line when the next widget does not fit; returns the
        height used. ``place``: also set each widget's geometry."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        across, down = self._gap(Qt.Orientation.Horizontal), self._gap(Qt.Orientation.Vertical)
        lines: list[list[QLayoutItem]] = []
        used = 0
        for item in self._shown():
            width = self._width(item)
            if lines and used + across + width <= area.width():
                lines[-1].append(item)
                used += across + width
            else:
                lines.append([item])
                used = width
        y = area.y()
        for line in lines:
            height = max(item.sizeHint().height() for item in line)
            if place:
                self._place(line, QRect(area.x(), y, area.width(), height), across)
            y += height + down
        return (y - down if lines else y) - area.y() + m.top() + m.bottom()

    def _place(self, line: list[QLayoutItem], rect: QRect, across: int) -> None:
        widths = [self._width(item) for item in line]
        spare = rect.width() - sum(widths) - across * (len(line) - 1)
        growing = [i for i, item in enumerate(line) if item.expandingDirections() & Qt.Orientation.Horizontal]
        if spare > 0 and growing:  # what is left over, shared out (the remainder to the first)
            for i in growing:
                widths[i] += spare // len(growing)
            widths[growing[0]] += spare % len(growing)
        x = rect.x()
        for item, width in zip(line, widths, strict=True):
            height = min(item.sizeHint().height(), rect.height())
            top = rect.y() + (rect.height() - height) // 2  # centred on the line, as in a box layout
            item.setGeometry(QRect(QPoint(x, top), QSize(min(width, rect.right() + 1 - x), height)))
            x += width + across

"""A colour × size grid of quantities with totals per row and column: quantities typed for a style
(purchase notes, counts, returns to suppliers), or a style's stock and sales shown read-only.

A row per colour, a column per size, then a Total column and a Total row that follow what is
typed. A combination switched off shows "—" and takes no input. Cells left empty are "not
entered" (a count tells that apart from a typed 0); ``quantities()`` gives the typed ones.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.quantity import format_qty, parse_qty
from jxc_desktop.domain.variants import Grid
from jxc_desktop.ui.i18n import tr

NOT_MADE = "—"
TOTAL_BG = QColor("#eeeeee")
BAD_BG = QColor("#f8d7da")
Cell = tuple[str, str]


class SizeGrid(QTableWidget):
    """The grid of one style. ``changed`` after every edit (the totals are already updated)."""

    changed = Signal()

    def __init__(self, grid: Grid, *, editable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(len(grid.colours) + 1, len(grid.sizes) + 1, parent)
        self.grid = grid
        self.editable = editable
        self._updating = False
        self.setHorizontalHeaderLabels([*grid.sizes, tr("Total")])
        self.setVerticalHeaderLabels([f"{c.name} {c.code}" for c in grid.colours] + [tr("Total")])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers if editable
                             else QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(True)
        self._updating = True
        for r, colour in enumerate(grid.colours):
            for c, size in enumerate(grid.sizes):
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if (colour.code, size) in grid.inactive:
                    item.setText(NOT_MADE)
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                else:
                    qty = grid.cells.get((colour.code, size))
                    item.setText("" if qty is None else format_qty(qty))
                    if not editable:
                        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.setItem(r, c, item)
        for r in range(self.rowCount()):
            self._total_item(r, len(grid.sizes))
        for c in range(len(grid.sizes)):
            self._total_item(len(grid.colours), c)
        self._updating = False
        self._sum()
        self.itemChanged.connect(self._edited)
        # As tall as its rows (no empty band under a small grid); a long one scrolls in its layout.
        self.resizeRowsToContents()
        rows = sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setMaximumHeight(self.horizontalHeader().sizeHint().height() + rows + 2 * self.frameWidth() + 2)
        first = next(((r, c) for r, col in enumerate(grid.colours) for c, s in enumerate(grid.sizes)
                      if (col.code, s) not in grid.inactive), None)
        if first is not None:
            self.setCurrentCell(*first)

    def _total_item(self, row: int, col: int) -> None:
        item = QTableWidgetItem()
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setBackground(QBrush(TOTAL_BG))
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setItem(row, col, item)

    def cell_at(self, row: int, col: int) -> Cell | None:
        if 0 <= row < len(self.grid.colours) and 0 <= col < len(self.grid.sizes):
            return self.grid.colours[row].code, self.grid.sizes[col]
        return None

    def _read(self, item: QTableWidgetItem) -> int | None:
        """The typed quantity of a cell in thousandths, None when empty; ValidationError when bad."""
        text = item.text().strip()
        if not text or text == NOT_MADE:
            return None
        return parse_qty(text, field="Quantity", allow_zero=True)

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._updating or self.cell_at(item.row(), item.column()) is None:
            return
        self._sum()
        self.changed.emit()

    def _sum(self) -> None:
        """Totals of what parses; a cell that does not parse turns red and counts as nothing."""
        self._updating = True
        try:
            rows = [0] * len(self.grid.colours)
            cols = [0] * len(self.grid.sizes)
            for r in range(len(self.grid.colours)):
                for c in range(len(self.grid.sizes)):
                    item = self.item(r, c)
                    try:
                        qty = self._read(item) or 0
                        item.setBackground(QBrush())
                    except ValidationError:
                        qty = 0
                        item.setBackground(QBrush(BAD_BG))
                    rows[r] += qty
                    cols[c] += qty
            for r, total in enumerate(rows):
                self.item(r, len(cols)).setText(format_qty(total))
            for c, total in enumerate(cols):
                self.item(len(rows), c).setText(format_qty(total))
            self.item(len(rows), len(cols)).setText(format_qty(sum(rows)))
        finally:
            self._updating = False

    def set_qty(self, colour_code: str, size: str, text: str) -> None:
        """Type into one cell (what a key press in the cell does)."""
        r = [c.code for c in self.grid.colours].index(colour_code)
        c = list(self.grid.sizes).index(size)
        self.item(r, c).setText(text)

    def quantities(self) -> dict[Cell, int]:
        """Every cell typed into, in thousandths (0 included); ValidationError on a bad cell."""
        out: dict[Cell, int] = {}
        for r, colour in enumerate(self.grid.colours):
            for c, size in enumerate(self.grid.sizes):
                if (colour.code, size) in self.grid.inactive:
                    continue
                qty = self._read(self.item(r, c))
                if qty is not None:
                    out[(colour.code, size)] = qty
        return out

    def total(self) -> int:
        return sum(q for q in self._safe().values())

    def _safe(self) -> dict[Cell, int]:
        try:
            return self.quantities()
        except ValidationError:
            return {}

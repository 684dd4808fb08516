"""Qt table model over a service ReportTable: formatted cells, numbers right-aligned, the total
row last and bold, sorting by the raw values (the total row stays at the bottom)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from jxc_desktop.services.reporting.dto import Align, ColKind, ReportTable, format_value, heat_color, heat_top

RAW_ROLE = Qt.ItemDataRole.UserRole
Index = QModelIndex | QPersistentModelIndex


class ReportTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table: ReportTable | None = None
        self._rows: list[tuple[Any, ...]] = []
        self._bold = QFont()
        self._bold.setBold(True)
        self._heat: set[int] = set()
        self._heat_top = 0
        self._shades: dict[str, QBrush] = {}

    # ------------------------------------------------------------ content
    def set_table(self, table: ReportTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self._rows = list(table.rows) if table is not None else []
        self._heat = set(table.heat) if table is not None else set()
        self._heat_top = heat_top(table) if table is not None and table.heat else 0
        self.endResetModel()

    def has_total(self) -> bool:
        return self.table is not None and self.table.total is not None

    def row_values(self, row: int) -> tuple[Any, ...]:
        """Raw values of a visible row (the total row is the last one)."""
        assert self.table is not None
        if row == len(self._rows) and self.table.total is not None:
            return self.table.total
        return self._rows[row]

    def data_rows(self) -> list[tuple[Any, ...]]:
        """The rows in their current (sorted) order, without the total."""
        return list(self._rows)

    # ------------------------------------------------------------ Qt interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        if parent.isValid() or self.table is None:
            return 0
        return len(self._rows) + (1 if self.table.total is not None else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        if parent.isValid() or self.table is None:
            return 0
        return len(self.table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if self.table is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self.table.columns):
                return self.table.columns[section].header
            return None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.table is None:
            return None
        r, c = index.row(), index.column()
        if not (0 <= r < self.rowCount() and 0 <= c < self.columnCount()):
            return None
        col = self.table.columns[c]
        value = self.row_values(r)[c]
        is_total = self.has_total() and r == len(self._rows)
        if role == Qt.ItemDataRole.DisplayRole:
            return format_value(col.kind, value)
        if role == RAW_ROLE:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col.align is Align.LEFT:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and is_total:
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole and c in self._heat and not is_total:
            shade = heat_color(value, self._heat_top)  # the season table: months shaded by value
            brush = self._shades.get(shade)
            if brush is None:
                brush = self._shades[shade] = QBrush(QColor(shade))
            return brush
        if role == Qt.ItemDataRole.ForegroundRole and col.kind is ColKind.MONEY and isinstance(value, int) \
                and value < 0:
            return QBrush(QColor("#b00020"))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.table is None or not 0 <= column < len(self.table.columns):
            return
        text = self.table.columns[column].kind is ColKind.TEXT

        def key(row: tuple[Any, ...]) -> tuple[int, Any]:
            v = row[column]
            if v is None or v == "":
                return (1, 0 if not text else "")
            return (0, str(v) if text else v)

        self.layoutAboutToBeChanged.emit()
        rows = self._rows
        present = [i for i in range(len(rows)) if key(rows[i])[0] == 0]
        absent = [i for i in range(len(rows)) if key(rows[i])[0] == 1]
        present.sort(key=lambda i: key(rows[i]), reverse=order == Qt.SortOrder.DescendingOrder)
        order_ = present + absent  # blanks last either way
        new_of_old = {old: new for new, old in enumerate(order_)}
        self._rows = [rows[i] for i in order_]
        old_idx = self.persistentIndexList()
        new_idx = [self.index(new_of_old.get(ix.row(), ix.row()), ix.column()) for ix in old_idx]
        self.changePersistentIndexList(old_idx, new_idx)
        self.layoutChanged.emit()

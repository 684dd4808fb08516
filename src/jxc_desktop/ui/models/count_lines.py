"""Table model of a stock count's lines, lazy at 100 000 lines.

It keeps only the ordered line ids of the current filter; rows are fetched from the service a
page at a time when the view first shows them, and a line changed by a scan or an edit is
re-read alone. The Counted column is editable: typing a quantity records it (with the moment).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty, parse_qty
from jxc_desktop.services.stock.counts import StockCountService
from jxc_desktop.services.stock.dto import CountLineDTO, LineFilter
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.list_model import HeaderedTableModel

_Index = QModelIndex | QPersistentModelIndex
PAGE = 200
FLASH_MS = 900
GAIN = QColor("#1b7f2a")
LOSS = QColor("#c62828")
FLASH = QColor("#fff59d")


class Col:
    CODE, BARCODE, NAME, SPEC, UNIT, CATEGORY, BATCH, BOOK, COUNTED, EXPECTED, DIFF, VALUE, COUNTED_AT = range(13)


def _headers() -> list[str]:
    return [tr("Code"), tr("Barcode"), tr("Name"), tr("Spec"), tr("Unit"), tr("Category"), tr("Batch"),
            tr("Book qty"), tr("Counted"), tr("Expected"), tr("Difference"), tr("Value"), tr("Counted at")]


class CountLinesModel(HeaderedTableModel):
    LineRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, service: StockCountService, parent: Any = None) -> None:
        super().__init__(_headers(), parent)
        self._service = service
        self.count_id: int | None = None
        self.editable = False
        self.line_filter = LineFilter.ALL
        self.category_id: int | None = None
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._cache: dict[int, CountLineDTO] = {}
        self._flash: set[int] = set()
        self.on_error: Callable[[JxcError], None] | None = None
        self.on_edited: Callable[[CountLineDTO], None] | None = None

    # ------------------------------------------------------------------ loading
    def load(self, count_id: int | None, *, editable: bool, line_filter: LineFilter = LineFilter.ALL,
             category_id: int | None = None) -> None:
        self.beginResetModel()
        self.count_id = count_id
        self.editable = editable
        self.line_filter = line_filter
        self.category_id = category_id
        self._cache.clear()
        self._ids = [] if count_id is None else self._service.line_ids(
            count_id, line_filter=line_filter, category_id=category_id)
        self._row_of = {lid: i for i, lid in enumerate(self._ids)}
        self.endResetModel()

    def reload(self) -> None:
        self.load(self.count_id, editable=self.editable, line_filter=self.line_filter, category_id=self.category_id)

    def line_at(self, row: int) -> CountLineDTO | None:
        if not 0 <= row < len(self._ids):
            return None
        lid = self._ids[row]
        if lid not in self._cache:
            self._fetch(row)
        return self._cache.get(lid)

    def _fetch(self, row: int) -> None:
        assert self.count_id is not None
        start = row - row % PAGE
        ids = self._ids[start:start + PAGE]
        if len(self._cache) > 20 * PAGE:  # bound memory when scrolling through 100 000 lines
            self._cache.clear()
        for line in self._service.lines_by_ids(self.count_id, ids):
            self._cache[line.id] = line

    def row_of(self, line_id: int) -> int:
        return self._row_of.get(line_id, -1)

    def update_line(self, line: CountLineDTO, *, flash: bool = False) -> int:
        """A line changed (scan, edit): show it; returns its row (-1 when the filter hides it)."""
        self._cache[line.id] = line
        row = self.row_of(line.id)
        if row < 0:
            return -1
        if flash:
            self._flash.add(line.id)
            QTimer.singleShot(FLASH_MS, self, lambda lid=line.id: self._unflash(lid))  # skipped once deleted
        self.dataChanged.emit(self.index(row, 0), self.index(row, Col.COUNTED_AT))
        return row

    def _unflash(self, line_id: int) -> None:
        self._flash.discard(line_id)
        row = self.row_of(line_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, Col.COUNTED_AT))

    def is_flashing(self, line_id: int) -> bool:
        return line_id in self._flash

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editable and index.column() == Col.COUNTED:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        line = self.line_at(index.row())
        if line is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, col)
        if role == Qt.ItemDataRole.EditRole and col == Col.COUNTED:
            return "" if line.counted_qty is None else format_qty(line.counted_qty)
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= Col.BOOK and col != Col.COUNTED_AT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col in (Col.DIFF, Col.VALUE) and line.diff_qty:
            return QBrush(GAIN if line.diff_qty > 0 else LOSS)
        if role == Qt.ItemDataRole.BackgroundRole and line.id in self._flash:
            return QBrush(FLASH)
        if role == self.LineRole:
            return line
        return None

    @staticmethod
    def _display(line: CountLineDTO, col: int) -> str:
        counted = line.counted_qty is not None
        if col == Col.CODE:
            return line.code
        if col == Col.BARCODE:
            return line.barcode
        if col == Col.NAME:
            return line.name
        if col == Col.SPEC:
            return line.spec
        if col == Col.UNIT:
            return line.unit
        if col == Col.CATEGORY:
            return line.category
        if col == Col.BATCH:
            if not line.batch_no:
                return tr("(no batch)") if line.tracks_batches else ""
            return f"{line.batch_no} ({line.expiry_date.isoformat()})" if line.expiry_date else line.batch_no
        if col == Col.BOOK:
            return format_qty(line.book_qty)
        if col == Col.COUNTED:
            return format_qty(line.counted_qty) if counted else ""  # type: ignore[arg-type]
        if col == Col.EXPECTED:
            return format_qty(line.expected_qty) if line.expected_qty is not None else ""
        if col == Col.DIFF:
            if not counted:
                return ""
            return ("+" if line.diff_qty > 0 else "") + format_qty(line.diff_qty)
        if col == Col.VALUE:
            return format_fen(line.diff_value) if counted and line.diff_qty else ""
        if col == Col.COUNTED_AT:
            return line.counted_at.astimezone().strftime("%m-%d %H:%M:%S") if line.counted_at else ""
        return ""

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != Col.COUNTED \
                or not self.editable or self.count_id is None:
            return False
        line = self.line_at(index.row())
        if line is None:
            return False
        text = str(value).strip()
        count_id = self.count_id

        def store() -> CountLineDTO:
            qty = None if text == "" else parse_qty(text, field="Counted", allow_zero=True)
            return self._service.set_counted(count_id, line.id, qty)

        got = run(None, store, inline=self.on_error or (lambda _exc: None))
        if not got or got.value is None:
            return False
        updated = got.value
        self.update_line(updated)
        if self.on_edited:
            self.on_edited(updated)
        return True

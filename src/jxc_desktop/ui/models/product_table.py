"""The products table model: 100 000 rows without loading 100 000 rows.

The catalog gives the ordered id list of the current filter (ints only, cheap); rows are fetched
by id a page at a time when the view paints them, and a bounded number of pages is kept.

As the owner types, a new filter must show its first screen at once. When the whole id list
would take long (many matches), the catalog gives the first screen's ids (CatalogService.first_ids)
and the rest is read after the view has shown them, a stretch of products at a time between
other events (CatalogService.more_ids), so a key typed meanwhile waits for one stretch at most;
a newer filter drops what is left. Only the code order (the default) is read this way.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor

from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.catalog.products import CatalogService, ProductRow
from jxc_desktop.ui.i18n import tr

PAGE = 100
MAX_PAGES = 80  # at most 8 000 rows held; a screen shows ~40
FIRST = 60  # ids read at once for a new filter when the whole list would take long: a screen's worth
FIRST_SECONDS = 0.008  # "long": the whole list is read at once when it takes less than this
# The rest of a long list is read this long after its first screen: after the repaint, and after a
# key typed right away, which replaces the list instead of waiting for it.
REST_DELAY_MS = 25
WINDOW = 4000  # products walked per stretch of the rest: a few milliseconds

# (sort key in CatalogService.list_ids, right-aligned?)
COLUMNS: tuple[tuple[str, bool], ...] = (
    ("code", False), ("name", False), ("barcode", False), ("spec", False), ("unit", False),
    ("category", False), ("sale_price", True), ("ref_cost", True), ("avg_cost", True),
    ("stock_qty", True), ("stock_value", True), ("pinyin", False),
)
COL = {key: i for i, (key, _right) in enumerate(COLUMNS)}

_INACTIVE = QColor("#9a9a9a")
_LOW = QColor("#c0392b")
IdRole = Qt.ItemDataRole.UserRole + 1
# Plain ints: data() runs thousands of times per repaint, enum comparisons would dominate it.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ID = int(IdRole)
_ALIGNMENTS = tuple(
    int((Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter)
    for _key, right in COLUMNS)
_STOCK_COL = [k for k, _r in COLUMNS].index("stock_qty")

Index = QModelIndex | QPersistentModelIndex


def header_titles() -> list[str]:
    return [tr("Code"), tr("Name"), tr("Barcode"), tr("Spec"), tr("Unit"), tr("Category"),
            tr("Sale price"), tr("Purchase price"), tr("Average cost"), tr("Stock"),
            tr("Stock value"), tr("Pinyin")]


class ProductTableModel(QAbstractTableModel):
    completed = Signal()  # the id list is whole (rowCount() is the number of matches)

    def __init__(self, catalog: CatalogService, parent: Any = None) -> None:
        super().__init__(parent)
        self._complete = True
        self._generation = 0  # which reload a pending read of the rest belongs to
        self._cursor: str | None = None  # where the last stretch of the rest ended (a code)
        self._catalog = catalog
        self._ids: list[int] = []
        # page number -> [(row, display texts)]; texts are formatted once per page, not per paint
        self._pages: OrderedDict[int, list[tuple[ProductRow, tuple[str, ...]] | None]] = OrderedDict()
        self._text = ""
        self._include_inactive = False
        self._sort = "code"
        self._descending = False
        self._headers = header_titles()

    # ------------------------------------------------------------------ loading
    def set_filter(self, text: str, include_inactive: bool | None = None) -> None:
        self._text = text.strip()
        if include_inactive is not None:
            self._include_inactive = include_inactive
        self.reload()

    def filter_text(self) -> str:
        return self._text

    def reload(self) -> None:
        """Fetch the id list again (after an edit, import or a change made on another tab): the
        first screen now, the rest (if any) once the view has shown it."""
        ids, complete = self._catalog.first_ids(self._text, include_inactive=self._include_inactive,
                                                sort=self._sort, descending=self._descending, first=FIRST,
                                                seconds=FIRST_SECONDS)
        self._generation += 1
        self._cursor = None
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self._complete = complete
        self.endResetModel()
        if complete:
            self.completed.emit()
        else:
            generation = self._generation
            QTimer.singleShot(REST_DELAY_MS, self, lambda: self._read_rest(generation))

    def is_complete(self) -> bool:
        return self._complete

    def finish_loading(self) -> None:
        """Read the rest of the id list now (a test, or a caller that needs every row)."""
        while not self._complete:
            self._read_rest(self._generation)

    def _read_rest(self, generation: int) -> None:
        """One stretch of the rest (WINDOW products in code order), then the next on the next turn
        of the event loop: a key typed meanwhile is served first and drops what is left."""
        if generation != self._generation or self._complete:
            return  # a newer filter (or sort) has replaced the list meanwhile
        got = None
        if self._ids:
            got = self._catalog.more_ids(self._text, include_inactive=self._include_inactive,
                                         descending=self._descending, window=WINDOW,
                                         after_id=self._ids[-1] if self._cursor is None else None,
                                         after_code=self._cursor)
        if got is None:  # the last product shown is gone: the whole list again
            ids = self._catalog.list_ids(self._text, include_inactive=self._include_inactive,
                                         sort=self._sort, descending=self._descending)
            self.beginResetModel()
            self._ids = ids
            self._pages.clear()
            self._complete = True
            self.endResetModel()
            self.completed.emit()
            return
        ids, self._cursor = got
        more = self._cursor is not None
        if ids:
            head = len(self._ids)
            self._pages.pop(head // PAGE, None)  # a page cut short where the list ended so far
            self.beginInsertRows(QModelIndex(), head, head + len(ids) - 1)
            self._ids.extend(ids)
            self.endInsertRows()
        if more:
            QTimer.singleShot(0, self, lambda: self._read_rest(generation))
        else:
            self._complete = True
            self.completed.emit()

    def _entry(self, row: int) -> tuple[ProductRow, tuple[str, ...]] | None:
        page_no, offset = divmod(row, PAGE)
        page = self._pages.get(page_no)
        if page is None:
            ids = self._ids[page_no * PAGE:(page_no + 1) * PAGE]
            page = self._page(ids, self._catalog.rows(ids))
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else None

    def _page(self, ids: list[int], rows: list[ProductRow]) -> list[tuple[ProductRow, tuple[str, ...]] | None]:
        by_id = {r.id: r for r in rows}
        # A product that vanished meanwhile leaves a gap, so positions stay stable.
        return [(by_id[i], self._texts(by_id[i])) if i in by_id else None for i in ids]

    def _row(self, row: int) -> ProductRow | None:
        entry = self._entry(row)
        return entry[0] if entry is not None else None

    def product_at(self, row: int) -> ProductRow | None:
        if 0 <= row < len(self._ids):
            return self._row(row)
        return None

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, product_id: int) -> int:
        try:
            return self._ids.index(product_id)
        except ValueError:
            return -1

    def cached_pages(self) -> int:
        return len(self._pages)

    # ------------------------------------------------------------------ Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                right = COLUMNS[section][1]
                return int((Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft)
                           | Qt.AlignmentFlag.AlignVCenter)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in (_DISPLAY, _ALIGN, _FOREGROUND, _TOOLTIP, _ID) or not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not 0 <= row < len(self._ids) or not 0 <= col < len(COLUMNS):
            return None
        if role == _ALIGN:
            return _ALIGNMENTS[col]
        if role == _ID:
            return self._ids[row]
        entry = self._entry(row)
        if entry is None:
            return None
        p, texts = entry
        if role == _DISPLAY:
            return texts[col]
        low = col == _STOCK_COL and (p.stock_qty < 0 or (p.min_stock and p.stock_qty < p.min_stock))
        if role == _FOREGROUND:
            return QBrush(_INACTIVE) if not p.active else QBrush(_LOW) if low else None
        if not p.active:
            return tr("Inactive: hidden from sale and search")
        if low and p.min_stock:
            return tr("Below minimum stock ({qty})").format(qty=format_qty(p.min_stock))
        return None

    @staticmethod
    def _texts(p: ProductRow) -> tuple[str, ...]:
        return tuple(ProductTableModel._display(p, key) for key, _right in COLUMNS)

    @staticmethod
    def _display(p: ProductRow, key: str) -> str:
        if key in ("sale_price", "ref_cost", "avg_cost", "stock_value"):
            return format_fen(getattr(p, key))
        if key == "stock_qty":
            return format_qty(p.stock_qty)
        if key == "name" and not p.active:
            return tr("{name} (inactive)").format(name=p.name)
        return str(getattr(p, key))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = COLUMNS[column][0]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        ids = self._catalog.list_ids(self._text, include_inactive=self._include_inactive,
                                     sort=self._sort, descending=self._descending)
        # Move persistent indexes (the selection) with their products.
        old = self.persistentIndexList()
        old_ids = [self._ids[i.row()] if 0 <= i.row() < len(self._ids) else None for i in old]
        self._generation += 1  # a pending read of the rest is for the old order
        self._ids = ids
        self._complete = True
        self._pages.clear()
        pos = {pid: r for r, pid in enumerate(ids)} if old else {}
        new = [self.index(pos[pid], i.column()) if pid in pos else QModelIndex()
               for i, pid in zip(old, old_ids, strict=True)]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
        self.completed.emit()

"""The products table model: 100 000 rows without loading 100 000 rows.

The catalog gives the ordered id list of the current filter (ints only, cheap); rows are fetched
by id a page at a time when the view paints them, and a bounded number of pages is kept.

As the owner types, each key must show its first screen at once. The catalog gives that screen's
ids and rows in one visit to the file (CatalogService.first_screen): every id when they are few,
else only the first ids, and the rest of the list is read off the GUI thread once the owner pauses
(CatalogService.list_ids_unless) and handed back by a signal: one insert of rows, one repaint.
A newer key stops that read where it is (generation numbers) and its answer is dropped.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.catalog.products import CatalogService, ProductRow
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.qt_compat import protect_bools

PAGE = 100
MAX_PAGES = 80  # at most 8 000 rows held; a screen shows ~40
FIRST = 60  # ids read at once for a new filter when the matches are many: a screen's worth
# The rest of a long list is read this long after its first screen, so that at a typist's pace
# (a key every 150 ms or less) no read, insert or repaint of the rest meets the next key.
REST_DELAY_MS = 200
# The filter's queries of every kind of text are prepared this long after a list is shown, one kind
# at a time (CatalogService.warm_table_queries: a few milliseconds each, in idle time), so that the
# first key typed of a kind does not pay for building them.
WARM_DELAY_MS = 300
# From a key typed until this long after the last one, the table's reads share one connection
# (CatalogService.keep_reading): a key does not open and close the file.
KEEP_MS = 2000

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
# The alignment the painting delegate sets, for the right-aligned columns only: a view's cell option
# starts left and vertically centred, as the left-aligned columns' data() says.
_RIGHT = {c: Qt.AlignmentFlag(a) for c, a in enumerate(_ALIGNMENTS) if COLUMNS[c][1]}
# The foreground of each cell of a row, shared by the rows alike (data() only indexes them).
_PLAIN: tuple[QBrush | None, ...] = (None,) * len(COLUMNS)
_GREYED: tuple[QBrush | None, ...] = (QBrush(_INACTIVE),) * len(COLUMNS)
_LOW_STOCK: tuple[QBrush | None, ...] = tuple(QBrush(_LOW) if c == _STOCK_COL else None for c in range(len(COLUMNS)))
Entry = tuple[ProductRow, tuple[str, ...], tuple[QBrush | None, ...]]

Index = QModelIndex | QPersistentModelIndex


def header_titles() -> list[str]:
    return [tr("Code"), tr("Name"), tr("Barcode"), tr("Spec"), tr("Unit"), tr("Category"),
            tr("Sale price"), tr("Purchase price"), tr("Average cost"), tr("Stock"),
            tr("Stock value"), tr("Pinyin")]


class ProductTableModel(QAbstractTableModel):
    completed = Signal()  # the id list is whole (rowCount() is the number of matches)
    filtered = Signal()  # the first screen of the filter text is in place (a reset, or the same rows kept)
    _rest_read = Signal(int, object)  # (generation, ids | None | the exception): from the reader thread

    def __init__(self, catalog: CatalogService, parent: Any = None) -> None:
        super().__init__(parent)
        self._complete = True
        self._generation = 0  # which reload a read of the rest belongs to; a newer one stops it
        self._catalog = catalog
        self._ids: list[int] = []
        # page number -> [ProductRow, or once shown (row, display texts, foregrounds)]: texts are
        # formatted once, for the rows painted
        self._pages: OrderedDict[int, list[Entry | ProductRow | None]] = OrderedDict()
        self._hot_no = -1  # the page data() read last, kept at hand: a repaint reads one or two
        self._hot: list[Entry | ProductRow | None] = []
        self._text = ""
        self._shown = ""  # the filter text of the list held, and its (include inactive, sort, descending)
        self._shape: tuple[bool, str, bool] | None = None
        self._include_inactive = False
        self._sort = "code"
        self._descending = False
        self._headers = header_titles()
        self._rest_timer = QTimer(self)
        self._rest_timer.setSingleShot(True)
        self._rest_timer.setInterval(REST_DELAY_MS)
        self._rest_timer.timeout.connect(self._start_rest)
        self._rest_read.connect(self._rest_arrived)  # queued: emitted on the reader's thread
        self._warming: Iterator[None] | None = None  # the steps of the queries' preparation left
        self._warmed = False
        self._warm_timer = QTimer(self)
        self._warm_timer.setSingleShot(True)
        self._warm_timer.timeout.connect(self._warm_step)
        self._keeping = False
        self._keep_timer = QTimer(self)
        self._keep_timer.setSingleShot(True)
        self._keep_timer.setInterval(KEEP_MS)
        self._keep_timer.timeout.connect(self._let_go)

    # ------------------------------------------------------------------ loading
    def set_filter(self, text: str, include_inactive: bool | None = None) -> None:
        self._text = text.strip()
        if include_inactive is not None:
            self._include_inactive = include_inactive
        self._load(typed=True)

    def filter_text(self) -> str:
        return self._text

    def _drop_pages(self) -> None:
        self._pages.clear()
        self._hot_no, self._hot = -1, []

    def reload(self) -> None:
        """Fetch the id list again (after an edit, import or a change made on another tab): the
        first screen now, the rest (if any) once the owner pauses."""
        self._load(typed=False)

    def _load(self, *, typed: bool) -> None:
        """reload(); ``typed``: for a new filter text, where the rows at the top that stay the same
        (same product, same values) are kept instead of a reset, so the view repaints only the
        rows below them (none for a key that keeps the list: "kangsh" -> "kangshi")."""
        self._generation += 1  # a read of the rest still running stops and is dropped
        self._rest_timer.stop()
        if not self._keeping:
            self._catalog.keep_reading(True)
            self._keeping = True
        self._keep_timer.start()
        # The whole list held now, if it is one: a text narrowing few matches needs no walk (table_walk.py).
        shape = (self._include_inactive, self._sort, self._descending)
        before = (self._shown, len(self._ids)) if self._complete and shape == self._shape else None
        screen = self._catalog.first_screen(self._text, include_inactive=self._include_inactive, sort=self._sort,
                                            descending=self._descending, first=FIRST, rows=PAGE, before=before)
        self._shown, self._shape = self._text, shape
        page = self._page(screen.ids[:PAGE], screen.rows)
        same = self._same_head(screen.ids, page) if typed else 0
        if same:
            self._update_below(same, screen.ids, page, screen.complete)
        else:
            self.beginResetModel()
            self._ids = screen.ids
            self._drop_pages()
            if screen.ids:
                self._pages[0] = page
            self._complete = screen.complete
            self.endResetModel()
        self.filtered.emit()
        if screen.complete:
            self.completed.emit()
        else:
            self._rest_timer.start()
        if not self._warmed:
            if self._warming is None:
                self._warming = self._catalog.warm_table_queries()
            self._warm_timer.start(WARM_DELAY_MS)  # (again after each key: not while the owner types)

    def _same_head(self, ids: list[int], page: list[ProductRow | None]) -> int:
        """How many rows at the top of the list held are those of ``ids`` (its first ``page`` of
        rows), position by position: the same product with the same values. All of them when the
        whole list is unchanged (an empty one included); else up to the first page at most."""
        if not ids and not self._ids:
            return 1  # empty before and after: nothing to show again
        held = self._pages.get(0)
        if held is None:
            return 0
        n = 0
        for h, p in zip(held, page, strict=False):
            if p is None or (h[0] if isinstance(h, tuple) else h) != p:
                break
            n += 1
        return n

    def _update_below(self, same: int, ids: list[int], page: list[ProductRow | None], complete: bool) -> None:
        """The list becomes ``ids``, whose first ``same`` rows are those held: rows past the new end
        removed or new ones added, the rows from ``same`` on told changed; nothing is reset."""
        held = self._pages.get(0) or []
        old_n, new_n = len(self._ids), len(ids)
        self._drop_pages()
        if ids:
            self._pages[0] = held[:same] + page[same:]  # the rows kept stay formatted
        self._complete = complete
        if new_n < old_n:
            self.beginRemoveRows(QModelIndex(), new_n, old_n - 1)
            self._ids = ids
            self.endRemoveRows()
        elif new_n > old_n:
            self.beginInsertRows(QModelIndex(), old_n, new_n - 1)
            self._ids = ids
            self.endInsertRows()
        else:
            self._ids = ids
        last = min(old_n, new_n) - 1
        if same <= last:
            self.dataChanged.emit(self.index(same, 0), self.index(last, len(COLUMNS) - 1))

    def _let_go(self) -> None:
        if self._keeping:
            self._keeping = False
            self._catalog.keep_reading(False)

    def _warm_step(self) -> None:
        if self._warming is None:
            return
        if next(self._warming, StopIteration) is StopIteration:
            self._warming, self._warmed = None, True
            return
        self._warm_timer.start(0)  # the next kind on the next turn of the event loop: a key goes first

    def is_complete(self) -> bool:
        return self._complete

    def finish_loading(self) -> None:
        """Read the rest of the id list now, on this thread (a test, or a caller that needs every row)."""
        if not self._complete:
            self._generation += 1
            self._rest_timer.stop()
            self._take_rest(self._catalog.list_ids(self._text, include_inactive=self._include_inactive,
                                                   sort=self._sort, descending=self._descending))

    def _start_rest(self) -> None:
        if self._complete:
            return
        generation = self._generation
        args = (self._text, self._include_inactive, self._sort, self._descending)
        threading.Thread(target=self._read_rest, args=(generation, *args), daemon=True,
                         name="products-rest").start()

    def _read_rest(self, generation: int, text: str, include_inactive: bool, sort: str, descending: bool) -> None:
        """On the reader thread: the whole list, unless a newer reload makes it stale meanwhile."""
        try:
            result: object = self._catalog.list_ids_unless(lambda: self._generation != generation, text,
                                                           include_inactive=include_inactive, sort=sort,
                                                           descending=descending)
        except Exception as exc:  # raised again on the GUI thread, where errors are shown
            result = exc
        with contextlib.suppress(RuntimeError):  # the model is gone (its tab was closed): nobody waits
            self._rest_read.emit(generation, result)

    @Slot(int, object)
    def _rest_arrived(self, generation: int, result: object) -> None:
        if generation != self._generation or self._complete or result is None:
            return  # stale: a newer filter (or sort) has replaced the list meanwhile
        if isinstance(result, BaseException):
            # Read it here instead, so that a failure reaches the owner as any other read's would.
            result = self._catalog.list_ids(self._text, include_inactive=self._include_inactive,
                                            sort=self._sort, descending=self._descending)
        self._take_rest(result)  # type: ignore[arg-type]

    def _take_rest(self, ids: list[int]) -> None:
        head = len(self._ids)
        if ids[:head] == self._ids:  # as shown so far: the rest goes below it, the view stays put
            if len(ids) > head:
                self._pages.pop(head // PAGE, None)  # a page cut short where the first screen ended
                self._hot_no, self._hot = -1, []
                self.beginInsertRows(QModelIndex(), head, len(ids) - 1)
                self._ids = ids
                self.endInsertRows()
        else:  # the products changed meanwhile
            self.beginResetModel()
            self._ids = ids
            self._drop_pages()
            self.endResetModel()
        self._complete = True
        self.completed.emit()

    def _entry(self, row: int) -> Entry | None:
        page_no = row // PAGE
        if page_no != self._hot_no:
            page = self._pages.get(page_no)
            if page is None:
                ids = self._ids[page_no * PAGE:(page_no + 1) * PAGE]
                page = self._page(ids, self._catalog.rows(ids))
                self._pages[page_no] = page
                while len(self._pages) > MAX_PAGES:
                    self._pages.popitem(last=False)
            else:
                self._pages.move_to_end(page_no)
            self._hot_no, self._hot = page_no, page
        offset = row - page_no * PAGE
        if offset >= len(self._hot):
            return None
        item = self._hot[offset]
        if isinstance(item, ProductRow):  # formatted when first shown: a key reads 100 rows, shows ~30
            entry = self._make_entry(item)
            self._hot[offset] = entry
            return entry
        return item

    def entry_at(self, row: int) -> Entry | None:
        """The row's product, display texts and foregrounds (None outside the list or for a gap)."""
        return self._entry(row) if 0 <= row < len(self._ids) else None

    @staticmethod
    def _page(ids: list[int], rows: list[ProductRow]) -> list[Entry | ProductRow | None]:
        by_id = {r.id: r for r in rows}
        # A product that vanished meanwhile leaves a gap, so positions stay stable.
        return [by_id.get(i) for i in ids]

    @staticmethod
    def _make_entry(p: ProductRow) -> Entry:
        low = p.stock_qty < 0 or bool(p.min_stock and p.stock_qty < p.min_stock)
        return p, ProductTableModel._texts(p), _GREYED if not p.active else _LOW_STOCK if low else _PLAIN

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

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Qt's own delegate calls this 7 times per cell (the products tab paints through
        # ProductCellDelegate instead): the display and foreground roles take one page lookup and a
        # tuple index. An invalid index has row -1.
        role = int(role)
        if role in (_DISPLAY, _FOREGROUND):
            row, col = index.row(), index.column()
            if row < 0 or row >= len(self._ids) or not 0 <= col < len(COLUMNS):
                return None
            entry = self._entry(row)
            if entry is None:
                return None
            return entry[1][col] if role == _DISPLAY else entry[2][col]
        if role == _ALIGN:
            col = index.column()
            return _ALIGNMENTS[col] if 0 <= col < len(COLUMNS) and index.row() >= 0 else None
        if role == _ID:
            row = index.row()
            return self._ids[row] if 0 <= row < len(self._ids) else None
        if role != _TOOLTIP or not 0 <= index.row() < len(self._ids):
            return None
        entry = self._entry(index.row())
        if entry is None:
            return None
        p = entry[0]
        if not p.active:
            return tr("Inactive: hidden from sale and search")
        if index.column() == _STOCK_COL and p.min_stock and p.stock_qty < p.min_stock:
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
        self._generation += 1  # a read of the rest is for the old order: it stops, its answer is dropped
        self._rest_timer.stop()
        self._ids = ids
        self._complete = True
        self._drop_pages()
        pos = {pid: r for r, pid in enumerate(ids)} if old else {}
        new = [self.index(pos[pid], i.column()) if pid in pos else QModelIndex()
               for i, pid in zip(old, old_ids, strict=True)]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
        self.completed.emit()


class ProductCellDelegate(QStyledItemDelegate):
    """Paints the products table's cells from the model's formatted page: one Python call per cell
    instead of the seven data() calls of Qt's own (font, alignment, foreground, check state,
    decoration, display, background; four of them answer nothing here), so a repaint of a screen
    (~360 cells, once per key typed into the filter) costs about an eighth less. Qt still draws the
    cell; the option is set exactly as from data() (tests/ui/test_product_table_model.py compares
    the pixels). A size hint (a double-click on a column divider) takes Qt's own path."""

    def __init__(self, model: ProductTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        protect_bools()  # the palette's setBrush drops a reference to None per call (ui/qt_compat.py)
        self._model = model
        self._sizing = False
        self._with_text: dict[Any, Any] = {}  # view features -> the same with HasDisplay (enum ops are slow)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> Any:
        self._sizing = True
        try:
            return super().sizeHint(option, index)
        finally:
            self._sizing = False

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        entry = None if self._sizing else self._model.entry_at(index.row())
        if entry is None:  # a gap, or a size hint: Qt's way, through data()
            super().initStyleOption(option, index)
            return
        col = index.column()
        option.index = index
        features = option.features
        with_text = self._with_text.get(features)
        if with_text is None:
            with_text = self._with_text[features] = features | QStyleOptionViewItem.ViewItemFeature.HasDisplay
        option.features = with_text
        option.text = entry[1][col]
        align = _RIGHT.get(col)
        if align is not None:
            option.displayAlignment = align
        brush = entry[2][col]
        if brush is not None:
            option.palette.setBrush(QPalette.ColorRole.Text, brush)
        option.styleObject = None  # as Qt's: no style animations in item views

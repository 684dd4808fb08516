"""The products table model: 100 000 rows without loading 100 000 rows.

The catalog gives the ordered id list of the current filter (ints only, cheap); rows are fetched
by id a page at a time when the view paints them, and a bounded number of pages is kept.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.catalog import CatalogService, ProductRow
from jxc_desktop.ui.i18n import tr

PAGE = 200
MAX_PAGES = 40  # at most 8 000 rows held; a screen shows ~40

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

Index = QModelIndex | QPersistentModelIndex


def header_titles() -> list[str]:
    return [tr("Code"), tr("Name"), tr("Barcode"), tr("Spec"), tr("Unit"), tr("Category"),
            tr("Sale price"), tr("Purchase price"), tr("Average cost"), tr("Stock"),
            tr("Stock value"), tr("Pinyin")]


class ProductTableModel(QAbstractTableModel):
    def __init__(self, catalog: CatalogService, parent: Any = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._ids: list[int] = []
        self._pages: OrderedDict[int, list[ProductRow]] = OrderedDict()
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
        """Fetch the id list again (after an edit, import or a change made on another tab)."""
        ids = self._catalog.list_ids(self._text, include_inactive=self._include_inactive,
                                     sort=self._sort, descending=self._descending)
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    def _row(self, row: int) -> ProductRow | None:
        page_no, offset = divmod(row, PAGE)
        page = self._pages.get(page_no)
        if page is None:
            ids = self._ids[page_no * PAGE:(page_no + 1) * PAGE]
            page = self._catalog.rows(ids)
            if len(page) != len(ids):  # a product vanished meanwhile: keep positions stable
                by_id = {r.id: r for r in page}
                page = [by_id.get(i) for i in ids]  # type: ignore[misc]
            self._pages[page_no] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else None

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
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        col = index.column()
        if not 0 <= col < len(COLUMNS):
            return None
        if role == IdRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            right = COLUMNS[col][1]
            return int((Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft)
                       | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                        Qt.ItemDataRole.ToolTipRole):
            return None
        p = self._row(index.row())
        if p is None:
            return None
        key = COLUMNS[col][0]
        if role == Qt.ItemDataRole.ForegroundRole:
            if not p.active:
                return QBrush(_INACTIVE)
            if key == "stock_qty" and (p.stock_qty < 0 or (p.min_stock and p.stock_qty < p.min_stock)):
                return QBrush(_LOW)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if not p.active:
                return tr("Inactive: hidden from sale and search")
            if key == "stock_qty" and p.min_stock and p.stock_qty < p.min_stock:
                return tr("Below minimum stock ({qty})").format(qty=format_qty(p.min_stock))
            return None
        return self._display(p, key)

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
        self._ids = ids
        self._pages.clear()
        pos = {pid: r for r, pid in enumerate(ids)} if old else {}
        new = [self.index(pos[pid], i.column()) if pid in pos else QModelIndex()
               for i, pid in zip(old, old_ids, strict=True)]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

"""Table models of the stock tab: the stock list (lazy, page by page at 100 000 products), a
product's ledger, and its batches coloured by expiry."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.stock.stock_view import BatchRow, LedgerRow, StockQuery, StockRow, StockViewService
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.list_model import HeaderedTableModel, ListTableModel

_Index = QModelIndex | QPersistentModelIndex
PAGE = 200
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
WARN = QColor("#c62828")
SOON = QColor("#ffe0b2")
EXPIRED = QColor("#ffcdd2")


def _fmt_min_max(qty: int) -> str:
    return format_qty(qty) if qty else ""


class StockTableModel(HeaderedTableModel):
    """Columns: code, barcode, name, spec, unit, category, qty, avg cost, value, min, max."""

    CODE, BARCODE, NAME, SPEC, UNIT, CATEGORY, QTY, AVG, VALUE, MIN, MAX = range(11)
    RowRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, service: StockViewService, parent: Any = None) -> None:
        super().__init__([tr("Code"), tr("Barcode"), tr("Name"), tr("Spec"), tr("Unit"), tr("Category"),
                          tr("Qty"), tr("Avg cost"), tr("Value"), tr("Min"), tr("Max")], parent)
        self._service = service
        self.query = StockQuery()
        self.total = 0
        self.total_qty = 0
        self.total_value = 0
        self._pages: dict[int, list[StockRow]] = {}
        self._codes: list[str] = []  # every matching code in list order: each page seeks from its first

    def load(self, query: StockQuery) -> None:
        """Apply a filter: one aggregate for the count and totals and the list of codes; rows come
        when shown, a page at a time from its first code (a seek, not an OFFSET: the end of a
        100 000-product list costs what its start does)."""
        self.beginResetModel()
        self.query = query
        self._pages.clear()
        totals, self._codes = self._service.codes(query)
        self.total, self.total_qty, self.total_value = totals.total, totals.total_qty, totals.total_value
        self.endResetModel()

    def row_at(self, row: int) -> StockRow | None:
        if not 0 <= row < self.total:
            return None
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            if len(self._pages) > 40:
                self._pages.clear()
            page = self._service.rows_from(self.query, self._codes[page_no * PAGE], PAGE)
            self._pages[page_no] = page
        i = row - page_no * PAGE
        return page[i] if i < len(page) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.total

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.row_at(index.row())
        if r is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.code, r.barcode, r.name, r.spec, r.unit, r.category, format_qty(r.qty), format_fen(r.avg_cost),
                    format_fen(r.value), _fmt_min_max(r.min_stock), _fmt_min_max(r.max_stock))[col] \
                if 0 <= col < 11 else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= self.QTY:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and col == self.QTY and (
                r.qty < 0 or (r.min_stock and r.qty < r.min_stock)):
            return QBrush(WARN)
        if role == self.RowRole:
            return r
        return None


class LedgerModel(ListTableModel[LedgerRow]):
    """A product's moves, newest first: time, kind, document, batch, qty, value, balance."""

    TIME, KIND, DOC, BATCH, QTY, VALUE, BAL_QTY, BAL_VALUE = range(8)
    RowRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__([tr("Time"), tr("Kind"), tr("Document"), tr("Batch"), tr("Qty"), tr("Value"),
                          tr("Balance qty"), tr("Balance value")], parent)

    @staticmethod
    def kind_name(kind: str) -> str:
        names = {"opening": tr("Opening stock"), "purchase": tr("Purchase"), "purchase_return": tr("Return to supplier"),
                 "sale": tr("Sale"), "sale_return": tr("Customer return"), "count_gain": tr("Count gain"),
                 "count_loss": tr("Count loss"), "adjust": tr("Adjustment"), "revaluation": tr("Revaluation"),
                 "cost_fix": tr("Cost correction")}
        return names.get(kind, kind)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if not 0 <= col < 8:
                return None
            sign = "+" if r.qty > 0 else ""
            return (r.at.astimezone().strftime("%Y-%m-%d %H:%M"), self.kind_name(r.kind), r.doc_number, r.batch_no,
                    sign + format_qty(r.qty), format_fen(r.value), format_qty(r.balance_qty),
                    format_fen(r.balance_value))[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= self.QTY:
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and col == self.DOC and r.doc_number:
            return tr("Double-click to open {number}").format(number=r.doc_number)
        if role == self.RowRole:
            return r
        return None


class BatchModel(ListTableModel[BatchRow]):
    """A product's batches; expired rows red, expiring within the warning days orange."""

    NO, PRODUCED, EXPIRY, DAYS, QTY = range(5)

    def __init__(self, parent: Any = None) -> None:
        super().__init__([tr("Batch"), tr("Produced"), tr("Expiry"), tr("Days left"), tr("Qty")], parent)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        b = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if not 0 <= col < 5:
                return None
            if b.days_left is None:
                days = ""
            elif b.days_left < 0:
                days = tr("expired {n} days ago").format(n=-b.days_left)
            else:
                days = str(b.days_left)
            return (b.batch_no, b.production_date.isoformat() if b.production_date else "",
                    b.expiry_date.isoformat() if b.expiry_date else "", days, format_qty(b.qty))[col]
        if role == Qt.ItemDataRole.BackgroundRole:
            if b.state == "expired":
                return QBrush(EXPIRED)
            if b.state == "expiring":
                return QBrush(SOON)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.DAYS, self.QTY):
            return RIGHT
        return None

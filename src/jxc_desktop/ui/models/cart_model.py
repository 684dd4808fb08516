"""The checkout cart as a table: one row per priced line (from domain.cart.Totals)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from jxc_desktop.domain.cart import PricedLine, Totals
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.ui.i18n import tr

_Index = QModelIndex | QPersistentModelIndex

NO, NAME, BARCODE, PRICE, QTY, DISCOUNT, AMOUNT = range(7)
_RIGHT = {PRICE, QTY, DISCOUNT, AMOUNT}


class CartModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[PricedLine, ...] = ()

    def set_totals(self, totals: Totals) -> None:
        if len(totals.lines) == len(self._rows):
            self._rows = totals.lines
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, AMOUNT))
            return
        self.beginResetModel()
        self._rows = totals.lines
        self.endResetModel()

    def line(self, row: int) -> PricedLine | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (tr("No."), tr("Name"), tr("Barcode"), tr("Price"), tr("Qty"), tr("Discount"),
                tr("Amount"))[section] if 0 <= section < 7 else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self.line(index.row())
        if p is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            ln = p.line
            if col == NO:
                return str(index.row() + 1)
            if col == NAME:
                return ln.name
            if col == BARCODE:
                return ln.barcode
            if col == PRICE:
                return format_fen(ln.unit_price, symbol=False)
            if col == QTY:
                unit = ln.unit if ln.unit and ln.unit not in ("个", "件") else ""
                return format_qty(ln.qty) + unit
            if col == DISCOUNT:
                return format_fen(p.discount, symbol=False) if p.discount else ""
            if col == AMOUNT:
                return format_fen(p.amount, symbol=False)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == PRICE and p.line.unit_price != p.line.catalogue_price:
            return tr("Catalogue price {price}").format(price=format_fen(p.line.catalogue_price))
        return None

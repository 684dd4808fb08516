"""The checkout cart as a table: one row per priced line (from domain.cart.Totals)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from jxc_desktop.domain.cart import PricedLine, Totals
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.list_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex

NO, NAME, BARCODE, PRICE, QTY, DISCOUNT, AMOUNT = range(7)
_RIGHT = {PRICE, QTY, DISCOUNT, AMOUNT}
SHORT_COLOR = QColor("#b00020")  # a line selling more than is on hand


def level_price_name(level: str) -> str:
    return {"member": tr("Member price"), "wholesale": tr("Wholesale price")}.get(level, tr("Retail price"))


class CartModel(ListTableModel[PricedLine]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([tr("No."), tr("Name"), tr("Barcode"), tr("Price"), tr("Qty"), tr("Discount"), tr("Amount")],
                         parent)
        self._short: dict[int, int] = {}

    def set_shortages(self, on_hand: dict[int, int]) -> None:
        """Products whose line takes stock below zero (id -> stock on hand): marked on their row."""
        if on_hand != self._short:
            self._short = dict(on_hand)
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, AMOUNT))

    def set_totals(self, totals: Totals) -> None:
        if len(totals.lines) == len(self._rows):  # same lines, new figures: repaint, keep the selection
            self._rows = list(totals.lines)
            if self._rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, AMOUNT))
            return
        self.set_rows(totals.lines)

    def line(self, row: int) -> PricedLine | None:
        return self.row_at(row)

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
                name = f"⚠ {ln.name}" if ln.product_id in self._short else ln.name
                saved = ln.level_saving  # the price level used and what it saved (issue 17)
                return f"{name}  [{level_price_name(ln.price_level)} −{format_fen(saved, symbol=False)}]" \
                    if saved else name
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
        short = p.line.product_id in self._short
        if role == Qt.ItemDataRole.ForegroundRole and short and col in (NAME, QTY):
            return QBrush(SHORT_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole and short and col in (NAME, QTY):
            return tr("Only {qty} in stock: this sale takes the stock below zero").format(
                qty=format_qty(self._short[p.line.product_id]))
        if role == Qt.ItemDataRole.ToolTipRole and col == DISCOUNT and p.promo_discount:
            return tr("Promotion −{amount}").format(amount=format_fen(p.promo_discount))
        if role == Qt.ItemDataRole.ToolTipRole and col in (NAME, PRICE) and p.line.level_saving:
            return tr("{level} {price}, retail {retail}").format(
                level=level_price_name(p.line.price_level), price=format_fen(p.line.unit_price),
                retail=format_fen(p.line.retail_price))
        if role == Qt.ItemDataRole.ToolTipRole and col == PRICE and p.line.unit_price != p.line.catalogue_price:
            return tr("Catalogue price {price}").format(price=format_fen(p.line.catalogue_price))
        return None

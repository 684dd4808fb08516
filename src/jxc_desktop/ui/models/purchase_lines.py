"""The lines of the purchase note being entered: an editable table model.

Quantities are packs × units per pack (a case barcode scanned gives packs of 12); the unit cost is
per unit and the amount follows qty × cost unless typed (then it is kept as the supplier's exact
line total). Batch, production and expiry dates are editable only for batch-tracked products.
Bad cell input is refused with ``problem(JxcError)`` so the tab can show why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from jxc_desktop.domain import costing
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.money import fen_to_yuan_str, format_fen, parse_yuan
from jxc_desktop.domain.quantity import MILLI, format_qty, parse_qty
from jxc_desktop.services.catalog.products import ProductDTO
from jxc_desktop.services.purchasing.checks import expiry_of, parse_date
from jxc_desktop.services.purchasing.dto import LineInput, NoteLine
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.list_model import HeaderedTableModel

_Index = QModelIndex | QPersistentModelIndex
MISSING = QBrush(QColor("#fde2e1"))


class Col(IntEnum):
    NO = 0
    CODE = 1
    NAME = 2
    UNIT = 3
    PACKS = 4
    PACK = 5
    QTY = 6
    COST = 7
    AMOUNT = 8
    BATCH = 9
    PRODUCTION = 10
    EXPIRY = 11


def headers() -> list[str]:
    return [tr("No."), tr("Code"), tr("Name"), tr("Unit"), tr("Packs"), tr("Per pack"), tr("Qty"),
            tr("Unit cost"), tr("Amount"), tr("Batch"), tr("Production date"), tr("Expiry date")]


@dataclass
class EditLine:
    product: ProductDTO
    packs: int  # thousandths of a pack
    pack: int  # whole units per pack (the barcode's multiplier)
    unit_cost: int  # fen per unit
    amount: int | None = None  # fen; None = qty × unit cost
    batch_no: str = ""
    production: date | None = None
    expiry: date | None = None

    @property
    def qty(self) -> int:
        return self.packs * self.pack

    @property
    def line_amount(self) -> int:
        return self.amount if self.amount is not None else costing.value_of(self.qty, self.unit_cost)

    def to_input(self) -> LineInput:
        return LineInput(self.product.id, self.qty, self.unit_cost, self.amount, self.batch_no, self.production,
                         self.expiry)


EDITABLE = {Col.PACKS, Col.QTY, Col.COST, Col.AMOUNT}
BATCH_COLS = {Col.BATCH, Col.PRODUCTION, Col.EXPIRY}


class PurchaseLinesModel(HeaderedTableModel):
    problem = Signal(object)  # a JxcError from a refused edit
    totals_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(headers(), parent)
        self._lines: list[EditLine] = []
        self.modelReset.connect(self.totals_changed)
        self.dataChanged.connect(lambda *_: self.totals_changed.emit())
        self.rowsInserted.connect(lambda *_: self.totals_changed.emit())
        self.rowsRemoved.connect(lambda *_: self.totals_changed.emit())

    # ------------------------------------------------------------ content
    def lines(self) -> list[EditLine]:
        return list(self._lines)

    def line(self, row: int) -> EditLine:
        return self._lines[row]

    def inputs(self) -> tuple[LineInput, ...]:
        return tuple(ln.to_input() for ln in self._lines)

    def total(self) -> int:
        return sum(ln.line_amount for ln in self._lines)

    def set_lines(self, lines: list[EditLine]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self.endResetModel()

    def clear(self) -> None:
        self.set_lines([])

    def add(self, product: ProductDTO, pack: int, unit_cost: int) -> int:
        """One more pack: added to a line of the same product and pack without a batch yet, else a
        new line. Returns the row."""
        for row, ln in enumerate(self._lines):
            if ln.product.id == product.id and ln.pack == pack and not ln.batch_no and ln.amount is None:
                ln.packs += MILLI
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(Col) - 1))
                return row
        row = len(self._lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self._lines.append(EditLine(product, MILLI, max(1, pack), unit_cost))
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._lines):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._lines[row]
            self.endRemoveRows()

    def set_costs(self, costs: dict[int, int]) -> None:
        """New prefilled unit costs per product (the supplier changed); typed amounts are kept."""
        for ln in self._lines:
            if ln.product.id in costs and ln.amount is None:
                ln.unit_cost = costs[ln.product.id]
        if self._lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._lines) - 1, len(Col) - 1))

    @staticmethod
    def from_note_line(product: ProductDTO, ln: NoteLine) -> EditLine:
        exact = ln.amount if ln.amount != costing.value_of(ln.qty, ln.unit_cost) else None
        return EditLine(product, ln.qty, 1, ln.unit_cost, exact, ln.batch_no, ln.production_date, ln.expiry_date)

    # ------------------------------------------------------------ Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        col = Col(index.column())
        if col in EDITABLE or (col in BATCH_COLS and self._lines[index.row()].product.tracks_batches):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        ln = self._lines[index.row()]
        col = Col(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(ln, col, index.row())
        if role == Qt.ItemDataRole.EditRole:
            return {Col.PACKS: format_qty(ln.packs), Col.QTY: format_qty(ln.qty),
                    Col.COST: fen_to_yuan_str(ln.unit_cost), Col.AMOUNT: fen_to_yuan_str(ln.line_amount),
                    Col.BATCH: ln.batch_no, Col.PRODUCTION: ln.production.isoformat() if ln.production else "",
                    Col.EXPIRY: ln.expiry.isoformat() if ln.expiry else ""}.get(col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (Col.PACKS, Col.PACK, Col.QTY, Col.COST, Col.AMOUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and col == Col.BATCH and ln.product.tracks_batches \
                and not ln.batch_no:
            return MISSING
        if role == Qt.ItemDataRole.ToolTipRole and col == Col.BATCH and ln.product.tracks_batches:
            return tr("This product tracks batches: enter the batch number and the expiry (or production) date")
        return None

    @staticmethod
    def _display(ln: EditLine, col: Col, row: int) -> str:
        p = ln.product
        if col == Col.NO:
            return str(row + 1)
        if col == Col.CODE:
            return p.code
        if col == Col.NAME:
            return f"{p.name} {p.spec}".strip()
        if col == Col.UNIT:
            return p.unit
        if col == Col.PACKS:
            return format_qty(ln.packs)
        if col == Col.PACK:
            return str(ln.pack)
        if col == Col.QTY:
            return format_qty(ln.qty)
        if col == Col.COST:
            return format_fen(ln.unit_cost)
        if col == Col.AMOUNT:
            return format_fen(ln.line_amount)
        if not p.tracks_batches:
            return ""
        if col == Col.BATCH:
            return ln.batch_no
        if col == Col.PRODUCTION:
            return ln.production.isoformat() if ln.production else ""
        expiry = expiry_of(ln.production, ln.expiry, p.shelf_life_days)  # shown as posting will store it
        return expiry.isoformat() if expiry else ""

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        ln = self._lines[index.row()]
        text = str(value).strip()
        try:
            col = Col(index.column())
            if col == Col.PACKS:
                ln.packs = parse_qty(text, field="Quantity")
            elif col == Col.QTY:
                qty = parse_qty(text, field="Quantity")
                if qty % ln.pack == 0:
                    ln.packs = qty // ln.pack
                else:
                    ln.pack, ln.packs = 1, qty
            elif col == Col.COST:
                ln.unit_cost = parse_yuan(text, field="Unit cost")
                ln.amount = None
            elif col == Col.AMOUNT:
                ln.amount = parse_yuan(text, field="Amount")
                if ln.qty:
                    ln.unit_cost = costing.unit_cost_of(ln.amount, ln.qty)
            elif col == Col.BATCH:
                ln.batch_no = " ".join(text.split())[:40]
            elif col == Col.PRODUCTION:
                ln.production = parse_date(text, "Production date")
            elif col == Col.EXPIRY:
                ln.expiry = parse_date(text, "Expiry date")
            else:
                return False
        except JxcError as exc:
            self.problem.emit(exc)
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(Col) - 1))
        return True

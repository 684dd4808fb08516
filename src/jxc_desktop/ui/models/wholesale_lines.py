"""The lines of the wholesale note being entered: an editable table over the note value
(domain/wholesale_note.py). Packs, units per pack, loose units, the price and the line discount
are typed in the cells; the quantity and the amount follow. A refused cell leaves the note as it
was and emits ``problem(JxcError)`` so the screen can say why."""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.money import fen_to_yuan_str, format_fen, parse_yuan
from jxc_desktop.domain.quantity import format_qty, parse_qty
from jxc_desktop.domain.wholesale_note import NoteLine, WholesaleNote, with_line, without_line
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.list_model import HeaderedTableModel

_Index = QModelIndex | QPersistentModelIndex


class Col(IntEnum):
    NO = 0
    CODE = 1
    NAME = 2
    UNIT = 3
    PACKS = 4
    PACK = 5
    LOOSE = 6
    QTY = 7
    PRICE = 8
    DISCOUNT = 9
    AMOUNT = 10


def headers() -> list[str]:
    return [tr("No."), tr("Code"), tr("Name"), tr("Unit"), tr("Packs"), tr("Per pack"), tr("Loose"), tr("Qty"),
            tr("Unit price"), tr("Discount"), tr("Amount")]


EDITABLE = {Col.PACKS, Col.PACK, Col.LOOSE, Col.PRICE, Col.DISCOUNT}


def _whole(text: str, field: str) -> int:
    raw = text.strip() or "0"
    if not (raw.isascii() and raw.isdigit()):
        raise ValidationError("{field}: '{value}' is not a quantity", field=field, value=raw[:20])
    return int(raw)


class WholesaleLinesModel(HeaderedTableModel):
    changed = Signal()  # the note changed (totals to show again)
    problem = Signal(object)  # JxcError of a refused edit

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(headers(), parent)
        self.note = WholesaleNote()

    def set_note(self, note: WholesaleNote) -> None:
        self.beginResetModel()
        self.note = note
        self.endResetModel()
        self.changed.emit()

    def add(self, line: NoteLine) -> int:
        """Add a line; the same product at the same price gets one more pack (or unit) instead."""
        for i, old in enumerate(self.note.lines):
            if old.product_id == line.product_id and old.price == line.price and old.pack_size == line.pack_size:
                self._replace(i, replace(old, packs=old.packs + line.packs, loose=old.loose + line.loose))
                return i
        self.set_note(with_line(self.note, line))
        return len(self.note.lines) - 1

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.note.lines):
            self.set_note(without_line(self.note, row))

    def _replace(self, row: int, line: NoteLine) -> None:
        self.note = with_line(self.note, line, row)
        self.dataChanged.emit(self.index(row, 0), self.index(row, Col.AMOUNT))
        self.changed.emit()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.note.lines)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() in EDITABLE else base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.note.lines):
            return None
        ln, col = self.note.lines[index.row()], index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= Col.PACKS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.EditRole:
            return {Col.PACKS: str(ln.packs), Col.PACK: str(ln.pack_size), Col.LOOSE: format_qty(ln.loose),
                    Col.PRICE: fen_to_yuan_str(ln.price), Col.DISCOUNT: fen_to_yuan_str(ln.line_discount)}.get(col)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {Col.NO: str(index.row() + 1), Col.CODE: ln.code, Col.NAME: f"{ln.name} {ln.spec}".strip(),
                Col.UNIT: ln.unit, Col.PACKS: str(ln.packs) if ln.pack_size > 1 else "",
                Col.PACK: str(ln.pack_size) if ln.pack_size > 1 else "",
                Col.LOOSE: format_qty(ln.loose) if ln.loose else "", Col.QTY: format_qty(ln.qty),
                Col.PRICE: format_fen(ln.price), Col.DISCOUNT: format_fen(ln.line_discount) if ln.line_discount else "",
                Col.AMOUNT: format_fen(ln.net)}.get(col)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or index.column() not in EDITABLE:
            return False
        ln, col, text = self.note.lines[index.row()], index.column(), str(value)
        try:
            if col == Col.PACKS:
                new = replace(ln, packs=_whole(text, tr("Packs")))
            elif col == Col.PACK:
                new = replace(ln, pack_size=_whole(text, tr("Per pack")))
            elif col == Col.LOOSE:
                new = replace(ln, loose=parse_qty(text or "0", field=tr("Loose"), allow_zero=True))
            elif col == Col.PRICE:
                new = replace(ln, price=parse_yuan(text, field=tr("Unit price")))
            else:
                new = replace(ln, line_discount=parse_yuan(text or "0", field=tr("Discount")))
            self._replace(index.row(), new)
        except JxcError as exc:
            self.problem.emit(exc)
            return False
        return True

"""The open documents of one party with the part of a payment or collection allocated to each
(核销): pre-filled oldest first, each cell editable (0 leaves a document open). What is not
allocated stays on the account as a prepayment."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.money import fen_to_yuan_str, format_fen, parse_yuan
from jxc_desktop.services.accounts.dto import OpenDocument, kind_label
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.list_model import HeaderedTableModel

_Index = QModelIndex | QPersistentModelIndex


class Col(IntEnum):
    NUMBER = 0
    KIND = 1
    DATE = 2
    DUE = 3
    AMOUNT = 4
    OPEN = 5
    ALLOCATE = 6


def oldest_first(amount: int, opens: Sequence[int]) -> list[int]:
    """``amount`` spread over the open amounts in order, each taking what it can."""
    out, left = [], max(0, amount)
    for o in opens:
        part = min(left, max(0, o))
        out.append(part)
        left -= part
    return out


class AllocationModel(HeaderedTableModel):
    changed = Signal()
    problem = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([tr("Document"), tr("Kind"), tr("Date"), tr("Due"), tr("Amount"), tr("Open"),
                          tr("Allocate")], parent)
        self.docs: list[OpenDocument] = []
        self.parts: list[int] = []

    def set_documents(self, docs: Sequence[OpenDocument], amount: int) -> None:
        self.beginResetModel()
        self.docs = list(docs)
        self.parts = oldest_first(amount, [d.open for d in self.docs])
        self.endResetModel()
        self.changed.emit()

    def refill(self, amount: int) -> None:
        """Oldest first again for a new amount (the typed parts are replaced)."""
        self.set_documents(self.docs, amount)

    def allocations(self) -> list[tuple[int, int]]:
        return [(d.entry_id, p) for d, p in zip(self.docs, self.parts, strict=True) if p > 0]

    def allocated(self) -> int:
        return sum(self.parts)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.docs)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == Col.ALLOCATE else base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.docs):
            return None
        d, part, col = self.docs[index.row()], self.parts[index.row()], index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= Col.AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.EditRole and col == Col.ALLOCATE:
            return fen_to_yuan_str(part)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {Col.NUMBER: d.number, Col.KIND: kind_label(d.kind), Col.DATE: d.date.isoformat(),
                Col.DUE: d.due_date.isoformat() if d.due_date else "", Col.AMOUNT: format_fen(d.amount),
                Col.OPEN: format_fen(d.open), Col.ALLOCATE: format_fen(part) if part else ""}.get(col)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or index.column() != Col.ALLOCATE:
            return False
        d = self.docs[index.row()]
        try:
            part = parse_yuan(str(value).strip() or "0", field=tr("Allocate"))
            if part > d.open:
                raise ValidationError("{number} has only {open} open", number=d.number, open=format_fen(d.open))
        except JxcError as exc:
            self.problem.emit(exc)
            return False
        self.parts[index.row()] = part
        self.dataChanged.emit(index, index)
        self.changed.emit()
        return True

"""Read-only table models of the purchase tab: note history, a note's lines, suppliers.

One small generic model over a list of DTOs with column functions, so each table is a list of
(header, text, right-aligned) and ``data()`` answers only the roles it knows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.purchasing.dto import Note, NoteLine, NoteSummary, SupplierDTO, SupplierPeriod
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.list_model import ListTableModel

T = TypeVar("T")
_Index = QModelIndex | QPersistentModelIndex
GREY = QBrush(QColor("#888888"))
RED = QBrush(QColor("#c0392b"))


@dataclass(frozen=True)
class Column(Generic[T]):
    header: Callable[[], str]
    text: Callable[[T], str]
    right: bool = False


class RowsModel(ListTableModel[T]):
    RowRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, columns: Sequence[Column[T]], parent: QObject | None = None) -> None:
        super().__init__([c.header() for c in columns], parent)
        self._columns = list(columns)

    def rows(self) -> list[T]:
        return list(self._rows)

    def row(self, r: int) -> T:
        return self._rows[r]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        col = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(item)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(item)
        if role == self.RowRole:
            return item
        return None

    def foreground(self, item: T) -> QBrush | None:
        return None


def status_text(status: str) -> str:
    return {"draft": tr("Draft"), "posted": tr("Posted"), "reversed": tr("Reversed")}.get(status, status)


def kind_text(kind: str) -> str:
    return tr("Return") if kind == "return" else tr("Purchase")


class NoteListModel(RowsModel[NoteSummary]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([
            Column(lambda: tr("Number"), lambda n: n.number),
            Column(lambda: tr("Date"), lambda n: n.doc_date.isoformat()),
            Column(lambda: tr("Type"), lambda n: kind_text(n.kind)),
            Column(lambda: tr("Status"), lambda n: status_text(n.status)),
            Column(lambda: tr("Supplier"), lambda n: n.supplier_name),
            Column(lambda: tr("Lines"), lambda n: str(n.line_count), True),
            Column(lambda: tr("Total"), lambda n: format_fen(-n.total if n.kind == "return" else n.total), True),
        ], parent)

    def foreground(self, item: NoteSummary) -> QBrush | None:
        if item.status == "reversed":
            return GREY
        return RED if item.kind == "return" else None


class NoteLinesModel(RowsModel[NoteLine]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([
            Column(lambda: tr("No."), lambda ln: str(ln.line_no)),
            Column(lambda: tr("Code"), lambda ln: ln.code),
            Column(lambda: tr("Name"), lambda ln: f"{ln.name} {ln.spec}".strip()),
            Column(lambda: tr("Unit"), lambda ln: ln.unit),
            Column(lambda: tr("Qty"), lambda ln: format_qty(ln.qty), True),
            Column(lambda: tr("Unit cost"), lambda ln: format_fen(ln.unit_cost), True),
            Column(lambda: tr("Amount"), lambda ln: format_fen(ln.amount), True),
            Column(lambda: tr("Batch"), lambda ln: ln.batch_no),
            Column(lambda: tr("Expiry date"), lambda ln: ln.expiry_date.isoformat() if ln.expiry_date else ""),
            Column(lambda: tr("Returned"), lambda ln: format_qty(ln.returned_qty) if ln.returned_qty else "", True),
        ], parent)

    def set_note(self, note: Note) -> None:
        self.set_rows(note.lines)


@dataclass(frozen=True)
class SupplierRow:
    supplier: SupplierDTO
    period: SupplierPeriod | None


class SupplierModel(RowsModel[SupplierRow]):
    def __init__(self, parent: QObject | None = None) -> None:
        def money(get: Callable[[SupplierPeriod], int]) -> Callable[[SupplierRow], str]:
            return lambda r: format_fen(get(r.period)) if r.period else ""

        super().__init__([
            Column(lambda: tr("Supplier"), lambda r: r.supplier.name),
            Column(lambda: tr("Contact"), lambda r: r.supplier.contact),
            Column(lambda: tr("Phone"), lambda r: r.supplier.phone),
            Column(lambda: tr("Last purchase"),
                   lambda r: r.supplier.last_purchase_date.isoformat() if r.supplier.last_purchase_date else ""),
            Column(lambda: tr("Notes in period"), lambda r: str(r.period.purchase_count) if r.period else "", True),
            Column(lambda: tr("Purchased"), money(lambda p: p.purchase_total), True),
            Column(lambda: tr("Returned"), money(lambda p: p.return_total), True),
            Column(lambda: tr("Net"), money(lambda p: p.net), True),
            Column(lambda: tr("Active"), lambda r: tr("Yes") if r.supplier.active else tr("No")),
        ], parent)

    def foreground(self, item: SupplierRow) -> QBrush | None:
        return None if item.supplier.active else GREY

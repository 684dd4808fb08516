"""Small keyboard dialogs of the checkout tab: a value prompt, pay, return, held carts, reprint.

Each dialog takes callables that do the work (so it stays thin and testable) and shows a service
error in its own red line, staying open, instead of a modal box: the cashier corrects and presses
Enter again. The tab opens them with ``open()`` (not ``exec()``), so tests can drive them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.money import format_fen, parse_yuan
from jxc_desktop.domain.quantity import format_qty, parse_qty
from jxc_desktop.domain.tender import tender_status
from jxc_desktop.services.sales.dto import HeldDTO, ReturnItem, SaleDTO, SaleRow, Tender
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.forms import error_label

_Index = QModelIndex | QPersistentModelIndex


def method_name(method: str) -> str:
    return {"cash": tr("Cash"), "wechat": tr("WeChat"), "alipay": tr("Alipay"), "card": tr("Bank card")}.get(
        method, method)


def _big(label: QLabel, points: int) -> QLabel:
    font = QFont(label.font())
    font.setPointSize(points)
    font.setBold(True)
    label.setFont(font)
    return label


class _EnterDialog(QDialog):
    """A dialog where Enter runs ``submit`` (not the default button dance)."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.error = error_label()

    def fail(self, exc: BaseException) -> None:
        self.error.setText(exc.message if isinstance(exc, JxcError) else str(exc))

    def submit(self) -> None:  # pragma: no cover - overridden
        self.accept()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            return
        super().keyPressEvent(event)


class ValueDialog(_EnterDialog):
    """Ask for one value; ``apply(text)`` raises JxcError to keep the dialog open with the message."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str, initial: str,
                 apply: Callable[[str], None]) -> None:
        super().__init__(parent, title)
        self._apply = apply
        self.edit = QLineEdit(initial)
        self.edit.selectAll()
        _big(self.edit, 16)  # type: ignore[arg-type]
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(prompt))
        lay.addWidget(self.edit)
        lay.addWidget(self.error)
        hint = QLabel(tr("Enter: OK    Esc: cancel"))
        hint.setStyleSheet("color: gray;")
        lay.addWidget(hint)

    def submit(self) -> None:
        if not run(self, lambda: self._apply(self.edit.text()), inline=self.fail):
            self.edit.selectAll()
            return
        self.accept()


class PayDialog(_EnterDialog):
    """Amount due; cash received (change shown live), WeChat, Alipay, card; splits allowed.
    F2/F3/F4 put the whole remaining amount on WeChat/Alipay/card. Enter posts through ``post``."""

    def __init__(self, parent: QWidget | None, due: int, post: Callable[[list[Tender]], bool]) -> None:
        super().__init__(parent, tr("Pay"))
        self.due = due
        self._post = post
        self.fields: dict[str, QLineEdit] = {}
        lay = QVBoxLayout(self)
        self.due_label = _big(QLabel(tr("Amount due: {amount}").format(amount=format_fen(due))), 22)
        lay.addWidget(self.due_label)
        form = QFormLayout()
        for method, key in (("cash", ""), ("wechat", "F2"), ("alipay", "F3"), ("card", "F4")):
            edit = QLineEdit()
            _big(edit, 14)  # type: ignore[arg-type]
            edit.textChanged.connect(self._update)
            self.fields[method] = edit
            label = method_name(method) + (f" ({key})" if key else "")
            form.addRow(label if method != "cash" else tr("Cash received"), edit)
            if key:
                sc = QShortcut(QKeySequence(key), self)
                sc.activated.connect(lambda m=method: self.all_by(m))
        lay.addLayout(form)
        self.change_label = _big(QLabel(), 18)
        self.change_label.setWordWrap(True)  # it may carry a message (non-cash above the amount due)
        lay.addWidget(self.change_label)
        lay.addWidget(self.error)
        hint = QLabel(tr("Enter: pay    F2/F3/F4: all by WeChat/Alipay/card    Esc: back to the cart"))
        hint.setStyleSheet("color: gray;")
        lay.addWidget(hint)
        self.fields["cash"].setText(format_fen(due, symbol=False))
        self.fields["cash"].selectAll()
        self.fields["cash"].setFocus()
        self._update()

    def all_by(self, method: str) -> None:
        for m, edit in self.fields.items():
            edit.setText(format_fen(self.due, symbol=False) if m == method else "")
        self.fields[method].setFocus()
        self.fields[method].selectAll()

    def tenders(self) -> list[Tender]:
        out: list[Tender] = []
        for method, edit in self.fields.items():
            text = edit.text().strip()
            if text:
                out.append(Tender(method, parse_yuan(text, field=method_name(method))))
        return out

    def _update(self) -> None:
        try:
            tenders = self.tenders()
        except JxcError:
            self.change_label.setText("")
            return
        try:  # the figures come from the service's rule (non-cash gives no change), not a copy of it
            status = tender_status(self.due, tenders)
        except JxcError as exc:  # e.g. WeChat ¥15 against ¥10 due: say so instead of a negative figure
            self.change_label.setText(exc.message)
            return
        if status.still_due:
            self.change_label.setText(tr("Still due: {amount}").format(amount=format_fen(status.still_due)))
        else:
            self.change_label.setText(tr("Change: {amount}").format(amount=format_fen(status.change)))

    def submit(self) -> None:
        done = run(self, lambda: self._post(self.tenders()), inline=self.fail)
        if done and done.value:
            self.accept()


class ReturnLinesModel(QAbstractTableModel):
    """Lines of the sale being returned; the last column (qty to return) is editable."""

    HEAD = ("Name", "Sold", "Returned", "Price", "Amount", "Return qty")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sale: SaleDTO | None = None
        self.qty: list[int] = []

    def set_sale(self, sale: SaleDTO | None) -> None:
        self.beginResetModel()
        self.sale = sale
        self.qty = [0] * (len(sale.lines) if sale else 0)
        self.endResetModel()

    def left(self, row: int) -> int:
        assert self.sale is not None
        ln = self.sale.lines[row]
        return ln.qty - ln.returned_qty

    def fill_all(self) -> None:
        if self.sale:
            self.qty = [self.left(i) for i in range(len(self.qty))]
            self.dataChanged.emit(self.index(0, 5), self.index(len(self.qty) - 1, 5))

    def items(self) -> list[ReturnItem]:
        if not self.sale:
            return []
        return [ReturnItem(ln.id, q) for ln, q in zip(self.sale.lines, self.qty, strict=True) if q]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.sale else len(self.sale.lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 6:
            return (tr("Name"), tr("Sold"), tr("Returned"), tr("Price"), tr("Amount"), tr("Return qty"))[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 5 else base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.sale is None or not 0 <= index.row() < len(self.sale.lines):
            return None
        ln = self.sale.lines[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (ln.name, format_qty(ln.qty), format_qty(ln.returned_qty), format_fen(ln.unit_price, symbol=False),
                    format_fen(ln.amount, symbol=False), format_qty(self.qty[index.row()]))[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != 5 or self.sale is None:
            return False
        try:
            qty = parse_qty(str(value) or "0", allow_zero=True)
        except ValidationError:
            return False
        self.qty[index.row()] = qty
        self.dataChanged.emit(index, index)
        return True


class ReturnDialog(_EnterDialog):
    """Scan or type the receipt number (Enter loads it), type the quantities that come back
    (F5: everything left), choose the refund method, F12 posts the return."""

    def __init__(self, parent: QWidget | None, load: Callable[[str], SaleDTO],
                 post: Callable[[str, list[ReturnItem], str], None]) -> None:
        super().__init__(parent, tr("Customer return"))
        self._load, self._post = load, post
        self.resize(720, 420)
        self.number = QLineEdit()
        self.number.setPlaceholderText(tr("Scan the barcode on the receipt or type its number"))
        self.model = ReturnLinesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.DoubleClicked)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.method = QComboBox()
        for m in ("cash", "wechat", "alipay", "card"):
            self.method.addItem(method_name(m), m)
        self.info = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Receipt number")))
        top.addWidget(self.number, 1)
        bottom = QHBoxLayout()
        all_btn = QPushButton(tr("Return everything (F5)"))
        all_btn.clicked.connect(self.model.fill_all)
        post_btn = QPushButton(tr("Post return (F12)"))
        post_btn.clicked.connect(self.post)
        bottom.addWidget(QLabel(tr("Refund by")))
        bottom.addWidget(self.method)
        bottom.addStretch(1)
        bottom.addWidget(all_btn)
        bottom.addWidget(post_btn)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.info)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.error)
        lay.addLayout(bottom)
        QShortcut(QKeySequence("F5"), self).activated.connect(self.model.fill_all)
        QShortcut(QKeySequence("F12"), self).activated.connect(self.post)
        self.number.setFocus()

    def submit(self) -> None:
        # Enter in the number field loads; elsewhere it moves down the quantities.
        if self.number.hasFocus() or self.model.sale is None:
            self.load(self.number.text())
        else:
            row = self.table.currentIndex().row()
            self.table.setCurrentIndex(self.model.index(min(row + 1, self.model.rowCount() - 1), 5))

    def load(self, number: str) -> None:
        self.error.clear()

        def load() -> SaleDTO:
            sale = self._load(number)
            if sale.kind != "sale":
                raise ValidationError("{number} is a return, not a sale", number=sale.number)
            return sale

        got = run(self, load, inline=self.fail)
        if not got or got.value is None:
            self.model.set_sale(None)
            self.info.clear()
            self.number.selectAll()
            return
        sale = got.value
        self.model.set_sale(sale)
        self.number.setText(sale.number)
        self.info.setText(tr("Sale {number}, {time}, total {total}").format(
            number=sale.number, time=sale.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            total=format_fen(sale.total)))
        first = sale.payments[0].method if sale.payments else "cash"
        self.method.setCurrentIndex(max(0, self.method.findData(first)))
        self.table.setFocus()
        self.table.setCurrentIndex(self.model.index(0, 5))

    def post(self) -> None:
        if self.model.sale is None:
            self.fail(ValidationError("Load a sale by its receipt number first"))
            return
        sale = self.model.sale
        if run(self, lambda: self._post(sale.number, self.model.items(), str(self.method.currentData())),
               inline=self.fail):
            self.accept()


def held_text(h: HeldDTO) -> str:
    """One held cart as the cashier recognises it: when, what (first item), how much, the note."""
    when = h.created_at.astimezone().strftime("%m-%d %H:%M")
    if h.lines > 1:
        what = tr("{first} + {more} more").format(first=h.first_item, more=h.lines - 1)
    else:
        what = h.first_item
    text = f"{when}   {what}   {format_fen(h.gross)}"
    return text + "   " + tr("Note: {note}").format(note=h.label) if h.label else text


class HeldDialog(_EnterDialog):
    """The held carts; Enter resumes the chosen one, Delete throws it away."""

    def __init__(self, parent: QWidget | None, held: Sequence[HeldDTO], resume: Callable[[int], None],
                 delete: Callable[[int], None]) -> None:
        super().__init__(parent, tr("Held sales"))
        self._resume, self._delete = resume, delete
        self.resize(560, 320)
        self.list = QListWidget()
        for h in held:
            item = QListWidgetItem(held_text(h))
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            self.list.addItem(item)
        self.list.setCurrentRow(self.list.count() - 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.list)
        lay.addWidget(self.error)
        hint = QLabel(tr("Enter: resume    Delete: discard    Esc: close"))
        hint.setStyleSheet("color: gray;")
        lay.addWidget(hint)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self).activated.connect(self.delete_current)
        self.list.setFocus()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def submit(self) -> None:
        held_id = self.current_id()
        if held_id is None:
            return
        if run(self, lambda: self._resume(held_id), inline=self.fail):
            self.accept()

    def delete_current(self) -> None:
        held_id = self.current_id()
        if held_id is None:
            return
        if not run(self, lambda: self._delete(held_id), inline=self.fail):
            return
        self.list.takeItem(self.list.currentRow())


class ReprintDialog(_EnterDialog):
    """Today's sales and returns; Enter reprints the typed number or the chosen row."""

    def __init__(self, parent: QWidget | None, rows: Sequence[SaleRow], reprint: Callable[[str, bool], None],
                 day_summary: Callable[[bool], None]) -> None:
        super().__init__(parent, tr("Reprint a receipt"))
        self._reprint = reprint
        self.resize(560, 380)
        self.number = QLineEdit()
        self.number.setPlaceholderText(tr("Receipt number, or choose from today's list"))
        self.list = QListWidget()
        for r in rows:
            kind = tr("Return") if r.kind == "return" else tr("Sale")
            item = QListWidgetItem(f"{r.created_at.astimezone():%H:%M}  {r.number}  {kind}  "
                                   f"{format_fen(r.total)}  {' '.join(method_name(m) for m in r.methods)}")
            item.setData(Qt.ItemDataRole.UserRole, r.number)
            self.list.addItem(item)
        if rows:
            self.list.setCurrentRow(0)
        self.preview = QCheckBox(tr("Preview before printing"))
        summary_btn = QPushButton(tr("Print end-of-day summary (F5)"))
        summary_btn.clicked.connect(lambda: day_summary(self.preview.isChecked()))
        QShortcut(QKeySequence("F5"), self).activated.connect(summary_btn.click)
        lay = QVBoxLayout(self)
        lay.addWidget(self.number)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.preview)
        row.addStretch(1)
        row.addWidget(summary_btn)
        lay.addLayout(row)
        self.number.installEventFilter(self)
        self.number.setFocus()

    def eventFilter(self, watched: Any, event: Any) -> bool:
        # Up/Down in the number field move in today's list, so the hands stay on the keys.
        if watched is self.number and event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            self.list.setCurrentRow(max(0, min(self.list.count() - 1, self.list.currentRow() + step)))
            return True
        return super().eventFilter(watched, event)

    def submit(self) -> None:
        number = self.number.text().strip()
        if not number and self.list.currentItem() is not None:
            number = str(self.list.currentItem().data(Qt.ItemDataRole.UserRole))
        if not number:
            return
        if run(self, lambda: self._reprint(number, self.preview.isChecked()), inline=self.fail):
            self.accept()

"""Purchase dialogs: a posted note read-only (print, save PDF, reverse, return goods), and the
return to supplier (退货出库), against a posted note or free-standing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty, parse_qty
from jxc_desktop.services.catalog.dto import StyleDTO, VariantDTO
from jxc_desktop.services.catalog.products import ProductDTO
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import Note, ReturnInput, ReturnLineInput
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.grid_entry_dialog import GridEntryDialog
from jxc_desktop.ui.errors import show_error
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.purchase_tables import NoteLinesModel, kind_text, status_text
from jxc_desktop.ui.purchase_actions import print_note, reverse_note, run_confirmed, save_note_pdf
from jxc_desktop.ui.style_entry import pick_style, style_named
from jxc_desktop.ui.widgets.product_lookup import ProductLookup

IdRole = Qt.ItemDataRole.UserRole + 1


class NoteDialog(QDialog):
    """A note read-only. ``changed`` fires after a reversal or a return made from here."""

    changed = Signal()

    def __init__(self, services: Services, note: Note, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.note = note
        self.return_dialog: ReturnDialog | None = None
        self.setWindowTitle(tr("Note {number}").format(number=note.number))
        self.resize(960, 520)
        self.header = QLabel()
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = NoteLinesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.total = QLabel()
        self.print_button = QPushButton(tr("Print…"))
        self.pdf_button = QPushButton(tr("Save PDF…"))
        self.reverse_button = QPushButton(tr("Reverse (红冲)…"))
        self.return_button = QPushButton(tr("Return goods…"))
        close = QPushButton(tr("Close"))
        self.print_button.clicked.connect(lambda: print_note(self, self._services, self.note))
        self.pdf_button.clicked.connect(lambda: save_note_pdf(self, self._services, self.note))
        self.reverse_button.clicked.connect(self.reverse)
        self.return_button.clicked.connect(self.open_return)
        close.clicked.connect(self.accept)
        bar = QHBoxLayout()
        for b in (self.print_button, self.pdf_button, self.reverse_button, self.return_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addLayout(bar)
        self.show_note(note)

    def show_note(self, note: Note) -> None:
        self.note = note
        parts = [f"<b>{kind_text(note.kind)} {note.number}</b> — {status_text(note.status)}",
                 tr("Supplier: {name}").format(name=note.supplier_name or "—"),
                 tr("Date: {day}").format(day=note.doc_date.isoformat())]
        if note.origin_number:
            parts.append(tr("Against purchase note: {number}").format(number=note.origin_number))
        if note.note:
            parts.append(tr("Note: {text}").format(text=note.note))
        self.header.setText("<br/>".join(p.replace("&", "&amp;") for p in parts))
        self.model.set_note(note)
        self.table.resizeColumnsToContents()
        self.total.setText(tr("Total: {total} ({n} lines)").format(total=format_fen(note.total), n=len(note.lines)))
        posted = note.status == "posted"
        self.reverse_button.setEnabled(posted)
        self.return_button.setEnabled(posted and not note.is_return)
        self.print_button.setEnabled(not note.is_draft)

    def reverse(self) -> None:
        done = reverse_note(self, self._services, self.note)
        if done is not None:
            self.show_note(done)
            self.changed.emit()

    def open_return(self) -> None:
        self.return_dialog = ReturnDialog(self._services, self.note, self)
        self.return_dialog.posted.connect(self._returned)
        self.return_dialog.open()

    def _returned(self, _note: Note) -> None:
        self.show_note(self._services.purchasing.get(self.note.id))
        self.changed.emit()


class ReturnDialog(QDialog):
    """退货出库: against ``note`` (its lines, never more than is left), or free-standing (choose the
    supplier, scan or search the goods). ``posted`` carries the return note."""

    posted = Signal(object)
    COL_NAME, COL_BATCH, COL_AVAILABLE, COL_QTY = range(4)

    def __init__(self, services: Services, note: Note | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.note = note
        self.result_note: Note | None = None
        self.setWindowTitle(tr("Return goods to the supplier"))
        self.resize(760, 460)
        form = QFormLayout()
        self.supplier = QComboBox()
        self.lookup: ProductLookup | None = None
        if note is not None:
            form.addRow(tr("Supplier"), QLabel(note.supplier_name))
            form.addRow(tr("Purchase note"), QLabel(note.number))
        else:
            for s in services.suppliers.list(active_only=True):
                self.supplier.addItem(s.name, s.id)
            form.addRow(tr("Supplier"), self.supplier)
            self.lookup = ProductLookup(services.catalog.search, resolve=services.catalog.resolve_scan)
            self.lookup.scanned.connect(self._scanned)
            self.lookup.picked.connect(self.add_product)
            form.addRow(tr("Goods"), self.lookup)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("e.g. damaged packaging, wrong goods"))
        form.addRow(tr("Note"), self.reason)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([tr("Name"), tr("Batch"), tr("Returnable") if note else tr("On hand"),
                                              tr("Return qty")])
        self.table.horizontalHeader().setSectionResizeMode(self.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.hint = QLabel(tr("Goods leave at the current average cost. Leave the batch empty to take the one "
                              "expiring first.") if note is None else
                           tr("Goods leave at the current average cost."))
        self.hint.setStyleSheet("color: #666;")
        self.post_button = QPushButton(tr("Post return"))
        cancel = QPushButton(tr("Cancel"))
        self.grid_button = QPushButton(tr("Colour × size… F6"))
        self.grid_dialog: GridEntryDialog | None = None
        self.post_button.clicked.connect(self.post)
        cancel.clicked.connect(self.reject)
        self.grid_button.clicked.connect(lambda: self.grid_entry())
        grid_key = QShortcut(QKeySequence("F6"), self)
        grid_key.activated.connect(lambda: self.grid_entry())
        bar = QHBoxLayout()
        bar.addWidget(self.grid_button)
        bar.addStretch(1)
        bar.addWidget(self.post_button)
        bar.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        layout.addLayout(bar)
        if note is not None:
            for ln in note.lines:
                self._add_row(f"{ln.name} {ln.spec}".strip(), ln.product_id, ln.id, ln.batch_no, ln.returnable_qty,
                              batch_editable=False)

    def _add_row(self, name: str, product_id: int, line_id: int | None, batch: str, available: int, *,
                 batch_editable: bool) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        item = QTableWidgetItem(name)
        item.setData(IdRole, (product_id, line_id))
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, self.COL_NAME, item)
        b = QTableWidgetItem(batch)
        if not batch_editable:
            b.setFlags(b.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, self.COL_BATCH, b)
        a = QTableWidgetItem(format_qty(available))
        a.setFlags(a.flags() & ~Qt.ItemFlag.ItemIsEditable)
        a.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, self.COL_AVAILABLE, a)
        q = QTableWidgetItem("")
        q.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(row, self.COL_QTY, q)
        return row

    def add_product(self, product: ProductDTO) -> None:
        row = self._add_row(f"{product.name} {product.spec}".strip(), product.id, None, "", product.stock_qty,
                            batch_editable=product.tracks_batches)
        self.table.setCurrentCell(row, self.COL_QTY)

    def grid_entry(self, style: StyleDTO | None = None) -> GridEntryDialog | None:
        """F6: return quantities of a style by colour × size (the style named, else that of the
        selected row, else one picked from the list); each cell fills its row's return qty, a
        free-standing return gets a row for a variant not listed yet."""
        if style is None and self.table.currentRow() >= 0:
            pid, _line = self.table.item(self.table.currentRow(), self.COL_NAME).data(IdRole)
            style = self._services.styles.style_of_product(pid)
        style = style or pick_style(self, self._services)
        if style is None:
            return None
        dlg = GridEntryDialog(style, tr("Return {code} by colour and size").format(code=style.code), parent=self)
        dlg.accepted.connect(lambda: self._grid_rows(style, dlg.entries()))
        self.grid_dialog = dlg
        dlg.open()
        return dlg

    def _grid_rows(self, style: StyleDTO, entries: list[tuple[VariantDTO, int]]) -> None:
        rows = {self.table.item(r, self.COL_NAME).data(IdRole)[0]: r for r in reversed(range(self.table.rowCount()))}
        colours = dict(style.colours)
        for v, qty in entries:
            row = rows.get(v.product_id)
            if row is None:
                if self.note is not None:
                    continue  # not on this purchase note: nothing of it can go back against it
                row = self._add_row(f"{style.name} {colours.get(v.colour_code, v.colour)} {v.size}", v.product_id,
                                    None, "", v.stock_qty, batch_editable=False)
            self.set_qty(row, format_qty(qty))

    def _scanned(self, text: str) -> None:
        """The catalogue's scan rule, as on the purchase note: the named product or the single
        search hit is added; several hits are shown to choose; a style code opens its grid."""
        assert self.lookup is not None
        result = self.lookup.resolve(text)
        if result.single is None and (style := style_named(self._services, text)) is not None:
            self.lookup.clear()
            self.grid_entry(style)
        elif result.single is not None:
            self.add_product(result.single)
        elif result.candidates:
            return  # the pick list is open
        elif result.problem is not None:
            show_error(self, result.problem)

    def set_qty(self, row: int, text: str) -> None:
        self.table.item(row, self.COL_QTY).setText(text)

    def gather(self) -> ReturnInput:
        lines = []
        for row in range(self.table.rowCount()):
            text = self.table.item(row, self.COL_QTY).text().strip()
            if not text or text == "0":
                continue
            pid, line_id = self.table.item(row, self.COL_NAME).data(IdRole)
            qty = parse_qty(text, field="Return qty")
            batch = "" if line_id else self.table.item(row, self.COL_BATCH).text().strip()
            lines.append(ReturnLineInput(pid, qty, line_id, batch))
        if not lines:
            raise ValidationError("Enter the quantity to return on at least one line")
        if self.note is not None:
            return ReturnInput(None, tuple(lines), origin_id=self.note.id, note=self.reason.text())
        return ReturnInput(self.supplier.currentData(), tuple(lines), note=self.reason.text())

    def post(self) -> Note | None:
        got = run(self, self.gather)
        if not got or got.value is None:
            return None
        data = got.value
        from jxc_desktop.ui.guard import ensure_owner

        if not ensure_owner(self, self._services, "refund"):  # returns need the owner when a PIN is set
            return None
        note = run_confirmed(self, lambda ok: self._services.purchasing.post_return(data, confirmed=ok))
        if note is not None:
            self.result_note = note
            self.posted.emit(note)
            self.accept()
        return note

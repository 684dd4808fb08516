"""Entering a purchase note: supplier (chosen, searched or created on the spot), date, note; lines by
scan or search — an unknown barcode offers to create the product there and then —, quantities in
packs × units per pack, prefilled unit costs, batches for tracked products; save as draft or post.

Every action gathers the input and calls one service; the rules live in services/purchasing/notes.py.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import MILLI, format_qty
from jxc_desktop.services.catalog.dto import ProductDTO, ScanKind, StyleDTO
from jxc_desktop.services.catalog.product_files import ImportRejected
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import Note, NoteInput
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.grid_entry_dialog import GridEntryDialog
from jxc_desktop.ui.dialogs.product_dialog import ProductDialog
from jxc_desktop.ui.dialogs.supplier_dialog import SupplierDialog
from jxc_desktop.ui.errors import confirm, show_error
from jxc_desktop.ui.i18n import documents_dir, tr
from jxc_desktop.ui.models.purchase_lines import Col, EditLine, PurchaseLinesModel
from jxc_desktop.ui.purchase_actions import print_note, run_confirmed
from jxc_desktop.ui.style_entry import pick_style, purchase_grid, style_named
from jxc_desktop.ui.widgets.product_lookup import ProductLookup


class NoteEditor(QWidget):
    """The purchase note being entered. ``posted``/``saved`` carry the Note."""

    posted = Signal(object)
    saved = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.draft_id: int | None = None
        self.product_dialog: ProductDialog | None = None
        self.grid_dialog: GridEntryDialog | None = None
        self.supplier_dialog: SupplierDialog | None = None

        self.supplier = QComboBox()
        self.supplier.setEditable(True)  # type to search; the completer matches inside names
        self.supplier.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.supplier.setMinimumWidth(240)
        completer = self.supplier.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(completer.CompletionMode.PopupCompletion)
        self.new_supplier_button = QPushButton(tr("New supplier…"))
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("Note (delivery note number, driver…)"))
        self.draft_label = QLabel()
        self.draft_label.setStyleSheet("color: #666;")
        head = QHBoxLayout()
        head.addWidget(QLabel(tr("Supplier")))
        head.addWidget(self.supplier, 2)
        head.addWidget(self.new_supplier_button)
        head.addWidget(QLabel(tr("Date")))
        head.addWidget(self.date)
        head.addWidget(self.note, 3)
        head.addWidget(self.draft_label)

        self.lookup = ProductLookup(services.catalog.search, resolve=services.catalog.resolve_scan)
        self.lookup.setPlaceholderText(tr("Scan a barcode or type pinyin initials, name or code to add a line"))
        self.import_button = QPushButton(tr("Import delivery note…"))
        self.remove_button = QPushButton(tr("Remove line"))
        self.grid_button = QPushButton(tr("Colour × size… F6"))
        scan = QHBoxLayout()
        scan.addWidget(self.lookup, 1)
        scan.addWidget(self.grid_button)
        scan.addWidget(self.remove_button)
        scan.addWidget(self.import_button)

        self.model = PurchaseLinesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Col.NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((Col.NO, 40), (Col.CODE, 80), (Col.UNIT, 50), (Col.PACKS, 60), (Col.PACK, 60),
                           (Col.QTY, 70), (Col.COST, 80), (Col.AMOUNT, 90), (Col.BATCH, 100),
                           (Col.PRODUCTION, 100), (Col.EXPIRY, 100)):
            self.table.setColumnWidth(col, width)

        self.totals = QLabel()
        self.totals.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.print_last_button = QPushButton(tr("Print the posted note…"))
        self.print_last_button.setEnabled(False)
        self.last_posted: Note | None = None
        self.clear_button = QPushButton(tr("New note"))
        self.save_button = QPushButton(tr("Save draft (Ctrl+S)"))
        self.post_button = QPushButton(tr("Post (入库) F9"))
        self.post_button.setStyleSheet("font-weight: bold;")
        foot = QHBoxLayout()
        foot.addWidget(self.totals)
        foot.addWidget(self.message, 1)
        foot.addWidget(self.print_last_button)
        foot.addWidget(self.clear_button)
        foot.addWidget(self.save_button)
        foot.addWidget(self.post_button)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(scan)
        layout.addWidget(self.table, 1)
        layout.addLayout(foot)

        self.new_supplier_button.clicked.connect(self.new_supplier)
        self.supplier.currentIndexChanged.connect(self._supplier_changed)
        self.lookup.scanned.connect(self.scan)
        self.lookup.picked.connect(lambda p: self.add_product(p, 1))
        self.import_button.clicked.connect(lambda: self.import_file())
        self.remove_button.clicked.connect(self.remove_current)
        self.grid_button.clicked.connect(lambda: self.grid_entry())
        self.clear_button.clicked.connect(self.clear)
        self.print_last_button.clicked.connect(
            lambda: self.last_posted and print_note(self, self._services, self.last_posted))
        self.save_button.clicked.connect(self.save_draft)
        self.post_button.clicked.connect(self.post)
        self.model.totals_changed.connect(self._show_totals)
        self.model.problem.connect(lambda exc: self.say(exc.message, error=True))
        for keys, slot in ((QKeySequence("F9"), self.post), (QKeySequence.StandardKey.Save, self.save_draft),
                           (QKeySequence("F6"), lambda: self.grid_entry())):
            sc = QShortcut(keys, self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table)  # only in the table, not the lines
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_current)
        self.refresh_suppliers()
        self.clear()

    # ------------------------------------------------------------ supplier
    def refresh_suppliers(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.supplier_id()
        self.supplier.blockSignals(True)
        self.supplier.clear()
        self.supplier.addItem("", None)
        for s in self._services.suppliers.list(active_only=True):
            self.supplier.addItem(s.name, s.id)
        idx = self.supplier.findData(keep) if keep is not None else 0
        self.supplier.setCurrentIndex(max(0, idx))
        self.supplier.blockSignals(False)

    def supplier_id(self) -> int | None:
        if self.supplier.count() == 0:
            return None
        text = self.supplier.currentText().strip()
        idx = self.supplier.findText(text, Qt.MatchFlag.MatchExactly)
        if idx > 0:
            return self.supplier.itemData(idx)
        return None

    def select_supplier(self, supplier_id: int | None) -> None:
        idx = self.supplier.findData(supplier_id)
        self.supplier.setCurrentIndex(max(0, idx))

    def new_supplier(self) -> SupplierDialog:
        typed = self.supplier.currentText().strip() if self.supplier_id() is None else ""
        self.supplier_dialog = SupplierDialog(self._services, parent=self, name=typed)
        self.supplier_dialog.saved.connect(lambda s: self.refresh_suppliers(s.id))
        self.supplier_dialog.open()
        return self.supplier_dialog

    def _supplier_changed(self, _index: int) -> None:
        lines = self.model.lines()
        if lines:
            self.model.set_costs(self._services.purchasing.default_costs(
                (ln.product.id for ln in lines), self.supplier_id()))

    # ------------------------------------------------------------ lines
    def scan(self, text: str) -> None:
        """Enter on the scan line: the catalogue's scan rule. A barcode adds its pack (a case adds
        a case), a scale label its weight, a code or the single search hit one unit; several hits
        are shown to choose; an unknown well-formed barcode offers to create the product."""
        result = self.lookup.resolve(text)
        product = result.single
        if product is None and (style := style_named(self._services, text)) is not None:
            self.lookup.clear()
            self.grid_entry(style)  # a style code (款号): its quantities by colour × size
            return
        if product is None:
            if result.new_barcode:
                self.offer_new_product(result.text)
            else:
                self.say(self.lookup.problem_text(result), error=True)
            return
        if result.kind == ScanKind.BARCODE:
            self.add_product(product, max(1, result.qty // MILLI))
        elif result.kind == ScanKind.SCALE:
            self.add_product(product, 1, qty=result.qty)
        else:
            self.add_product(product, 1)

    def offer_new_product(self, code: str) -> ProductDialog | None:
        if not confirm(self, tr("Barcode {code} is not in the catalog. Create a new product with it now?")
                       .format(code=code)):
            return None
        self.product_dialog = ProductDialog(self._services, parent=self, barcode=code)
        self.product_dialog.saved.connect(lambda p: self.add_product(p, 1))
        self.product_dialog.open()
        return self.product_dialog

    def add_product(self, product: ProductDTO, pack: int = 1, *, qty: int | None = None) -> None:
        """One more pack of ``product``; ``qty`` thousandths instead of one unit (a scale label)."""
        if not product.active:
            self.say(tr("{name} is deactivated").format(name=product.name), error=True)
            return
        cost = self._services.purchasing.default_cost(product.id, self.supplier_id())
        row = self.model.add(product, pack, cost)
        if qty is not None and pack == 1:  # the line got one unit more; make that the label's weight
            self.model.setData(self.model.index(row, Col.QTY), format_qty(self.model.line(row).qty - MILLI + qty))
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        line = self.model.line(row)
        text = tr("{name}: {packs} × {pack} = {qty} {unit} at {cost}").format(
            name=product.name, packs=self.model.data(self.model.index(row, Col.PACKS)), pack=line.pack,
            qty=self.model.data(self.model.index(row, Col.QTY)), unit=product.unit, cost=format_fen(line.unit_cost))
        if product.tracks_batches and not line.batch_no:
            text += "  " + tr("— enter its batch number and expiry date")
        self.say(text)

    def grid_entry(self, style: StyleDTO | None = None) -> GridEntryDialog | None:
        """F6: the quantities of a style by colour × size — the style named, else that of the
        selected line, else one picked from the list."""
        if style is None:
            idx = self.table.currentIndex()
            if idx.isValid():
                style = self._services.styles.style_of_product(self.model.line(idx.row()).product.id)
        style = style or pick_style(self, self._services)
        if style is None:
            self.say(tr("No style to enter: type a style code (款号) or select a line of one."), error=True)
            return None
        self.grid_dialog = purchase_grid(self, self, self._services, style)
        self.grid_dialog.open()
        return self.grid_dialog

    def remove_current(self) -> None:
        idx = self.table.currentIndex()
        if idx.isValid():
            self.model.remove(idx.row())

    # ------------------------------------------------------------ the note
    def doc_date(self) -> date:
        return self.date.date().toPython()  # type: ignore[no-any-return]

    def gather(self) -> NoteInput:
        return NoteInput(self.supplier_id(), self.model.inputs(), self.doc_date(), self.note.text())

    def clear(self) -> None:
        self.draft_id = None
        self.model.clear()
        self.note.clear()
        today = local_today()
        self.date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.draft_label.setText("")
        self.message.setText("")
        self.lookup.setFocus()
        self._kept = self.gather()  # what is safe in the database (here: nothing to lose)

    def load_draft(self, note: Note) -> None:
        """Open a saved draft for editing and posting."""
        self.clear()
        self.draft_id = note.id
        self.refresh_suppliers(note.supplier_id)
        self.select_supplier(note.supplier_id)
        self.date.setDate(QDate(note.doc_date.year, note.doc_date.month, note.doc_date.day))
        self.note.setText(note.note)
        products = self._services.purchasing.products(ln.product_id for ln in note.lines)
        self.model.set_lines([self.model.from_note_line(products[ln.product_id], ln) for ln in note.lines])
        self.draft_label.setText(tr("Draft {number}").format(number=note.number))
        self._kept = self.gather()

    def unsaved(self) -> bool:
        """Lines or a note typed since the last save (or load) of this note."""
        data = self.gather()
        return bool(data.lines or data.note.strip()) and data != self._kept

    def keep_on_close(self) -> bool:
        """The program is closing: save the note as a draft without asking (it reopens from History →
        Drafts). Only when it cannot be saved, ask whether to quit anyway (default: no)."""
        if not self.unsaved():
            return True
        try:
            self._store_draft()
        except JxcError as exc:
            return confirm(self, tr("The purchase note could not be kept as a draft: {reason}\n\n"
                                    "Quit anyway and lose it?").format(reason=exc.message))
        return True

    def _store_draft(self) -> Note:
        data = self.gather()
        note = self._services.purchasing.save_draft(data, draft_id=self.draft_id)
        self.draft_id, self._kept = note.id, data
        self.saved.emit(note)
        return note

    def save_draft(self) -> Note | None:
        got = run(self, self._store_draft)
        if not got or got.value is None:
            return None
        note = got.value
        self.draft_label.setText(tr("Draft {number}").format(number=note.number))
        self.say(tr("Draft saved: it stays here after a restart, under History → Drafts."))
        return note

    def post(self) -> Note | None:
        if self.model.rowCount() == 0:
            self.say(tr("Add lines first: scan or search the goods."), error=True)
            return None
        data = self.gather()
        note = run_confirmed(self, lambda ok: self._services.purchasing.post(data, draft_id=self.draft_id,
                                                                                confirmed=ok))
        if note is None:
            return None
        self.clear()
        self.last_posted = note
        self.print_last_button.setEnabled(True)
        self.say(tr("Posted {number}: {n} lines, {total}. Print it now or later from the history.").format(
            number=note.number, n=len(note.lines), total=format_fen(note.total)))
        self.posted.emit(note)
        return note

    def import_file(self, path: str = "") -> bool:
        """Fill the lines from a supplier's delivery-note file (all rows good, or nothing)."""
        if not path:
            path, _f = QFileDialog.getOpenFileName(self, tr("Import delivery note"), documents_dir(),
                                                   tr("Tables (*.xlsx *.csv)"))
            if not path:
                return False
        try:
            rows = self._services.purchasing.read_delivery(path)
        except ImportRejected as exc:
            detail = "\n".join(tr("Row {row}: {reason}").format(row=e.row, reason=e.reason) for e in exc.errors[:30])
            QMessageBox.warning(self, tr("Import refused"), f"{exc.message}\n\n{detail}")
            return False
        except JxcError as exc:
            show_error(self, exc)
            return False
        lines = self.model.lines()
        products = self._services.purchasing.products(d.line.product_id for d in rows)
        for d in rows:
            ln = d.line
            lines.append(EditLine(products[ln.product_id], ln.qty, 1, ln.unit_cost, ln.amount, ln.batch_no,
                                  ln.production_date, ln.expiry_date))
        self.model.set_lines(lines)
        self.say(tr("{n} lines read from the file.").format(n=len(rows)))
        return True

    # ------------------------------------------------------------ feedback
    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #c0392b;" if error else "color: #1e7e34;")
        self.message.setText(text)

    def _show_totals(self) -> None:
        self.totals.setText(tr("{n} lines  Total {total}").format(n=self.model.rowCount(),
                                                                  total=format_fen(self.model.total())))

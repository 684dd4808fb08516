"""Purchase history: notes filtered by supplier, dates, kind and status; open one read-only,
print it, save it as PDF, reverse it, return goods against it; drafts open in the editor."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import Note, NoteSummary
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.changes import Change, subscribe
from jxc_desktop.ui.dialogs.label_dialog import LabelDialog
from jxc_desktop.ui.dialogs.purchase_dialogs import NoteDialog, ReturnDialog
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.purchase_tables import NoteListModel
from jxc_desktop.ui.purchase_actions import print_note, reverse_note, save_note_pdf
from jxc_desktop.ui.widgets.tables import row_table


def _qdate(d) -> QDate:  # type: ignore[no-untyped-def]
    return QDate(d.year, d.month, d.day)


class HistoryView(QWidget):
    """``open_draft(Note)`` asks the tab to edit a draft. The list refreshes itself after a write
    (the purchase tab subscribes it, ui/changes.py)."""

    open_draft = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.dialog: NoteDialog | None = None
        self.return_dialog: ReturnDialog | None = None
        self.label_dialog: LabelDialog | None = None
        self.supplier = QComboBox()
        self.supplier.setMinimumWidth(180)
        today = local_today()
        self.first = QDateEdit(_qdate(today - timedelta(days=30)))
        self.last = QDateEdit(_qdate(today))
        for d in (self.first, self.last):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox()
        self.kind.addItem(tr("Purchases and returns"), "purchase,return")
        self.kind.addItem(tr("Purchase notes"), "purchase")
        self.kind.addItem(tr("Return notes"), "return")
        self.status = QComboBox()
        self.status.addItem(tr("Posted and reversed"), "posted,reversed")
        self.status.addItem(tr("Posted"), "posted")
        self.status.addItem(tr("Reversed"), "reversed")
        self.status.addItem(tr("Drafts"), "draft")
        self.number = QLineEdit()
        self.number.setPlaceholderText(tr("Number"))
        self.number.setMaximumWidth(160)
        search = QPushButton(tr("Search"))
        bar = QHBoxLayout()
        for label, w in ((tr("Supplier"), self.supplier), (tr("From"), self.first), (tr("To"), self.last)):
            bar.addWidget(QLabel(label))
            bar.addWidget(w)
        bar.addWidget(self.kind)
        bar.addWidget(self.status)
        bar.addWidget(self.number)
        bar.addWidget(search)
        bar.addStretch(1)

        self.model = NoteListModel(self)
        self.table = row_table(self.model)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.open_current())

        self.summary = QLabel()
        self.open_button = QPushButton(tr("Open"))
        self.print_button = QPushButton(tr("Print…"))
        self.pdf_button = QPushButton(tr("Save PDF…"))
        self.reverse_button = QPushButton(tr("Reverse (红冲)…"))
        self.return_button = QPushButton(tr("Return goods…"))
        self.free_return_button = QPushButton(tr("Return without a note…"))
        self.delete_button = QPushButton(tr("Delete draft"))
        self.labels_button = QPushButton(tr("Labels…"))
        foot = QHBoxLayout()
        foot.addWidget(self.summary, 1)
        for b in (self.open_button, self.print_button, self.pdf_button, self.reverse_button, self.return_button,
                  self.free_return_button, self.delete_button, self.labels_button):
            foot.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(foot)

        search.clicked.connect(self.refresh)
        self.number.returnPressed.connect(self.refresh)
        for combo in (self.supplier, self.kind, self.status):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.open_button.clicked.connect(self.open_current)
        self.print_button.clicked.connect(lambda: self._with_note(lambda n: print_note(self, self._services, n)))
        self.pdf_button.clicked.connect(lambda: self._with_note(lambda n: save_note_pdf(self, self._services, n)))
        self.reverse_button.clicked.connect(self.reverse_current)
        self.return_button.clicked.connect(self.return_current)
        self.free_return_button.clicked.connect(self.free_return)
        self.delete_button.clicked.connect(self.delete_current)
        self.labels_button.clicked.connect(self.labels_current)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())
        self.refresh_suppliers()
        self.refresh()
        subscribe(self, services, Change.PURCHASES | Change.SUPPLIERS, self._changed)

    def _changed(self) -> None:
        self.refresh_suppliers()
        self.refresh()

    def refresh_suppliers(self) -> None:
        keep = self.supplier.currentData()
        self.supplier.blockSignals(True)
        self.supplier.clear()
        self.supplier.addItem(tr("All suppliers"), None)
        for s in self._services.suppliers.list():
            self.supplier.addItem(s.name, s.id)
        self.supplier.setCurrentIndex(max(0, self.supplier.findData(keep)))
        self.supplier.blockSignals(False)

    def refresh(self) -> None:
        got = run(self, lambda: self._services.purchasing.history(
            supplier_id=self.supplier.currentData(), first=self.first.date().toPython(),
            last=self.last.date().toPython(), kinds=str(self.kind.currentData()).split(","),
            statuses=str(self.status.currentData()).split(","), text=self.number.text()))
        if not got or got.value is None:
            return
        rows = got.value
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        bought = sum(r.total for r in rows if r.kind == "purchase" and r.status == "posted")
        returned = sum(r.total for r in rows if r.kind == "return" and r.status == "posted")
        self.summary.setText(tr("{n} notes; purchased {bought}, returned {returned} (posted)").format(
            n=len(rows), bought=format_fen(bought), returned=format_fen(returned)))
        self._enable()

    def current(self) -> NoteSummary | None:
        idx = self.table.currentIndex()
        return self.model.row(idx.row()) if idx.isValid() else None

    def show_drafts(self) -> None:
        self.status.setCurrentIndex(self.status.findData("draft"))

    def select_number(self, number: str) -> bool:
        for r, row in enumerate(self.model.rows()):
            if row.number == number:
                self.table.selectRow(r)
                return True
        return False

    def _enable(self) -> None:
        row = self.current()
        posted = row is not None and row.status == "posted"
        draft = row is not None and row.status == "draft"
        self.open_button.setEnabled(row is not None)
        self.print_button.setEnabled(row is not None and not draft)
        self.pdf_button.setEnabled(row is not None)
        self.reverse_button.setEnabled(posted)
        self.return_button.setEnabled(posted and row is not None and row.kind == "purchase")
        self.delete_button.setEnabled(draft)
        self.labels_button.setEnabled(posted and row is not None and row.kind == "purchase")

    def _note(self) -> Note | None:
        row = self.current()
        if row is None:
            return None
        return run(self, lambda: self._services.purchasing.get(row.id)).value

    def _with_note(self, action) -> None:  # type: ignore[no-untyped-def]
        note = self._note()
        if note is not None:
            action(note)

    def open_current(self) -> NoteDialog | None:
        note = self._note()
        if note is None:
            return None
        if note.is_draft:
            self.open_draft.emit(note)
            return None
        self.dialog = NoteDialog(self._services, note, self)
        self.dialog.open()
        return self.dialog

    def reverse_current(self) -> Note | None:
        note = self._note()
        if note is None:
            return None
        return reverse_note(self, self._services, note)  # the list refreshes itself (ui/changes.py)

    def return_current(self) -> ReturnDialog | None:
        note = self._note()
        if note is None:
            return None
        self.return_dialog = ReturnDialog(self._services, note, self)
        self.return_dialog.open()
        return self.return_dialog

    def free_return(self) -> ReturnDialog:
        self.return_dialog = ReturnDialog(self._services, None, self)
        self.return_dialog.open()
        return self.return_dialog

    def labels_current(self) -> LabelDialog | None:
        """Price tags or barcode labels for the lines of the posted purchase note chosen."""
        row = self.current()
        if row is None or row.status != "posted" or row.kind != "purchase":
            return None
        labels = self._services.labels
        got = run(self, lambda: labels.for_purchase(row.number))
        if not got.ok or got.value is None:
            return None
        self.label_dialog = LabelDialog(self, got.value, title=tr("Labels for {number}").format(number=row.number),
                                        per_unit=lambda per_unit: labels.for_purchase(row.number, per_unit=per_unit))
        self.label_dialog.open()
        return self.label_dialog

    def delete_current(self) -> None:
        row = self.current()
        if row is None or row.status != "draft":
            return
        run(self, lambda: self._services.purchasing.delete_draft(row.id))

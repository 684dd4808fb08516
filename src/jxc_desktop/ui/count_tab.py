"""盘点 tab: open a count (all products or categories), count by scanning or typing while the
shop keeps selling, review the differences, post; print the blank sheet and the variance report.

Every action is one service call; the count lives in the database, so closing the program and
coming back resumes it. This module holds the tab's widgets, the count picker and the review
(filters, totals); counting is in count_recording.py, posting and the PDFs in count_posting.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.hub import Services
from jxc_desktop.services.stock.dto import CountDTO, CountLineDTO, LineFilter
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.changes import Change, subscribe
from jxc_desktop.ui.count_posting import BLANK, VARIANCE, CountPosting
from jxc_desktop.ui.count_recording import CountRecording
from jxc_desktop.ui.dialogs.count_dialogs import NewCountDialog
from jxc_desktop.ui.errors import confirm, show_error
from jxc_desktop.ui.guard import costs_visible
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.count_lines import Col, CountLinesModel
from jxc_desktop.ui.tasks import Task
from jxc_desktop.ui.widgets.product_lookup import ProductLookup

SUMMARY_DELAY_MS = 250


def _status_name(status: str) -> str:
    return {"open": tr("counting"), "posted": tr("count posted"), "cancelled": tr("count cancelled")}.get(status, status)


class CountTab(CountRecording, CountPosting, QWidget):
    refreshes_itself = True  # subscribes itself (ui/changes.py)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._sc = services.stock_count
        self.dialog: Any = None
        self.task: Task | None = None
        self.print_error: str | None = None
        self._current: CountDTO | None = None
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(SUMMARY_DELAY_MS)
        self._summary_timer.timeout.connect(self.update_summary)
        self._pending: Callable[[int | None], CountLineDTO] | None = None

        # --- the count being worked on, and what can be done with it
        self.counts = QComboBox()
        self.counts.setMinimumWidth(320)
        self.new_button = QPushButton(tr("New count…"))
        self.cancel_button = QPushButton(tr("Cancel count"))
        self.post_button = QPushButton(tr("Post…"))
        self.import_button = QPushButton(tr("Import collector file…"))
        self.blank_button = QPushButton(tr("Blank sheet PDF…"))
        self.variance_button = QPushButton(tr("Variance report PDF…"))
        self.print_button = QPushButton(tr("Print…"))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Count:")))
        bar.addWidget(self.counts, 1)
        for b in (self.new_button, self.cancel_button, self.post_button, self.import_button, self.blank_button,
                  self.variance_button, self.print_button):
            bar.addWidget(b)

        # --- scanning
        self.lookup = ProductLookup(services.catalog.search, resolve=services.catalog.resolve_scan)
        self.lookup.setPlaceholderText(tr("Scan to count +1 (a case barcode counts its pack size), or search "
                                          "to type a quantity"))
        self.last_label = QLabel()
        big = QFont(self.last_label.font())
        big.setPointSizeF(big.pointSizeF() * 1.35)
        big.setBold(True)
        self.last_label.setFont(big)
        self.grid_button = QPushButton(tr("Colour × size… F6"))
        self.grid_dialog: Any = None
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.lookup, 2)
        scan_row.addWidget(self.grid_button)
        scan_row.addWidget(self.last_label, 3)

        # --- review
        self.filter = QComboBox()
        for label, value in ((tr("All lines"), LineFilter.ALL), (tr("Not counted yet"), LineFilter.UNCOUNTED),
                             (tr("Counted"), LineFilter.COUNTED), (tr("Differences only"), LineFilter.DIFFERENCES)):
            self.filter.addItem(label, str(value))
        self.category = QComboBox()
        self.category.setMinimumWidth(120)
        self.summary_label = QLabel()
        review = QHBoxLayout()
        review.addWidget(QLabel(tr("Show:")))
        review.addWidget(self.filter)
        review.addWidget(QLabel(tr("Category:")))
        review.addWidget(self.category)
        review.addStretch(1)
        review.addWidget(self.summary_label)

        self.model = CountLinesModel(self._sc, self)
        self.model.on_error = lambda exc: show_error(self, exc)
        self.model.on_edited = self._line_counted
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The batch cell holds "number (expiry)": wide enough for both; 盘点时间 (last) takes what is left.
        for col, width in ((Col.CODE, 70), (Col.BARCODE, 115), (Col.NAME, 200), (Col.SPEC, 90), (Col.UNIT, 45),
                           (Col.CATEGORY, 70), (Col.BATCH, 190), (Col.BOOK, 70), (Col.COUNTED, 70),
                           (Col.EXPECTED, 70), (Col.DIFF, 60), (Col.VALUE, 80)):
            self.table.setColumnWidth(col, width)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.hint = QLabel(tr("Type a quantity into the Counted column to count by hand; empty it to undo. "
                              "Sales during the count are fine: each line compares with the books at the "
                              "moment it was counted."))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #666;")

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(scan_row)
        layout.addLayout(review)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)

        self.counts.currentIndexChanged.connect(lambda _i: self._count_changed())
        self.filter.currentIndexChanged.connect(lambda _i: self.reload_lines())
        self.category.currentIndexChanged.connect(lambda _i: self.reload_lines())
        self.new_button.clicked.connect(self.new_count_dialog)
        self.cancel_button.clicked.connect(self.cancel_count)
        self.post_button.clicked.connect(self.post_dialog)
        self.import_button.clicked.connect(self.import_dialog)
        self.blank_button.clicked.connect(lambda: self.save_pdf_dialog(BLANK))
        self.variance_button.clicked.connect(lambda: self.save_pdf_dialog(VARIANCE))
        self.print_button.clicked.connect(self.print_current)
        self.lookup.scanned.connect(self.scan)
        self.lookup.picked.connect(self.pick)
        self.grid_button.clicked.connect(lambda: self.grid_count())
        grid_key = QShortcut(QKeySequence("F6"), self)
        grid_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        grid_key.activated.connect(lambda: self.grid_count())
        self._update_buttons()
        # A new or renamed category or product re-reads the tab (not a sale meanwhile: that would
        # reset the lines under the counter's hands; the post compares with the ledger anyway);
        # counting, cancelling or posting re-labels the picker ("open (2/3)") once scanning pauses.
        self._picker_timer = QTimer(self)
        self._picker_timer.setSingleShot(True)
        self._picker_timer.setInterval(SUMMARY_DELAY_MS)
        self._picker_timer.timeout.connect(self.relabel_counts)
        subscribe(self, services, Change.PRODUCTS, self.refresh, lazy=True)
        subscribe(self, services, Change.COUNTS, self._picker_timer.start, lazy=True)

    # ------------------------------------------------------------------ counts
    def refresh(self) -> None:
        """Re-read the counts (open ones first) keeping the current one; categories too."""
        keep = self.counts.currentData()
        self.counts.blockSignals(True)
        self.counts.clear()
        got = run(self, lambda: (self._sc.list_counts(status="open"),
                                 [c for c in self._sc.list_counts(limit=30, totals=False) if c.status != "open"],
                                 self._services.catalog.categories()))
        if not got or got.value is None:
            self.counts.blockSignals(False)
            return
        opened, others, cats = got.value
        for c in opened + others:
            self.counts.addItem(self._count_label(c), c.id)
        idx = self.counts.findData(keep) if keep is not None else -1
        self.counts.setCurrentIndex(idx if idx >= 0 else (0 if self.counts.count() else -1))
        self.counts.blockSignals(False)
        self.category.blockSignals(True)
        current_cat = self.category.currentData()
        self.category.clear()
        self.category.addItem(tr("All categories"), None)
        for c in cats:
            self.category.addItem(c.name, c.id)
        self.category.setCurrentIndex(max(self.category.findData(current_cat), 0))
        self.category.blockSignals(False)
        self._count_changed()

    def relabel_counts(self) -> None:
        """The picker's labels after counting, a cancel or a post; a count it lacks: all re-read."""
        self._picker_timer.stop()
        got = run(self, lambda: self._sc.list_counts(status="open") + [
            c for c in self._sc.list_counts(limit=30, totals=False) if c.status != "open"])
        if not got or got.value is None:
            return
        fresh = {c.id: c for c in got.value}
        shown = {self.counts.itemData(i): i for i in range(self.counts.count())}
        if set(fresh) - set(shown):
            self.refresh()
            return
        for cid, i in shown.items():
            if cid in fresh:
                self.counts.setItemText(i, self._count_label(fresh[cid]))
        current = self._current
        if current is not None and current.id in fresh and fresh[current.id].status != current.status:
            self._count_changed()  # cancelled or posted: other buttons, read-only lines

    def _count_label(self, c: CountDTO) -> str:
        scope = c.scope_names or tr("all products")
        when = c.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if not c.has_totals:
            return tr("{number} · {scope} · {when} · {status}").format(
                number=c.number, scope=scope, when=when, status=_status_name(c.status))
        return tr("{number} · {scope} · {when} · {status} ({counted}/{lines})").format(
            number=c.number, scope=scope, when=when, status=_status_name(c.status), counted=c.counted,
            lines=c.lines)

    def current_count(self) -> CountDTO | None:
        """The count chosen in the list (read once per choice: a scan must not re-read it)."""
        cid = self.counts.currentData()
        if cid is None:
            return None
        if self._current is None or self._current.id != cid:
            try:  # not a failure to tell: a count gone meanwhile (e.g. a restore) is no count chosen
                self._current = self._sc.get(int(cid))
            except JxcError:
                return None
        return self._current

    def open_count(self, count_id: int) -> None:
        """Show one count (the stock tab's ledger opens count documents through this)."""
        self.refresh()
        idx = self.counts.findData(count_id)
        if idx < 0:
            count = self._sc.get(count_id)
            self.counts.addItem(self._count_label(count), count.id)
            idx = self.counts.count() - 1
        self.counts.setCurrentIndex(idx)

    def _count_changed(self) -> None:
        self._current = None  # re-read: status or totals may have changed
        self.reload_lines()
        self.last_label.clear()
        self._update_buttons()

    def reload_lines(self) -> None:
        count = self.current_count()
        run(self, lambda: self.model.load(count.id if count else None,
                                          editable=bool(count and count.status == "open"),
                                          line_filter=LineFilter(self.filter.currentData()),
                                          category_id=self.category.currentData()))
        self.update_summary()

    def update_summary(self) -> None:
        # The ¥ column and ¥ totals are costs: hidden from the cashier when an owner PIN is set.
        show_values = costs_visible(self._services)
        self.table.setColumnHidden(Col.VALUE, not show_values)
        count = self.current_count()
        if count is None:
            self.summary_label.setText(tr("No count yet: press “New count…” to start one."))
            return
        s = self._sc.summary(count.id)
        if not show_values:
            self.summary_label.setText(tr("Counted {counted}/{lines} · Gain {gain_lines} lines · "
                                          "Loss {loss_lines} lines").format(
                counted=s.counted, lines=s.lines, gain_lines=s.gain_lines, loss_lines=s.loss_lines))
            return
        self.summary_label.setText(tr("Counted {counted}/{lines} · Gain {gain_lines} lines {gain_value} · "
                                      "Loss {loss_lines} lines {loss_value} · Net {net}").format(
            counted=s.counted, lines=s.lines, gain_lines=s.gain_lines, gain_value=format_fen(s.gain_value),
            loss_lines=s.loss_lines, loss_value=format_fen(s.loss_value), net=format_fen(s.net_value)))

    def _update_buttons(self) -> None:
        count = self.current_count()
        is_open = bool(count and count.status == "open")
        for b in (self.cancel_button, self.post_button, self.import_button):
            b.setEnabled(is_open)
        self.lookup.setEnabled(is_open)
        self.grid_button.setEnabled(is_open)
        for b in (self.blank_button, self.variance_button, self.print_button):
            b.setEnabled(count is not None and count.status != "cancelled")

    def new_count_dialog(self) -> NewCountDialog:
        dlg = NewCountDialog(self._services.catalog.categories(), self)
        dlg.accepted.connect(lambda: self._open_new(dlg))
        self._show_dialog(dlg)
        return dlg

    def _open_new(self, dlg: NewCountDialog) -> None:
        got = run(self, lambda: self._sc.open(dlg.category_ids(), note=dlg.note.text()))
        if not got or got.value is None:
            return
        self.open_count(got.value.id)
        self.lookup.setFocus()

    def cancel_count(self) -> None:
        count = self.current_count()
        if count is None or count.status != "open":
            return
        if not confirm(self, tr("Cancel count {number}? What was counted is discarded; stock does not change.")
                       .format(number=count.number)):
            return
        run(self, lambda: self._sc.cancel(count.id))
        self.refresh()  # at once, not once the picker's timer runs: buttons and lines go read-only

    def _show_dialog(self, dlg: QWidget) -> None:
        """Non-blocking; the dialog is deleted once answered, so a hidden one never keeps the focus."""
        self.dialog = dlg
        dlg.finished.connect(dlg.deleteLater)  # type: ignore[attr-defined]
        dlg.open()  # type: ignore[attr-defined]


def make_count_tab(services: Services, window: QWidget) -> CountTab:
    return CountTab(services, window)

"""Counting on the 盘点 tab: a scan counts +1 (a case barcode its pack, a scale label its weight),
a product picked from the search opens its Counted cell to type the quantity, a batch-tracked
product asks for its batch, and a collector file adds many quantities at once.

A mixin of CountTab (ui/count_tab.py), which owns the widgets and the count being worked on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.catalog.dto import StyleDTO
from jxc_desktop.services.catalog.products import ProductDTO
from jxc_desktop.services.hub import Services
from jxc_desktop.services.stock.counts import StockCountService
from jxc_desktop.services.stock.dto import (
    BatchRequiredError,
    CountDTO,
    CountLineDTO,
    ImportSummary,
    LineFilter,
    NotInCountError,
)
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.collector_import_dialog import CollectorImportDialog
from jxc_desktop.ui.dialogs.count_dialogs import BatchDialog
from jxc_desktop.ui.dialogs.grid_entry_dialog import GridEntryDialog
from jxc_desktop.ui.errors import confirm, show_error
from jxc_desktop.ui.i18n import documents_dir, tr
from jxc_desktop.ui.models.count_lines import Col, CountLinesModel
from jxc_desktop.ui.style_entry import count_grid, pick_style, style_named
from jxc_desktop.ui.tasks import Task, run_task
from jxc_desktop.ui.widgets.product_lookup import ProductLookup

EDIT_AFTER_PICK_MS = 250


class CountRecording:
    """What counting needs of the tab (CountTab sets or defines all of it)."""

    _sc: StockCountService
    _services: Services
    grid_dialog: GridEntryDialog | None
    _pending: Callable[[int | None], CountLineDTO] | None
    _summary_timer: QTimer
    task: Task | None
    lookup: ProductLookup
    last_label: QLabel
    filter: QComboBox
    category: QComboBox
    model: CountLinesModel
    table: QTableView
    current_count: Callable[[], CountDTO | None]
    reload_lines: Callable[[], None]
    _show_dialog: Callable[[QWidget], None]

    def scan(self, code: str) -> None:
        """Enter on the scan line: the catalogue's scan rule. A barcode counts one unit (a case
        barcode its pack), a scale label its weight, a product code one unit; a single search hit
        is taken as if picked from the list; several are shown to choose."""
        count = self.current_count()
        if count is None or count.status != "open":
            return
        result = self.lookup.resolve(code)
        product, qty = result.product, result.qty
        if product is None and (style := style_named(self._services, code)) is not None:
            self.lookup.clear()
            self.grid_count(style)  # a style code (款号): count it by colour × size
            return
        if product is not None:
            self._count_with(lambda batch_id: self._sc.add(count.id, product.id, qty, batch_id=batch_id))
        elif result.single is not None:
            self.pick(result.single)
        elif result.candidates or result.problem is None:
            self.last_label.setText(self.lookup.problem_text(result))
        else:
            show_error(self, result.problem)

    def grid_count(self, style: StyleDTO | None = None) -> GridEntryDialog | None:
        """F6: count a style by colour × size — the style named, else that of the selected line,
        else one picked from the list."""
        count = self.current_count()
        if count is None or count.status != "open":
            return None
        if style is None:
            idx = self.table.currentIndex()
            line = self.model.line_at(idx.row()) if idx.isValid() else None
            if line is not None:
                style = self._services.styles.style_of_product(line.product_id)
        style = style or pick_style(self.table, self._services)
        if style is None:
            self.last_label.setText(tr("No style to count: type a style code (款号) or select a line of one."))
            return None

        def done(lines: list[CountLineDTO]) -> None:
            self.reload_lines()
            self.last_label.setText(tr("{code}: {n} sizes counted, {qty} in all").format(
                code=style.code, n=len(lines), qty=format_qty(sum(ln.counted_qty or 0 for ln in lines))))
            self._summary_timer.start()

        self.grid_dialog = count_grid(self.table, self._services, count.id, style, done)
        self.grid_dialog.open()
        return self.grid_dialog

    def pick(self, product: ProductDTO) -> None:
        """A product chosen from the search list (no barcode at hand): go to its line and open the
        Counted cell to type the quantity. Scanning is what adds +1."""
        count = self.current_count()
        if count is None or count.status != "open":
            return
        lines = self._sc.lines_of_product(count.id, product.id)
        if not lines:  # outside the count's scope: offer to add it, as a scan does
            if not confirm(self, tr("{name} is not in count {number}. Add it to this count?").format(
                    name=product.name, number=count.number)):
                return
            if not run(self, lambda: self._sc.add_product(count.id, product.id)):
                return
            self.reload_lines()
            lines = self._sc.lines_of_product(count.id, product.id)
        row = self.model.row_of(lines[0].id)
        if row < 0:  # hidden by the filter: show every line
            self.filter.blockSignals(True)
            self.category.blockSignals(True)
            self.filter.setCurrentIndex(self.filter.findData(str(LineFilter.ALL)))
            self.category.setCurrentIndex(0)
            self.filter.blockSignals(False)
            self.category.blockSignals(False)
            self.reload_lines()
            row = self.model.row_of(lines[0].id)
        index = self.model.index(row, Col.COUNTED)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.table.setCurrentIndex(index)
        # Once the lookup has taken the focus back and closed its pick list (it does so up to
        # 150 ms later); an editor open before that would lose the focus and close at once.
        line_id = lines[0].id
        QTimer.singleShot(EDIT_AFTER_PICK_MS, self, lambda: self._edit_counted(line_id))

    def can_close(self) -> bool:
        """A quantity typed in the Counted cell but not yet confirmed with Enter is saved before the
        program closes (every confirmed entry is in the database already). A value that cannot be
        saved keeps the program open with its message, the cell still open."""
        editors = self.table.viewport().findChildren(QLineEdit)
        index = self.table.currentIndex()
        if self.table.state() != QAbstractItemView.State.EditingState or not editors or not index.isValid():
            return True
        editor = editors[0]
        typed = editor.text().strip()
        if typed != self.model.data(index, Qt.ItemDataRole.EditRole) and not self.model.setData(index, typed):
            return False  # refused: the model's error handler showed why
        self.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        return True

    def _edit_counted(self, line_id: int) -> None:
        """Open the line's Counted cell, found again by its id: the lines may have been re-read
        since the pick (a product changed meanwhile re-reads the tab)."""
        row = self.model.row_of(line_id)
        if row < 0:
            return
        index = self.model.index(row, Col.COUNTED)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)

    def _count_with(self, action: Callable[[int | None], CountLineDTO], batch_id: int | None = None) -> None:
        count = self.current_count()
        assert count is not None
        # These two are questions, not failures: they go on as a dialog; any other error is a message.
        try:
            got = run(self, lambda: action(batch_id), reraise=(NotInCountError, BatchRequiredError))
        except NotInCountError as exc:
            if confirm(self, exc.message):
                product_id = exc.product_id
                if not run(self, lambda: self._sc.add_product(count.id, product_id)):
                    return
                self.reload_lines()
                self._count_with(action)
            return
        except BatchRequiredError as exc:
            self._ask_batch(count.id, exc.product_id, action)
            return
        if got and got.value is not None:
            self._line_counted(got.value, flash=True)

    def _ask_batch(self, count_id: int, product_id: int, action: Callable[[int | None], CountLineDTO]) -> None:
        lines = self._sc.lines_of_product(count_id, product_id)
        dlg = BatchDialog(lines[0].name if lines else "", lines, self)
        self._pending = action
        dlg.accepted.connect(lambda: self._batch_chosen(dlg, count_id, product_id))
        self._show_dialog(dlg)

    def _batch_chosen(self, dlg: BatchDialog, count_id: int, product_id: int) -> None:
        action, self._pending = self._pending, None
        if action is None:
            return
        if dlg.is_new():
            batch_no, expiry = dlg.new_batch()
            got = run(self, lambda: self._sc.add_batch(count_id, product_id, batch_no, expiry))
            if not got or got.value is None:
                return
            self.reload_lines()
            self._count_with(action, got.value.batch_id)
        else:
            self._count_with(action, dlg.chosen_batch_id())

    def _line_counted(self, line: CountLineDTO, *, flash: bool = False) -> None:
        row = self.model.update_line(line, flash=flash)
        if row >= 0 and flash:
            self.table.scrollTo(self.model.index(row, Col.COUNTED), QAbstractItemView.ScrollHint.PositionAtCenter)
            self.table.selectRow(row)
        batch = f" [{line.batch_no}]" if line.batch_no else ""
        diff = ""
        if line.diff_qty:
            diff = "  " + tr("difference {diff}").format(diff=("+" if line.diff_qty > 0 else "") + format_qty(
                line.diff_qty))
        self.last_label.setText(tr("{name}{batch}: counted {qty} {unit}").format(
            name=line.name, batch=batch, qty=format_qty(line.counted_qty or 0), unit=line.unit) + diff)
        self._summary_timer.start()  # totals over 100 000 lines: once the scanning pauses
        self.lookup.setFocus()


    # ------------------------------------------------------------------ files
    def import_dialog(self) -> None:
        count = self.current_count()
        if count is None or count.status != "open":
            return
        path, _filter = QFileDialog.getOpenFileName(self, tr("Import collector file"), documents_dir(),
                                                    tr("Table files (*.xlsx *.csv)"))
        if path:
            self.ask_import(path)

    def ask_import(self, path: str | Path) -> CollectorImportDialog | None:
        """Show what the file holds and when it was counted (its rows' scan times, its time line or
        its modification time, editable); import once confirmed. A file that cannot be read says why."""
        got = run(self, lambda: self._sc.collector_times(path))
        if not got or got.value is None:
            return None
        dlg = CollectorImportDialog(Path(path), got.value, self)
        dlg.accepted.connect(lambda: self.import_file(path, counted_at=dlg.counted_at()))
        self._show_dialog(dlg)
        return dlg

    def import_file(self, path: str | Path, *, counted_at: datetime | None = None) -> Task | None:
        """Add a collector file's quantities, off the GUI thread (all or nothing; a refused file
        lists its bad rows). Rows without a scan time were counted at ``counted_at`` (else the
        file's time line, else now)."""
        count = self.current_count()
        if count is None:
            return None

        def done(summary: ImportSummary) -> None:
            self.reload_lines()
            self.last_label.setText(tr("Imported {rows} rows into {lines} lines ({qty} units)").format(
                rows=summary.rows, lines=summary.lines, qty=format_qty(summary.qty)))

        self.task = run_task(self, tr("Importing the collector file…"),
                             lambda _progress: self._sc.import_file(count.id, path, counted_at=counted_at), done)
        return self.task


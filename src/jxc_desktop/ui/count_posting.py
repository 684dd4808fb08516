"""Posting a count and putting it on paper: the post (behind the owner PIN when one is set, off the
GUI thread), the blank count sheet and the variance report as PDF, saved or printed.

A mixin of CountTab (ui/count_tab.py), which owns the widgets and the count being worked on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety.pin import POST_COUNT
from jxc_desktop.services.stock.counts import StockCountService
from jxc_desktop.services.stock.dto import CountDTO, PostResult
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.dialogs.count_dialogs import PostCountDialog
from jxc_desktop.ui.guard import ensure_owner
from jxc_desktop.ui.i18n import documents_dir, tr
from jxc_desktop.ui.saved_file import open_or_tell
from jxc_desktop.ui.tasks import Task, run_task

BLANK, VARIANCE = "blank", "variance"


class CountPosting:
    """What posting and printing need of the tab (CountTab sets or defines all of it)."""

    _services: Services
    _sc: StockCountService
    task: Task | None
    print_error: str | None
    last_label: QLabel
    current_count: Callable[[], CountDTO | None]
    refresh: Callable[[], None]
    _show_dialog: Callable[[QWidget], None]

    def post_dialog(self) -> PostCountDialog | None:
        count = self.current_count()
        if count is None or count.status != "open":
            return None
        if not ensure_owner(self, self._services, POST_COUNT):  # the owner PIN, when one is set
            return None
        dlg = PostCountDialog(self._sc.summary(count.id), self)
        dlg.accepted.connect(lambda: self._post(count.id, dlg.uncounted()))
        self._show_dialog(dlg)
        return dlg

    def _post(self, count_id: int, uncounted: str) -> Task:
        """Post off the GUI thread (zeroing a whole shop's uncounted lines writes 100 000 moves)."""

        def done(result: PostResult) -> None:
            self.refresh()  # posted: read-only lines and buttons now, not once the picker's timer runs
            self.last_label.setText(tr("{number} posted: gain {gain}, loss {loss}").format(
                number=result.number, gain=format_fen(result.gain_value), loss=format_fen(result.loss_value)))

        def failed(_exc: BaseException) -> bool:
            self.refresh()  # e.g. posted meanwhile from the command line: show its real state
            return False  # the task shows the error

        self.task = run_task(self, tr("Posting the count…"),
                             lambda _progress: self._sc.post(count_id, uncounted=uncounted), done, failed)
        return self.task

    def _build_pdf(self, count: CountDTO, kind: str, path: str | Path,
                   progress: Callable[[int, int], object] | None = None) -> Path:
        """Service and report calls only, so it can run off the GUI thread (100 000-line sheets:
        the blank sheet streams its lines and reports ``progress``, which raises to cancel)."""
        from jxc_desktop.reports.count_sheets import blank_sheet_pdf, variance_pdf  # reportlab: on first use

        shop = self._services.settings.get("shop_name")
        if kind == BLANK:
            return blank_sheet_pdf(path, count, self._sc.iter_sheet_lines(count.id), shop=shop,
                                   total=self._sc.line_count(count.id), progress=progress)
        return variance_pdf(path, count, self._sc.summary(count.id),
                            self._sc.sheet_lines(count.id, differences_only=True), shop=shop)

    def write_pdf(self, kind: str, path: str | Path) -> Path | None:
        """Write the PDF now, on this thread (small counts, tests)."""
        count = self.current_count()
        if count is None:
            return None
        return run(self, lambda: self._build_pdf(count, kind, path)).value  # a disk error too: its message

    def pdf_task(self, kind: str, path: str | Path, on_done: Callable[[Path], None]) -> Task | None:
        """Write the PDF off the GUI thread behind a progress dialog, then ``on_done(path)``."""
        count = self.current_count()
        if count is None:
            return None
        self.task = run_task(self, tr("Writing PDF…"), lambda progress: self._build_pdf(count, kind, path, progress),
                             on_done)
        return self.task

    def _may_see_values(self, kind: str) -> bool:
        """The variance report prints ¥ values: the owner's, when a PIN is set."""
        return kind != VARIANCE or ensure_owner(self, self._services, "view_profit")

    def save_pdf_dialog(self, kind: str) -> None:
        count = self.current_count()
        if count is None or not self._may_see_values(kind):
            return
        name = f"{count.number}-{'sheet' if kind == BLANK else 'variance'}.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, tr("Save PDF"), documents_dir(name), tr("PDF files (*.pdf)"))
        if path:
            self.pdf_task(kind, path, lambda done: open_or_tell(self, done))

    def print_current(self, *, output_file: str = "") -> Task | None:
        """Print (with a preview) the variance report of a posted count, else the blank sheet;
        ``output_file`` prints into a PDF file instead (no preview). The PDF is written off the
        GUI thread first; ``self.print_error`` holds why printing failed (None when it worked)."""
        count = self.current_count()
        if count is None:
            return None
        kind = VARIANCE if count.status == "posted" else BLANK
        if not self._may_see_values(kind):
            return None
        target = Path(tempfile.mkdtemp(prefix="jxc-count-")) / f"{count.number}.pdf"

        def print_it(path: Path) -> None:
            from jxc_desktop.ui.printing import print_pdf  # Qt's print support: on first use

            self.print_error = print_pdf(
                self, path.read_bytes(), printer_name=self._services.settings.get("printer_name"),
                preview=not output_file, output_file=output_file, title=count.number)

        return self.pdf_task(kind, target, print_it)


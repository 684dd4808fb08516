"""Before a collector file (盘点机) is imported: what it holds and when it was counted.

The time a line was counted decides its expected (book) quantity, so a unit sold between the
handheld's scan and the import is no false gain (issue 14). Rows with a scan time of their own
keep it; the others take the time shown here — the file's time line (``# 2026-12-04 09:30``,
``盘点时间: …``), else the file's modification time — which the user confirms or changes.
Shown with ``open()``; the tab imports on ``accepted``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.domain.clock import local_now
from jxc_desktop.domain.wall_time import format_wall_time
from jxc_desktop.services.stock.dto import CollectorTimes
from jxc_desktop.ui.i18n import tr

DISPLAY_FORMAT = "yyyy-MM-dd HH:mm"


def _qt(moment: datetime) -> QDateTime:
    """A local wall-clock QDateTime of an aware moment (to the minute)."""
    t = moment.astimezone()
    return QDateTime(QDate(t.year, t.month, t.day), QTime(t.hour, t.minute))


class CollectorImportDialog(QDialog):
    def __init__(self, path: Path, times: CollectorTimes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.times = times
        self.setWindowTitle(tr("Import collector file"))
        self.setMinimumWidth(460)
        self.file_label = QLabel(path.name)
        self.rows_label = QLabel(str(times.rows))
        self.when = QDateTimeEdit(_qt(times.suggested))
        self.when.setDisplayFormat(DISPLAY_FORMAT)
        self.when.setCalendarPopup(True)
        self.when.setMaximumDateTime(_qt(local_now()))  # a count cannot come from the future
        self.when.setEnabled(not times.all_timed)
        self.source = QLabel(self._source_text())
        self.source.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("File:"), self.file_label)
        form.addRow(tr("Rows:"), self.rows_label)
        form.addRow(tr("Counted at:"), self.when)
        form.setRowVisible(self.when, not times.all_timed)  # every row says when: nothing to confirm
        hint = QLabel(tr("Each line's difference is taken against the stock at the time it was counted, "
                         "so sales after the scan are not counted as gains."))
        hint.setWordWrap(True)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Import"))
        box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        self.ok_button = box.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.source)
        layout.addWidget(hint)
        layout.addWidget(box)

    def _source_text(self) -> str:
        t = self.times
        span = {"first": format_wall_time(t.first_scan), "last": format_wall_time(t.last_scan)} \
            if t.first_scan and t.last_scan else {}
        if t.all_timed:
            return tr("Every row has its scan time ({first} – {last}); each line is counted at its own.").format(**span)
        if t.timed_rows:
            return tr("{timed} of {rows} rows have a scan time ({first} – {last}); the others were counted "
                      "at the time above.").format(timed=t.timed_rows, rows=t.rows, **span)
        if t.file_time is not None:
            return tr("The time is the file's own (its time line). Change it if the shelves were counted "
                      "at another time.")
        return tr("The file gives no time: shown is when it was saved. Change it to when the shelves were "
                  "counted.")

    def counted_at(self) -> datetime | None:
        """When rows without a scan time of their own were counted (UTC), None if every row has one."""
        if self.times.all_timed:
            return None
        value = self.when.dateTime()
        d, t = value.date(), value.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()).astimezone().astimezone(UTC)

"""文件 → 备份 / 恢复: back up now (to the backup folder or a chosen place, with progress) and restore.

The restore dialog lists the copies in the backup folder (or a file the user picks), shows what
one holds (time, products, sales, last sale) and, after a confirmation, restores it: the current
file is kept first, then replaced; the window then reloads everything from the restored file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety import backup as bk
from jxc_desktop.ui.errors import confirm
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.models.list_model import ListTableModel
from jxc_desktop.ui.widgets.tables import row_table

_Index = QModelIndex | QPersistentModelIndex


def when_text(info: bk.BackupInfo) -> str:
    return info.made_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if info.made_at else "?"


def describe_text(info: bk.BackupInfo) -> str:
    """A few lines on what a backup holds (for the confirmation and the details label)."""
    if not info.ok:
        return tr("This copy cannot be restored: {reason}").format(reason=info.problem)
    last = info.last_sale_at.astimezone().strftime("%Y-%m-%d %H:%M") if info.last_sale_at else tr("none")
    return tr("Backup made {when}\n{products} products, {sales} sales, last sale {last}\nFile: {path}").format(
        when=when_text(info), products=info.products, sales=info.sales, last=last, path=str(info.path))


def backup_now(parent: QWidget | None, services: Services, dest: Path | None,
               on_done: Callable[[bk.BackupInfo], None] | None = None) -> Any:
    """Make a checked copy off the GUI thread with a cancellable progress dialog."""
    from jxc_desktop.ui.tasks import run_task

    def work(progress: Callable[..., None]) -> bk.BackupInfo:
        def step(done: int, total: int) -> bool:
            progress(done, total)
            return True

        return services.backup.backup(dest, progress=step)

    def done(info: bk.BackupInfo) -> None:
        if on_done is not None:
            on_done(info)

    return run_task(parent, tr("Backing up…"), work, done)


class BackupListModel(ListTableModel[bk.BackupInfo]):
    """Backups by name and time at once; what one holds is read when it is selected (checking a big
    file takes a moment, so the list never checks them all up front)."""

    WHEN, STATE, PRODUCTS, SALES, LAST_SALE, NAME = range(6)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([tr("Made"), tr("Check"), tr("Products"), tr("Number of sales"), tr("Last sale"),
                          tr("File")], parent)
        self._checked: set[int] = set()
        self._others: set[int] = set()  # rows holding another shop's copy

    def set_paths(self, paths: list[Path], ours: Callable[[Path], bool] | None = None) -> None:
        """``ours(path)`` tells this shop's copies from other shops' (all are ours without it)."""
        self.beginResetModel()
        self._rows = [bk.BackupInfo(p, bk.time_of(p), p.stat().st_size if p.exists() else 0, False)
                      for p in paths]
        self._others = {r for r, p in enumerate(paths) if ours is not None and not ours(p)}
        self._checked = set()
        self.endResetModel()

    def is_other_shop(self, row: int) -> bool:
        return row in self._others

    def info(self, row: int) -> bk.BackupInfo:
        """The row's backup, checked and counted on first use."""
        if row not in self._checked:
            self._rows[row] = bk.describe(self._rows[row].path, thorough=False)
            self._checked.add(row)
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return self._rows[row]

    def path(self, row: int) -> Path:
        return self._rows[row].path

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        info = self._rows[index.row()]
        col = index.column()
        other = index.row() in self._others
        if other and role == Qt.ItemDataRole.ForegroundRole:
            from PySide6.QtGui import QColor

            return QColor("#8a6d00")
        if other and role == Qt.ItemDataRole.ToolTipRole:
            return tr("A backup of another shop file, not of this one: {path}").format(path=str(info.path))
        if other and col == self.STATE and role == Qt.ItemDataRole.DisplayRole and (
                index.row() not in self._checked or info.ok):
            return tr("Another shop")
        if index.row() not in self._checked:  # not looked at yet: name and time only
            if role == Qt.ItemDataRole.DisplayRole:
                return when_text(info) if col == self.WHEN else info.path.name if col == self.NAME else ""
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.WHEN:
                return when_text(info)
            if col == self.STATE:
                return tr("Passed") if info.ok else tr("Damaged")
            if col == self.PRODUCTS:
                return str(info.products) if info.ok else ""
            if col == self.SALES:
                return str(info.sales) if info.ok else ""
            if col == self.LAST_SALE:
                return info.last_sale_at.astimezone().strftime("%Y-%m-%d %H:%M") if info.last_sale_at else ""
            if col == self.NAME:
                return info.path.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return info.problem if not info.ok else str(info.path)
        if role == Qt.ItemDataRole.ForegroundRole and not info.ok:
            from PySide6.QtGui import QColor

            return QColor("#b00020")
        return None


class RestoreDialog(QDialog):
    restored = Signal(object)  # RestoreResult

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.result_info: bk.RestoreResult | None = None
        self.setWindowTitle(tr("Restore a backup"))
        self.resize(860, 460)
        self.folder = services.backup.backup_dir()
        self.model = BackupListModel(self)
        self.table = row_table(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton(tr("Choose another file…"))
        self.restore_button = QPushButton(tr("Restore"))
        self.restore_button.setEnabled(False)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Backups in {folder}:").format(folder=str(self.folder))))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        row = QHBoxLayout()
        row.addWidget(self.choose_button)
        row.addStretch(1)
        row.addWidget(self.restore_button)
        row.addWidget(close)
        layout.addLayout(row)
        self.choose_button.clicked.connect(self.choose_file)
        self.restore_button.clicked.connect(self.restore_selected)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.reload()

    def reload(self) -> None:
        backup = self._services.backup
        mine = backup.shop_id(create=False)
        paths = bk.list_backups(self.folder)[:500]
        ids = {p: bk.shop_id_of(p) for p in paths}
        # this shop's copies first (newest first), then other shops' copies, marked as such
        ours = {p for p in paths if bk.belongs(ids[p], mine, backup.data_path, p)}
        self.model.set_paths([p for p in paths if p in ours] + [p for p in paths if p not in ours],
                             lambda p: p in ours)
        if ours:
            self.table.selectRow(0)
        elif self.model.rowCount():
            self.details.setText(tr("No backup of this shop in this folder: the copies listed are of another "
                                    "shop file. Choose a backup file with the button below."))
        else:
            self.details.setText(tr("No backups in this folder yet. Choose a backup file with the button below."))

    def _selected(self, *_args: Any) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            info = self.current()
        finally:
            QGuiApplication.restoreOverrideCursor()
        text = describe_text(info) if info else ""
        if info is not None and self.other_shop_selected():
            text = tr("⚠ This is a backup of another shop file, not of this one.") + "\n" + text
        self.details.setText(text)
        self.restore_button.setEnabled(bool(info and info.ok))

    def other_shop_selected(self) -> bool:
        rows = self.table.selectionModel().selectedRows()
        return bool(rows) and self.model.is_other_shop(rows[0].row())

    def current(self) -> bk.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.info(rows[0].row()) if rows else None

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Choose a backup file"), str(self.folder),
                                              tr("JXC data (*.sqlite3 *.db);;All files (*)"))
        if name:
            self.add_file(Path(name))

    def add_file(self, path: Path) -> None:
        """Show a chosen file on top of the list and select it."""
        rows = [r for r in range(self.model.rowCount()) if self.model.path(r) != path]
        foreign = {self.model.path(r) for r in rows if self.model.is_other_shop(r)}
        if not self._services.backup.is_ours(path):
            foreign.add(path)
        self.model.set_paths([path, *(self.model.path(r) for r in rows)], lambda p: p not in foreign)
        self.table.selectRow(0)
        self._selected()

    def restore_selected(self, *, confirmed: bool = False) -> Any:
        """Confirm, then restore off the GUI thread (a big file takes a while); returns the task."""
        info = self.current()
        if info is None or not info.ok:
            return None
        question = tr("Restore this backup?\n\n{details}\n\nThe current data file is kept as a copy first, then "
                      "replaced. Everything entered after this backup was made will no longer be shown.").format(
            details=describe_text(info))
        other = self.other_shop_selected()
        if other:
            question = tr("⚠ This is a backup of ANOTHER shop file, not of this one. Restoring it replaces this "
                          "shop's data with the other shop's.") + "\n\n" + question
        if not confirmed and not confirm(self, question, tr("Restore a backup")):
            return None
        from jxc_desktop.ui.tasks import run_task

        self.restore_button.setEnabled(False)
        self.task = run_task(self, tr("Restoring…"),
                             lambda _progress: self._services.backup.restore(info.path, other_shop=other),
                             self._restored_ok, self._restore_failed)
        if self.task.dialog is not None:
            self.task.dialog.setCancelButton(None)  # a restore is not stopped half-way
        return self.task

    def _restore_failed(self, _exc: BaseException) -> bool:
        self.restore_button.setEnabled(True)
        return False  # the task shows the message

    def _restored_ok(self, result: bk.RestoreResult) -> None:
        self.result_info = result
        self.restored.emit(result)
        saved = str(result.saved_current) if result.saved_current else tr("(nothing to keep)")
        self.done_box = QMessageBox(QMessageBox.Icon.Information, tr("Restore a backup"),
                                    tr("The backup was restored. The previous file was kept as:\n{path}").format(
                                        path=saved), QMessageBox.StandardButton.Ok, self.parentWidget())
        self.done_box.open()
        self.accept()

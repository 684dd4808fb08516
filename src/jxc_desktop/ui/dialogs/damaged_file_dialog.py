"""At start-up, a data file that must not be opened (damaged, another program's, newer, or lost):
say so clearly and offer to restore the newest good backup, to choose another file, or to quit.

``choice`` after the dialog closes: RESTORE (the newest good backup), RESTORE_FILE (a backup file
the user picked, e.g. on a USB stick: ``chosen_path``), OTHER (open another data file:
``chosen_path``), NEW (start an empty shop: only for a missing/zero-byte file) or QUIT. The dialog
never writes to the file; :func:`resolve_start_file` (called by app.py) acts on the choice. Before
restoring, "Export the products that can still be read…" saves what the damaged file still holds
(opened read-only, services/safety/file_health.py).

:class:`DamagedNowDialog` is the same offer while the window is open, when the background check
(ui/health_check.py) found the file damaged: writing has stopped; restore a backup, export first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from jxc_desktop.services.safety import backup as bk
from jxc_desktop.services.safety.startup_check import FileState, StartupAdvice, advise
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.i18n import tr

RESTORE, RESTORE_FILE, OTHER, NEW, QUIT = "restore", "restore_file", "other", "new", "quit"


def problem_text(advice: StartupAdvice) -> str:
    check = advice.check
    err = check.error()
    if err is not None:
        return err.message
    if check.state == FileState.MISSING:
        return tr("The data file {path} does not exist, but there are backups.").format(path=str(check.path))
    return tr("The data file {path} is empty (0 bytes). If the shop had data in it, restore the newest "
              "good backup.").format(path=str(check.path))


class DamagedFileDialog(QDialog):
    def __init__(self, advice: StartupAdvice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.advice = advice
        self.choice = QUIT
        self.chosen_path: Path | None = None
        self.setWindowTitle(tr("The data file cannot be opened"))
        self.setMinimumWidth(560)
        message = QLabel(problem_text(advice))
        message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        if advice.newest_backup is not None:
            info = bk.describe(advice.newest_backup)
            when = info.made_at.astimezone().strftime("%Y-%m-%d %H:%M") if info.made_at else "?"
            detail = QLabel(tr("Newest good backup: {when} ({products} products, {sales} sales)\n{path}").format(
                when=when, products=info.products, sales=info.sales, path=str(info.path)))
            detail.setWordWrap(True)
            layout.addWidget(detail)
        else:
            layout.addWidget(QLabel(tr("No good backup was found in the backup folder.")))
        buttons = QHBoxLayout()
        self.restore_button = QPushButton(tr("Restore the newest good backup"))
        self.restore_button.setEnabled(advice.can_restore)
        self.restore_file_button = QPushButton(tr("Restore from a backup file…"))
        self.other_button = QPushButton(tr("Open another data file…"))
        self.export_button = QPushButton(tr("Export the products that can still be read…"))
        self.export_button.setVisible(advice.check.state == FileState.DAMAGED)
        self.export_button.clicked.connect(self._choose_export)
        self.new_button = QPushButton(tr("Start a new empty shop"))
        self.new_button.setVisible(advice.check.state in (FileState.MISSING, FileState.EMPTY))
        self.quit_button = QPushButton(tr("Quit"))
        for b in (self.restore_button, self.restore_file_button, self.export_button, self.other_button,
                  self.new_button, self.quit_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.restore_button.clicked.connect(lambda: self._choose(RESTORE))
        self.restore_file_button.clicked.connect(self._choose_backup_file)
        self.other_button.clicked.connect(self._choose_other)
        self.new_button.clicked.connect(lambda: self._choose(NEW))
        self.quit_button.clicked.connect(lambda: self._choose(QUIT))
        (self.restore_button if advice.can_restore else self.other_button).setDefault(True)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        if choice == QUIT:
            self.reject()
        else:
            self.accept()

    def _choose_other(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Choose a data file"), str(self.advice.check.path.parent),
                                              tr("JXC data (*.sqlite3 *.db);;All files (*)"))
        if name:
            self.choose_path(Path(name))

    def _choose_backup_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("Choose a backup file"), str(self.advice.check.path.parent),
                                              tr("JXC data (*.sqlite3 *.db);;All files (*)"))
        if name:
            self.choose_path(Path(name), RESTORE_FILE)

    def _choose_export(self) -> None:
        from jxc_desktop.services.safety.file_health import default_name

        folder = self.advice.check.path.parent
        name, _ = QFileDialog.getSaveFileName(self, tr("Export the products that can still be read"),
                                              str(folder / default_name(self.advice.check.path)),
                                              tr("Excel workbook (*.xlsx);;CSV file (*.csv)"))
        if name:
            self.export_readable(Path(name))

    def export_readable(self, dest: Path) -> bool:
        """Export the products still readable from the damaged file (read-only) to ``dest``."""
        from PySide6.QtWidgets import QMessageBox

        from jxc_desktop.services.safety.file_health import export_products

        if dest.suffix.lower() not in (".xlsx", ".csv"):
            dest = dest.with_suffix(".xlsx")
        got = run(self, lambda: export_products(self.advice.check.path, dest))
        if not got or got.value is None:
            return False
        result = got.value
        self.export_box = QMessageBox(QMessageBox.Icon.Information, tr("Export products"),
                                      tr("{count} products were written to {path}").format(
                                          count=result.products, path=str(result.path)),
                                      QMessageBox.StandardButton.Ok, self)
        self.export_box.open()
        return True

    def choose_path(self, path: Path, choice: str = OTHER) -> None:
        self.chosen_path = path
        self._choose(choice)


def _ask(advice: StartupAdvice) -> DamagedFileDialog:
    dlg = DamagedFileDialog(advice)
    dlg.exec()
    return dlg


def resolve_start_file(path: Path, ask: Callable[[StartupAdvice], DamagedFileDialog] | None = None) -> Path | None:
    """The data file to open, after asking when ``path`` is not fit to open; None = quit.

    A restore keeps the current file first (services/safety/backup.py); a failed restore says why and asks
    again. ``ask`` shows the dialog and returns it closed (default: ``exec()``; tests pass one that
    clicks a button, or replace the module's ``_ask``).
    """
    ask = ask or _ask
    while True:
        advice = advise(path)
        if advice.open_directly:
            return path
        dlg = ask(advice)
        if dlg.choice in (RESTORE, RESTORE_FILE):
            source = advice.newest_backup if dlg.choice == RESTORE else dlg.chosen_path
            if source is None:
                continue
            if not run(None, lambda src=source, dst=path: bk.restore_file(src, dst, bk.default_backup_dir(dst))):
                continue
            return path  # not open yet: the window that opens it reads everything fresh
        if dlg.choice == OTHER and dlg.chosen_path is not None:
            path = dlg.chosen_path
            continue
        if dlg.choice == NEW and advice.check.state in (FileState.MISSING, FileState.EMPTY):
            return path
        return None


class DamagedNowDialog(QDialog):
    """The background check found the open file damaged: writing has stopped. Offer the repair."""

    def __init__(self, window: QWidget, reason: str) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle(tr("The data file is damaged"))
        self.setMinimumWidth(560)
        services = window.services  # type: ignore[attr-defined]
        message = QLabel(tr("The check of the data file {path} found damage ({reason}).\n\nTo keep what is "
                            "already in it safe, nothing more is saved into this file. Export the products "
                            "that can still be read, then restore the newest good backup; the damaged file "
                            "is kept in the backup folder.").format(path=str(services.db.path), reason=reason))
        message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(tr("Export the products that can still be read…"))
        self.restore_button = QPushButton(tr("Restore a backup…"))
        self.close_button = QPushButton(tr("Close"))
        for b in (self.export_button, self.restore_button, self.close_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.export_button.clicked.connect(self._choose_export)
        self.restore_button.clicked.connect(self.restore)
        self.close_button.clicked.connect(self.reject)
        self.restore_button.setDefault(True)

    def _choose_export(self) -> None:
        from jxc_desktop.services.safety.file_health import default_name

        path = self.window_.services.db.path  # type: ignore[attr-defined]
        name, _ = QFileDialog.getSaveFileName(self, tr("Export the products that can still be read"),
                                              str(path.parent / default_name(path)),
                                              tr("Excel workbook (*.xlsx);;CSV file (*.csv)"))
        if name:
            self.export_to(Path(name))

    def export_to(self, dest: Path) -> object:
        """Export the products (reads still work) off the GUI thread; returns the task."""
        from jxc_desktop.ui.tasks import run_task

        if dest.suffix.lower() not in (".xlsx", ".csv"):
            dest = dest.with_suffix(".xlsx")
        io = self.window_.services.product_io  # type: ignore[attr-defined]
        self.task = run_task(self, tr("Exporting products…"), lambda progress: io.export_products(dest, progress))
        return self.task

    def restore(self) -> object:
        safety = getattr(self.window_, "safety", None)
        self.accept()
        return safety.restore() if safety is not None else None

"""At start-up, a data file that must not be opened (damaged, another program's, newer, or lost):
say so clearly and offer to restore the newest good backup, to choose another file, or to quit.

``choice`` after the dialog closes: RESTORE (the newest good backup), RESTORE_FILE (a backup file
the user picked, e.g. on a USB stick: ``chosen_path``), OTHER (open another data file:
``chosen_path``), NEW (start an empty shop: only for a missing/zero-byte file) or QUIT. The dialog
never touches the file; :func:`resolve_start_file` (called by app.py) acts on the choice.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.services import backup as bk
from jxc_desktop.services.startup_check import FileState, StartupAdvice, advise
from jxc_desktop.ui.errors import show_error
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
        self.new_button = QPushButton(tr("Start a new empty shop"))
        self.new_button.setVisible(advice.check.state in (FileState.MISSING, FileState.EMPTY))
        self.quit_button = QPushButton(tr("Quit"))
        for b in (self.restore_button, self.restore_file_button, self.other_button, self.new_button,
                  self.quit_button):
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

    def choose_path(self, path: Path, choice: str = OTHER) -> None:
        self.chosen_path = path
        self._choose(choice)


def _ask(advice: StartupAdvice) -> DamagedFileDialog:
    dlg = DamagedFileDialog(advice)
    dlg.exec()
    return dlg


def resolve_start_file(path: Path, ask: Callable[[StartupAdvice], DamagedFileDialog] | None = None) -> Path | None:
    """The data file to open, after asking when ``path`` is not fit to open; None = quit.

    A restore keeps the current file first (services/backup.py); a failed restore says why and asks
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
            try:
                bk.restore_file(source, path, bk.default_backup_dir(path))
            except JxcError as exc:
                show_error(None, exc)
                continue
            return path
        if dlg.choice == OTHER and dlg.chosen_path is not None:
            path = dlg.chosen_path
            continue
        if dlg.choice == NEW and advice.check.state in (FileState.MISSING, FileState.EMPTY):
            return path
        return None

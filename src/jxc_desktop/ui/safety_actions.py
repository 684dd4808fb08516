"""The safety entries of the main window: 文件 → 备份… / 恢复… / 审计日志… / 老板密码…, the status-bar
"last backup" label (red when there is none for 3 days), and the daily automatic backup, made off
the GUI thread shortly after start-up and re-checked every hour while the program stays open.

``install(window)`` is called once by the main window. Automatic backups are skipped when the
environment sets ``JXC_NO_AUTO_BACKUP=1`` (the test suite does, through ``JXC_NO_BACKUP_ON_EXIT``).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton, QSizePolicy, QToolBar, QWidget

from jxc_desktop.domain.errors import JxcError
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety import pin as pin_mod
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.changes import Change, publish, subscribe
from jxc_desktop.ui.guard import ensure_owner
from jxc_desktop.ui.i18n import tr
from jxc_desktop.ui.widgets.elided import ElidedLabel

HOUR_MS = 3600 * 1000


def auto_backups_enabled() -> bool:
    return os.environ.get("JXC_NO_AUTO_BACKUP", os.environ.get("JXC_NO_BACKUP_ON_EXIT", "")) != "1"


class _AutoWorker(QObject):
    finished = Signal(object)  # BackupInfo | None | JxcError

    def __init__(self, services: Services, after_work: bool = False) -> None:
        super().__init__()
        self._services = services
        self._after_work = after_work

    @Slot()
    def run(self) -> None:
        try:
            backup = self._services.backup
            result: Any = backup.backup_after_work() if self._after_work else backup.auto_backup()
        except JxcError as exc:
            result = exc
        except Exception as exc:  # an unexpected OS problem must not take the window down
            result = JxcError("Automatic backup failed: {reason}", reason=str(exc))
        self.finished.emit(result)


class SafetyActions(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.services: Services = window.services
        self.last_error: JxcError | None = None
        self._thread: QThread | None = None
        self._worker: _AutoWorker | None = None
        self.backup_action = QAction(tr("Back up now…"), window)
        self.restore_action = QAction(tr("Restore a backup…"), window)
        self.audit_action = QAction(tr("Audit log…"), window)
        self.pin_action = QAction(tr("Owner PIN…"), window)
        self.folder_action = QAction(tr("Backup folder…"), window)
        self.move_action = QAction(tr("Move to a server…"), window)  # issue 21: a second till
        self.move_action.triggered.connect(lambda: self.move_to_server())
        self.lock_action = QAction(tr("Lock now (owner PIN needed again)"), window)
        self.lock_action.setShortcut("Ctrl+L")
        # triggered(bool) passes `checked`: the lambdas keep it away from back_up(dest) and
        # choose_backup_folder(folder), which would take False for a path.
        self.lock_action.triggered.connect(lambda: self.lock_now())
        self.folder_action.triggered.connect(lambda: self.choose_backup_folder())
        self.backup_action.triggered.connect(lambda: self.back_up())
        self.restore_action.triggered.connect(lambda: self.restore())
        self.audit_action.triggered.connect(lambda: self.show_audit())
        self.pin_action.triggered.connect(lambda: self.set_pin())
        for action in (self.backup_action, self.restore_action, self.audit_action, self.lock_action):
            window.add_file_action(action)
        settings_menu = getattr(window, "settings_menu", None)
        for action in (self.pin_action, self.folder_action, self.move_action):
            if settings_menu is not None:
                settings_menu.addAction(action)
            else:
                window.add_file_action(action)
        # a shop opened for the first time gets its identity now (a read-only or damaged file cannot:
        # its copies are then told apart by name)
        with contextlib.suppress(JxcError):
            self.services.backup.shop_id()
        self.status_label = ElidedLabel()  # the backup warning: elided, never cut off, in a narrow window
        window.add_status_widget(self.status_label)
        self.refresh_status()
        self._build_reset_banner()
        # "Last backup …" after a backup (made here or automatically), a new backup folder, a restore;
        # the reset notice after a PIN change. A posted document: the window calls work_done.
        subscribe(self.status_label, self.services, Change.BACKUPS | Change.SETTINGS, self.refresh_status)
        subscribe(self.reset_label, self.services, Change.SETTINGS, self.refresh_reset_banner)
        self.timer = QTimer(self)
        self.timer.setInterval(HOUR_MS)
        self.timer.timeout.connect(self.start_auto_backup)
        if auto_backups_enabled():
            QTimer.singleShot(3000, self.start_auto_backup)
            self.timer.start()

    # ------------------------------------------------------------------ status bar
    def refresh_status(self) -> None:
        try:
            last = self.services.backup.last_good_backup()
            overdue = self.services.backup.backup_overdue()
        except JxcError:
            last, overdue = None, True
        if last is None:
            text = tr("No backup yet")
        else:
            text = tr("Last backup: {when}").format(when=last.astimezone().strftime("%Y-%m-%d %H:%M"))
        try:
            today_unbacked = self.services.backup.work_today_unbacked()
        except JxcError:
            today_unbacked = False
        if overdue:
            text = tr("⚠ {text} — back up now (File → Back up now)").format(text=text)
            self.status_label.setStyleSheet("color: #b00020; font-weight: bold")
        elif today_unbacked:
            text = tr("⚠ {text} — today's work is not backed up yet").format(text=text)
            self.status_label.setStyleSheet("color: #b00020; font-weight: bold")
        else:
            self.status_label.setStyleSheet("")
        if self.last_error is not None:
            self.status_label.setToolTip(tr("Automatic backup failed: {reason}").format(
                reason=self.last_error.message))
        else:
            self.status_label.setToolTip(str(self.services.backup.backup_dir()))
        self.status_label.setText(text)

    # ------------------------------------------------------------------ PIN reset banner
    def _build_reset_banner(self) -> None:
        """A red bar above the tabs while a PIN reset made without the recovery code is unacknowledged
        (a top tool bar, so the main window's layout stays as it is)."""
        self.reset_banner = QToolBar(tr("PIN reset notice"), self.window)
        self.reset_banner.setObjectName("pin_reset_banner")
        self.reset_banner.setMovable(False)
        self.reset_banner.setFloatable(False)
        self.reset_banner.toggleViewAction().setVisible(False)
        self.reset_banner.setStyleSheet("QToolBar { background: #fdecea; border: 1px solid #b00020; }")
        self.reset_label = QLabel()
        self.reset_label.setStyleSheet("color: #b00020; font-weight: bold; padding: 4px")
        self.reset_label.setWordWrap(True)
        self.reset_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.acknowledge_button = QPushButton(tr("Acknowledge…"))
        self.acknowledge_button.clicked.connect(self.acknowledge_reset)
        self.reset_banner.addWidget(self.reset_label)
        self.reset_banner.addWidget(self.acknowledge_button)
        self.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.reset_banner)
        self.refresh_reset_banner()

    def refresh_reset_banner(self) -> None:
        notice = self.services.pin.reset_notice()
        if notice is not None:
            when = notice.at.astimezone().strftime("%Y-%m-%d %H:%M") if notice.at else "?"
            self.reset_label.setText(tr("⚠ The owner PIN was removed at the command line without the recovery "
                                        "code on {when} ({reason}). If the owner did not do this, someone "
                                        "else may have. Set a new PIN, then acknowledge.").format(
                when=when, reason=notice.reason))
        self.reset_banner.setVisible(notice is not None)

    def acknowledge_reset(self) -> bool:
        """The owner confirms the reset: a new PIN first (if none), then the PIN, then the notice goes."""
        if not self.services.pin.is_set():
            dlg = self.set_pin()
            dlg.finished.connect(lambda _code: self.refresh_reset_banner())
            return False
        if not ensure_owner(self.window, self.services, pin_mod.SETTINGS):
            return False
        return run(self.window, self.services.pin.acknowledge_reset).ok  # the banner goes (subscription)

    # ------------------------------------------------------------------ automatic
    def start_auto_backup(self, *, after_work: bool = False) -> None:
        if self._thread is not None:
            return
        self._thread = QThread(self)
        self._worker = _AutoWorker(self.services, after_work)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.finished.connect(self._auto_done)
        self._thread.start()

    @Slot(object)
    def _auto_done(self, result: object) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        self._thread = None
        self._worker = None
        self.last_error = result if isinstance(result, JxcError) else None
        publish(self.services, Change.BACKUPS)  # the status bar says so (and whatever else shows backups)

    def work_done(self, *_args: object) -> None:
        """A document was posted: a new shop's first documents are backed up at once (off the GUI
        thread); otherwise the status bar says whether today's work has a copy."""
        try:
            first = auto_backups_enabled() and self.services.backup.first_documents_unbacked()
        except JxcError:
            first = False
        if first:
            self.start_auto_backup(after_work=True)
        else:
            self.refresh_status()

    def backup_on_exit(self) -> None:
        """The window is closing: copy what was entered since the last backup (a few seconds at most
        for a shop's file). A failure is said, and the window still closes: the data file is intact."""
        if not auto_backups_enabled():
            return
        self.wait_auto_backup(60_000)
        from PySide6.QtGui import QGuiApplication

        self.window.statusBar().showMessage(tr("Backing up today's work before closing…"))
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.services.backup.backup_after_work()
        except JxcError as exc:
            QGuiApplication.restoreOverrideCursor()
            QMessageBox.warning(self.window, tr("Backup"), tr("Automatic backup failed: {reason}").format(
                reason=exc.message))
            return
        except Exception as exc:  # an OS problem must not keep the window from closing
            QGuiApplication.restoreOverrideCursor()
            QMessageBox.warning(self.window, tr("Backup"), tr("Automatic backup failed: {reason}").format(
                reason=str(exc)))
            return
        QGuiApplication.restoreOverrideCursor()

    def wait_auto_backup(self, ms: int = 10000) -> None:
        """For tests and shutdown: let a running automatic backup finish."""
        if self._thread is not None:
            self._thread.wait(ms)
            from PySide6.QtCore import QCoreApplication

            QCoreApplication.processEvents()

    # ------------------------------------------------------------------ menu actions
    def back_up(self, dest: Path | None = None) -> Any:
        if not ensure_owner(self.window, self.services, pin_mod.BACKUP):
            return None
        if dest is None:
            chosen = QFileDialog.getExistingDirectory(self.window, tr("Back up to which folder?"),
                                                      str(self.services.backup.backup_dir()))
            if not chosen:
                return None
            dest = Path(chosen)
        from jxc_desktop.ui.dialogs.backup_restore import backup_now, describe_text

        def done(info: Any) -> None:
            publish(self.services, Change.BACKUPS)
            self.done_box = QMessageBox(QMessageBox.Icon.Information, tr("Backup"),
                                        tr("The backup was made and checked.\n\n{details}").format(
                                            details=describe_text(info)),
                                        QMessageBox.StandardButton.Ok, self.window)
            self.done_box.open()

        self.backup_task = backup_now(self.window, self.services, dest, done)
        return self.backup_task

    def restore(self) -> QWidget | None:
        if not ensure_owner(self.window, self.services, pin_mod.RESTORE):
            return None
        if self.services.db.on_server:
            return self._restore_server()
        from jxc_desktop.ui.dialogs.backup_restore import RestoreDialog

        self.wait_auto_backup()
        self.timer.stop()  # no automatic copy while a file is being replaced
        dlg = RestoreDialog(self.services, self.window)
        dlg.restored.connect(self._restored)
        dlg.finished.connect(lambda _code: self.timer.start() if auto_backups_enabled() else None)
        self.restore_dialog = dlg
        dlg.open()
        return dlg

    def _restore_server(self, source: Path | None = None) -> Any:
        """A shop on a server: choose a pg_dump archive; it is checked in a scratch database, the
        current shop kept first, then the shop replaced in one transaction (server_backup.py)."""
        if source is None:
            chosen, _f = QFileDialog.getOpenFileName(self.window, tr("Restore a backup…"),
                                                     str(self.services.backup.backup_dir()), "*.dump")
            if not chosen:
                return None
            answer = QMessageBox.question(self.window, tr("Restore a backup…"), tr(
                "Replace the shop on the server by {path}? The current shop is kept as a backup first, and every "
                "till sees the restored shop.").format(path=chosen))
            if answer != QMessageBox.StandardButton.Yes:
                return None
            source = Path(chosen)
        from jxc_desktop.ui.tasks import run_task

        self.wait_auto_backup()
        self.restore_task = run_task(self.window, tr("Restoring…"),
                                     lambda _progress: self.services.backup.restore(source), self._restored)
        return self.restore_task

    def move_to_server(self) -> QWidget | None:
        """设置 → 迁移到服务器…: the owner's (every cost and profit goes to the server)."""
        if not ensure_owner(self.window, self.services, pin_mod.VIEW_PROFIT):
            return None
        from jxc_desktop.ui.dialogs.move_dialog import MoveDialog

        self.move_dialog = MoveDialog(self.services, self.window)
        self.move_dialog.open()
        return self.move_dialog

    def _restored(self, _result: object) -> None:
        """Another file is in place: everything changed (every view re-reads, the status bar too)."""
        changed = getattr(self.window, "data_changed", None)
        if callable(changed):
            changed()
        else:
            publish(self.services, Change.ALL)

    def show_audit(self) -> QWidget | None:
        if not ensure_owner(self.window, self.services, pin_mod.SETTINGS):
            return None
        from jxc_desktop.ui.dialogs.audit_viewer import AuditViewer

        self.audit_viewer = AuditViewer(self.services, self.window)
        self.audit_viewer.open()
        return self.audit_viewer

    def choose_backup_folder(self, folder: Path | None = None) -> Path | None:
        """Where the daily copies go (a USB stick or a synced folder is safer than the same disk)."""
        if not ensure_owner(self.window, self.services, pin_mod.SETTINGS):
            return None
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self.window, tr("Folder for the daily backups"),
                                                      str(self.services.backup.backup_dir()))
            if not chosen:
                return None
            folder = Path(chosen)
        if not run(self.window, lambda: self.services.settings.update({"backup_dir": str(folder)})):
            return None
        return folder  # the status bar re-reads it (subscription)

    def lock_now(self) -> None:
        """The owner steps away: protected actions and tabs ask the PIN again; back to the first tab."""
        from jxc_desktop.ui.guard import OWNER_TABS, lock_now

        lock_now(self.services)
        tabs = getattr(self.window, "tabs", None)
        current = tabs.currentWidget() if tabs is not None else None
        showing = next((k for k, w in getattr(self.window, "_tabs", {}).items() if w is current), "")
        if tabs is not None and showing in OWNER_TABS:
            tabs.blockSignals(True)
            tabs.setCurrentIndex(0)
            tabs.blockSignals(False)
            self.window._shown_index = 0

    def set_pin(self) -> QWidget:
        from jxc_desktop.ui.dialogs.pin_dialog import SetPinDialog

        self.pin_dialog = SetPinDialog(self.services, self.window)
        self.pin_dialog.finished.connect(lambda _code: self.refresh_reset_banner())
        self.pin_dialog.open()
        return self.pin_dialog


def install(window: Any) -> SafetyActions:
    actions = SafetyActions(window)
    window.safety = actions
    return actions


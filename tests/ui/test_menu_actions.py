"""Every menu entry and toolbar button, driven through its QAction as a click drives it: ``trigger()``
emits ``triggered(bool)``, so a slot that takes an optional path must not receive ``False``.

File dialogs pick a folder under tmp_path, questions are answered "No" (the safe default), warnings are
recorded (none is expected), and whatever window an action opened is closed before the next one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMenu, QMessageBox, QToolBar

from jxc_desktop.ui.main_window import MainWindow
from jxc_desktop.ui.tasks import running_tasks


def _menu_actions(menu: QMenu) -> list[QAction]:
    found: list[QAction] = []
    for action in menu.actions():
        if action.menu() is not None:
            found += _menu_actions(action.menu())  # type: ignore[arg-type]
        elif not action.isSeparator():
            found.append(action)
    return found


def all_actions(window: MainWindow) -> list[QAction]:
    actions: list[QAction] = []
    for top in window.menuBar().actions():
        if top.menu() is not None:
            actions += _menu_actions(top.menu())  # type: ignore[arg-type]
    for bar in window.findChildren(QToolBar):
        actions += [a for a in bar.actions() if not a.isSeparator()]
    return actions


def _close_dialogs(window: MainWindow) -> list[str]:
    """Close what an action opened (modeless boxes and dialogs); return their titles."""
    titles = []
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            titles.append(widget.windowTitle())
            widget.reject()
    return titles


@pytest.fixture
def answered(monkeypatch, tmp_path: Path) -> dict[str, list]:  # type: ignore[no-untyped-def]
    seen: dict[str, list] = {"warnings": [], "dirs": [], "saves": []}
    chosen = tmp_path / "chosen"
    chosen.mkdir()

    def get_dir(parent, title, start="", *a, **k):  # type: ignore[no-untyped-def]
        seen["dirs"].append(title)
        return str(chosen)

    def get_save(parent, title, start="", *a, **k):  # type: ignore[no-untyped-def]
        seen["saves"].append(title)
        return "", ""  # cancelled

    def warn(parent, title, text, *a, **k):  # type: ignore[no-untyped-def]
        seen["warnings"].append(f"{title}: {text}")
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(get_dir))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(get_save))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warn))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(warn))
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.No))
    seen["chosen"] = [chosen]
    return seen


def test_every_menu_action_works_when_triggered(qtbot, services, db_path, answered) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(services, db_path)
    qtbot.addWidget(window)
    window.show()
    window.build_all_tabs()
    actions = all_actions(window)
    names = [a.text() for a in actions]
    for expected in ("Back up now…", "Backup folder…", "Restore a backup…", "Import products…", "Quit"):
        assert expected in names
    chosen: Path = answered["chosen"][0]
    opened: dict[str, list[str]] = {}
    quit_action = window.quit_action
    for action in actions:
        if action is quit_action:
            continue  # last: it closes the window
        action.trigger()
        qtbot.waitUntil(lambda: not running_tasks(), timeout=30000)
        QApplication.processEvents()
        opened[action.text()] = _close_dialogs(window)
        assert answered["warnings"] == [], f"{action.text()}: {answered['warnings']}"
    # 文件 → 立即备份… made a checked copy in the folder picked; 设置 → 备份文件夹… stored the folder.
    assert list(chosen.glob("*.sqlite3")), "Back up now made no copy in the chosen folder"
    assert services.backup.backup_dir() == chosen
    assert opened["Back up now…"] == ["Backup"]  # the "backup made and checked" box
    assert answered["dirs"].count("Back up to which folder?") == 1
    assert window.isVisible()
    quit_action.trigger()
    assert not window.isVisible()

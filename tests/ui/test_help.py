"""帮助 → 快速入门 (F1) and 快捷键: built in, in the window's language, driven through their QActions."""

from __future__ import annotations

from jxc_desktop.ui import i18n as ui_i18n
from jxc_desktop.ui.dialogs.help_dialog import QUICK_START, SHORTCUTS, HelpDialog, quick_start_steps
from jxc_desktop.ui.main_window import MainWindow


def test_help_menu_opens_quick_start_and_shortcuts(qtbot, services, db_path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(services, db_path)
    qtbot.addWidget(window)
    names = [a.text() for a in window.help_menu.actions()]
    assert names[:2] == ["Quick start", "Keyboard shortcuts"] and "About JXC Desktop" in names
    assert window.quick_start_action.shortcut().toString() == "F1"
    window.quick_start_action.trigger()
    dlg = window.help_dialog
    assert isinstance(dlg, HelpDialog) and dlg.isVisible() and dlg.pages.currentIndex() == QUICK_START
    text = dlg.quick_start.toPlainText()
    assert len(quick_start_steps()) == 8 and "Sell at the till" in text and "F12" in text
    dlg.close()
    window.shortcuts_action.trigger()
    dlg = window.help_dialog
    assert dlg.pages.currentIndex() == SHORTCUTS
    keys = dlg.shortcuts.toPlainText()
    for want in ("Checkout", "F8", "Hold", "Ctrl+N", "Ctrl+S", "Ctrl+Q"):
        assert want in keys, want
    dlg.close()


def test_help_reads_in_chinese(qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    try:
        ui_i18n.install(qapp, "zh_CN")
        dlg = HelpDialog(None)
        qtbot.addWidget(dlg)
        assert dlg.windowTitle() == "帮助" and dlg.pages.tabText(0) == "快速入门"
        text = dlg.quick_start.toPlainText()
        assert "一天的店务：8 个步骤" in text and "收银" in text and "F12 收款" in text
        assert "挂单" in dlg.shortcuts.toPlainText()
    finally:
        ui_i18n.install(qapp, "en")

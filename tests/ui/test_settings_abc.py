"""The ABC thresholds in the settings dialog: saved as settings, A + B above 100 % refused."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from jxc_desktop.ui.dialogs.settings_dialog import SettingsDialog


def _save(qtbot, dlg) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_abc_thresholds_are_settings(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    dlg = SettingsDialog(services)
    qtbot.addWidget(dlg)
    dlg.show()
    assert (dlg.abc_a.value(), dlg.abc_b.value()) == (80, 15)  # the defaults
    dlg.abc_a.selectAll()
    qtbot.keyClicks(dlg.abc_a, "90")
    dlg.abc_b.selectAll()
    qtbot.keyClicks(dlg.abc_b, "20")
    _save(qtbot, dlg)
    assert dlg.isVisible() and "100%" in dlg.error_label.text()  # 90 + 20: refused, the dialog stays
    assert (services.settings.get("abc_a_pct"), services.settings.get("abc_b_pct")) == ("80", "15")
    dlg.abc_a.selectAll()
    qtbot.keyClicks(dlg.abc_a, "70")
    with qtbot.waitSignal(dlg.saved, timeout=30_000):
        _save(qtbot, dlg)
    assert (services.settings.get("abc_a_pct"), services.settings.get("abc_b_pct")) == ("70", "20")

"""The settings dialog edits the shop settings through SettingsService (which validates them)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from jxc_desktop.ui.dialogs.settings_dialog import SettingsDialog
from tests.ui.cjk import type_cjk


def _save(qtbot, dlg) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_shows_current_values_and_saves(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    services.settings.update({"shop_name": "老王超市", "receipt_width_mm": "58", "negative_stock": "block"})
    dlg = SettingsDialog(services)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.shop_name.text() == "老王超市"
    assert dlg.receipt_width.currentData() == "58" and dlg.negative_stock.currentData() == "block"
    assert dlg.expiry_days.value() == 90  # the default
    dlg.shop_name.selectAll()
    type_cjk(dlg.shop_name, "阳光便利店")
    qtbot.keyClicks(dlg.shop_phone, "0571-88886666")
    type_cjk(dlg.shop_address, "杭州市西湖区文三路1号")
    type_cjk(dlg.receipt_header, "欢迎光临")
    dlg.receipt_width.setCurrentIndex(dlg.receipt_width.findData("80"))
    dlg.negative_stock.setCurrentIndex(dlg.negative_stock.findData("allow"))
    dlg.expiry_days.selectAll()
    qtbot.keyClicks(dlg.expiry_days, "30")
    dlg.language.setCurrentIndex(dlg.language.findData("en"))
    with qtbot.waitSignal(dlg.saved, timeout=30_000) as blocker:
        _save(qtbot, dlg)
    assert not dlg.isVisible()
    values = services.settings.all()
    assert values["shop_name"] == "阳光便利店" and values["shop_phone"] == "0571-88886666"
    assert values["shop_address"] == "杭州市西湖区文三路1号" and values["receipt_header"] == "欢迎光临"
    assert values["receipt_width_mm"] == "80" and values["negative_stock"] == "allow"
    assert values["expiry_warning_days"] == "30" and values["language"] == "en"
    assert blocker.args[0]["shop_name"] == "阳光便利店"


def test_invalid_value_keeps_dialog_open_and_saves_nothing(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    dlg = SettingsDialog(services)
    qtbot.addWidget(dlg)
    dlg.show()
    type_cjk(dlg.shop_name, "新店名")
    dlg.receipt_footer.setPlainText("长" * 300)  # longer than a setting may be
    _save(qtbot, dlg)
    assert dlg.isVisible() and dlg.error_label.isVisible()
    assert "too long" in dlg.error_label.text()
    assert services.settings.get("shop_name") == ""  # all or nothing
    dlg.receipt_footer.setPlainText("谢谢")
    _save(qtbot, dlg)
    assert not dlg.isVisible() and services.settings.get("shop_name") == "新店名"


def test_cancel_changes_nothing(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    dlg = SettingsDialog(services)
    qtbot.addWidget(dlg)
    dlg.show()
    type_cjk(dlg.shop_name, "不要保存")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert services.settings.get("shop_name") == ""

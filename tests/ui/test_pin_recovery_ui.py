"""Issue 13 item 7 in the window: the recovery code is shown once after setting the PIN (copy, print
to PDF), no PIN dialog names the reset command, and a reset without the code shows a banner until
the owner sets a new PIN and acknowledges it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel

from jxc_desktop.ui import guard
from jxc_desktop.ui.dialogs.pin_dialog import PinDialog, SetPinDialog
from jxc_desktop.ui.dialogs.recovery_code_dialog import RecoveryCodeDialog
from jxc_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _no_owner_grace():  # type: ignore[no-untyped-def]
    guard.lock_now()
    yield
    guard.lock_now()


@pytest.fixture
def chinese(qapp):  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.i18n import install

    install(qapp, "zh_CN")
    yield
    install(qapp, "en")


def _texts(widget) -> str:  # type: ignore[no-untyped-def]
    return " ".join(label.text() for label in widget.findChildren(QLabel))


def test_set_pin_shows_the_recovery_code_once(qtbot, chinese, services, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dlg = SetPinDialog(services)
    qtbot.addWidget(dlg)
    assert "reset" not in _texts(dlg) and "i-am-the-owner" not in _texts(dlg)
    dlg.new.setText("2468")
    dlg.again.setText("2468")
    dlg.accept()
    shown = dlg.recovery_dialog
    assert isinstance(shown, RecoveryCodeDialog) and shown.code_edit.text() == dlg.recovery_code
    assert shown.code_edit.isReadOnly()
    shown.copy_button.click()
    assert QGuiApplication.clipboard().text() == dlg.recovery_code
    pdf = shown.print_to_pdf(tmp_path / "code.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000
    services.pin.reset_with_code(dlg.recovery_code)  # the code shown is the one that works
    assert not services.pin.is_set()
    shown.resize(640, 240)
    shown.show()
    qtbot.waitExposed(shown)
    shown.grab().save("/tmp/pin-recovery-code.png")


def test_pin_dialog_does_not_tell_the_cashier_how_to_reset(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    services.pin.set_pin("2468")
    for dlg in (PinDialog(services, "refund"), SetPinDialog(services)):
        qtbot.addWidget(dlg)
        assert "jxc pin" not in _texts(dlg) and "i-am-the-owner" not in _texts(dlg)


def test_reset_without_code_shows_a_banner_until_acknowledged(qtbot, chinese, services, db_path) -> None:  # type: ignore[no-untyped-def]
    services.pin.set_pin("2468")
    services.pin.reset(reason="jxc pin reset")
    w = MainWindow(services, db_path)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    banner = w.safety.reset_banner
    assert banner.isVisible() and "恢复码" in w.safety.reset_label.text()
    w.grab().save("/tmp/pin-reset-banner.png")

    w.safety.acknowledge_button.click()  # no PIN yet: set one first
    setter = w.safety.pin_dialog
    assert isinstance(setter, SetPinDialog) and setter.isVisible()
    setter.new.setText("1357")
    setter.again.setText("1357")
    setter.accept()
    setter.recovery_dialog.accept()
    assert banner.isVisible()  # a new PIN alone does not hide it

    def answer() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, PinDialog)
        dlg.pin_edit.setText("1357")
        dlg.accept()

    QTimer.singleShot(50, answer)
    w.safety.acknowledge_button.click()
    assert not banner.isVisible() and services.pin.reset_notice() is None

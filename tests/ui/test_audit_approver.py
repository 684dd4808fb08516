"""Each protected action names the person who approved it in the audit trail: the owner who typed the
PIN (and during the unlocked minutes after), else the cashier signed in at the till (issue 18)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from jxc_desktop.services.purchasing.dto import LineInput, NoteInput
from jxc_desktop.services.purchasing.suppliers import SupplierInput
from jxc_desktop.ui import guard
from jxc_desktop.ui.checkout_tab import CheckoutTab
from jxc_desktop.ui.dialogs.pin_dialog import PinDialog
from jxc_desktop.ui.dialogs.till_settings_dialog import TillSettingsDialog
from jxc_desktop.ui.purchase_actions import reverse_note
from jxc_desktop.ui.till_session import session_for


def type_pin(pin: str) -> None:
    dlg = QApplication.activeModalWidget()
    assert isinstance(dlg, PinDialog)
    dlg.pin_edit.setText(pin)
    dlg.accept()
    if dlg.isVisible():  # a wrong PIN keeps the dialog open: the cashier gives up
        dlg.reject()


def rows(services, action: str):  # type: ignore[no-untyped-def]
    return services.audit.query(action=action)


def test_owner_named_on_reversal_and_settings_cashier_on_wrong_pin(qtbot, services, make_product) -> None:  # type: ignore[no-untyped-def]
    services.staff.add("王芳", "1", "1111")
    services.staff.add("张老板", "9", role="owner")
    services.pin.set_pin("8888")
    tab = CheckoutTab(services)
    qtbot.addWidget(tab)
    session_for(services).sign_in(services.staff.get("王芳"))
    supplier = services.suppliers.add(SupplierInput("庚"))
    p = make_product("酱油", 900, 500)
    note = services.purchasing.post(NoteInput(supplier.id, (LineInput(p.id, 2000, 500),)))

    QTimer.singleShot(50, lambda: type_pin("0000"))  # the cashier tries a PIN she does not know
    assert reverse_note(None, services, note, ask=False) is None
    assert [e.actor for e in rows(services, "pin_wrong")] == ["王芳"]
    assert rows(services, "reversal") == []

    QTimer.singleShot(50, lambda: type_pin("8888"))  # the owner comes over and types it
    assert reverse_note(None, services, note, ask=False) is not None
    assert [e.actor for e in rows(services, "reversal")] == ["张老板"]

    tab.open_settings()  # within the owner's unlocked minutes: no PIN asked, the owner is named
    dialog = tab.dialog
    assert isinstance(dialog, TillSettingsDialog)
    dialog.auto_print.setChecked(not dialog.auto_print.isChecked())
    dialog.accept()
    assert rows(services, "settings")[0].actor == "张老板"

    guard.lock_now(services)  # the owner leaves: what the cashier does now is hers
    services.settings.update({"shop_name": "好邻居便利店"})
    assert rows(services, "settings")[0].actor == "王芳"
    session_for(services).sign_out()


def test_cashier_named_on_settings_without_a_pin(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    services.staff.add("李强", "2", "2222")
    tab = CheckoutTab(services)
    qtbot.addWidget(tab)
    session_for(services).sign_in(services.staff.get("李强"))
    assert guard.ensure_owner(tab, services, "settings")  # no PIN set: the cashier may
    services.settings.update({"receipt_footer": "谢谢惠顾"})
    assert rows(services, "settings")[0].actor == "李强"
    session_for(services).sign_out()
    services.settings.update({"receipt_footer": "欢迎再来"})
    assert rows(services, "settings")[0].actor == ""  # nobody signed in, no owner PIN: nobody to name

"""The owner signing in at the till (with the owner PIN) unlocks the protected screens for the usual
minutes, names the owner in the audit trail, and signing out locks them again; a cashier signing in
unlocks nothing (issue 18)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from jxc_desktop.ui import guard
from jxc_desktop.ui.dialogs.shift_dialogs import SignInDialog
from jxc_desktop.ui.staff_status import StaffStatus
from tests.ui.test_checkout_tab import make_tab


def sign_in(qtbot, tab, number: str, pin: str) -> None:  # type: ignore[no-untyped-def]
    tab.staff_buttons["sign"].click()
    dlg = tab.dialog
    assert isinstance(dlg, SignInDialog)
    dlg.number.setText(number)
    dlg.pin.setText(pin)
    qtbot.keyClick(dlg.pin, Qt.Key.Key_Return)


def test_owner_sign_in_unlocks_and_sign_out_locks(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    services.staff.add("王芳", "1", "1111")
    services.staff.add("张老板", "9", role="owner")
    services.pin.set_pin("8888")
    tab = make_tab(qtbot, services)
    guard.lock_now(services)
    status = StaffStatus(services)
    qtbot.addWidget(status)

    sign_in(qtbot, tab, "1", "1111")  # a cashier: the protected screens stay locked
    assert tab.till_session.cashier_name() == "王芳" and not guard.owner_present(services)
    assert not guard.costs_visible(services)
    tab.staff_buttons["sign"].click()  # sign out

    sign_in(qtbot, tab, "9", "0000")  # the owner PIN, wrong: nothing opens
    assert tab.till_session.person is None and not guard.owner_present(services)
    assert status.unlocked.text() == ""
    tab.dialog.reject()
    sign_in(qtbot, tab, "9", "8888")
    assert tab.till_session.cashier_name() == "张老板"
    assert guard.owner_present(services) and guard.costs_visible(services)
    assert 0 < guard.owner_seconds_left(services) <= guard.GRACE_SECONDS
    assert "Unlocked by the owner: 2:00 left" in status.unlocked.text()  # shown at once, not a second later
    assert guard.ensure_owner(tab, services, "settings")  # no PIN asked again
    services.settings.update({"shop_name": "好邻居"})
    assert services.audit.query(action="settings")[0].actor == "张老板"

    tab.staff_buttons["sign"].click()  # the owner signs out: locked again
    assert tab.till_session.person is None and not guard.owner_present(services)
    assert status.unlocked.text() == ""

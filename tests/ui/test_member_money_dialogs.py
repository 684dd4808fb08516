"""The members' money dialogs driven by keys: a top-up with a bonus by WeChat (its CZ number, the
balance), bad amounts kept in the dialog with nothing written; the owner's correction behind the
PIN with its reason; the ledger table lists both ledgers with balances."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from sqlalchemy import select

from jxc_desktop.db.models import AuditLog
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.ui import guard, member_money_actions
from jxc_desktop.ui.dialogs.member_money_dialogs import AdjustDialog, LedgerDialog, TopUpDialog
from tests.ui.cjk import type_cjk


@pytest.fixture
def member(services):  # type: ignore[no-untyped-def]
    return services.members.add(MemberInput(phone="13800005678", name="王芳"))


def _when_open(qtbot, kind, act) -> None:  # type: ignore[no-untyped-def]
    """Run ``act(dialog)`` once a modal dialog of ``kind`` is up (exec() blocks the test)."""
    def poll() -> None:
        from PySide6.QtWidgets import QApplication

        for w in QApplication.topLevelWidgets():
            if isinstance(w, kind) and w.isVisible():
                act(w)
                return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def test_top_up_with_bonus_by_keys(qtbot, services, db, member) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def act(dlg: TopUpDialog) -> None:
        qtbot.keyClicks(dlg.amount, "0")
        qtbot.keyClick(dlg.amount, Qt.Key.Key_Return)  # zero: refused, the dialog stays
        seen.append(dlg.error.text())
        dlg.amount.selectAll()
        qtbot.keyClicks(dlg.amount, "100")
        qtbot.keyClicks(dlg.bonus, "10")
        dlg.method.setCurrentIndex(dlg.method.findData("wechat"))
        qtbot.keyClick(dlg.amount, Qt.Key.Key_Return)

    _when_open(qtbot, TopUpDialog, act)
    result = member_money_actions.top_up(None, services, member)
    assert seen and "more than zero" in seen[0]
    assert result is not None and result.number.startswith("CZ") and result.stored_value == 11000
    assert (result.amount, result.bonus, result.method) == (10000, 1000, "wechat")
    assert services.member_money.balances(member.id) == (0, 11000)


def test_owner_correction_needs_the_pin_and_a_reason(qtbot, services, db, member, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    answers = iter([False, True])
    monkeypatch.setattr(guard, "ensure_owner", lambda *_a: next(answers))
    assert member_money_actions.adjust(None, services, member) is False  # the PIN refused: no dialog

    seen: list[str] = []

    def act(dlg: AdjustDialog) -> None:
        qtbot.keyClicks(dlg.amount, "300")
        qtbot.keyClick(dlg.amount, Qt.Key.Key_Return)  # no reason yet
        seen.append(dlg.error.text())
        dlg.reason.setFocus()
        type_cjk(dlg.reason, "开卡送积分")
        qtbot.keyClick(dlg.reason, Qt.Key.Key_Return)

    _when_open(qtbot, AdjustDialog, act)
    assert member_money_actions.adjust(None, services, member) is True
    assert seen and "Say why" in seen[0]
    assert services.member_money.balances(member.id) == (300, 0)
    with db.read() as uow:
        row = uow.session.scalar(select(AuditLog).where(AuditLog.action == "points_adjust"))
        assert row is not None and row.detail == "开卡送积分"


def test_ledger_lists_both_ledgers(qtbot, services, member) -> None:  # type: ignore[no-untyped-def]
    services.member_money.topup(member.id, 5000, bonus=500)
    services.member_money.adjust_points(member.id, 20, "补录")
    dlg = LedgerDialog(None, member.name, services.member_money.points_ledger(member.id),
                       services.member_money.value_ledger(member.id))
    qtbot.addWidget(dlg)
    t = dlg.table
    rows = [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
    assert len(rows) == 3
    assert rows[0][1:5] == ["Stored value", "Top-up", "¥50.00", "¥50.00"]
    assert rows[1][1:5] == ["Stored value", "Bonus", "¥5.00", "¥55.00"]
    assert rows[2][1:5] == ["Points", "Correction", "+20", "20"]


def test_till_settings_hold_the_members_money_rules(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.dialogs.till_settings_dialog import TillSettingsDialog

    dlg = TillSettingsDialog(services.settings)
    qtbot.addWidget(dlg)
    form = dlg.member_money
    assert (form.per_yuan.value(), form.rate.value(), form.promoted.isChecked(), form.limit.value()) == (
        1, 100, False, 500)
    form.per_yuan.setValue(2)
    form.rate.setValue(50)
    form.promoted.setChecked(True)
    form.limit.setValue(0)
    dlg.accept()
    rules = services.member_money.rules()
    assert (rules.points_per_yuan, rules.redeem_rate, rules.points_on_promoted, rules.sv_pin_limit) == (2, 50, True, 0)


def test_members_tab_tops_up_the_selected_member(qtbot, services, member) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    from jxc_desktop.ui.members_tab import MembersTab

    tab = MembersTab(services)
    qtbot.addWidget(tab)
    buttons = {b.text(): b for b in tab.findChildren(QPushButton)}
    tab.table.selectRow(0)
    assert tab.current() is not None and tab.current().id == member.id

    def act(dlg: TopUpDialog) -> None:
        qtbot.keyClicks(dlg.amount, "50")
        qtbot.keyClick(dlg.amount, Qt.Key.Key_Return)

    _when_open(qtbot, TopUpDialog, act)
    buttons["Top up…"].click()
    assert services.member_money.balances(member.id) == (0, 5000)
    qtbot.waitUntil(lambda: "¥50.00" in tab.owed.text(), timeout=10_000)

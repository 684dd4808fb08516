"""The members tab: a member added through the form (Chinese name typed as an input method does),
a phone already used refused in the form's red line with nothing written, found as you type,
deactivated; a level edited only with the owner; the levels and what the shop owes its members."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.ui import guard
from jxc_desktop.ui.dialogs.member_form import LevelFormDialog, MemberFormDialog
from jxc_desktop.ui.main_window import TAB_FACTORIES
from jxc_desktop.ui.members_tab import MembersTab
from tests.ui.cjk import type_cjk


def test_add_find_deactivate_and_levels(qtbot, services, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert any(spec.key == "members" for spec in TAB_FACTORIES)
    services.members.add(MemberInput(phone="13800001234", name="张三", level="银卡"))
    tab = MembersTab(services)
    qtbot.addWidget(tab)
    tab.resize(1100, 500)
    tab.show()
    qtbot.waitExposed(tab)
    assert tab.model.rowCount() == 1
    assert [tab.levels_model.data(tab.levels_model.index(r, 0)) for r in range(3)] == ["普通", "银卡", "金卡"]
    assert "1 members hold 0 points" in tab.owed.text()

    dialog = tab.edit(None)
    assert isinstance(dialog, MemberFormDialog)
    qtbot.keyClicks(dialog.phone, "13800001234")  # 张三's phone
    type_cjk(dialog.name, "李四")
    dialog.level.setCurrentIndex(dialog.level.findData("金卡"))
    dialog.accept()
    assert dialog.isVisible() and "already used by another member" in dialog.error_label.text()
    assert len(services.members.list()) == 1
    dialog.phone.clear()
    qtbot.keyClicks(dialog.phone, "13900005678")
    qtbot.keyClicks(dialog.birthday, "1990-05-01")
    dialog.accept()
    assert not dialog.isVisible()
    added = services.members.by_key("13900005678")
    assert (added.name, added.level, added.birthday.isoformat()) == ("李四", "金卡", "1990-05-01")
    assert tab.model.rowCount() == 2

    qtbot.keyClicks(tab.search, "5678")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=5000)
    tab.table.selectRow(0)
    tab.active_button.click()
    assert services.members.get(added.id).active is False
    assert tab.model.rowCount() == 0  # inactive members are hidden unless asked for
    tab.show_inactive.setChecked(True)
    assert tab.model.rowCount() == 1

    monkeypatch.setattr(guard, "ensure_owner", lambda *a, **k: False)  # the owner is not there
    tab.levels.selectRow(1)
    assert tab.edit_level(tab.current_level()) is None
    monkeypatch.setattr(guard, "ensure_owner", lambda *a, **k: True)
    level_dialog = tab.edit_level(tab.current_level())
    assert isinstance(level_dialog, LevelFormDialog) and level_dialog.name.text() == "银卡"
    level_dialog.price_pct.setValue(88)
    level_dialog.accept()
    assert not level_dialog.isVisible()
    assert tab.levels_model.data(tab.levels_model.index(1, 1)) == "88%"
    tab.grab().save(str(tmp_path / "members_tab.png"))
    qtbot.keyClick(tab.search, Qt.Key.Key_Escape)  # nothing happens, the tab stays usable

"""Issue 13 item 5: with a PIN set and the owner away, import, export, the product form's costs,
the count's ¥ values and ``jxc audit`` all need the owner."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from jxc_desktop.cli import main as jxc
from jxc_desktop.ui import guard
from jxc_desktop.ui.dialogs.pin_dialog import PinDialog
from jxc_desktop.ui.main_window import MainWindow
from jxc_desktop.ui.models.count_lines import Col


@pytest.fixture(autouse=True)
def _no_owner_grace():  # type: ignore[no-untyped-def]
    guard.lock_now()
    yield
    guard.lock_now()


def _answer_pin(asked: list[str], pin: str | None) -> None:
    dlg = QApplication.activeModalWidget()
    assert isinstance(dlg, PinDialog)
    asked.append(dlg.action)
    if pin is None:
        dlg.reject()
    else:
        dlg.pin_edit.setText(pin)
        dlg.accept()


def test_locked_window_import_and_export_ask_the_owner(qtbot, services, db_path, make_product,
                                                       monkeypatch) -> None:  # type: ignore[no-untyped-def]
    make_product("矿泉水", 200, 120, 5)
    services.pin.set_pin("2468")
    w = MainWindow(services, db_path)
    qtbot.addWidget(w)
    w.show()
    picked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (picked.append("open"), ("", ""))[1])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (picked.append("save"), ("", ""))[1])
    asked: list[str] = []
    for action in (w.import_action, w.export_action):
        QTimer.singleShot(50, lambda: _answer_pin(asked, None))
        action.trigger()
    assert asked == ["edit_data", "view_profit"] and picked == []  # refused: no file was even asked for
    QTimer.singleShot(50, lambda: _answer_pin(asked, "2468"))
    w.import_action.trigger()
    assert asked[-1] == "edit_data" and picked == ["open"]


def test_product_form_hides_and_keeps_the_cost(qtbot, services, make_product) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.dialogs.product_dialog import ProductDialog

    p = make_product("饼干", 600, 400, 3)
    services.pin.set_pin("7777")
    dlg = ProductDialog(services, p)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.ref_cost.isHidden() and dlg.ref_cost.text() == ""
    dlg.spec.setText("200g")
    saved = dlg.save()
    assert saved is not None and saved.ref_cost == 400 and saved.spec == "200g"
    assert not services.audit.query(action="price_change")
    guard._owner_until[id(services)] = guard.time.monotonic() + 60  # the owner is here
    dlg = ProductDialog(services, services.catalog.get(p.id))
    qtbot.addWidget(dlg)
    assert not dlg.ref_cost.isHidden() and dlg.ref_cost.text() == "4.00"
    dlg.ref_cost.setText("4.50")
    assert dlg.save() is not None
    entry = services.audit.query(action="price_change")[0]
    assert '"ref_cost":400' in entry.before and '"ref_cost":450' in entry.after


def test_count_tab_hides_values_from_the_cashier(qtbot, services, make_product) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.count_tab import CountTab

    make_product("酸奶", 500, 320, 4)
    tab = CountTab(services)
    qtbot.addWidget(tab)
    tab.new_count_dialog().accept()
    tab.refresh()
    assert not tab.table.isColumnHidden(Col.VALUE) and "¥" in tab.summary_label.text()
    services.pin.set_pin("5151")
    tab.refresh()
    assert tab.table.isColumnHidden(Col.VALUE) and "¥" not in tab.summary_label.text()
    asked: list[str] = []
    QTimer.singleShot(50, lambda: _answer_pin(asked, None))
    tab.save_pdf_dialog("variance")
    assert asked == ["view_profit"]


def test_cli_audit_needs_the_pin(capsys, db_path: Path, tmp_path: Path) -> None:
    pin = tmp_path / "pin.txt"
    pin.write_text("9090\n")
    assert jxc(["--db", str(db_path), "pin", "set", "--new-pin-file", str(pin)]) == 0
    capsys.readouterr()
    assert jxc(["--db", str(db_path), "audit"]) == 2
    assert "--pin-file" in capsys.readouterr().err
    assert jxc(["--db", str(db_path), "--pin-file", str(pin), "audit"]) == 0
    assert "pin_set" in capsys.readouterr().out

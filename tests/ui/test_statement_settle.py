"""撤销核销 and 核销/冲销 from the statement (对账单), through the real widgets and the owner PIN.

A supplier: note N1 100 × 2.00 = 200.00, paid 150.00 (allocated to N1). On the statement the
payment's row is chosen and its allocation undone: N1 is 200.00 open again, the payment 150.00
unapplied, the balance unchanged (50.00). A customer: 20 × 3.00 = 60.00 on account, 59.50
collected: the sale's last 0.50 is written off (after a refused 9.00), the balance 0.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from jxc_desktop.domain.clock import local_today
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER
from jxc_desktop.ui import accounts_settle, guard
from jxc_desktop.ui.accounts_settle import WriteOffDialog
from jxc_desktop.ui.accounts_statement import StatementPage
from jxc_desktop.ui.dialogs.pin_dialog import PinDialog
from tests.ui.cjk import type_cjk
from tests.unit.accounts_fixtures import customer, deliver, noon, sell, supplier

PIN = "8080"


def _pin_soon(typed: list[str]) -> None:
    """Type the owner PIN into the PIN dialog the next action opens."""
    def answer() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, PinDialog)
        typed.append(dlg.action)
        dlg.pin_edit.setText(PIN)
        dlg.accept()
    QTimer.singleShot(50, answer)


def _click_row(qtbot, page: StatementPage, kind: str) -> None:  # type: ignore[no-untyped-def]
    i = next(i for i, r in enumerate(page.current.rows) if r.kind == kind)
    rect = page.table.visualRect(page.model.index(i, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.settle.row is page.current.rows[i]


def _page(qtbot, services, party: str, pid: int) -> StatementPage:  # type: ignore[no-untyped-def]
    page = StatementPage(services)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.choose(party, pid, days=5)
    assert page.current is not None
    return page


def test_undo_an_allocation_from_the_statement(qtbot, services, make_product, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    day = local_today() - timedelta(days=1)
    cola = make_product("可乐", 300, 200, qty=0)
    sid = supplier(services, "批发部", 30)
    n1 = deliver(services, sid, day, [(cola.id, 100, 200)])
    pay = services.accounts.pay(sid, 15000, day=day, at=noon(day))
    services.pin.set_pin(PIN)
    guard.lock_now(services)
    page = _page(qtbot, services, SUPPLIER, sid)
    assert not page.settle.undo_button.isEnabled()  # nothing chosen yet

    _click_row(qtbot, page, "pay")
    assert not page.settle.write_off_button.isEnabled()  # a payment has nothing open to write off
    asked: list[str] = []
    monkeypatch.setattr(accounts_settle, "confirm", lambda parent, text, *a, **k: asked.append(text) or True)
    typed: list[str] = []
    _pin_soon(typed)
    qtbot.mouseClick(page.settle.undo_button, Qt.MouseButton.LeftButton)
    assert typed == ["unallocate"]
    assert n1.number in asked[0] and pay.number in asked[0] and "150.00" in asked[0]
    assert "undone" in page.settle.message.text()
    docs = services.accounts.open_documents(SUPPLIER, sid)
    assert [(d.number, d.open) for d in docs] == [(n1.number, 20000)]
    assert [d.open for d in services.accounts.open_documents(SUPPLIER, sid, credits=True)] == [-15000]
    assert page.current.closing == 5000  # the balance does not move: only what settles what
    assert services.audit.query(action="unallocate")

    # nothing left to undo on the payment: said, nothing asked
    _click_row(qtbot, page, "pay")
    qtbot.mouseClick(page.settle.undo_button, Qt.MouseButton.LeftButton)
    assert "no allocation" in page.settle.message.text() and len(asked) == 1
    guard.lock_now(services)


def test_write_off_from_the_statement(qtbot, services, make_product, tmp_path) -> None:  # type: ignore[no-untyped-def]
    day = local_today() - timedelta(days=1)
    cola = make_product("可乐", 300, 200, qty=50)
    fan = customer(services, "饭店", limit=100000)
    sale = sell(services, cola, 20, day, customer_id=fan)
    services.accounts.collect(fan, 5950, day=day, at=noon(day))
    services.pin.set_pin(PIN)
    guard.lock_now(services)
    page = _page(qtbot, services, CUSTOMER, fan)

    _click_row(qtbot, page, "sale")
    qtbot.mouseClick(page.settle.write_off_button, Qt.MouseButton.LeftButton)
    dialog = page.settle.dialog
    assert isinstance(dialog, WriteOffDialog) and dialog.amount.text() == "0.50"
    qtbot.waitExposed(dialog)
    dialog.amount.selectAll()
    qtbot.keyClicks(dialog.amount, "9")  # more than is open
    typed: list[str] = []
    _pin_soon(typed)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert typed == ["write_off"]
    assert "0.50" in page.settle.message.text()  # refused: only 0.50 is open; nothing written
    assert [d.open for d in services.accounts.open_documents(CUSTOMER, fan)] == [50]

    _click_row(qtbot, page, "sale")
    qtbot.mouseClick(page.settle.write_off_button, Qt.MouseButton.LeftButton)
    dialog = page.settle.dialog
    qtbot.waitExposed(dialog)
    dialog.amount.selectAll()
    qtbot.keyClicks(dialog.amount, "abc")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.text()  # not an amount: the dialog stays
    dialog.amount.selectAll()
    qtbot.keyClicks(dialog.amount, "0.50")
    type_cjk(dialog.note, "抹零")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert "written off" in page.settle.message.text()
    assert services.accounts.open_documents(CUSTOMER, fan) == []
    assert page.current.closing == 0
    adjust = page.current.rows[-1]
    assert (adjust.kind, adjust.credit, adjust.note, adjust.number) == ("adjust", 50, "抹零", sale.number)
    assert services.audit.query(action="write_off", text=sale.number)
    assert page.grab().save(str(tmp_path / "statement_settle.png"))
    guard.lock_now(services)

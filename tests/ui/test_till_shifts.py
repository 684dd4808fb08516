"""The till as a workplace, on real widgets: two cashiers sign in and work one shift each (sales,
a return approved by the owner, a pay-out), close with a counted cash 1.00 short, and the shift
slips, the day summary and the status bar show it to the fen; the books still reconcile."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from jxc_desktop.db.models import HeldSale, Sale
from jxc_desktop.domain.clock import local_day
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.reports.receipt import day_summary_pdf
from jxc_desktop.services.safety.books_check import run_check
from jxc_desktop.ui import guard
from jxc_desktop.ui.checkout_tab import CheckoutTab
from jxc_desktop.ui.dialogs.pay_dialog import PayDialog
from jxc_desktop.ui.dialogs.return_dialog import ReturnDialog
from jxc_desktop.ui.dialogs.shift_dialogs import (
    CashMoveDialog,
    CloseShiftDialog,
    OpenShiftDialog,
    SignInDialog,
)
from jxc_desktop.ui.staff_status import StaffStatus
from jxc_desktop.ui.till_session import session_for
from tests.ui.cjk import type_cjk

COLA, CHIPS = "6901234567892", "6920152400012"


@pytest.fixture
def shop(services):  # type: ignore[no-untyped-def]
    cat = services.catalog
    cat.create_product(ProductInput(name="可口可乐", sale_price=350, ref_cost=200, barcodes=((COLA, 1),)),
                       opening_qty=50_000)
    cat.create_product(ProductInput(name="乐事薯片", sale_price=650, ref_cost=400, barcodes=((CHIPS, 1),)),
                       opening_qty=20_000)
    services.settings.update({"shop_name": "好邻居便利店", "use_shifts": "1"})
    services.staff.add("王芳", "1", "1111")
    services.staff.add("李强", "2", "2222")
    services.staff.add("张老板", "9", role="owner")
    services.pin.set_pin("8888")
    return services


def make_tab(qtbot, services) -> CheckoutTab:  # type: ignore[no-untyped-def]
    tab = CheckoutTab(services)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow, timeout=30_000)
    tab.lookup.setFocus()
    return tab


def scan(qtbot, tab: CheckoutTab, code: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(tab.lookup, code)
    qtbot.keyClick(tab.lookup, Qt.Key.Key_Return)


def type_in(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def enter(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def pdf_text(data: bytes, path: Path) -> str:
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def sign_in_and_open(qtbot, tab: CheckoutTab, number: str, pin: str, float_yuan: str | None) -> None:  # type: ignore[no-untyped-def]
    tab.activateWindow()  # after a slip's print offer, the till is the active window again
    qtbot.waitUntil(tab.isActiveWindow, timeout=30_000)
    qtbot.keyClick(tab.lookup, Qt.Key.Key_F12)  # pay asks who is selling first
    dlg = tab.dialog
    assert isinstance(dlg, SignInDialog)
    type_in(qtbot, dlg.number, number)
    type_in(qtbot, dlg.pin, "0000")
    enter(qtbot, dlg.pin)
    assert "Wrong PIN (4 tries left)" in dlg.error.text() and tab.dialog is dlg  # stays open
    type_in(qtbot, dlg.pin, pin)
    enter(qtbot, dlg.pin)
    assert tab.dialog is None and tab.till_session.person is not None
    qtbot.keyClick(tab.lookup, Qt.Key.Key_F12)  # then a shift, with the float
    dlg = tab.dialog
    assert isinstance(dlg, OpenShiftDialog)
    if float_yuan is not None:
        type_in(qtbot, dlg.float_edit, float_yuan)
    enter(qtbot, dlg.float_edit)
    assert tab.dialog is None and tab.till_session.shift_id() is not None


def pay(qtbot, tab: CheckoutTab, method: str, amount: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(tab.lookup, Qt.Key.Key_F12)
    dlg = tab.dialog
    assert isinstance(dlg, PayDialog)
    if method != "cash":
        dlg.fields["cash"].clear()
    type_in(qtbot, dlg.fields[method], amount)
    enter(qtbot, dlg.fields[method])
    assert tab.dialog is None and tab.cart.empty


def test_two_cashiers_two_shifts_one_yuan_short_each(qtbot, shop, db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    services = shop
    tab = make_tab(qtbot, services)
    status = StaffStatus(services)
    qtbot.addWidget(status)
    assert status.text() == "Nobody signed in" and status.unlocked.isHidden()

    # ---- 王芳: float 200.00, a cash sale, a WeChat sale, a cash refund, a 20.00 pay-out
    scan(qtbot, tab, COLA)
    sign_in_and_open(qtbot, tab, "1", "1111", "200")
    assert status.text().startswith("Cashier: 王芳") and "Shift" in status.text()
    pay(qtbot, tab, "cash", "10")  # 3.50, change 6.50
    first = tab.last_sale
    assert first is not None and first.change == 650 and first.cashier == "王芳"
    assert "Cashier: 王芳" in pdf_text(tab.last_receipt_pdf, tmp_path / "receipt.pdf")
    scan(qtbot, tab, CHIPS)
    scan(qtbot, tab, CHIPS)
    pay(qtbot, tab, "wechat", "13")
    assert tab.last_sale is not None and [p.method for p in tab.last_sale.payments] == ["wechat"]
    tab.grab().save(str(tmp_path / "till.png"))

    def owner_here(_parent, svc, _action) -> bool:  # type: ignore[no-untyped-def]
        guard._owner_until[id(svc)] = time.monotonic() + guard.GRACE_SECONDS  # the owner typed the PIN
        return True

    monkeypatch.setattr(guard, "ensure_owner", owner_here)
    qtbot.keyClick(tab.lookup, Qt.Key.Key_F10)
    ret_dlg = tab.dialog
    assert isinstance(ret_dlg, ReturnDialog)
    type_in(qtbot, ret_dlg.number, first.number)
    enter(qtbot, ret_dlg.number)
    ret_dlg.model.setData(ret_dlg.model.index(0, 5), "1")
    ret_dlg.method.setCurrentIndex(ret_dlg.method.findData("cash"))
    ret_dlg.post()
    assert tab.dialog is None and tab.last_sale is not None and tab.last_sale.kind == "return"
    status.tick()
    assert status.unlocked.text().startswith("Unlocked by the owner: 1:") or \
        status.unlocked.text().startswith("Unlocked by the owner: 2:00")
    guard.lock_now(services)
    status.tick()
    assert status.unlocked.isHidden()

    tab.staff_buttons["cash"].click()
    move = tab.dialog
    assert isinstance(move, CashMoveDialog)
    type_in(qtbot, move.amount, "20")
    type_cjk(move.reason, "付送货费")
    enter(qtbot, move.amount)
    assert tab.dialog is None

    services.held_sales.hold(services.checkout.price(tab.cart).lines and tab.cart or _one_cola(services), "等会来")
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    tab.staff_buttons["shift"].click()
    assert asked and "1 held sale(s) are still open" in asked[0]
    close = tab.dialog
    assert isinstance(close, CloseShiftDialog)
    # expected 200.00 + 3.50 − 3.50 − 20.00 = 180.00; counted 179.00: 100 + 50 + 20 + 5 + 4 × 1
    for fen, n in ((10000, 1), (5000, 1), (2000, 1), (500, 1), (100, 4)):
        close.pieces[fen].setValue(n)
    assert close.by_notes.text() == "Notes and coins: ¥179.00"
    type_in(qtbot, close.float_left, "100")
    close.grab().save(str(tmp_path / "close_shift.png"))
    enter(qtbot, close.float_left)
    assert tab.dialog is None and tab.till_session.person is None  # signed out after the slip
    slip1 = pdf_text(tab.last_receipt_pdf, tmp_path / "slip1.pdf")
    for want in ("王芳", "¥200.00", "¥180.00", "¥179.00", "-¥1.00", "付送货费", "-¥20.00", "¥100.00", "¥79.00"):
        assert want in slip1, want

    # ---- 李强: the float left (100.00) is the default; a cash sale; counted as one sum, 1.00 short
    scan(qtbot, tab, CHIPS)
    assert len(tab.cart.lines) == 1, tab.message.text()
    sign_in_and_open(qtbot, tab, "2", "2222", None)
    assert services.shifts.current() is not None and services.shifts.current().float_amount == 10000
    pay(qtbot, tab, "cash", "10")
    tab.staff_buttons["shift"].click()
    close = tab.dialog
    assert isinstance(close, CloseShiftDialog)
    type_in(qtbot, close.total, "105.50")  # expected 100.00 + 6.50 = 106.50
    enter(qtbot, close.total)
    assert tab.dialog is None
    slip2 = pdf_text(tab.last_receipt_pdf, tmp_path / "slip2.pdf")
    for want in ("李强", "¥106.50", "¥105.50", "-¥1.00"):
        assert want in slip2, want

    # ---- the day summary adds the shifts up; every document names its cashier and shift
    day = services.checkout.day_summary(local_day(first.created_at))  # the day the shifts were worked
    assert (day.shifts.expected, day.shifts.counted, day.shifts.over_short) == (28650, 28450, -200)
    text = pdf_text(day_summary_pdf(day, services.checkout.shop_info()), tmp_path / "day.pdf")
    for want in ("王芳", "李强", "¥286.50", "¥284.50", "-¥2.00", "-¥20.00"):
        assert want in text, want
    with db.read() as uow:
        s = uow.session
        rows = [(r.kind, r.cashier_id is not None, r.shift_id is not None) for r in s.scalars(select(Sale))]
        assert rows and all(c and sh for _k, c, sh in rows) and len(rows) == 4
        assert s.scalar(select(HeldSale.cashier_id)) is None  # held from the service, not the till
    refund = services.audit.query(action="refund")[0]
    assert refund.actor == "张老板"
    assert run_check(db).ok, run_check(db).problems


def _one_cola(services):  # type: ignore[no-untyped-def]
    from jxc_desktop.domain.cart import Cart

    return Cart((services.checkout.line_for_scan(COLA),))


def test_a_shop_without_cashiers_never_asks(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    services.catalog.create_product(ProductInput(name="可口可乐", sale_price=350, ref_cost=200,
                                                 barcodes=((COLA, 1),)), opening_qty=5_000)
    tab = make_tab(qtbot, services)
    scan(qtbot, tab, COLA)
    pay(qtbot, tab, "cash", "5")
    assert tab.last_sale is not None and session_for(services).person is None
    assert tab.cashier_name() == "owner"
    status = StaffStatus(services)
    qtbot.addWidget(status)
    assert status.text() == ""


def test_idle_sign_out_and_the_staff_dialog(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.dialogs.staff_dialog import StaffDialog

    dlg = StaffDialog(services)
    qtbot.addWidget(dlg)
    type_cjk(dlg.name, "王芳")
    type_in(qtbot, dlg.number, "7")
    type_in(qtbot, dlg.pin, "12")
    dlg.add_btn.click()
    assert "4 to 12 digits" in dlg.error.text() and not services.staff.has_cashiers()
    type_in(qtbot, dlg.pin, "1234")
    dlg.add_btn.click()
    assert dlg.people.count() == 1 and "王芳" in dlg.people.item(0).text()
    dlg.idle.setValue(5)
    dlg.use_shifts.setChecked(True)
    dlg.save_settings()
    assert services.settings.get("idle_sign_out_min") == "5" and services.shifts.in_use()

    session = session_for(services)
    session.sign_in(services.staff.sign_in("7", "1234"))
    start = session.last_activity
    assert not session.check_idle(start + 299) and session.person is not None
    assert session.check_idle(start + 301) and session.person is None


def test_no_pin_for_cashiers_picks_the_name(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    services.settings.update({"cashier_no_pin": "1"})
    services.staff.add("王芳", "1")
    tab = make_tab(qtbot, services)
    tab.staff_buttons["sign"].click()
    dlg = tab.dialog
    assert isinstance(dlg, SignInDialog) and dlg.names.count() == 2
    dlg.names.setCurrentIndex(dlg.names.findData("王芳"))
    enter(qtbot, dlg.number)
    assert tab.dialog is None and tab.cashier_name() == "王芳"
    assert tab.staff_buttons["sign"].text() == "Sign out"
    tab.staff_buttons["sign"].click()
    assert tab.till_session.person is None and tab.staff_buttons["sign"].text() == "Sign in"

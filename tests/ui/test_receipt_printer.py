"""The till with an ESC/POS receipt printer and a cash drawer (issue 18), driven through its keys,
actions and dialogs: the receipt and the drawer pulse after a cash sale, a printer that goes
offline mid-receipt (the sale is kept, a message, F11 reprints), "open drawer" recorded with who
opened it, the printer choice and test print in the till settings, and with no printer the
on-screen preview and a real PDF saved from it. python-escpos's Dummy printer stands in for the
device (ui/escpos_device.connect), so nothing needs hardware."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from escpos.printer import Dummy
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from sqlalchemy import func, select

from jxc_desktop.db.models import AuditLog, Sale
from jxc_desktop.reports.receipt_escpos import drawer_bytes
from jxc_desktop.ui import escpos_device, printing
from jxc_desktop.ui.dialogs.till_settings_dialog import TillSettingsDialog
from tests.ui.test_checkout_tab import CHIPS, fkey, make_tab, shop  # noqa: F401 (shop: a fixture)

PULSE = drawer_bytes()


class Printer:
    """Every job the till sends; ``offline`` makes the device fail as the job is written."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.jobs: list[bytes] = []
        self.offline = False
        monkeypatch.setattr(escpos_device, "connect", self.connect)

    def connect(self, setup):  # type: ignore[no-untyped-def]
        outer = self

        class Device(Dummy):
            sent = False

            def _raw(self, msg: bytes) -> None:
                if outer.offline:
                    raise OSError(5, "Input/output error")
                super()._raw(msg)

            def close(self) -> None:  # the job is what reached the device when it closed
                if self.output and not self.sent:
                    self.sent = True
                    outer.jobs.append(self.output)

        return Device()

    def text(self, n: int = -1) -> str:
        return self.jobs[n].decode("gb18030", errors="replace")


@pytest.fixture
def printer(monkeypatch):  # type: ignore[no-untyped-def]
    return Printer(monkeypatch)


def pay_cash(qtbot, tab) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(tab.lookup, CHIPS)
    qtbot.keyClick(tab.lookup, Qt.Key.Key_Return)
    fkey(qtbot, tab, Qt.Key.Key_F12)
    qtbot.keyClick(tab.dialog.fields["cash"], Qt.Key.Key_Return)


def sales(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Sale)) or 0)


def drawer_rows(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        return list(uow.session.scalars(select(AuditLog.detail).where(AuditLog.action == "drawer_opened")))


def test_cash_sale_prints_and_opens_the_drawer(qtbot, services, shop, db, printer) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    services.settings.update({"printer_kind": "network", "escpos_network": "192.0.2.7", "auto_print_receipt": "1",
                              "drawer_on_cash": "1", "receipt_width_mm": "58"})
    tab = make_tab(qtbot, services)
    pay_cash(qtbot, tab)
    assert sales(db) == 1 and tab.last_print_error is None
    assert len(printer.jobs) == 1 and PULSE in printer.jobs[0]
    assert tab.last_sale.number in printer.text() and "乐事薯片" in printer.text()
    assert printer.jobs[0].endswith(b"\x1dV\x00")  # cut
    # auto-print off: the drawer still opens on cash, with the pulse alone
    services.settings.update({"auto_print_receipt": "0"})
    pay_cash(qtbot, tab)
    assert sales(db) == 2 and printer.jobs[-1] == PULSE
    # the drawer option off: nothing sent
    services.settings.update({"drawer_on_cash": "0"})
    pay_cash(qtbot, tab)
    assert sales(db) == 3 and len(printer.jobs) == 2
    assert drawer_rows(db) == []  # a sale's drawer opening is the sale's own record


def test_printer_offline_mid_receipt_keeps_the_sale_and_reprints(qtbot, services, shop, db, printer) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    services.settings.update({"printer_kind": "usb", "escpos_usb": "0416:5011", "auto_print_receipt": "1"})
    printer.offline = True
    tab = make_tab(qtbot, services)
    pay_cash(qtbot, tab)
    number = tab.last_sale.number
    assert sales(db) == 1 and tab.cart.empty  # posted before printing
    assert tab.last_print_error and "USB 0416:5011" in tab.last_print_error
    assert "F11" in tab.message.text() and "Input/output error" in tab.message.text()
    printer.offline = False  # paper in, printer back on
    fkey(qtbot, tab, Qt.Key.Key_F11)
    qtbot.keyClick(tab.dialog.number, Qt.Key.Key_Return)
    assert tab.last_print_error is None and number in printer.text()
    assert f"Receipt {number} printed" in tab.message.text()


def test_open_drawer_action_is_recorded_with_the_person(qtbot, services, shop, db, printer) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    tab = make_tab(qtbot, services)
    tab.drawer_action.trigger()  # the system printer cannot kick a drawer: a message, nothing recorded
    assert "did not open" in tab.message.text() and printer.jobs == [] and drawer_rows(db) == []
    services.settings.update({"printer_kind": "serial", "escpos_serial": "/dev/ttyS0"})
    printer.offline = True
    tab.drawer_action.trigger()
    assert "did not answer" in tab.message.text() and drawer_rows(db) == []
    printer.offline = False
    tab.drawer_action.trigger()
    assert printer.jobs == [PULSE] and "opened" in tab.message.text()
    rows = drawer_rows(db)
    assert len(rows) == 1 and '"by":"owner"' in rows[0] and '"reason":"manual"' in rows[0]
    assert sales(db) == 0


def test_till_settings_printer_choice_and_test_print(qtbot, services, printer) -> None:  # type: ignore[no-untyped-def]
    services.settings.update({"shop_name": "好邻居便利店"})
    dlg = TillSettingsDialog(services.settings)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.printer.isVisible() and not dlg.network.isVisible() and not dlg.drawer.isEnabled()
    dlg.kind.setCurrentIndex(dlg.kind.findData("network"))
    assert dlg.network.isVisible() and not dlg.printer.isVisible() and dlg.drawer.isEnabled()
    qtbot.keyClicks(dlg.network, "printer 1")  # not a host
    dlg.test_button.click()
    assert "host:port" in dlg.error.text() and printer.jobs == []
    dlg.network.clear()
    qtbot.keyClicks(dlg.network, "192.168.1.50:9100")
    dlg.width.setCurrentIndex(dlg.width.findData("58"))
    dlg.drawer.setChecked(True)
    dlg.test_button.click()
    assert dlg.last_test_error is None and len(printer.jobs) == 1
    assert "好邻居便利店" in printer.text() and "192.168.1.50:9100" in printer.text() and PULSE in printer.jobs[0]
    dlg.grab().save("/tmp/escpos-till-settings.png")
    printer.offline = True
    dlg.test_button.click()
    assert dlg.last_test_error and "did not answer" in dlg.test_result.text()
    assert services.settings.get("printer_kind") == "system"  # nothing saved by a test print
    dlg.accept()
    values = services.settings.all()
    assert (values["printer_kind"], values["escpos_network"], values["receipt_width_mm"],
            values["drawer_on_cash"]) == ("network", "192.168.1.50:9100", "58", "1")


def test_no_printer_preview_and_save_as_pdf(qtbot, services, shop, db, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    services.settings.update({"printer_kind": "none", "auto_print_receipt": "1"})
    tab = make_tab(qtbot, services)
    pay_cash(qtbot, tab)  # automatic: a line on the till, no dialog while the customer waits
    assert sales(db) == 1 and "F11" in tab.message.text()
    number = tab.last_sale.number
    saved = tmp_path / "receipt.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), "PDF"))
    seen: list[printing.PdfPreview] = []
    printable: list[bool] = []

    def look(dialog: printing.PdfPreview) -> None:
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(lambda: dialog.pdf.doc.pageCount() == 1)
        qtbot.wait(100)
        dialog.grab().save("/tmp/escpos-preview.png")
        printable.append(dialog.print_button.isVisible())
        dialog.save_button.click()
        seen.append(dialog)
        dialog.reject()

    monkeypatch.setattr(printing, "_exec_preview", look)
    fkey(qtbot, tab, Qt.Key.Key_F11)
    qtbot.keyClick(tab.dialog.number, Qt.Key.Key_Return)
    assert len(seen) == 1 and saved.read_bytes() == tab.last_receipt_pdf
    assert printable == [False]  # nothing to print on: save or close
    text = subprocess.run(["pdftotext", str(saved), "-"], capture_output=True, text=True, check=True).stdout
    assert number in text and "乐事薯片" in text
    # the drawer with no printer set up: the reason, nothing recorded
    tab.drawer_action.trigger()
    assert "no receipt printer is set up" in tab.message.text() and drawer_rows(db) == []


def test_escpos_preview_prints_from_the_preview(qtbot, services, shop, printer, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from jxc_desktop.domain import cart as c
    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.services.sales.dto import Tender

    services.settings.update({"printer_kind": "network", "escpos_network": "10.0.0.2:9100"})
    cart, _ = c.add(Cart(), services.checkout.line_for_scan(CHIPS))
    sale = services.checkout.post_sale(cart, [Tender("cash", 650)])
    monkeypatch.setattr(printing, "_exec_preview", lambda dialog: dialog.print_button.click())
    tab = make_tab(qtbot, services)
    fkey(qtbot, tab, Qt.Key.Key_F11)
    tab.dialog.preview.setChecked(True)
    qtbot.keyClick(tab.dialog.number, Qt.Key.Key_Return)
    assert len(printer.jobs) == 1 and sale.number in printer.text() and PULSE not in printer.jobs[0]


def test_the_preview_screenshot(qtbot, services, shop) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Looked at by eye: /tmp/escpos-preview-zh.png (the receipt at the dialog's width)."""
    from jxc_desktop.domain import cart as c
    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.reports.receipt import receipt_pdf
    from jxc_desktop.services.sales.dto import Tender
    from jxc_desktop.ui.i18n import install

    cart, _ = c.add(Cart(), services.checkout.line_for_scan(CHIPS))
    sale = services.checkout.post_sale(cart, [Tender("cash", 1000)])
    app = QApplication.instance()
    install(app, "zh_CN")
    try:
        dlg = printing.PdfPreview(None, receipt_pdf(sale, services.checkout.shop_info()), sale.number,
                                  note=printing.no_printer_message())
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.waitExposed(dlg)
        qtbot.wait(200)
        path = Path("/tmp/escpos-preview-zh.png")
        dlg.grab().save(str(path))
        assert path.stat().st_size > 5000 and dlg.save_button.text() == "另存为 PDF…"
    finally:
        install(app, "en")


def test_cash_refund_opens_the_drawer_and_a_system_printer_says_why_not(qtbot, services, shop, printer) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from jxc_desktop.domain import cart as c
    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.services.sales.dto import ReturnItem, Tender

    cart, _ = c.add(Cart(), services.checkout.line_for_scan(CHIPS))
    sale = services.checkout.post_sale(cart, [Tender("cash", 650)])
    ret = services.checkout.post_return(sale.number, [ReturnItem(sale.lines[0].id, 1000)], method="cash")
    services.settings.update({"printer_kind": "network", "escpos_network": "10.0.0.2", "drawer_on_cash": "1",
                              "auto_print_receipt": "1"})
    tab = make_tab(qtbot, services)
    tab._receipt(ret, auto=True)  # what the return (F10) does once it is posted
    assert len(printer.jobs) == 1 and PULSE in printer.jobs[0] and ret.number in printer.text()
    # the same shop on the system printer (none installed here): the receipt's problem is the message
    services.settings.update({"printer_kind": "system"})
    tab._receipt(ret, auto=True)
    assert "F11" in tab.message.text() and len(printer.jobs) == 1
    services.settings.update({"auto_print_receipt": "0", "drawer_on_cash": "1"})
    tab._receipt(ret, auto=True)  # nothing to print: the drawer alone cannot open there, and says so
    assert "not through the system printer" in tab.message.text() and len(printer.jobs) == 1

"""A shift slip (交班单) again from the till: F11 lists today's shifts, F6 prints the chosen one on the
till's printer (ESC/POS here, python-escpos's Dummy standing in), and with no printer it is a
preview that saves a PDF (issue 18)."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import Qt

from jxc_desktop import i18n
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.money import format_fen
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.ui import printing
from jxc_desktop.ui.dialogs.reprint_dialog import ReprintDialog
from tests.ui.test_checkout_tab import CHIPS, fkey, make_tab, shop  # noqa: F401 (shop: a fixture)
from tests.ui.test_receipt_printer import printer  # noqa: F401 (a fixture)


def two_shifts(services):  # type: ignore[no-untyped-def]
    """王芳's shift closed 1.00 short after a cash sale; 李强's shift still open."""
    wang = services.staff.add("王芳", "1", "1111")
    li = services.staff.add("李强", "2", "2222")
    first = services.shifts.open(wang.id, 20_000)
    cart, _ = c.add(Cart(), services.checkout.line_for_scan(CHIPS))
    services.checkout.post_sale(cart, [Tender("cash", 650)], cashier_id=wang.id, shift_id=first.id)
    closed = services.shifts.close(first.id, counted=20_000 + 650 - 100)
    second = services.shifts.open(li.id, 10_000)
    return closed, second


def test_f11_lists_todays_shifts_and_f6_prints_the_slip(qtbot, services, shop, printer) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    i18n.set_language("zh_CN")
    closed, second = two_shifts(services)
    services.settings.update({"printer_kind": "network", "escpos_network": "10.0.0.2:9100"})
    tab = make_tab(qtbot, services)
    fkey(qtbot, tab, Qt.Key.Key_F11)
    dialog = tab.dialog
    assert isinstance(dialog, ReprintDialog)
    assert [dialog.shifts.itemData(i) for i in range(dialog.shifts.count())] == [second.id, closed.id]
    assert "李强" in dialog.shifts.itemText(0) and "王芳" in dialog.shifts.itemText(1)
    dialog.grab().save("/tmp/reprint-shifts.png")
    dialog.shifts.setCurrentIndex(1)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=30_000)  # F-keys reach the active window
    qtbot.keyClick(dialog.number, Qt.Key.Key_F6)
    assert len(printer.jobs) == 1
    slip = printer.text()
    assert "交班单" in slip and "王芳" in slip and format_fen(closed.counted, symbol=False) in slip and "短款" in slip and "-￥1.00" in slip
    assert f"Shift slip {closed.id} printed" in tab.message.text()
    dialog.shifts.setCurrentIndex(0)  # the open shift: an interim slip, no count
    dialog.slip_button.click()
    assert len(printer.jobs) == 2 and "李强" in printer.text() and "实点现金" not in printer.text()

    printer.offline = True  # the printer fails: a message, nothing else changes
    dialog.slip_button.click()
    assert len(printer.jobs) == 2 and f"Shift slip {second.id} not printed" in tab.message.text()


def test_no_printer_previews_the_slip_and_saves_a_pdf(qtbot, services, shop, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    i18n.set_language("zh_CN")
    closed, _second = two_shifts(services)
    services.settings.update({"printer_kind": "none"})
    saved = tmp_path / "slip.pdf"
    monkeypatch.setattr(printing.QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), "PDF"))

    def look(preview: printing.PdfPreview) -> None:
        preview.save_button.click()
        preview.reject()

    monkeypatch.setattr(printing, "_exec_preview", look)
    tab = make_tab(qtbot, services)
    fkey(qtbot, tab, Qt.Key.Key_F11)
    tab.dialog.shifts.setCurrentIndex(tab.dialog.shifts.findData(closed.id))
    tab.dialog.slip_button.click()
    assert saved.read_bytes() == tab.last_receipt_pdf
    text = subprocess.run(["pdftotext", str(saved), "-"], capture_output=True, text=True, check=True).stdout
    assert "王芳" in text and format_fen(closed.counted, symbol=False) in text


def test_a_slip_not_printed_at_close_says_how_to_reprint(qtbot, services, shop, printer) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    closed, _second = two_shifts(services)
    services.settings.update({"printer_kind": "usb", "escpos_usb": "0416:5011"})
    tab = make_tab(qtbot, services)
    printer.offline = True
    tab._shift_closed(closed)  # what closing the shift does once the count is saved
    assert printer.jobs == [] and tab.last_print_error
    said = tab.message.text()  # the figures and the missing slip on the one line
    assert "over/short -¥1.00" in said and "Shift slip not printed" in said and "F11 then F6" in said

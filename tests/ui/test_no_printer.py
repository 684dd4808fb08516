"""Issue 13 §8: with no printer installed, everything that prints offers a preview or "save as PDF"
(once, in ui/printing.py) instead of only saying "no printer is installed"."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from jxc_desktop.ui import printing
from jxc_desktop.ui.printing import print_pdf
from tests.ui.test_printing import receipt_bytes


class Offer:
    """Answers the no-printer offer with one of its buttons and remembers what it said."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, choice: str, tmp_path: Path) -> None:
        self.choice = choice
        self.texts: list[str] = []
        self.previews: list[printing.PdfPreview] = []
        self.saved = tmp_path / "saved.pdf"
        monkeypatch.setattr(printing, "_exec", self.answer)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(self.saved), "PDF"))
        monkeypatch.setattr(printing, "_exec_preview", self.previews.append)

    def answer(self, box: QMessageBox) -> None:
        self.texts.append(box.text())
        wanted = {"pdf": printing.tr("Save as PDF…"), "preview": printing.tr("Preview")}.get(self.choice)
        button = next((b for b in box.buttons() if b.text() == wanted), box.button(QMessageBox.StandardButton.Cancel))
        button.click()


@pytest.fixture
def save_pdf(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    return Offer(monkeypatch, "pdf", tmp_path)


def test_offer_screenshot_zh(qapp, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.i18n import install

    install(qapp, "zh_CN")
    try:
        shown: list[QMessageBox] = []

        def look(box: QMessageBox) -> None:
            box.show()
            qtbot.waitExposed(box)
            box.grab().save("/tmp/backupid-no-printer.png")
            shown.append(box)
            box.button(QMessageBox.StandardButton.Cancel).click()

        monkeypatch.setattr(printing, "_exec", look)
        print_pdf(None, receipt_bytes(), title="XS20260101-0001", quiet=True)
        texts = [b.text() for b in shown[0].buttons()]
        assert "另存为 PDF…" in texts and "预览" in texts and "没有安装打印机" in shown[0].text()
    finally:
        install(qapp, "en")


def test_save_as_pdf_writes_the_document(qapp, save_pdf) -> None:  # type: ignore[no-untyped-def]
    data = receipt_bytes()
    assert print_pdf(None, data, title="XS20260101-0001") is None
    assert save_pdf.texts and "No printer is installed" in save_pdf.texts[0]
    assert save_pdf.saved.read_bytes() == data  # the very PDF, fonts and all


def test_preview_needs_no_printer(qapp, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    offer = Offer(monkeypatch, "preview", tmp_path)
    painted: list[object] = []
    monkeypatch.setattr(printing, "render_to", lambda printer, doc: painted.append(printer) or True)
    assert print_pdf(None, receipt_bytes(), preview=False) is None
    assert len(offer.previews) == 1 and not offer.saved.exists()
    assert painted == []  # nothing went to a printer: the preview paints only when it is shown
    # the preview was asked for even where the caller wanted a preview (purchase notes, reports)
    assert print_pdf(None, receipt_bytes(), preview=True) is None and len(offer.previews) == 2


def test_cancel_is_still_the_message(qapp, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    offer = Offer(monkeypatch, "cancel", tmp_path)
    assert "No printer is installed" in (print_pdf(None, receipt_bytes(), quiet=True) or "")
    assert offer.texts and not offer.saved.exists()


def test_reprint_and_end_of_day_offer_it(qtbot, services, save_pdf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain import cart as c
    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.domain.product_rules import ProductInput
    from jxc_desktop.services.sales.dto import Tender
    from tests.ui.test_checkout_tab import CHIPS, fkey, make_tab

    services.catalog.create_product(ProductInput(name="乐事薯片", sale_price=650, ref_cost=400,
                                                 barcodes=((CHIPS, 1),)), opening_qty=20_000)
    cart, _ = c.add(Cart(), services.checkout.line_for_scan(CHIPS))
    sale = services.checkout.post_sale(cart, [Tender("cash", 650)])
    tab = make_tab(qtbot, services)
    fkey(qtbot, tab, Qt.Key.Key_F11)
    qtbot.keyClick(tab.dialog.number, Qt.Key.Key_Return)  # the newest sale
    assert tab.last_print_error is None and len(save_pdf.texts) == 1
    assert save_pdf.saved.read_bytes() == tab.last_receipt_pdf and sale.number in save_pdf.texts[0]
    fkey(qtbot, tab, Qt.Key.Key_F11)
    qtbot.waitUntil(tab.dialog.isActiveWindow, timeout=30_000)
    qtbot.keyClick(tab.dialog.number, Qt.Key.Key_F5)  # the end-of-day slip
    assert len(save_pdf.texts) == 2 and save_pdf.saved.read_bytes() == tab.last_receipt_pdf


def test_an_automatic_receipt_never_stops_the_sale_with_a_dialog(qtbot, services, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    offer = Offer(monkeypatch, "pdf", tmp_path)
    assert "No printer is installed" in (print_pdf(None, receipt_bytes(), quiet=True, offer=False) or "")
    assert offer.texts == []


def test_purchase_note_and_recovery_code_offer_it(qtbot, services, make_product, save_pdf,
                                                                      monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
    from jxc_desktop.ui.dialogs.recovery_code_dialog import RecoveryCodeDialog
    from jxc_desktop.ui.purchase_actions import print_note

    p = make_product("酱油", 900, 500, 3)
    note = services.purchasing.post(NoteInput(services.suppliers.add(SupplierInput("庚")).id,
                                              (LineInput(p.id, 1000, 555),)))
    print_note(None, services, note)
    assert len(save_pdf.texts) == 1 and note.number in save_pdf.texts[0]
    assert save_pdf.saved.read_bytes().startswith(b"%PDF")
    save_pdf.saved.unlink()
    dlg = RecoveryCodeDialog("ABCD-EFGH-JKLM", "测试店")
    qtbot.addWidget(dlg)
    dlg.print_button.click()
    assert len(save_pdf.texts) == 2 and save_pdf.saved.read_bytes().startswith(b"%PDF")


def test_report_and_count_sheet_offer_it(qtbot, services, make_product, save_pdf) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.ui.count_tab import CountTab
    from jxc_desktop.ui.reports_tab import ReportsTab
    from tests.ui.test_reports_tab import TODAY
    from tests.unit import reports_scenario

    reports_scenario.build(services, make_product)
    reports = ReportsTab(services, today=lambda: TODAY)
    qtbot.addWidget(reports)
    with qtbot.waitSignal(reports.loaded, timeout=30_000):
        reports.show()
    with qtbot.waitSignal(reports.print_report().done, timeout=30_000):  # the 打印 button's path
        pass
    assert len(save_pdf.texts) == 1 and save_pdf.saved.read_bytes().startswith(b"%PDF")
    save_pdf.saved.unlink()
    counts = CountTab(services)
    qtbot.addWidget(counts)
    counts.show()
    counts.refresh()
    counts.new_count_dialog().accept()
    task = counts.print_current()
    qtbot.waitUntil(lambda: task.finished, timeout=30_000)
    assert counts.print_error is None and len(save_pdf.texts) == 2
    assert save_pdf.saved.read_bytes().startswith(b"%PDF")

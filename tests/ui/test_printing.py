"""The shared print path: a PDF rendered through QtPdf onto a QPrinter (here one that writes a PDF
file), and clear reasons instead of exceptions when there is no printer, no such printer or no
document. Hermetic: each test sets the system's printer list (printing.system_printers), so the
results are the same whatever printers this machine has, and no job reaches a real printer."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, date, datetime

import pytest

from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.reports.receipt import receipt_pdf
from jxc_desktop.services.sales.dto import SaleDTO, ShopInfo, Tender
from jxc_desktop.ui import printing
from jxc_desktop.ui.printing import print_pdf, printer_names

# Names no real machine has: if Qt could select one, the test machine would be a strange one.
FAKE_PRINTERS = ["jxc-test-receipts", "jxc-test-office"]


def test_print_receipt_through_qt(qapp, services, make_product, tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可口可乐", 350, 200, 5)
    cart, _ = c.add(Cart(), services.checkout.line_for_product(p.id, 2000))
    sale = services.checkout.post_sale(cart, [Tender("cash", 1000)])
    data = receipt_pdf(sale, services.checkout.shop_info(), 58)
    out = tmp_path / "printed.pdf"
    assert print_pdf(None, data, output_file=str(out), quiet=True) is None
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert m and abs(float(m.group(1)) - 58 / 25.4 * 72) < 2  # the paper is the receipt's own size
    # the page is an image of the rendered receipt: it is not blank
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(out), str(tmp_path / "pg")], check=True)
    from PySide6.QtGui import QImage

    img = QImage(str(next(tmp_path.glob("pg*.png"))))
    dark = sum(1 for y in range(0, img.height(), 3) for x in range(0, img.width(), 3)
               if img.pixelColor(x, y).lightness() < 100)
    assert dark > 50


@pytest.fixture
def painted(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every printer something was painted onto: a failure must not send a job anywhere."""
    seen: list[object] = []
    monkeypatch.setattr(printing, "render_to", lambda printer, doc: seen.append(printer) or True)
    return seen


def test_failures_are_messages(qapp, painted, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert print_pdf(None, b"not a pdf", quiet=True) == "The document to print could not be read"
    monkeypatch.setattr(printing, "system_printers", lambda: ([], ""))  # a machine with no printer
    assert "No printer is installed" in (print_pdf(None, receipt_bytes(), quiet=True, offer=False) or "")
    assert "No printer is installed" in (print_pdf(None, receipt_bytes(), printer_name="jxc-test-office",
                                                   quiet=True, offer=False) or "")
    assert painted == []


def test_a_printer_that_is_not_installed_is_a_message_not_a_job_elsewhere(qapp, painted, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(printing, "system_printers", lambda: (list(FAKE_PRINTERS), FAKE_PRINTERS[0]))
    error = print_pdf(None, receipt_bytes(), printer_name="no-such-printer", quiet=True)
    assert error == "Printer 'no-such-printer' is not available. Choose another one in Settings."
    # listed by the system but not one Qt can select (here: not really installed): Qt would keep
    # its default printer; the check of what was selected turns that into the same message
    error = print_pdf(None, receipt_bytes(), printer_name=FAKE_PRINTERS[1], quiet=True)
    assert error == f"Printer '{FAKE_PRINTERS[1]}' is not available. Choose another one in Settings."
    assert "not available" in (print_pdf(None, receipt_bytes(), quiet=True) or "")  # the default, likewise
    # printers, but none is the default: "system default" cannot be guessed
    monkeypatch.setattr(printing, "system_printers", lambda: (list(FAKE_PRINTERS), ""))
    error = print_pdf(None, receipt_bytes(), quiet=True)
    assert error == "Printer 'System default printer' is not available. Choose another one in Settings."
    assert painted == []


def test_printer_names_put_the_default_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing, "system_printers", lambda: (list(FAKE_PRINTERS), FAKE_PRINTERS[1]))
    assert printer_names() == [FAKE_PRINTERS[1], FAKE_PRINTERS[0]]
    monkeypatch.setattr(printing, "system_printers", lambda: (list(FAKE_PRINTERS), ""))
    assert printer_names() == FAKE_PRINTERS


def receipt_bytes() -> bytes:
    # a fixed moment: what is printed never depends on the real date
    sale = SaleDTO(1, "XS20260101-0001", "sale", "posted", datetime(2026, 1, 1, 9, 30, tzinfo=UTC),
                   date(2026, 1, 1), "", 0, 0, 0, 0, 0, 0, (), ())
    return receipt_pdf(sale, ShopInfo("店", "", "", "", "", 80))

"""The shared print path: a PDF rendered through QtPdf onto a QPrinter (here one that writes a PDF
file), and clear reasons instead of exceptions when there is no printer or no document."""

from __future__ import annotations

import re
import subprocess

from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.reports.receipt import receipt_pdf
from jxc_desktop.services.checkout import Tender
from jxc_desktop.ui.printing import print_pdf, printer_names


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


def test_failures_are_messages(qapp) -> None:  # type: ignore[no-untyped-def]
    assert print_pdf(None, b"not a pdf", quiet=True) == "The document to print could not be read"
    if not printer_names():
        assert "No printer is installed" in (print_pdf(None, receipt_bytes(), quiet=True) or "")
    else:
        assert "not available" in (print_pdf(None, receipt_bytes(), printer_name="no-such-printer", quiet=True) or "")


def receipt_bytes() -> bytes:
    from datetime import UTC, date, datetime

    from jxc_desktop.services.checkout import SaleDTO, ShopInfo

    sale = SaleDTO(1, "XS20260101-0001", "sale", "posted", datetime.now(UTC), date.today(), "", 0, 0, 0, 0, 0, 0,
                   (), ())
    return receipt_pdf(sale, ShopInfo("店", "", "", "", "", 80))

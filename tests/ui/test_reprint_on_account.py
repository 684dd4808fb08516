"""F11 reprint of a sale on account (挂账): the receipt names the customer and shows the balance
owed as the first print did — what they owed right after that sale, not what came later.

饭店: 5 可乐 × 3.00 = 15.00 on account (owes 15.00), then 3 × 3.00 = 9.00 (owes 24.00), then pays
10.00 (owes 14.00). Reprinting the first sale still says 15.00, the second 24.00; a cash sale
has no customer line."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import Qt

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.tender import Tender
from jxc_desktop.ui.checkout_tab import CheckoutTab
from jxc_desktop.ui.dialogs.reprint_dialog import ReprintDialog
from tests.unit.accounts_fixtures import customer


def _sell(services, product_id: int, units: int, method: str, who: int | None = None):  # type: ignore[no-untyped-def]
    cart = Cart((services.checkout.line_for_product(product_id, units * MILLI),))
    total = services.checkout.price(cart).total
    return services.checkout.post_sale(cart, [Tender(method, total)], customer_id=who, confirmed=True)


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _reprint(qtbot, tab: CheckoutTab, number: str, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow, timeout=30_000)
    tab.lookup.setFocus()
    qtbot.keyClick(tab.lookup, Qt.Key.Key_F11)
    dlg = tab.dialog
    assert isinstance(dlg, ReprintDialog)
    dlg.number.clear()
    qtbot.keyClicks(dlg.number, number)
    qtbot.keyClick(dlg.number, Qt.Key.Key_Return)
    assert tab.dialog is None
    return _pdf_text(tab.last_receipt_pdf, tmp_path)


def test_reprint_names_the_customer_and_the_balance_then(qtbot, services, make_product, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 300, 200, qty=50)
    fan = customer(services, "饭店", limit=100000)
    first = _sell(services, cola.id, 5, "credit", fan)
    second = _sell(services, cola.id, 3, "credit", fan)
    cash = _sell(services, cola.id, 1, "cash")
    services.accounts.collect(fan, 1000)
    assert (first.customer_name, first.balance_owed) == ("饭店", 1500)
    got = services.checkout.get_sale(second.number)
    assert (got.customer_name, got.balance_owed) == ("饭店", 2400)
    assert services.customers.get(fan).balance == 1400

    tab = CheckoutTab(services)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    text = _reprint(qtbot, tab, first.number, tmp_path)
    assert first.number in text and "饭店" in text
    assert "Balance owed" in text and format_fen(1500) in text
    text = _reprint(qtbot, tab, second.number, tmp_path)
    assert "饭店" in text and format_fen(2400) in text
    text = _reprint(qtbot, tab, cash.number, tmp_path)
    assert cash.number in text and "Balance owed" not in text and "饭店" not in text

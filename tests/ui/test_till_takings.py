"""Sales on account (挂账) are owed, not money taken: the till's panel and the day slip (日结) show
them on a line of their own, outside the takings total.

Today: 2 可乐 for cash (6.00); 5 on 饭店's account (15.00); 3 paid 5.00 by WeChat and 4.00 on
account; 1 of the account sale returned to the account (−3.00).
Takings = 6.00 + 5.00 = 11.00; on account = 15.00 + 4.00 − 3.00 = 16.00; net sales = 27.00.
"""

from __future__ import annotations

import subprocess

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.tender import Tender
from jxc_desktop.reports.receipt import day_summary_pdf
from jxc_desktop.reports.receipt_lines import PAIR, day_summary_lines
from jxc_desktop.services.sales.dto import ReturnItem
from jxc_desktop.ui.checkout_tab import CheckoutTab
from tests.unit.accounts_fixtures import customer


def _sell(services, product_id: int, units: int, tenders: list[tuple[str, int]], who: int | None = None):  # type: ignore[no-untyped-def]
    cart = Cart((services.checkout.line_for_product(product_id, units * MILLI),))
    return services.checkout.post_sale(cart, [Tender(m, a) for m, a in tenders], customer_id=who, confirmed=True)


def _day(services, make_product):  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 300, 200, qty=50)
    fan = customer(services, "饭店", limit=100000)
    _sell(services, cola.id, 2, [("cash", 600)])
    on_account = _sell(services, cola.id, 5, [("credit", 1500)], fan)
    _sell(services, cola.id, 3, [("credit", 400), ("wechat", 500)], fan)
    services.checkout.post_return(on_account.number, [ReturnItem(on_account.lines[0].id, MILLI)], method="credit")
    return services.checkout.day_summary()


def test_summary_keeps_sales_on_account_out_of_the_takings(services, make_product) -> None:  # type: ignore[no-untyped-def]
    d = _day(services, make_product)
    assert d.by_method == {"cash": 600, "wechat": 500, "credit": 1600}  # unchanged: every method
    assert (d.takings, d.on_account, d.net_total) == (1100, 1600, 2700)
    assert d.taken_by_method() == {"cash": 600, "wechat": 500}


def test_side_panel_shows_on_account_on_its_own_line(qtbot, services, make_product, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _day(services, make_product)
    tab = CheckoutTab(services)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    text = tab.today_label.text()
    assert "Sales: 3" in text and "Returns: 1" in text
    assert f"Net takings: {format_fen(1100)}" in text
    assert f"On account (not taken): {format_fen(1600)}" in text
    assert f"On account: {format_fen(1600)}" not in text  # not among the methods taken
    assert tab.grab().save(str(tmp_path / "till_takings.png"))


def test_day_slip_keeps_on_account_out_of_total_takings(services, make_product, tmp_path) -> None:  # type: ignore[no-untyped-def]
    d = _day(services, make_product)
    shop = services.checkout.shop_info()
    pairs = [(ln.text.strip(), ln.right) for ln in day_summary_lines(d, shop) if ln.kind == PAIR]
    assert ("Total takings", format_fen(1100)) in pairs
    assert ("On account (not taken)", format_fen(1600)) in pairs
    assert ("Net sales", format_fen(2700)) in pairs
    assert ("On account", format_fen(1600)) not in pairs  # not listed as a method taken
    pdf = tmp_path / "day.pdf"
    pdf.write_bytes(day_summary_pdf(d, shop))
    words = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "On account (not taken)" in words and "16.00" in words

"""The till shows each promotion the cart gets as the cashier scans (a line under the cart, the
discount column), takes the whole-sale discount on what is left, posts what it showed, and prints
the promotions on the receipt; a member at the sale brings the member-only ones in."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from jxc_desktop.db.models import SaleLine, SalePromotion
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.services.promotions.dto import PromotionInput
from jxc_desktop.services.promotions.service import now_local
from jxc_desktop.ui.dialogs.pay_dialog import PayDialog
from tests.ui.test_checkout_tab import answer, fkey, make_tab, scan

COLA, CHIPS = "6901234567892", "6920152400012"


@pytest.fixture
def shop(services):  # type: ignore[no-untyped-def]
    cat = services.catalog
    cola = cat.create_product(ProductInput(name="可口可乐", sale_price=350, ref_cost=200, unit="瓶",
                                           barcodes=((COLA, 1),)), opening_qty=50_000).id
    chips = cat.create_product(ProductInput(name="乐事薯片", sale_price=650, ref_cost=400,
                                            barcodes=((CHIPS, 1),)), opening_qty=20_000).id
    start = now_local() - timedelta(days=1)  # running now, whatever the day the test runs
    services.promotions.add(PromotionInput("可乐第二件半价", Kind.NTH_AT_PERCENT, start, products=((cola, None),),
                                           n=2, pay_pct=50))
    services.promotions.add(PromotionInput("会员薯片特价", Kind.SPECIAL_PRICE, start, products=((chips, 500),),
                                           member_only=True))
    return cola, chips


def test_promotions_live_on_the_till_and_on_the_receipt(qtbot, services, shop, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tab = make_tab(qtbot, services)
    scan(qtbot, tab, COLA)
    assert tab.promo_label.isHidden() and tab.totals.total == 350
    scan(qtbot, tab, COLA)  # the second at half price, shown the moment it is scanned
    assert not tab.promo_label.isHidden()
    assert "可乐第二件半价" in tab.promo_label.text() and "¥1.75" in tab.promo_label.text()
    assert tab.model.data(tab.model.index(0, 5)) == "1.75" and tab.totals.total == 525
    scan(qtbot, tab, CHIPS)  # member-only: no member at this sale
    assert tab.totals.total == 525 + 650 and "会员薯片特价" not in tab.promo_label.text()
    fkey(qtbot, tab, Qt.Key.Key_F5)  # the whole-sale discount on what the promotions left
    answer(qtbot, tab.dialog, "1")
    assert tab.totals.subtotal == 1175 and tab.totals.total == 1075
    assert "¥10.75" in tab.due_label.text()
    tab.grab().save(str(tmp_path / "till_promotions.png"))

    fkey(qtbot, tab, Qt.Key.Key_F12)
    pay = tab.dialog
    assert isinstance(pay, PayDialog)
    pay.fields["cash"].selectAll()
    qtbot.keyClicks(pay.fields["cash"], "20")
    qtbot.keyClick(pay.fields["cash"], Qt.Key.Key_Return)
    sale = tab.last_sale
    assert sale is not None and sale.total == 1075 and sale.change == 925
    assert [(p.name, p.amount) for p in sale.promotions] == [("可乐第二件半价", 175)]
    with db.read() as uow:
        lines = list(uow.session.scalars(select(SaleLine).order_by(SaleLine.line_no)))
        assert [ln.promo_discount for ln in lines] == [175, 0] and sum(ln.amount for ln in lines) == 1075
        assert [p.amount for p in uow.session.scalars(select(SalePromotion))] == [175]
    path = Path(tmp_path / "r.pdf")
    path.write_bytes(tab.last_receipt_pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for want in ("可乐第二件半价", "-1.75", "¥10.75"):
        assert want in text, want


def test_a_member_brings_member_only_promotions(qtbot, services, shop) -> None:  # type: ignore[no-untyped-def]
    tab = make_tab(qtbot, services)
    scan(qtbot, tab, CHIPS)
    assert tab.totals.total == 650
    member = services.members.add(MemberInput(phone="13900008888", level="普通"))  # 普通: retail prices
    tab.set_member(member)  # what choosing the member at the till (Ctrl+M) does
    assert tab.totals.total == 500 and "会员薯片特价" in tab.promo_label.text()
    tab.set_member(None)
    assert tab.totals.total == 650 and tab.promo_label.isHidden()

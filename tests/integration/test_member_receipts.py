"""A member's receipt shows the member, the points earned (a return: taken back) and the points and
stored value held just after the sale, on every printer: the PDF at 58 and 80 mm (pdftotext) and
the ESC/POS stream (decoded back from GB18030); a reprint after a later top-up still shows the
balances of its own moment (issue 17: "the balance on every receipt")."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from jxc_desktop import i18n
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.reports import receipt_escpos as ep
from jxc_desktop.reports.receipt import receipt_pdf
from jxc_desktop.reports.receipt_lines import receipt_lines
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.services.sales.dto import ReturnItem, SaleDTO, Tender
from tests.integration.test_receipt_escpos import parse


@pytest.fixture
def member_sales(services, make_product):  # type: ignore[no-untyped-def]
    """A sale paid ¥30 stored value + ¥2 in points + ¥48 cash, a top-up after it, then a return of one
    line; yields (sale reprinted now, return)."""
    i18n.set_language("zh_CN")
    rice = make_product("东北大米", 5000, 3000, 20)
    oil = make_product("花生油", 3000, 2000, 20)
    member = services.members.add(MemberInput(phone="13800005678", name="王芳"))  # 普通: 1 point per yuan
    services.member_money.topup(member.id, 10000, bonus=1000, method="wechat")
    services.member_money.adjust_points(member.id, 500, "开卡礼")
    cart = Cart()
    for p in (rice, oil):
        cart, _ = c.add(cart, services.checkout.line_for_product(p.id))
    cart = services.members.cart_for_member(cart, member.id)
    sale = services.checkout.post_sale(cart, [Tender("stored_value", 3000), Tender("points", 200),
                                              Tender("cash", 4800)], member_id=member.id)
    services.member_money.topup(member.id, 2000, method="cash")  # after the sale: not on its receipt
    oil_line = next(ln for ln in sale.lines if ln.name == "花生油")
    ret = services.checkout.post_return(sale.number, [ReturnItem(oil_line.id, 1000)])
    yield services.checkout.get_sale(sale.number), ret, member.id
    i18n.set_language("en")


def _pdf_text(sale: SaleDTO, services, width: int, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / f"{sale.number}-{width}.pdf"
    path.write_bytes(receipt_pdf(sale, services.checkout.shop_info(), width))
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def _escpos_text(sale: SaleDTO, services, width: int) -> str:  # type: ignore[no-untyped-def]
    rows = [p for p in parse(ep.escpos_bytes(receipt_lines(sale, services.checkout.shop_info()), width))
            if isinstance(p, str)]
    return "\n".join(rows).replace("\uffe5", "\u00a5")  # the printer's full-width ￥ back to ¥


@pytest.mark.parametrize("width", [58, 80])
def test_member_sale_and_return_receipts_show_the_balances(services, member_sales, width, tmp_path) -> None:  # type: ignore[no-untyped-def]
    sale, ret, member_id = member_sales
    # earned on ¥80 − ¥2 paid in points = 78 points; held after it: 500 − 200 redeemed + 78
    assert (sale.points_earned, sale.member_points, sale.member_stored_value) == (78, 378, 8000)
    # the oil is 3/8 of the sale: ¥11.25 stored value and 75 points (¥0.75) back, its 29 points taken
    # back (78 spread over the lines' bases 4875 : 2925); the ¥20 top-up came between
    assert {p.method: p.amount for p in ret.payments} == {"cash": 1800, "stored_value": 1125, "points": 75}
    assert (ret.points_earned, ret.member_points, ret.member_stored_value) == (29, 378 - 29 + 75, 8000 + 2000 + 1125)
    assert services.member_money.balances(member_id) == (ret.member_points, ret.member_stored_value)
    for text in (_pdf_text(sale, services, width, tmp_path), _escpos_text(sale, services, width)):
        for want in ("王芳 ****5678", "本次积分", "积分余额", "储值余额", "¥80.00", "¥30.00", "¥2.00"):
            assert want in text, (want, text)
        assert _amount_after(text, "积分余额") == "378" and _amount_after(text, "储值余额") == "¥80.00"
    for text in (_pdf_text(ret, services, width, tmp_path), _escpos_text(ret, services, width)):
        assert "王芳 ****5678" in text and "扣回积分" in text, text
        assert _amount_after(text, "扣回积分") == "29"
        assert _amount_after(text, "积分余额") == "424" and _amount_after(text, "储值余额") == "¥111.25"


def _amount_after(text: str, label: str) -> str:
    """The right-hand amount on the row that starts with ``label``."""
    row = next(r for r in text.splitlines() if r.strip().startswith(label))
    return row.split()[-1]

"""The shift slip (交班单) as ESC/POS bytes: a Chinese slip decodes (GB18030) back to the slip's lines
on 58 and 80 mm rolls, with the figures to the fen, the cut at the end and no drawer pulse. No
hardware: the bytes come from python-escpos's Dummy printer (reports/receipt_escpos.py)."""

from __future__ import annotations

import pytest

from jxc_desktop import i18n
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.reports import receipt_escpos as ep
from jxc_desktop.reports.shift_slip import shift_slip_lines
from jxc_desktop.services.sales.dto import Tender
from tests.integration.test_receipt_escpos import Cmd, parse

CHIPS = "6920152400012"


@pytest.fixture
def closed_shift(services):  # type: ignore[no-untyped-def]
    """王芳's shift: float 200.00, one cash sale of 6.50, 20.00 paid to the delivery man, counted by
    denomination 185.50: 1.00 short."""
    i18n.set_language("zh_CN")
    services.settings.update({"shop_name": "幸福便利店", "shop_address": "建国路88号"})
    services.catalog.create_product(ProductInput(name="乐事薯片", sale_price=650, ref_cost=400,
                                                 barcodes=((CHIPS, 1),)), opening_qty=10_000)
    wang = services.staff.add("王芳", "1", "1111")
    shift = services.shifts.open(wang.id, 20_000)
    cart, _ = c.add(Cart(), services.checkout.line_for_scan(CHIPS))
    services.checkout.post_sale(cart, [Tender("cash", 650)], cashier_id=wang.id, shift_id=shift.id)
    services.shifts.cash_move(shift.id, -2_000, "付送货费", person_id=wang.id)
    pieces = {10_000: 1, 5_000: 1, 2_000: 1, 1_000: 1, 500: 1, 50: 1}
    yield services.shifts.close(shift.id, pieces=pieces, float_left=10_000)
    i18n.set_language("en")


@pytest.mark.parametrize("width,cols", [(58, 32), (80, 48)])
def test_chinese_shift_slip_decodes_back_to_its_lines(services, closed_shift, width, cols) -> None:  # type: ignore[no-untyped-def]
    shift = closed_shift
    assert (shift.expected, shift.counted, shift.over_short) == (18_650, 18_550, -100)
    lines = shift_slip_lines(shift, services.checkout.shop_info())
    stream = ep.escpos_bytes(lines, width)
    parsed = parse(stream)
    rows = [p for p in parsed if isinstance(p, str)]
    assert rows == ep.plain_text(lines, width)  # every text row, in order, decoded from GB18030
    assert all(ep.text_width(r) <= cols for r in rows)
    joined = "".join(rows)
    for want in ("幸福便利店", "交班单", "王芳", "付送货费", "-￥20.00", "￥186.50", "￥185.50", "短款", "-￥1.00",
                 "￥100.00"):
        assert want in joined, want
    for line in lines:  # the same words as the PDF slip's lines, ¥ as the printer's full-width ￥
        if line.text:
            assert ep.printable(line.text).replace(" ", "") in joined.replace(" ", ""), line.text
    cmds = [p for p in parsed if isinstance(p, Cmd)]
    assert cmds[0].name == "ESC @" and cmds[1].name == "FS &"  # initialise, Chinese (double-byte) mode
    assert [cmd.name for cmd in cmds[-2:]] == ["ESC d", "GS V"]  # feed, cut
    assert not any(cmd.name in ("ESC p", "GS k") for cmd in cmds)  # no drawer pulse, no barcode on a slip

"""Cart pricing: line amounts, discounts allocated to the fen, limits, scale labels."""

from __future__ import annotations

import pytest

from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart, CartLine, Limits
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.scale_barcode import decode, item_code_candidates, parse_rules


def line(pid: int = 1, price: int = 350, qty: int = 1000, **kw: object) -> CartLine:
    return CartLine(pid, f"商品{pid}", price, qty, **kw)  # type: ignore[arg-type]


def test_line_amounts_and_merge() -> None:
    cart, i = c.add(Cart(), line(1, 350, 2000))
    cart, j = c.add(cart, line(1, 350, 1000))
    assert i == j == 0 and cart.lines[0].qty == 3000
    cart, k = c.add(cart, line(2, 1999, 1250))  # 1.25 kg at 19.99 = 24.9875 -> 24.99
    assert k == 1
    t = c.price(cart)
    assert [p.amount for p in t.lines] == [1050, 2499]
    assert t.total == 3549 and t.item_qty == 4250


def test_sale_discount_allocated_exactly() -> None:
    cart = Cart((line(1, 100, 1000), line(2, 100, 1000), line(3, 100, 1000)), sale_discount=100)
    t = c.price(cart)
    assert [p.sale_discount_share for p in t.lines] == [34, 33, 33]
    assert sum(p.amount for p in t.lines) == t.total == 200


def test_limits() -> None:
    lim = Limits(max_line_discount_pct=10, max_sale_discount_pct=5)
    cart = Cart((line(1, 1000, 1000),))
    c.price(c.set_line_discount(cart, 0, 100), lim)
    with pytest.raises(ValidationError, match="above the allowed 10%"):
        c.price(c.set_line_discount(cart, 0, 101), lim)
    # a price cut counts as a discount
    with pytest.raises(ValidationError, match="above the allowed 10%"):
        c.price(c.set_price(cart, 0, 800), lim)
    c.price(c.set_price(cart, 0, 1200), lim)  # a higher price is fine
    with pytest.raises(ValidationError, match="whole-sale discount is above"):
        c.price(c.set_sale_discount(cart, 51), lim)
    with pytest.raises(ValidationError, match="more than the line amount"):
        c.price(c.set_line_discount(cart, 0, 1001))


@pytest.mark.parametrize("qty", [0, -1000, 100_001_000])
def test_bad_quantities(qty: int) -> None:
    with pytest.raises(ValidationError):
        c.set_qty(Cart((line(),)), 0, qty)


@pytest.mark.parametrize("price", [0, -5, 100_000_001])
def test_bad_prices(price: int) -> None:
    with pytest.raises(ValidationError):
        c.set_price(Cart((line(),)), 0, price)


def test_edits_and_empty_cart() -> None:
    cart = Cart((line(1), line(2)), sale_discount=10)
    cart = c.remove(cart, 0)
    assert [ln.product_id for ln in cart.lines] == [2]
    assert c.remove(cart, 0) == Cart()  # the discount goes with the last line
    with pytest.raises(ValidationError):
        c.set_sale_discount(Cart(), 1)
    with pytest.raises(ValidationError):
        c.set_qty(cart, 5, 1000)


def test_fixed_amount_line() -> None:
    ln = line(1, 2400, 521, fixed_amount=1250)
    assert c.price(Cart((ln,))).total == 1250
    assert c.set_qty(Cart((ln,)), 0, 1000).lines[0].fixed_amount is None


def test_scale_rules_first_match_wins() -> None:
    rules = parse_rules("21IIIIIWWWWWC;2XIIIIIPPPPPC")
    from jxc_desktop.domain.barcode import with_check_digit

    w = with_check_digit("210012301250")
    assert decode(w, rules).weight == 1250  # type: ignore[union-attr]
    assert decode(w, rules).item == "00123"  # type: ignore[union-attr]
    p = with_check_digit("220012300899")
    got = decode(p, rules)
    assert got is not None and got.amount == 899 and got.weight is None
    assert decode(p[:-1] + str((int(p[-1]) + 1) % 10), rules) is None  # bad check digit
    assert decode("6901234567892", rules) is None
    assert "000123" in item_code_candidates("00123")
    for bad in ("21IIIII", "21IIIIIWWWPPC", "31IIIIIWWWWWC"):
        with pytest.raises(ValidationError):
            parse_rules(bad)


def test_count_items() -> None:
    assert c.count_items([3000, 1250, 1000]) == 5  # 3 pieces, one weighed line, 1 piece

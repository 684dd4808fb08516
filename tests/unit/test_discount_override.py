"""A discount above the shop's limit: refused, unless the owner approved the cart; a held cart
keeps the approval."""

from __future__ import annotations

import pytest

from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.cart import Cart, CartLine, DiscountLimitError, Limits
from jxc_desktop.services.sales.held_sales import dump_cart, load_cart

LIMITS = Limits(max_line_discount_pct=10, max_sale_discount_pct=5)


def _cart(**kw: object) -> Cart:
    line = CartLine(product_id=1, name="薯片", unit_price=1000, qty=2000, line_discount=500)
    return Cart((line,), **kw)  # type: ignore[arg-type]


def test_above_the_limit_is_refused_without_approval() -> None:
    with pytest.raises(DiscountLimitError):
        cartlib.price(_cart(), LIMITS)


def test_owner_approval_lifts_the_limit_but_not_the_hard_rules() -> None:
    totals = cartlib.price(_cart(owner_approved=True), LIMITS)
    assert totals.total == 1500
    too_much = Cart((CartLine(product_id=1, name="薯片", unit_price=1000, qty=1000, line_discount=1500),),
                    owner_approved=True)
    with pytest.raises(cartlib.ValidationError) as info:
        cartlib.price(too_much, LIMITS)
    assert not isinstance(info.value, DiscountLimitError)


def test_held_cart_keeps_the_approval() -> None:
    assert load_cart(dump_cart(_cart(owner_approved=True))).owner_approved is True
    assert load_cart(dump_cart(_cart())).owner_approved is False

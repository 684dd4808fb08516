"""Member price levels: the pure rule (domain/price_levels.py) by hand-written cases, and a sale to a
member on a real SQLite file — sale.member_id, each line's level and retail price, the saving on
the DTO, a return keeping the member, a held cart keeping it, bad members refused."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from jxc_desktop.db.models import Customer, Sale, SaleLine
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart, CartLine
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.price_levels import LevelRule, ProductPrices, at_level, level_price
from jxc_desktop.services.accounts.dto import CustomerInput
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.services.sales.dto import ReturnItem, Tender


@pytest.mark.parametrize(("rule", "prices", "expected"), [
    (LevelRule(), ProductPrices(1000, 800, 700), ("retail", 1000)),
    (LevelRule("member", 95), ProductPrices(1000), ("member", 950)),
    (LevelRule("member", 95), ProductPrices(1000, 800), ("member", 800)),  # its own member price first
    (LevelRule("member", 90), ProductPrices(999), ("member", 899)),  # 899.1 rounds to the fen
    (LevelRule("member", 100), ProductPrices(1000), ("retail", 1000)),  # 普通: no discount, stays retail
    (LevelRule("member", 95), ProductPrices(1000, 1200), ("retail", 1000)),  # never above retail
    (LevelRule("member", 95), ProductPrices(1000, 0), ("retail", 1000)),  # a member price of 0 is no price
    (LevelRule("wholesale"), ProductPrices(1000, 800, 700), ("wholesale", 700)),
    (LevelRule("wholesale"), ProductPrices(1000, 800, 0), ("retail", 1000)),  # no wholesale price: retail
    (LevelRule("member", 95), ProductPrices(1), ("retail", 1)),  # 0.95 fen rounds back to 1: nothing saved
])
def test_level_price(rule: LevelRule, prices: ProductPrices, expected: tuple[str, int]) -> None:
    assert level_price(rule, prices) == expected


def test_at_level_keeps_manual_lines_and_comes_back_to_retail() -> None:
    line = CartLine(1, "可乐", 1000, 2000, 1000)
    member = at_level(line, LevelRule("member", 90), ProductPrices(1000))
    assert (member.unit_price, member.price_level, member.retail_price, member.level_saving) == (900, "member", 1000, 200)
    assert member.catalogue_price == 900  # discount limits measure the cashier's cuts from the member price
    back = at_level(member, LevelRule(), None)
    assert back == replace(line, list_price=-1)
    manual = replace(line, unit_price=700, list_price=1000)
    assert at_level(manual, LevelRule("member", 90), ProductPrices(1000)) == manual
    discounted = replace(line, line_discount=50)
    assert at_level(discounted, LevelRule("member", 90), ProductPrices(1000)) == discounted
    label = replace(line, fixed_amount=1234)
    assert at_level(label, LevelRule("member", 90), ProductPrices(1000)) == label


def test_bad_level_values_are_refused() -> None:
    with pytest.raises(ValidationError):
        LevelRule("vip")
    with pytest.raises(ValidationError):
        LevelRule("member", 0)
    with pytest.raises(ValidationError, match="Unknown price level"):
        c.check_line_values(CartLine(1, "x", 100, 1000, price_level="gold"))


def _sale_rows(db, number):  # type: ignore[no-untyped-def]
    with db.read() as uow:
        sale = uow.session.scalar(select(Sale).where(Sale.number == number))
        lines = [(ln.price_level, ln.list_price, ln.unit_price) for ln in uow.session.scalars(
            select(SaleLine).where(SaleLine.sale_id == sale.id).order_by(SaleLine.line_no))]
        return sale.member_id, lines


def test_member_sale_records_member_levels_and_return_keeps_them(services, db, make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 350, 200, 50)
    rice = make_product("大米", 5000, 4000, 20)
    gum = make_product("口香糖", 100, 50, 20)
    services.members.set_member_price(rice.id, 4500)
    gold = services.members.add(MemberInput(phone="13800001234", level="金卡"))  # 90折
    cart = Cart()
    for product, qty in ((cola, 2000), (rice, 1000), (gum, 1000)):
        cart, _ = c.add(cart, services.checkout.line_for_product(product.id, qty))
    cart = services.members.cart_for_member(cart, gold.id)
    assert [(ln.price_level, ln.unit_price) for ln in cart.lines] == [("member", 315), ("member", 4500), ("member", 90)]
    sale = services.checkout.post_sale(cart, [Tender("cash", 10_000)])
    assert sale.total == 630 + 4500 + 90 and sale.level_saving == 70 + 500 + 10
    assert (sale.member_id, sale.member_name, sale.member_phone_tail) == (gold.id, gold.name, "1234")
    member_id, lines = _sale_rows(db, sale.number)
    assert member_id == gold.id
    assert lines == [("member", 350, 315), ("member", 5000, 4500), ("member", 100, 90)]
    ret = services.checkout.post_return(sale.number, [ReturnItem(sale.lines[1].id, 1000)])
    assert ret.member_id == gold.id and ret.total == 4500 and ret.lines[0].level_saving == 500
    assert _sale_rows(db, ret.number) == (gold.id, [("member", 5000, 4500)])
    summary = services.members.summary(gold.id)
    assert (summary.visits, summary.spent) == (1, 630 + 90)


def test_member_removed_goes_back_to_retail_and_a_new_line_follows_the_member(services, make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 350, 200, 50)
    silver = services.members.add(MemberInput(phone="13800005678", level="银卡"))  # 95折
    cart, _ = c.add(Cart(), services.checkout.line_for_product(cola.id))
    cart = services.members.cart_for_member(cart, silver.id)
    line = services.members.line_for_member(services.checkout.line_for_product(cola.id), cart.member_id)
    cart, row = c.add(cart, line)
    assert row == 0 and cart.lines[0].qty == 2000 and cart.lines[0].unit_price == 333  # 332.5 → 333
    cart = services.members.cart_for_member(cart, None)
    assert cart.member_id is None and cart.lines[0].unit_price == 350 and cart.lines[0].price_level == "retail"
    sale = services.checkout.post_sale(cart, [Tender("cash", 700)])
    assert sale.member_id is None and sale.level_saving == 0


def test_held_cart_keeps_its_member(services, make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 350, 200, 50)
    m = services.members.add(MemberInput(phone="13800009999", level="金卡"))
    cart = services.members.cart_for_member(c.add(Cart(), services.checkout.line_for_product(cola.id))[0], m.id)
    held = services.held_sales.hold(cart)
    back = services.held_sales.resume(held.id)
    assert back == cart and back.member_id == m.id


def test_bad_member_or_member_prices_without_a_member_write_nothing(services, db, make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 350, 200, 50)
    m = services.members.add(MemberInput(phone="13800004321", level="金卡"))
    cart = services.members.cart_for_member(c.add(Cart(), services.checkout.line_for_product(cola.id))[0], m.id)
    with pytest.raises(ValidationError, match="Member prices need the member"):
        services.checkout.post_sale(replace(cart, member_id=None), [Tender("cash", 500)])
    with pytest.raises(ValidationError, match="Member 999 does not exist"):
        services.checkout.post_sale(cart, [Tender("cash", 500)], member_id=999)
    services.members.set_active(m.id, False)
    with pytest.raises(ValidationError, match="deactivated"):
        services.checkout.post_sale(cart, [Tender("cash", 500)])
    customer = services.customers.add(CustomerInput("老王"))
    with pytest.raises(ValidationError, match=f"Member {customer} does not exist"):
        services.checkout.post_sale(replace(cart, member_id=customer), [Tender("cash", 500)])
    with db.read() as uow:
        assert uow.session.scalar(select(Sale.id)) is None


def test_wholesale_member_buys_at_wholesale_prices(services, make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 350, 200, 50)
    services.wholesale.set_wholesale_price(cola.id, 300)
    m = services.members.add(MemberInput(phone="13800006666"))
    with services.db.write() as uow:  # the customer record says wholesale (the customers page sets it)
        uow.session.get(Customer, m.id).level = "wholesale"
        uow.commit()
    cart = services.members.cart_for_member(c.add(Cart(), services.checkout.line_for_product(cola.id))[0], m.id)
    assert (cart.lines[0].price_level, cart.lines[0].unit_price, cart.lines[0].retail_price) == ("wholesale", 300, 350)


@given(retail=st.integers(1, 10_000_000), member=st.none() | st.integers(0, 20_000_000),
       wholesale=st.integers(0, 20_000_000), pct=st.integers(1, 100), qty=st.integers(1, 100_000),
       level=st.sampled_from(["retail", "member", "wholesale"]))
def test_a_level_never_charges_more_than_retail_and_comes_back(retail: int, member: int | None, wholesale: int,
                                                               pct: int, qty: int, level: str) -> None:
    line = CartLine(1, "x", retail, qty, retail)
    priced = at_level(line, LevelRule(level, pct), ProductPrices(retail, member, wholesale))
    assert 0 < priced.unit_price <= retail and priced.level_saving >= 0
    assert (priced.price_level == "retail") == (priced.unit_price == retail)
    assert at_level(priced, LevelRule(), None) == replace(line, list_price=-1)
    c.check_line_values(priced)

"""Promotions at the till, on a real SQLite file: the cart priced as the screen shows it is the sale
posted (lines' promo_discount inside discount, one sale_promotion row per line and promotion), the
whole-sale discount comes after the promotions, manual lines take none, member-only ones need a
member, the receipt names each promotion, returns refund what the line paid, held carts keep working,
and wholesale/history posting keeps its prices."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from jxc_desktop.db.models import Sale, SaleLine, SalePromotion
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart, Limits
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.reports.receipt_lines import receipt_lines
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.services.promotions.dto import PromotionInput
from jxc_desktop.services.sales.dto import ReturnItem, Tender
from jxc_desktop.services.stock import ledger

START = datetime(2026, 12, 1, 8, 0)
END = datetime(2026, 12, 31, 22, 0)
AT = datetime(2026, 12, 4, 10, 0).astimezone()  # local 10:00, inside every promotion below


@pytest.fixture
def shop(services, make_product):  # type: ignore[no-untyped-def]
    cola = make_product("可乐", price=300, category="饮料", qty=50)
    tea = make_product("绿茶", price=400, category="饮料", qty=50)
    apple = make_product("苹果", price=1000, category="水果", qty=50)
    bread = make_product("面包", price=650, category="面点", qty=50)
    promos = services.promotions
    promos.add(PromotionInput("绿茶特价", Kind.SPECIAL_PRICE, START, END, products=((tea.id, 350),)))
    promos.add(PromotionInput("可乐买2付1", Kind.BUY_N_PAY_M, START, END, products=((cola.id, None),), n=2, m=1))
    promos.add(PromotionInput("满20减3", Kind.THRESHOLD, START, END, threshold=2000, reduction=300))
    promos.add(PromotionInput("会员苹果第二件半价", Kind.NTH_AT_PERCENT, START, END, products=((apple.id, None),),
                              n=2, pay_pct=50, member_only=True))
    return services, cola, tea, apple, bread


def cart_of(services, *items: tuple[int, int]) -> Cart:  # type: ignore[no-untyped-def]
    cart = Cart()
    for pid, qty in items:
        cart, _ = c.add(cart, services.checkout.line_for_product(pid, qty))
    return cart


def sale_rows(db, number: str):  # type: ignore[no-untyped-def]
    with db.read() as uow:
        s = uow.session
        sale = s.scalar(select(Sale).where(Sale.number == number))
        lines = list(s.scalars(select(SaleLine).where(SaleLine.sale_id == sale.id).order_by(SaleLine.line_no)))
        promos = list(s.scalars(select(SalePromotion).where(SalePromotion.sale_id == sale.id)
                                .order_by(SalePromotion.id)))
        s.expunge_all()
    return sale, lines, promos


def test_the_cart_shown_is_the_sale_posted(shop, db) -> None:  # type: ignore[no-untyped-def]
    services, cola, tea, apple, bread = shop
    cart = cart_of(services, (cola.id, 2000), (tea.id, 1000), (bread.id, 2000))
    shown = services.checkout.price_at_till(cart, Limits(), at=AT)
    # cola: 2 × 3.00, the second free (−3.00); tea at 3.50 (−0.50); 满20减3 on what no line promotion
    # touched: bread 13.00 < 20, so no reduction
    assert [p.promo_discount for p in shown.lines] == [300, 50, 0]
    assert {a.name: a.amount for a in shown.promotions} == {"可乐买2付1": 300, "绿茶特价": 50}
    assert shown.gross == 600 + 400 + 1300 and shown.total == 2300 - 350
    sale = services.checkout.post_sale(cart, [Tender("cash", 2000)], at=AT)
    assert sale.total == shown.total == 1950 and sale.change == 50
    # on the receipt in the order the promotions were applied (the domain's: by promotion id)
    assert [(p.name, p.amount) for p in sale.promotions] == [("绿茶特价", 50), ("可乐买2付1", 300)]
    header, lines, promos = sale_rows(db, sale.number)
    assert [ln.promo_discount for ln in lines] == [300, 50, 0]
    assert [ln.discount for ln in lines] == [300, 50, 0] and sum(ln.amount for ln in lines) == header.total
    assert header.subtotal - header.discount == header.total == 1950
    assert [(p.sale_line_id, p.amount) for p in promos] == [(lines[1].id, 50), (lines[0].id, 300)]
    assert {p.promotion_id for p in promos} == {a.promotion_id for a in shown.promotions}


def test_threshold_then_the_whole_sale_discount_on_what_is_left(shop, db) -> None:  # type: ignore[no-untyped-def]
    services, cola, tea, apple, bread = shop
    cart = cart_of(services, (bread.id, 2000), (apple.id, 1000))  # 13.00 + 10.00 = 23.00 ≥ 20: −3.00
    cart = c.set_sale_discount(cart, 100)
    shown = services.checkout.price_at_till(cart, Limits(), at=AT)
    assert shown.promo_discount == 300 and shown.subtotal == 2000 and shown.total == 1900
    # 满减 spread over its lines by what is left of them: 13/23 and 10/23 of 3.00
    assert [p.promo_discount for p in shown.lines] == [170, 130]
    # then the whole-sale 1.00 over the 11.30 and 8.70 left
    assert [p.sale_discount_share for p in shown.lines] == [57, 43]
    sale = services.checkout.post_sale(cart, [Tender("wechat", 1900)], at=AT)
    header, lines, promos = sale_rows(db, sale.number)
    assert header.subtotal == 2000 and header.discount == 100 and header.total == 1900
    assert [(ln.promo_discount, ln.discount, ln.amount) for ln in lines] == [(170, 227, 1073), (130, 173, 827)]
    assert sum(p.amount for p in promos) == 300 and {p.name for p in promos} == {"满20减3"}
    text = [(ln.text, ln.right) for ln in receipt_lines(sale, services.checkout.shop_info())]
    assert ("Promotion: 满20减3", "-3.00") in text
    assert ("  Promotion", "-1.70") in text and ("  Discount", "-0.57") in text
    assert ("Total", "¥19.00") in text


def test_manual_price_or_discount_takes_no_promotion(shop) -> None:  # type: ignore[no-untyped-def]
    services, cola, tea, apple, bread = shop
    cart = cart_of(services, (cola.id, 2000), (tea.id, 1000))
    priced = c.set_price(cart, 0, 280)  # the cashier's own price: no 买2付1
    shown = services.checkout.price_at_till(priced, Limits(), at=AT)
    assert [p.promo_discount for p in shown.lines] == [0, 50] and shown.total == 560 + 350
    discounted = c.set_line_discount(cart, 1, 10)  # a line discount: no special price either
    shown = services.checkout.price_at_till(discounted, Limits(), at=AT)
    assert [p.promo_discount for p in shown.lines] == [300, 0] and shown.total == 300 + 390
    # the cashier's limit measures only the manual part; the promotion is the shop's own deal
    limited = Limits(max_line_discount_pct=10, max_sale_discount_pct=10)
    assert services.checkout.price_at_till(cart, limited, at=AT).promo_discount == 350


def test_member_only_promotion_needs_a_member(shop, db) -> None:  # type: ignore[no-untyped-def]
    services, cola, tea, apple, bread = shop
    member_id = services.members.add(MemberInput(phone="13900000001", level="普通")).id  # 普通: retail prices
    cart = cart_of(services, (apple.id, 2000))  # 20.00: 满20减3 for all; the half price for members
    plain = services.checkout.price_at_till(cart, Limits(), at=AT)
    assert [a.name for a in plain.promotions] == ["满20减3"] and plain.total == 1700
    as_member = services.checkout.price_at_till(cart, Limits(), member_id=member_id, at=AT)
    # the second apple at half (−5.00) is the line's promotion; 满减 leaves promoted lines out
    assert [a.name for a in as_member.promotions] == ["会员苹果第二件半价"] and as_member.total == 1500
    sale = services.checkout.post_sale(cart, [Tender("cash", 1500)], at=AT, member_id=member_id)
    header, lines, _promos = sale_rows(db, sale.number)
    assert header.member_id == member_id and header.total == 1500 and lines[0].promo_discount == 500
    # the cart's own member (as the till sets it) counts the same
    carried = replace(cart, member_id=member_id)
    assert services.checkout.price_at_till(carried, Limits(), at=AT).total == 1500
    assert services.checkout.post_sale(carried, [Tender("cash", 1500)], at=AT).total == 1500


def test_returns_refund_what_the_line_paid(shop, db) -> None:  # type: ignore[no-untyped-def]
    services, cola, tea, apple, bread = shop
    cart = cart_of(services, (cola.id, 3000), (bread.id, 2000), (apple.id, 1000))
    sale = services.checkout.post_sale(cart, [Tender("cash", 10000)], at=AT)
    by_product = {ln.product_id: ln for ln in sale.lines}
    assert by_product[cola.id].promo_discount == 300  # 3 colas: one group of two, one free
    back = services.checkout.post_return(sale.number, [ReturnItem(by_product[cola.id].id, 1000)], at=AT)
    assert back.total == round(by_product[cola.id].amount / 3)  # a third of what the line paid
    rest = services.checkout.post_return(sale.number, [ReturnItem(by_product[cola.id].id, 2000),
                                                       ReturnItem(by_product[bread.id].id, 2000),
                                                       ReturnItem(by_product[apple.id].id, 1000)], at=AT)
    assert back.total + rest.total == sale.total and back.promotions == ()
    with db.read() as uow:
        assert ledger.reconcile(uow.session) == []


def test_held_cart_and_other_channels(shop, db) -> None:  # type: ignore[no-untyped-def]
    services, cola, tea, apple, bread = shop
    cart = c.set_price(cart_of(services, (cola.id, 2000), (tea.id, 1000)), 1, 390)
    held = services.held_sales.hold(cart, "A")
    back = services.held_sales.resume(held.id)
    assert back == cart and back.lines[1].manual_price
    assert services.checkout.price_at_till(back, Limits(), at=AT).promo_discount == 300
    # history loading (and wholesale notes, imported sales) keep the prices they are given
    assert services.checkout.post_sales_bulk([(cart_of(services, (cola.id, 2000)), [Tender("cash", 600)], AT)]) == 1
    with db.read() as uow:
        assert uow.session.scalar(select(func.count()).select_from(SalePromotion)) == 0
        assert uow.session.scalar(select(func.sum(SaleLine.promo_discount))) == 0


def test_promotion_shares_must_match_the_cart() -> None:
    line = c.CartLine(1, "可乐", 300, 2000)
    cart = Cart((line, c.CartLine(2, "茶", 400, 1000, line_discount=10)))
    assert c.price(cart, Limits(), [300, 0]).total == 300 + 390
    for bad in ([300], [601, 0], [-1, 0], [0, 5]):  # wrong length, above the line, negative, on a manual line
        with pytest.raises(ValidationError, match="promotions do not match"):
            c.price(cart, Limits(), bad)


def test_promotion_results_report(shop, db) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain.periods import Period
    from jxc_desktop.services.reporting.dto import ReportKind, ReportRequest

    services, cola, tea, apple, bread = shop
    cart = cart_of(services, (cola.id, 2000), (tea.id, 2000), (bread.id, 1000))
    sale = services.checkout.post_sale(cart, [Tender("cash", 2000)], at=AT)  # −3.00 cola, −1.00 tea
    cart2 = cart_of(services, (cola.id, 4000))
    services.checkout.post_sale(cart2, [Tender("cash", 600)], at=AT)  # −6.00 cola
    tea_line = next(ln for ln in sale.lines if ln.product_id == tea.id)
    services.checkout.post_return(sale.number, [ReturnItem(tea_line.id, 1000)], at=AT)  # half the tea back
    day = AT.date()
    rep = services.reports.promotions(Period(day, day))
    rows = {r.label: r for r in rep.rows}
    with db.read() as uow:
        cola_cost = uow.session.scalar(select(func.sum(SaleLine.cost)).where(
            SaleLine.product_id == cola.id, SaleLine.kind == "sale"))
    c_row = rows["可乐买2付1"]
    assert (c_row.sale_count, c_row.sales, c_row.discount, c_row.cogs) == (2, 300 + 600, 900, cola_cost)
    assert c_row.margin == 900 - cola_cost and c_row.margin_without == 1800 - cola_cost
    t_row = rows["绿茶特价"]
    assert (t_row.sale_count, t_row.sales, t_row.discount) == (1, 700 - 350, 50)  # half of 7.00 and of 1.00 back
    assert [r.label for r in rep.rows] == ["可乐买2付1", "绿茶特价"]  # the largest discount first
    assert rep.total.discount == 950 and rep.total.sales == 1250 and rep.total.sale_count == 2
    table = services.reports.table(ReportRequest(ReportKind.PROMOTIONS, Period(day, day)))
    assert table.rows[0][:4] == ("可乐买2付1", 2, 900, 900) and table.total[3] == 950
    empty = services.reports.promotions(Period(day.replace(year=2025), day.replace(year=2025)))
    assert empty.rows == () and empty.total.sales == 0 and empty.total.margin_bp is None


def test_the_screen_keeps_the_rules_between_scans_but_never_stale(shop) -> None:  # type: ignore[no-untyped-def]
    services, cola, tea, apple, bread = shop
    cart = cart_of(services, (bread.id, 1000))
    assert services.checkout.price_at_till(cart, Limits(), at=AT).promo_discount == 0
    # a promotion added (a commit that wrote promotions): the next scan has it
    services.promotions.add(PromotionInput("面包特价", Kind.SPECIAL_PRICE, START, END, products=((bread.id, 600),)))
    assert services.checkout.price_at_till(cart, Limits(), at=AT).promo_discount == 50
    # one that starts ten seconds after the rules were read applies from its start, not a minute later
    soon = AT.replace(tzinfo=None) + timedelta(seconds=10)
    services.promotions.add(PromotionInput("面包限时", Kind.SPECIAL_PRICE, soon, END, products=((bread.id, 500),)))
    assert services.checkout.price_at_till(cart, Limits(), at=AT).promo_discount == 50
    later = services.checkout.price_at_till(cart, Limits(), at=AT + timedelta(seconds=20))
    assert later.promo_discount == 150 and [a.name for a in later.promotions] == ["面包限时"]

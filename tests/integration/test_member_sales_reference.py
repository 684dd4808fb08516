"""The member sales report (会员消费) written as SQL text in session 16 gives exactly what the
SQLAlchemy queries it replaced gave (member_sales_reference.py), on SQLite and PostgreSQL, in four
time zones around a daylight-saving change: members of three levels buying on the local days'
edges at member prices, a return, a sale reversed, a member with no sale, a customer who is no
member, equal totals ordered by member, a top-n cut, points and stored value owed. On PostgreSQL
the session speaks another zone than the program, so a bound day that lost its type would read
other rows."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from jxc_desktop.db.models import Sale, SaleLine
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.accounts.dto import CustomerInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.services.members.member_sums import member_sales
from jxc_desktop.services.reporting.member_sales import member_report
from jxc_desktop.services.sales.dto import ReturnItem
from tests.integration import member_sales_reference as ref
from tests.integration.test_plain_reads_reference import BASE, read_in_other_zone, zone  # noqa: F401  (the fixture)


def fill(services: Services) -> None:
    day = BASE.astimezone().date()
    co = services.checkout
    cola = services.catalog.create_product(ProductInput(name="可乐", sale_price=1000), opening_qty=5_000_000,
                                           opening_cost=500)
    gold = services.members.add(MemberInput(phone="13800001111", name="金卡甲", level="金卡"), at=BASE - timedelta(days=9))
    silver = services.members.add(MemberInput(card="S-1", name="银卡乙", level="银卡"), at=BASE - timedelta(days=9))
    plain = services.members.add(MemberInput(phone="13800002222", name="普通丙"), at=BASE - timedelta(days=9))
    twin = services.members.add(MemberInput(phone="13800003333", name="普通丁"), at=BASE - timedelta(days=9))
    services.members.add(MemberInput(card="Q-1", name="没来过"), at=BASE - timedelta(days=9))  # no sale at all
    services.customers.add(CustomerInput("老客户", phone="123"))  # an account customer, no member

    def sell(units: int, member_id: int | None, when):  # type: ignore[no-untyped-def]
        cart, _ = c.add(Cart(), co.line_for_product(cola.id, units * 1000))
        if member_id is not None:
            cart = services.members.cart_for_member(cart, member_id)
        return co.post_sale(cart, [Tender("cash", co.price(cart).total)], confirmed=True, at=when)

    for k in range(-1, 3):
        start, end = day_start_utc(day + timedelta(days=k)), day_start_utc(day + timedelta(days=k + 1))
        first = sell(2, gold.id, start)  # the day's first µs
        sell(1, silver.id, end - timedelta(microseconds=1))  # its last
        sell(3, plain.id, start + timedelta(hours=5))
        sell(3, twin.id, start + timedelta(hours=6))  # the same total as 普通丙: ordered by member id
        sell(4, None, start + timedelta(hours=7))  # no member
        co.post_return(first.number, [ReturnItem(first.lines[0].id, 1000)], at=start + timedelta(hours=8))
    gone = sell(5, gold.id, day_start_utc(day) + timedelta(hours=9))
    with services.db.write() as uow:  # a sale reversed: counts for nothing
        uow.session.execute(update(Sale).where(Sale.id == gone.id).values(status="reversed"))
        uow.session.execute(update(SaleLine).where(SaleLine.sale_id == gone.id).values(status="reversed"))
        uow.commit()
    services.member_money.topup(gold.id, 4500, bonus=500, method="wechat", at=BASE)
    services.member_money.topup(silver.id, 1000, method="cash", at=BASE)


def test_the_text_reads_what_the_orm_read(services: Services, zone: str) -> None:  # noqa: F811  (the fixture)
    fill(services)
    day = BASE.astimezone().date()
    periods = [Period(day - timedelta(days=2), day + timedelta(days=3)), Period(day, day),
               Period(day + timedelta(days=1), day + timedelta(days=2)), Period(day + timedelta(days=9), day + timedelta(days=9))]
    with read_in_other_zone(services) as (s, rows):
        got = {p: member_report(rows, p) for p in periods}
        for period, report in got.items():
            assert report == ref.member_report(s, period), period
            for top in (1, 2, 10):
                assert member_sales(rows, period.first, period.last, top=top) == ref.member_sales(
                    s, period.first, period.last, top=top), (period, top)
    whole, today = got[periods[0]], got[periods[1]]
    # what the comparison covered: four members bought, equal totals, savings, a share, what is owed
    assert [r.name for r in today.rows] == ["普通丙", "普通丁", "银卡乙", "金卡甲"] and today.rows[0].sales == today.rows[1].sales
    assert today.saved > 0 and 0 < today.share_pct < 100 and whole.visits == 4 * 4
    assert (today.owed.members, today.owed.stored_value, today.owed.members_with_stored_value) == (5, 6000, 2)
    assert today.owed.points > 0 and got[periods[-1]].rows == () and got[periods[-1]].share_pct == 0
    assert services.reports.members(periods[0]) == whole  # the service runs the same text

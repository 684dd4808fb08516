"""The shift figures, the day summary (日结) and the top-up sums written as SQL text in session 15
give exactly what the SQLAlchemy queries they replaced gave (shift_day_reference.py), on SQLite and
PostgreSQL, in four time zones around a daylight-saving change: shifts opened on a local day's
edges at three tills, sales and returns in them paid two ways with line discounts, cash paid in and
out, top-ups by two methods, closed over and short and one left open. On PostgreSQL the session
speaks another zone than the program, so a bound time that lost its zone would read other rows."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.services.members.topup_sums import topups_by_method
from jxc_desktop.services.sales.day_figures import day_figures
from jxc_desktop.services.sales.dto import ReturnItem
from jxc_desktop.services.staff.dto import DayShifts
from jxc_desktop.services.staff.shift_figures import shifts_between, shifts_of_day
from tests.integration import shift_day_reference as ref
from tests.integration.test_plain_reads_reference import BASE, read_in_other_zone, zone  # noqa: F401  (the fixture)

DAYS = range(-1, 3)


def fill(services: Services) -> None:
    co = services.checkout
    cola = services.catalog.create_product(ProductInput(name="可乐", sale_price=300), opening_qty=5_000_000,
                                           opening_cost=150)
    people = {name: services.staff.add(name, number, "" if number == "9" else "1234",
                                       role="owner" if number == "9" else "cashier").id
              for name, number in (("张老板", "9"), ("王芳", "1"), ("李强", "2"))}
    member = services.members.add(MemberInput(card="M-1", name="陈建国"), at=BASE - timedelta(days=5))
    day = BASE.astimezone().date()

    def sell(shift: int, who: str, when, units: int, *tenders: Tender, off: int = 0):  # type: ignore[no-untyped-def]
        line = dataclasses.replace(co.line_for_product(cola.id, units * 1000), line_discount=off)
        return co.post_sale(Cart((line,)), list(tenders), confirmed=True, at=when, cashier_id=people[who],
                            shift_id=shift)

    for k in DAYS:
        start, end = day_start_utc(day + timedelta(days=k)), day_start_utc(day + timedelta(days=k + 1))
        a = services.shifts.open(people["王芳"], 20000, at=start - timedelta(microseconds=1), till="A").id
        sold = sell(a, "王芳", start + timedelta(minutes=10), 3, Tender("wechat", 400), Tender("cash", 450), off=50)
        co.post_return(sold.number, [ReturnItem(sold.lines[0].id, 1000)], method="cash",
                       at=start + timedelta(minutes=20), cashier_id=people["王芳"], shift_id=a)
        services.shifts.cash_move(a, 5000, "找零", person_id=people["王芳"], at=start + timedelta(minutes=30))
        services.shifts.cash_move(a, -3000, "送货费", person_id=people["张老板"], at=start + timedelta(minutes=40))
        b = services.shifts.open(people["李强"], 10000, at=start, till="B").id
        sell(b, "李强", start + timedelta(hours=4), 2, Tender("cash", 600))
        services.member_money.topup(member.id, 10000, method="wechat", at=start + timedelta(hours=1))
        services.member_money.topup(member.id, 5000, method="cash", shift_id=b, at=start + timedelta(hours=5))
        services.shifts.close(a, counted=20000 + 450 - 300 + 5000 - 3000 + 100, at=start + timedelta(hours=3))  # over
        services.shifts.close(b, counted=10000 + 600 + 5000 - 200, at=end - timedelta(microseconds=1))  # short
        c = services.shifts.open(people["王芳"], 0, at=end - timedelta(microseconds=1), till="C").id
        sell(c, "王芳", end + timedelta(minutes=10), 1, Tender("alipay", 300))
        if k < max(DAYS):
            services.shifts.close(c, counted=0, at=end + timedelta(minutes=30))


def test_the_text_reads_what_the_orm_read(services: Services, zone: str) -> None:  # noqa: F811  (the fixture)
    fill(services)
    day = BASE.astimezone().date()
    with read_in_other_zone(services) as (s, rows):
        for k in range(min(DAYS) - 1, max(DAYS) + 2):
            d = day + timedelta(days=k)
            shifts = DayShifts(tuple(shifts_of_day(rows, d)))
            assert shifts == DayShifts(tuple(ref.shifts_opened(s, d, d, by_time=False))), d
            assert topups_by_method(rows, d, d) == ref.topups_by_method(s, d, d), d
            assert day_figures(rows, d, shifts, topups_by_method(rows, d, d)) == ref.day_summary(s, d), d
        first, last = day + timedelta(days=min(DAYS)), day + timedelta(days=max(DAYS))
        every = shifts_between(rows, first - timedelta(days=1), last + timedelta(days=1))
        assert every == ref.shifts_opened(s, first - timedelta(days=1), last + timedelta(days=1))
        # the shifts the text found are the ones made: three a day (B on the day's first µs, A on
        # the day before's last, C on its own last), the last C still open
        assert len(every) == 3 * len(DAYS) and [x.status for x in every].count("open") == 1
        today = shifts_of_day(rows, day)  # B and C of the day, and the next day's A (opened on its last µs)
        # A: counted 1.00 over a refund of 3.00, and the refund was 2.83 (a third of the discounted line)
        assert [(x.till, x.over_short) for x in today] == [("B", -200), ("C", 0), ("A", 83)]
        summary = day_figures(rows, day, DayShifts(tuple(today)), topups_by_method(rows, day, day))
        assert summary.topups == {"wechat": 10000, "cash": 5000} and summary.discount_total == 50
    assert services.checkout.day_summary(day) == summary  # the service runs the same text

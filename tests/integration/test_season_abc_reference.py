"""The season table, the ABC classes and the promotion results written as SQL text in session 16
give exactly what the SQLAlchemy queries they replaced gave (season_abc_reference.py), on SQLite
and PostgreSQL, in four time zones: sales and returns on the first and last microsecond of local
days at a month's edge (and on a daylight-saving day), the same days a year before, products of no
category, equal values (ties) under several thresholds, promotions of four kinds applied in and out
of the period with returns of promoted lines (one line brought back twice), a voided sale, and one
product's month past 2^31 (a sum PostgreSQL must keep 64-bit). On PostgreSQL the
session speaks another zone than the program, so a bound day that lost its type would read others."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services
from jxc_desktop.services.promotions.dto import PromotionInput
from jxc_desktop.services.reporting.abc import AbcBasis, abc_report, thresholds
from jxc_desktop.services.reporting.promotion_results import promotion_results
from jxc_desktop.services.reporting.season import SeasonGrouping, season_report
from jxc_desktop.services.sales.dto import ReturnItem
from tests.integration import season_abc_reference as ref
from tests.integration.test_plain_reads_reference import read_in_other_zone, zone  # noqa: F401  (the fixture)

LAST_OF_MARCH, FIRST_OF_APRIL = date(2026, 3, 31), date(2026, 4, 1)
SUMMER_TIME = date(2026, 3, 29)  # Europe's clocks go forward
PERIODS = [Period(date(2026, 3, 1), date(2026, 4, 30)), Period(LAST_OF_MARCH, LAST_OF_MARCH),
           Period(FIRST_OF_APRIL, FIRST_OF_APRIL), Period(SUMMER_TIME, SUMMER_TIME),
           Period(date(2026, 2, 15), date(2026, 4, 3)), Period(date(2026, 6, 1), date(2026, 6, 30))]
THRESHOLDS = [(80, 15), (50, 50), (1, 0), (99, 1), (34, 33)]


def fill(services: Services, make_product) -> dict[str, int]:  # type: ignore[no-untyped-def]
    co = services.checkout
    cola = make_product("可乐", price=300, cost=150, qty=1000, category="饮料")
    tea = make_product("绿茶", price=400, cost=200, qty=1000, category="饮料")
    apple = make_product("苹果", price=1000, cost=600, qty=1000, category="水果")
    loose = make_product("散装糖", price=1000, cost=600, qty=1000)  # no category
    sugar = make_product("白糖", price=1050, cost=700, qty=1000)  # no category: sells as tea on promotion (ties)
    big = make_product("整车", price=9_000_000, cost=1_000_000, qty=300)  # 100 units: 9 × 10^8 fen a line
    make_product("没卖过", price=100, qty=10)  # never sold: in no report
    promos = services.promotions
    wide = (datetime(2025, 1, 1), datetime(2026, 12, 31, 23, 0))  # local times, as the form gives them
    promos.add(PromotionInput("绿茶特价", Kind.SPECIAL_PRICE, *wide, products=((tea.id, 350),)))
    promos.add(PromotionInput("可乐买2付1", Kind.BUY_N_PAY_M, *wide, products=((cola.id, None),), n=2, m=1))
    promos.add(PromotionInput("满20减3", Kind.THRESHOLD, *wide, threshold=2000, reduction=300))
    promos.add(PromotionInput("苹果第二件半价", Kind.NTH_AT_PERCENT, *wide, products=((apple.id, None),),
                              n=2, pay_pct=50))

    def sell(when: datetime, *items: tuple[int, int]):  # type: ignore[no-untyped-def]
        cart = Cart(tuple(co.line_for_product(pid, units * 1000) for pid, units in items))
        return co.post_sale(cart, [Tender("cash", 10**9)], confirmed=True, at=when)

    def first_us(day: date) -> datetime:
        return day_start_utc(day)

    def last_us(day: date) -> datetime:
        return day_start_utc(day + timedelta(days=1)) - timedelta(microseconds=1)

    march = sell(last_us(LAST_OF_MARCH), (cola.id, 4), (tea.id, 3), (apple.id, 2))
    april = sell(first_us(FIRST_OF_APRIL), (cola.id, 2), (apple.id, 2), (loose.id, 1))
    sell(first_us(LAST_OF_MARCH), (loose.id, 3))
    sell(first_us(LAST_OF_MARCH), (sugar.id, 1))  # 10.50: three teas at their special price, a tie
    sell(first_us(SUMMER_TIME), (tea.id, 5))
    sell(last_us(SUMMER_TIME), (cola.id, 2), (apple.id, 3))
    sell(last_us(date(2026, 2, 28)), (cola.id, 6), (tea.id, 2))  # the month before, by a microsecond
    sell(first_us(date(2026, 2, 20)), (apple.id, 4))
    for day in (date(2025, 3, 31), date(2025, 4, 1), date(2025, 3, 29)):  # the same days a year before
        sell(first_us(day), (cola.id, 2), (apple.id, 1))
    sell(first_us(date(2025, 2, 28)), (tea.id, 3))
    for day in (date(2026, 4, 10), date(2026, 4, 20), date(2026, 4, 25)):  # a product's month past 2^31
        sell(first_us(day), (big.id, 100))
    void = sell(first_us(date(2026, 3, 15)), (cola.id, 8), (apple.id, 5))
    # returns: of March's promoted lines on April's first microsecond, of April's on its last one
    cola_line = next(ln for ln in march.lines if ln.product_id == cola.id)
    tea_line = next(ln for ln in march.lines if ln.product_id == tea.id)
    co.post_return(march.number, [ReturnItem(cola_line.id, 1000), ReturnItem(tea_line.id, 3000)],
                   at=first_us(FIRST_OF_APRIL))
    co.post_return(march.number, [ReturnItem(cola_line.id, 2000)], at=last_us(date(2026, 4, 2)))  # twice back
    apple_line = next(ln for ln in april.lines if ln.product_id == apple.id)
    co.post_return(april.number, [ReturnItem(apple_line.id, 1000)], at=last_us(date(2026, 4, 30)))
    with services.db.write() as uow:  # voided: the sale and its lines reversed (as a void leaves them)
        uow.session.execute(text("UPDATE sale SET status = 'reversed' WHERE id = :id"), {"id": void.id})
        uow.session.execute(text("UPDATE sale_line SET status = 'reversed' WHERE sale_id = :id"), {"id": void.id})
        uow.commit()
    return {"big": big.id}


def test_the_text_reads_what_the_orm_read(services: Services, make_product, zone: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811

    fill(services, make_product)
    with read_in_other_zone(services) as (s, rows):
        for period in PERIODS:
            for by in SeasonGrouping:
                assert season_report(rows, period, by) == ref.season_report(s, period, by), (period, by)
            for basis in AbcBasis:
                for a, b in THRESHOLDS:
                    assert abc_report(rows, period, basis, a, b) == ref.abc_report(s, period, basis, a, b), (
                        period, basis, a, b)
            assert promotion_results(rows, period) == ref.promotion_results(s, period), period
        season = season_report(rows, PERIODS[0], SeasonGrouping.CATEGORY)
        by_product = season_report(rows, PERIODS[0], SeasonGrouping.PRODUCT)
        ties = abc_report(rows, PERIODS[1], AbcBasis.SALES, 80, 15)
        promos = promotion_results(rows, PERIODS[0])
        day_promos = promotion_results(rows, PERIODS[1])
    # what the comparison covered
    assert max(m for r in by_product.rows for m in r.months) > 2**31
    assert season.months == ("2026-03", "2026-04") and season.total.last_year_total > 0
    assert "Uncategorized" in {r.label for r in season.rows} or "未分类" in {r.label for r in season.rows}
    values = [r.value for r in ties.rows]
    assert len(values) != len(set(values))  # equal values: their order is the codes'
    assert {r.label for r in promos.rows} == {"绿茶特价", "可乐买2付1", "满20减3", "苹果第二件半价"}
    assert day_promos.total.sale_count == 2 and promos.total.discount > 0
    assert services.reports.season(PERIODS[0], "product") == by_product  # the service runs the same text
    assert services.reports.promotions(PERIODS[0]) == promos


@pytest.mark.parametrize("stored", [{}, {"abc_a_pct": "70", "abc_b_pct": "20"}, {"abc_a_pct": " 60 "},
                                    {"abc_a_pct": "many", "abc_b_pct": "5"}, {"abc_a_pct": "90", "abc_b_pct": "11"}])
def test_the_thresholds_read_as_the_service_read_them(services: Services, stored: dict[str, str]) -> None:
    """The stored values (a space around, not a number: the default), and the refusal over 100 %."""
    from jxc_desktop.db.text_reads import SessionRows
    from jxc_desktop.services.shop.stored_settings import stored_int

    with services.db.write() as uow:  # as stored: the settings form would refuse some of these
        for key, value in stored.items():
            uow.session.execute(text("INSERT INTO setting (key, value) VALUES (:k, :v)"), {"k": key, "v": value})
        uow.commit()
    with services.db.read() as uow:
        rows = SessionRows(uow.session)
        try:
            expected: object = ref.abc_thresholds(uow.session)
        except ValidationError as e:
            expected = str(e)
        try:
            found: object = thresholds(lambda key: stored_int(rows, key))
        except ValidationError as e:
            found = str(e)
    assert found == expected
    assert expected == {"{}": (80, 15), "70": (70, 20), " 60 ": (60, 15), "many": (80, 5)}.get(
        stored.get("abc_a_pct", "{}"), expected)
    if stored.get("abc_b_pct") == "11":
        assert isinstance(expected, str) and "100%" in expected

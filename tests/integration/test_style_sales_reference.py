"""Sell-through (售罄率) and broken sizes (断码) written as SQL text in session 16 give exactly what
the SQLAlchemy reads they replaced gave (style_sales_reference.py), on SQLite and PostgreSQL, in
four time zones around a daylight-saving change, by style, colour, size and cell: a small clothing
shop of three styles (one switched off), sales on the local days' edges, a return, stock received
and sold after a period's end (its on hand read back), a cell switched off, a colour and a size
added later, a variant whose colour is none of its style's; then the clothing demo. On PostgreSQL
the session speaks another zone than the program, so a bound time that lost its zone would read
other rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text, update

from jxc_desktop.db.models import Product, Style
from jxc_desktop.demo.clothing import fill_clothing_demo
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.catalog.dto import StyleInput
from jxc_desktop.services.catalog.style_figures import broken_sizes_in, sell_through_in
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.reporting.style_sales import LEVELS, broken_sizes_report, sell_through_report
from jxc_desktop.services.sales.dto import ReturnItem
from tests.integration import style_sales_reference as ref
from tests.integration.test_plain_reads_reference import BASE, read_in_other_zone, zone  # noqa: F401  (the fixture)


def fill(services: Services) -> None:
    day = BASE.astimezone().date()
    st = services.styles
    a = st.create_style(StyleInput(code="26Q101", name="复古卫衣", colours=(("01", "黑色"), ("07", "酒红")),
                                   sizes=("S", "M", "L", "XL"), category="上衣", season="秋", year=2026,
                                   sale_price=24900, ref_cost=9800), create_category=True)
    b = st.create_style(StyleInput(code="26Q090", name="针织开衫", colours=(("01", "黑色"),), sizes=("M", "L"),
                                   season="冬", sale_price=19900, ref_cost=7000))
    c = st.create_style(StyleInput(code="26Q200", name="直筒裤", colours=(("02", "蓝色"),), sizes=("28", "30"),
                                   sale_price=15900, ref_cost=6000))
    b = st.add_colour(b.id, "03", "米白")  # its products made after the other styles'
    b = st.add_size(b.id, "S")  # last in the size order, whatever its name
    a = st.set_variant_active(a.id, "07", "S", False)
    cell = {(s.code, v.colour_code, v.size): v.product_id for s in (a, b, c) for v in s.variants}
    supplier = services.suppliers.add(SupplierInput("广州十三行服饰批发")).id

    def receive(when, *lines: tuple[str, str, str, int]) -> None:  # type: ignore[no-untyped-def]
        services.purchasing.post(NoteInput(supplier, tuple(LineInput(cell[(s, col, size)], n * 1000, 9000)
                                                           for s, col, size, n in lines),
                                           doc_date=when.astimezone().date()), at=when)

    co = services.checkout

    def sell(when, style: str, colour: str, size: str, n: int = 1):  # type: ignore[no-untyped-def]
        cart = Cart((co.line_for_product(cell[(style, colour, size)], n * 1000),))
        return co.post_sale(cart, [Tender("cash", co.price(cart).total)], confirmed=True, at=when)

    receive(BASE - timedelta(days=3), ("26Q101", "01", "S", 2), ("26Q101", "01", "M", 5), ("26Q101", "01", "L", 4),
            ("26Q101", "01", "XL", 1), ("26Q101", "07", "M", 3), ("26Q101", "07", "L", 12),
            ("26Q090", "01", "M", 2), ("26Q090", "01", "L", 1), ("26Q090", "03", "S", 1), ("26Q090", "03", "M", 2),
            ("26Q200", "02", "28", 1))
    for k in range(-1, 3):
        start, end = day_start_utc(day + timedelta(days=k)), day_start_utc(day + timedelta(days=k + 1))
        if k < 1:
            sell(start, "26Q101", "01", "S")  # the day's first µs: S sold out after two days
        sold = sell(end - timedelta(microseconds=1), "26Q101", "07", "L", 2)  # its last
        if k == 0:
            co.post_return(sold.number, [ReturnItem(sold.lines[0].id, 1000)], at=end + timedelta(hours=1))
        if k == 1:
            sell(start + timedelta(hours=3), "26Q090", "01", "L")
            sell(start + timedelta(hours=4), "26Q090", "03", "M", 3)  # below zero
    receive(day_start_utc(day + timedelta(days=5)), ("26Q101", "01", "XL", 3))  # after a period: read back
    sell(day_start_utc(day + timedelta(days=6)), "26Q101", "01", "M", 2)
    voided = sell(day_start_utc(day) + timedelta(hours=5), "26Q101", "01", "L", 2)
    with services.db.write() as uow:
        s = uow.session
        for table in ("sale", "sale_line"):  # a voided sale: sold in no period
            key = "id" if table == "sale" else "sale_id"
            s.execute(text(f"UPDATE {table} SET status = 'reversed' WHERE {key} = :id"), {"id": voided.id})
        s.execute(update(Style).where(Style.id == c.id).values(active=False))  # switched off: not broken
        s.execute(update(Product).where(Product.id == cell[("26Q090", "03", "S")]).values(colour_code="99"))
        uow.commit()


def _compare(services: Services, periods: list[Period], today: date) -> dict[tuple[Period, str], object]:
    with read_in_other_zone(services) as (s, rows):
        got = {}
        for period in periods:
            for by in LEVELS:
                got[(period, by)] = report = sell_through_report(rows, period, by)
                assert report == ref.sell_through_report(s, period, by), (period, by)
        assert broken_sizes_report(rows, today) == ref.broken_sizes_report(s, today)
        for code in ("26Q090", "26Q200", "ZZZ"):  # one style (the styles window), a switched-off one, none
            for by in LEVELS:
                try:
                    expected: object = ref.sell_through_in(s, periods[0].first, periods[0].last, level=by,
                                                           style_code=code)
                except NotFoundError as e:
                    expected = str(e)
                try:
                    found: object = sell_through_in(rows, periods[0].first, periods[0].last, level=by, style_code=code)
                except NotFoundError as e:
                    found = str(e)
                assert found == expected, (code, by)
            try:
                assert broken_sizes_in(rows, code) == ref.broken_sizes_in(s, code), code
            except NotFoundError:
                with pytest.raises(NotFoundError):
                    ref.broken_sizes_in(s, code)
    return got


def test_the_text_reads_what_the_orm_read(services: Services, zone: str) -> None:  # noqa: F811  (the fixture)
    fill(services)
    day = BASE.astimezone().date()
    periods = [Period(day - timedelta(days=2), day + timedelta(days=3)), Period(day, day),
               Period(day + timedelta(days=1), day + timedelta(days=2)), Period(day + timedelta(days=4), day + timedelta(days=8)),
               Period(day - timedelta(days=2), day - timedelta(days=1))]  # ends where a sale's µs begins the day
    got = _compare(services, periods, day + timedelta(days=2))
    # what the comparison covered: each level, a return, stock after a period's end, rows to break
    by_cell = {(r.key, r.colour, r.size): r for r in got[(periods[1], "cell")].rows}
    assert by_cell[("26Q101", "黑色", "S")].qty == 1000 and by_cell[("26Q101", "酒红", "L")].qty == 2000
    assert got[(periods[0], "style")].rows[1].key == "26Q101" and got[(periods[0], "style")].total.on_hand > 0
    assert [r.size for r in got[(periods[0], "size")].rows if r.key == "26Q090"] == ["M", "L", "S"]
    broken = services.reports.broken_sizes(day)
    # 米白 is gone (its S moved to colour 99, M sold below zero), 酒红 S is switched off, 直筒裤 too
    assert [(r.key, r.colour, r.missing) for r in broken.rows] == [("26Q090", "黑色", "L S"), ("26Q101", "黑色", "S"),
                                                                   ("26Q101", "酒红", "XL")]
    assert services.reports.sell_through(periods[0], "cell") == got[(periods[0], "cell")]  # the service's text


def test_the_clothing_demo(services: Services, fill_as_demo, zone: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    today = BASE.astimezone().date()
    fill_as_demo(lambda shop: fill_clothing_demo(shop, styles=4, days=30, today=today))
    periods = [Period(today - timedelta(days=29), today), Period(today - timedelta(days=6), today - timedelta(days=3))]
    got = _compare(services, periods, today)
    assert got[(periods[0], "style")].total.qty > 0 and len(got[(periods[0], "cell")].rows) > 8

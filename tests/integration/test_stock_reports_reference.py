"""The stock reports written as SQL text in session 16 give exactly what the SQLAlchemy queries they
replaced gave (stock_reports_reference.py), on SQLite and PostgreSQL, in four time zones around a
daylight-saving change: moves of every kind on the edges of local days (−1 µs, 0, +90 min, last
µs); the stock at a day read each of positions_at's three ways (the sums of the fewer moves before
it, the cached positions less the fewer moves after it, nothing moved since); turnover by category,
by month and by category and month over a month's edge; slow movers never sold and sold after a
past "today"; expired, soon-expiring and later batches, with the warning days from the setting as
get_int reads it; cover by product and by category; products of no category, and values past 2^31
summed on PostgreSQL's 32-bit columns. On PostgreSQL the session speaks another zone than the
program."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, text

from jxc_desktop.db.models import Batch, Product, Setting, StockMove
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services
from jxc_desktop.services.reporting import stock_value as sv
from jxc_desktop.services.reporting.cover import CoverGrouping, cover_report
from jxc_desktop.services.reporting.plain_reads import PlainReports
from jxc_desktop.services.reporting.turnover_months import turnover_by_month
from jxc_desktop.services.sales.dto import ReturnItem
from jxc_desktop.services.shop.api import get_int
from jxc_desktop.services.shop.stored_settings import stored_int
from jxc_desktop.services.shop.till_config import LOCAL_KEYS
from tests.integration import stock_reports_reference as ref
from tests.integration.test_plain_reads_reference import BASE, read_in_other_zone, zone  # noqa: F401  (the fixture)

BIG = 2_000_000_000  # fen: three such products pass 2^31 together (each column is 32-bit on PostgreSQL)
# Value-only and other moves written straight into the ledger (the product's cache kept its sum).
KINDS = ("purchase", "purchase_return", "count_gain", "count_loss", "cost_fix", "adjust", "revaluation")


def _edges(k: int) -> list[datetime]:
    """The instants on the edges of local day ``k`` days from BASE's."""
    day = BASE.astimezone().date() + timedelta(days=k)
    start, end = day_start_utc(day), day_start_utc(day + timedelta(days=1))
    return [start - timedelta(microseconds=1), start, start + timedelta(minutes=90), end - timedelta(microseconds=1)]


def fill(services: Services) -> None:
    cat = services.catalog
    opened = BASE - timedelta(days=4)
    made = {name: cat.create_product(ProductInput(name=name, category=category, sale_price=price),
                                     create_category=bool(category), opening_qty=qty, opening_cost=cost,
                                     at=opened + timedelta(hours=i))
            for i, (name, category, price, qty, cost) in enumerate((
                ("可乐", "饮料", 300, 500_000, 150), ("大米 10kg", "粮油", 6000, 100_000, 4000),
                ("散装糖", "", 900, 80_000, 500), ("旧货", "饮料", 1000, 7000, 700),
                ("整箱一", "大件", 9_000_000, 1000, BIG), ("整箱二", "大件", 9_000_000, 1000, BIG),
                ("整箱三", "", 9_000_000, 1000, BIG), ("无货", "粮油", 100, 0, None),
                ("牛奶", "饮料", 500, 30_000, 300)))}
    ids = {name: p.id for name, p in made.items()}
    co = services.checkout
    sold = []
    for k in range(-3, 5):  # sales on each day's edges, by two products and one of no category
        for i, when in enumerate(_edges(k)):
            name = ("可乐", "大米 10kg", "散装糖")[(k + i) % 3]
            sold.append(co.post_sale(Cart((co.line_for_product(ids[name], (i + 1) * 1000),)),
                                     [Tender("cash", 100_000)], confirmed=True, at=when))
    co.post_return(sold[5].number, [ReturnItem(sold[5].lines[0].id, 1000)], method="cash", at=_edges(0)[3])
    co.post_return(sold[9].number, [ReturnItem(sold[9].lines[0].id, 1000)], method="cash", at=_edges(2)[1])
    # 牛奶 sold after the days the slow movers look back from (a past "today")
    co.post_sale(Cart((co.line_for_product(ids["牛奶"], 1000),)), [Tender("cash", 500)], confirmed=True,
                 at=_edges(6)[2])
    voided = co.post_sale(Cart((co.line_for_product(ids["大米 10kg"], 3000),)), [Tender("cash", 100_000)],
                          confirmed=True, at=_edges(1)[1])
    with services.db.write() as uow:
        s = uow.session
        for table in ("sale", "sale_line"):  # a voided sale: sold in no period (cover's sales)
            key = "id" if table == "sale" else "sale_id"
            s.execute(text(f"UPDATE {table} SET status = 'reversed' WHERE {key} = :id"), {"id": voided.id})
        for k in range(-3, 7):
            for i, when in enumerate(_edges(k)):
                kind = KINDS[(k * 4 + i) % len(KINDS)]
                product = s.get(Product, ids[("可乐", "散装糖", "整箱一", "大米 10kg")[(k + i) % 4]])
                assert product is not None
                qty = {"cost_fix": 0, "revaluation": 0, "count_loss": -1000, "purchase_return": -500}.get(kind, 2000)
                value = qty * 150 if qty else 37 * (k + 5) * (i - 1)  # value only: either sign
                if product.id == ids["整箱一"] and kind == "purchase":
                    value = BIG // 20  # a purchase of a big value: the sums pass 2^31
                product.stock_qty += qty
                product.stock_value += value
                s.add(StockMove(product_id=product.id, kind=kind, qty=qty, value=value, created_at=when,
                                balance_qty=product.stock_qty, balance_value=product.stock_value, doc_type="adjust"))
        day = BASE.astimezone().date()
        for no, (shift, qty) in enumerate(((-400, 1000), (-3, 2000), (0, 500), (4, 1000), (5, 0), (30, 3000),
                                           (200, 1000), (None, 1000))):
            s.add(Batch(product_id=ids["牛奶"], batch_no=f"B{no}", qty=qty,
                        expiry_date=None if shift is None else day + timedelta(days=shift)))
        s.add(Batch(product_id=ids["可乐"], batch_no="B0", qty=2000, expiry_date=day + timedelta(days=4)))
        uow.commit()


def _set_expiry_days(services: Services, value: str | None) -> None:
    with services.db.write() as uow:
        uow.session.execute(delete(Setting).where(Setting.key == sv.EXPIRY_SETTING))
        if value is not None:
            uow.session.add(Setting(key=sv.EXPIRY_SETTING, value=value))
        uow.commit()


def test_the_text_reads_what_the_orm_read(services: Services, zone: str) -> None:  # noqa: F811  (the fixture)
    fill(services)
    day = BASE.astimezone().date()
    days = [day + timedelta(days=k) for k in (-9, -4, -3, -1, 0, 1, 2, 4, 5, 6, 7, 30)]
    periods = [Period(day - timedelta(days=3), day + timedelta(days=6)), Period(day, day),
               Period(day + timedelta(days=1), day + timedelta(days=2)),
               Period(day - timedelta(days=30), day + timedelta(days=40)),
               Period(day + timedelta(days=8), day + timedelta(days=9)), Period(day - timedelta(days=20), day - timedelta(days=10))]
    ways = set()
    with read_in_other_zone(services) as (s, rows):
        for at in days:
            ways.add(sv.positions_at(rows, sv.end_of_day(at))[0])
            for by in sv.StockGrouping:
                assert sv.stock_value_report(rows, at, by) == ref.stock_value_report(s, at, by), (at, by)
        for period in periods:
            assert sv.turnover_report(rows, period) == ref.turnover_report(s, period), period
            for by in ("month", "category_month"):
                assert turnover_by_month(rows, period, by) == ref.turnover_by_month(s, period, by), (period, by)
            for cover_by in CoverGrouping:
                assert cover_report(rows, period, cover_by) == ref.cover_report(s, period, cover_by), (period, cover_by)
        for today in (day - timedelta(days=1), day, day + timedelta(days=2), day + timedelta(days=6), day + timedelta(days=30)):
            for n in (1, 3, 30):
                assert sv.slow_movers(rows, n, today) == ref.slow_movers(s, n, today), (today, n)
        for today in (day - timedelta(days=5), day, day + timedelta(days=20)):
            for warning in (0, 5, 90):
                assert sv.expiry_report(rows, today, warning) == ref.expiry_report(s, today, warning), today
        # what the comparison covered: every branch and kind of figure is there to compare
        assert ways == {sv.POSITIONS_BEFORE, sv.POSITIONS_SINCE, sv.CACHED_POSITIONS}
        flow = sv.turnover_report(rows, periods[0])
        t = flow.total
        assert all((t.opening, t.purchases, t.sales, t.counts, t.other, t.corrections))
        assert "" in {r.key for r in flow.rows} and t.closing > 2**31
        held = sv.stock_value_report(rows, day, sv.StockGrouping.CATEGORY)
        assert "" in {r.key for r in held.rows} and max(r.value for r in held.rows) > 2**31
        slow = sv.slow_movers(rows, 3, day)
        assert any(r.last_sale is None for r in slow.rows) and "旧货" in {r.label for r in slow.rows}
        assert "牛奶" in {r.label for r in slow.rows}  # sold after that day only
        soon = sv.expiry_report(rows, day, 5)
        assert {r.expired for r in soon.rows} == {True, False}
        month = turnover_by_month(rows, periods[3], "month")
        assert [r.key for r in month.rows] == sorted({r.key for r in month.rows}) and len(month.rows) >= 2
    assert services.reports.stock_value(day, "product") == ref_read(services, lambda s: ref.stock_value_report(
        s, day, "product"))  # the service runs the same text


def ref_read(services: Services, read):  # type: ignore[no-untyped-def]
    with services.db.read() as uow:
        return read(uow.session)


def test_the_warning_days_as_get_int_reads_them(services: Services, zone: str) -> None:  # noqa: F811
    """Expiry without warning days: the setting as the settings service gives it (stored, else the
    default; the default for a stored text that is no number), on the plain reader too."""
    fill(services)
    day = BASE.astimezone().date()
    assert sv.EXPIRY_SETTING not in LOCAL_KEYS  # no till keeps its own: the stored value is the answer
    for stored in (None, "3", "400", "soon"):
        _set_expiry_days(services, stored)
        with services.db.read() as uow:
            s = uow.session
            rows = SessionRows(s)
            days = get_int(s, sv.EXPIRY_SETTING)
            assert stored_int(rows, sv.EXPIRY_SETTING) == days
            expected = ref.expiry_report(s, day, days)
            assert PlainReports(rows, lambda key, r=rows: stored_int(r, key)).expiry(day) == expected
        assert services.reports.expiry(day) == expected, stored

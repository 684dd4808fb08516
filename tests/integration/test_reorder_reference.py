"""The reorder suggestions (both rules) and one product's forecast, written as SQL text, give exactly
what the SQLAlchemy queries they replaced gave (reorder_reference.py), on SQLite and PostgreSQL, in
four time zones: below the minimum, running out within the cover days, up to the maximum, whole
packs, no supplier, an inactive product, sales and a return on the 28-day window's local edges, a
year of seasonal history and a few weeks of it, and a stock past 2^31 thousandths ÷ 28 (the
PostgreSQL overflow the BIGINT cast prevents). On SQLite the plain reader (sqlite3 alone) gives the
same as the service."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text, update

from jxc_desktop.db.models import Product
from jxc_desktop.db.text_reads import PlainReads, SessionRows
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.catalog.api import pinyin_initials
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing import demand
from jxc_desktop.services.purchasing.dto import SupplierInput
from jxc_desktop.services.purchasing.forecasts import product_forecast
from jxc_desktop.services.purchasing.reorder import suggestions
from jxc_desktop.services.sales.dto import ReturnItem
from jxc_desktop.services.shop import api as shop
from jxc_desktop.services.shop.stored_settings import stored_int
from jxc_desktop.services.shop.till_config import LOCAL_KEYS
from tests.integration import reorder_reference as ref
from tests.integration.test_plain_reads_reference import read_in_other_zone, zone  # noqa: F401  (the fixture)
from tests.unit.purchase_fixtures import post_history

TODAY = date(2026, 5, 25)  # the day of the suggestion: the window is 27 April … 24 May
SETTINGS = ("reorder_cover_days", "reorder_lead_days", "reorder_service_level")
BIG = 80_000_000  # 80 000 units: × 28 is past 2^31


def summer(day: date) -> int:
    """2 a day, up to 6 around 25 July, thousandths (as test_reorder_season)."""
    best = min(abs((day - date(y, 7, 25)).days) for y in (day.year - 1, day.year, day.year + 1))
    bump = math.cos(math.pi / 2 * best / 75) ** 2 if best < 75 else 0.0
    return round(2 + 4 * bump) * 1000


def fill(services: Services) -> dict[str, int]:
    cat, co = services.catalog, services.checkout
    sup = {name: services.suppliers.add(SupplierInput(name, lead_time_days=lead)).id
           for name, lead in (("武汉金源副食品", 0), ("长沙金达冷链", 10), ("Acme 食品", 2), ("北京兴源粮油", 0))}

    def make(name: str, **fields: object) -> int:
        return cat.create_product(ProductInput(name=name, sale_price=fields.pop("price", 300), category=str(
            fields.pop("category", "饮料")), **fields), create_category=True).id  # type: ignore[arg-type]

    p = {"cola": make("可乐", min_stock=50_000, barcodes=(("16901234567899", 12), ("26901234567896", 6),
                                                           ("6901234567892", 1))),
         "tea": make("绿茶", max_stock=40_000, barcodes=(("36901234567893", 24),)),
         "water": make("矿泉水", category="水"),
         "old": make("旧货", min_stock=10_000, category="杂货"),
         "big": make("散装米", price=1, category="粮油"),
         "drink": make("冰红茶"),
         "new": make("新品", category="杂货")}
    cat.set_active(p["old"], False)
    # the window's local edges: the last instant before it, its first, its last, today's first
    first = TODAY - timedelta(days=28)
    edges = (day_start_utc(first) - timedelta(microseconds=1), day_start_utc(first),
             day_start_utc(TODAY) - timedelta(microseconds=1), day_start_utc(TODAY))
    for i, at in enumerate(edges):
        for key, qty in (("tea", 7000 + i * 1000), ("water", 3000 * (i + 1))):
            co.post_sale(Cart((co.line_for_product(p[key], qty),)), [Tender("cash", qty)], confirmed=True, at=at)
    back = co.post_sale(Cart((co.line_for_product(p["tea"], 20_000),)), [Tender("cash", 9000)], confirmed=True,
                        at=day_start_utc(first + timedelta(days=3)))
    co.post_return(back.number, [ReturnItem(back.lines[0].id, 5000)], method="cash",
                   at=day_start_utc(TODAY) - timedelta(hours=2))
    post_history(services, p["big"], [(100_000_000, TODAY - timedelta(days=d)) for d in (2, 5, 9, 12)])
    days = [TODAY - timedelta(days=k) for k in range(1, 420)]
    post_history(services, p["drink"], [(summer(d), d) for d in reversed(days)])
    post_history(services, p["new"], [(4000, TODAY - timedelta(days=d)) for d in (1, 3, 8, 15)])
    with services.db.write() as uow:
        s = uow.session
        for key, stock, supplier in (("cola", 2_000, "长沙金达冷链"), ("tea", 5_000, "武汉金源副食品"),
                                     ("water", 1_000, None), ("old", 0, "武汉金源副食品"), ("big", BIG, "Acme 食品"),
                                     ("drink", 10_000, "武汉金源副食品"), ("new", 0, "Acme 食品")):
            s.execute(update(Product).where(Product.id == p[key])
                      .values(stock_qty=stock, last_supplier_id=sup[supplier] if supplier else None))
        # the drink known for exactly 56 weeks, from when its own season index counts (by the UTC day
        # of its creation, as the ORM gave it: in Shanghai that evening is the next local day)
        s.execute(update(Product).where(Product.id == p["drink"])
                  .values(created_at=datetime(2025, 4, 28, 23, 30, tzinfo=UTC)))
        uow.commit()
    return p | {f"sup:{name}": sid for name, sid in sup.items()}


@pytest.fixture
def shop_ids(services: Services, zone: str) -> dict[str, int]:  # noqa: F811  (the fixture)
    return fill(services)


def _compare(services: Services, ids: dict[str, int]) -> list:  # type: ignore[type-arg]
    old_reorder, old_forecast = ref.ReorderService(services.db), ref.ForecastService(services.db)
    days = [TODAY, TODAY - timedelta(days=1), TODAY + timedelta(days=1), TODAY - timedelta(days=400)]
    seen = []
    with read_in_other_zone(services) as (s, rows):

        def setting(key: str) -> int:
            return shop.get_int(s, key)

        for today in days:
            for rule in ("flat", "season"):
                for cover, supplier in ((None, None), (3, None), (30, ids["sup:武汉金源副食品"]), (365, None)):
                    new = suggestions(rows, today=today, setting=setting, cover_days=cover, supplier_id=supplier,
                                      rule=rule)
                    assert new == old_reorder.suggest(today=today, cover_days=cover, supplier_id=supplier,
                                                      rule=rule), (today, rule, cover, supplier)
                    seen.append(new)
            for key in ("drink", "tea", "new", "water"):
                code = s.get(Product, ids[key]).code  # type: ignore[union-attr]
                for weeks in (1, 8, 26):
                    assert product_forecast(rows, code, today=today, weeks=weeks) == old_forecast.product(
                        code, today=today, weeks=weeks), (today, key, weeks)
    return seen


def test_the_text_reads_what_the_orm_read(services: Services, shop_ids: dict[str, int]) -> None:
    seen = _compare(services, shop_ids)
    # what the comparison covered: every case is there to compare
    flat = services.reorder.suggest(today=TODAY)
    assert flat == seen[0]  # the service runs the same text
    lines = {ln.product_id: (g.supplier_name, ln) for g in flat for ln in g.lines}
    cola, tea, water, big = (lines[shop_ids[k]][1] for k in ("cola", "tea", "water", "big"))
    assert cola.below_min and cola.pack == 12 and cola.suggested_qty % 12_000 == 0
    assert tea.pack == 24 and tea.sold_qty == 8000 + 9000 + 20_000 - 5000  # the window's edges, the return
    assert water.sold_qty == 6000 + 9000 and lines[shop_ids["water"]][0] == ""  # no supplier
    assert big.stock_qty == BIG and big.suggested_qty > 0
    assert shop_ids["old"] not in lines
    assert [g.supplier_name for g in flat] == ["Acme 食品", "长沙金达冷链", "武汉金源副食品", ""]
    season = {ln.product_id: ln for g in seen[4] for ln in g.lines}
    assert season[shop_ids["drink"]].index_source != "none" and season[shop_ids["cola"]].below_min
    early = seen[-4:]  # the seasonal rule 400 days back: a few weeks of history
    assert any(ln.product_id == shop_ids["drink"] for groups in early for g in groups for ln in g.lines)


def test_the_suppliers_stored_pinyin_is_what_pinyin_initials_gives(services: Services) -> None:
    """The groups are ordered by supplier.pinyin where the old code computed pinyin_initials: the
    same, as every save keeps it (added and renamed)."""
    sid = services.suppliers.add(SupplierInput("长沙金达冷链")).id
    services.suppliers.add(SupplierInput("Acme 食品 2号"))
    services.suppliers.edit(sid, SupplierInput("重庆 长江 行"))
    with services.db.read() as uow:
        stored = uow.session.execute(text("SELECT name, pinyin FROM supplier")).all()
    assert stored and all(initials == pinyin_initials(name) for name, initials in stored)


def test_the_settings_as_get_int_reads_them(services: Services, db_target: Path | str) -> None:
    """The plain path reads the settings with stored_int: the same as get_int, stored or default
    (none of them is kept per till); and the plain reader gives the service's suggestions."""
    assert not set(SETTINGS) & LOCAL_KEYS
    fill(services)
    for values in ({}, {"reorder_cover_days": "12", "reorder_lead_days": "9", "reorder_service_level": "80"}):
        if values:
            services.settings.update(values)
        with services.db.read() as uow:
            s = uow.session
            assert [stored_int(SessionRows(s), k) for k in SETTINGS] == [shop.get_int(s, k) for k in SETTINGS]
        if not isinstance(db_target, Path):
            continue  # (a server: no plain reads)
        reads = PlainReads(db_target)
        try:
            for rule in ("flat", "season"):
                with reads.read() as rows:
                    plain = suggestions(rows, today=TODAY, setting=lambda key: stored_int(rows, key), rule=rule)  # noqa: B023
                assert plain == services.reorder.suggest(today=TODAY, rule=rule)
        finally:
            reads.close()


@pytest.mark.parametrize("back", [1, 4, 5, 7, 8, 11, 12, 14])
def test_the_weeks_are_counted_back_from_today_alike(services: Services, back: int) -> None:
    """Block 0 is the 7 days before today, block 1 the 7 before those — on PostgreSQL too, where a
    NUMERIC division cast to INTEGER rounds (it put days 5–7 back into block 1)."""
    pid = services.catalog.create_product(ProductInput(name="饼干", sale_price=300)).id
    post_history(services, pid, [(1000, TODAY - timedelta(days=60)), (2000, TODAY - timedelta(days=back))])
    with services.db.read() as uow:
        blocks = demand.load(SessionRows(uow.session), TODAY, [pid]).blocks[pid]
    assert blocks[(back - 1) // 7] == 2.0 and sum(blocks) == 2.0, blocks  # (day 60 is before week 8)

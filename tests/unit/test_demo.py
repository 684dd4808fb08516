"""fill_demo: an empty database only, a believable catalog, the day steps once per past day in order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jxc_desktop.demo import shop as demo
from jxc_desktop.domain.barcode import is_valid_gs1
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.files import tabular
from jxc_desktop.services.hub import Services


def test_steps_run_for_each_past_day_in_order_then_the_final_ones(services: Services,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, date]] = []
    monkeypatch.setattr(demo, "DAY_STEPS", (lambda s, d, rng: seen.append(("a", d)),
                                            lambda s, d, rng: seen.append(("b", d))))
    monkeypatch.setattr(demo, "FINAL_STEPS", (lambda s, d, rng: seen.append(("final", d)),))
    today = local_today() - timedelta(days=40)  # any day: the demo never reads the clock
    result = demo.fill_demo(services, products=30, days=4, seed=2, today=today)
    days = [today - timedelta(days=4 - i) for i in range(4)]
    assert result.first_day == days[0]
    assert seen == [(k, d) for d in days for k in ("a", "b")] + [("final", today)]


def test_catalog_is_believable(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "DAY_STEPS", ())
    monkeypatch.setattr(demo, "FINAL_STEPS", ())
    demo.fill_demo(services, products=120, days=0, seed=5)
    products = [services.catalog.get(i) for i in range(1, 121)]
    assert {c.name for c in services.catalog.categories()} >= {"饮料", "零食", "日用品", "粮油", "烟酒", "生鲜", "乳品"}
    for p in products:
        assert p.name and any("\u4e00" <= ch <= "\u9fff" for ch in p.name)
        assert p.sale_price > p.ref_cost > 0
        unit = [c for c, m in p.barcodes if m == 1]
        assert len(unit) == 1 and is_valid_gs1(unit[0]) and len(unit[0]) == 13
        if p.tracks_batches:
            assert p.shelf_life_days
    assert any(m > 1 for p in products for _c, m in p.barcodes)  # case barcodes
    assert any(p.unit == "kg" and p.stock_qty % 1000 for p in products)  # loose goods by weight
    assert services.settings.all()["shop_name"] == demo.DEMO_SHOP


def test_refuses_non_empty_and_bad_arguments(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="1 to"):
        demo.fill_demo(services, products=0)
    with pytest.raises(ValidationError, match="0 to"):
        demo.fill_demo(services, days=-1)
    make_product("已有商品", 100, 50, 0)
    with pytest.raises(ValidationError, match="already holds"):
        demo.fill_demo(services, products=5, days=0)
    assert services.catalog.count() == 1


def test_progress_can_stop_it(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "DAY_STEPS", ())
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 50

    with pytest.raises(tabular.Cancelled):
        demo.fill_demo(services, products=60, days=5, seed=1, progress=progress)
    assert calls[-1][1] == 60 + 5 + len(demo.FINAL_STEPS)


def test_nothing_lies_on_or_after_today_whatever_the_clock(services: Services, fill_as_demo,  # type: ignore[no-untyped-def]
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The history ends before the demo's today begins, even when the real clock reads 00:05 of it."""
    from datetime import datetime

    from sqlalchemy import func, select

    from jxc_desktop.db.models import Purchase, Sale, StockCount, StockMove
    from jxc_desktop.domain.clock import day_start_utc

    today = date(2027, 3, 1)
    monkeypatch.setenv("JXC_NOW", "2027-03-01T00:05")
    result = fill_as_demo(lambda shop: demo.fill_demo(shop, products=40, days=3, seed=4, today=today))
    assert result.first_day == date(2027, 2, 26)
    with services.db.read() as uow:
        s = uow.session
        latest: list[datetime | None] = [s.scalar(select(func.max(col))) for col in (
            StockMove.created_at, Sale.created_at, Purchase.created_at, StockCount.created_at)]
    assert all(at is not None and at < day_start_utc(today) for at in latest), latest


def test_the_day_is_deliveries_then_sales_then_the_count_and_the_count_is_posted_last() -> None:
    """The order of the steps is part of the demo data (they share one random generator)."""
    from jxc_desktop.demo import accounts, counts, purchases, sales, season, shifts

    # later issues append their own steps (each with its own generator) after these three
    assert (purchases.demo_purchase_day, sales.demo_sales_day, counts.demo_count_day) == demo.DAY_STEPS[:3]
    assert season.demo_season_day in demo.DAY_STEPS[3:] and accounts.demo_accounts_day in demo.DAY_STEPS[3:]
    # the cashiers' shifts come last (issue 18): they draw from their own generator
    assert (counts.demo_count_final, shifts.demo_shifts_final) == demo.FINAL_STEPS

"""The seasonal reorder rule on a small built history (issue 20's "done when"): two years of a
drink that sells three times as much in summer. Before summer the seasonal rule orders more than
the flat 28-day rule; after summer it orders less. Also: lead time, safety and the reason."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.services.purchasing.dto import SupplierInput
from jxc_desktop.services.purchasing.reorder_reason import reason
from tests.unit.purchase_fixtures import post_history

STOCK = 10_000  # 10 units on hand on the day of the suggestion


def summer_demand(day: date) -> int:
    """2 a day, up to 6 around 25 July (a smooth bump ±75 days), thousandths."""
    best = min(abs((day - date(y, 7, 25)).days) for y in (day.year - 1, day.year, day.year + 1))
    bump = math.cos(math.pi / 2 * best / 75) ** 2 if best < 75 else 0.0
    return round(2 + 4 * bump) * 1000


def _drink_with_history(services, make_product, db, today: date, **fields):  # type: ignore[no-untyped-def]
    days = [today - timedelta(days=k) for k in range(1, 731)]
    total = sum(summer_demand(d) for d in days)
    drink = make_product("冰红茶", 350, 200, qty=(total + STOCK) // 1000, category="饮料", **fields)
    # what the rules read is the history, not how it was posted: the bulk path, as `jxc demo` writes
    assert post_history(services, drink.id, [(summer_demand(d), d) for d in reversed(days)]) == len(days)
    return drink


def _qty(groups, pid):  # type: ignore[no-untyped-def]
    return next((ln for g in groups for ln in g.lines if ln.product_id == pid), None)


def test_before_summer_the_seasonal_rule_orders_more_than_the_flat_one(services, make_product, db) -> None:
    today = date(2026, 5, 25)
    drink = _drink_with_history(services, make_product, db, today)
    flat = _qty(services.reorder.suggest(today=today, rule="flat"), drink.id)
    season = _qty(services.reorder.suggest(today=today, rule="season"), drink.id)
    assert flat is not None and season is not None
    # flat: 28 days at the late-May rate (~2.9 a day) × 7 days; season: last year's June weeks
    assert season.suggested_qty > flat.suggested_qty
    assert season.rule == "season" and season.lead_days == 3 and season.cover_days == 7
    assert season.season_permille > 1000  # June sells more than the last 4 weeks
    need = season.forecast_qty + season.safety_qty - STOCK  # pack 1, no min/max: whole units
    assert season.suggested_qty == -(-need // 1000) * 1000
    text = reason(season)
    assert "10" in text and "3" in text and "7" in text
    # the forecast screen (which reads only the product's category) says the same
    screen = services.forecasts.product(drink.code, today=today, weeks=2)
    assert abs(sum(screen.daily[:10]) - season.forecast_qty) <= 10  # each day rounded to thousandths


def test_after_summer_the_seasonal_rule_orders_less(services, make_product, db) -> None:
    today = date(2026, 9, 20)
    drink = _drink_with_history(services, make_product, db, today)
    flat = _qty(services.reorder.suggest(today=today, rule="flat"), drink.id)
    season = _qty(services.reorder.suggest(today=today, rule="season"), drink.id)
    assert flat is not None
    assert season is None or season.suggested_qty < flat.suggested_qty
    forecast = services.forecasts.product(drink.code, today=today, weeks=4)
    assert forecast.source in ("product", "category")
    assert forecast.weeks[0].qty < forecast.recent_weeks[-4].qty  # the coming week sells less than August's


def test_a_supplier_lead_time_lengthens_the_horizon(services, make_product, db) -> None:
    today = date(2026, 5, 25)
    drink = _drink_with_history(services, make_product, db, today)
    sup = services.suppliers.add(SupplierInput("慢供应商", lead_time_days=14))
    assert services.suppliers.get(sup.id).lead_time_days == 14
    with db.write() as uow:  # the product's last supplier, as a posted purchase would set it
        from jxc_desktop.db.models import Product

        uow.session.get(Product, drink.id).last_supplier_id = sup.id
        uow.commit()
    line = _qty(services.reorder.suggest(today=today, rule="season"), drink.id)
    assert line is not None and line.lead_days == 14
    quick = services.suppliers.edit(sup.id, SupplierInput("慢供应商", lead_time_days=0))
    assert quick.lead_time_days == 0
    with pytest.raises(ValidationError):
        services.suppliers.add(SupplierInput("错", lead_time_days=181))


def test_unknown_rule_is_refused(services) -> None:
    with pytest.raises(ValidationError):
        services.reorder.suggest(today=date(2026, 5, 25), rule="guess")

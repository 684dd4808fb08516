"""The demo's seasonal receipts (demo/season.py): the shape by hand, and real receipts of drinks
in July and none in January."""

from __future__ import annotations

import math
import random
from datetime import date

import pytest
from sqlalchemy import func, select

from jxc_desktop.db.models import Category, Product, SaleLine
from jxc_desktop.demo import season
from jxc_desktop.demo.shop import DAY_STEPS, fill_demo
from jxc_desktop.demo.timeline import opening_on


def test_the_season_shape() -> None:
    f = season.extra_factor
    assert f("农夫山泉矿泉水", "饮料", date(2026, 7, 25)) == pytest.approx(1.5)
    assert f("农夫山泉矿泉水", "饮料", date(2026, 6, 25)) == pytest.approx(1.5 * math.cos(math.pi / 2 * 30 / 75) ** 2)
    assert f("农夫山泉矿泉水", "饮料", date(2026, 1, 25)) == 0.0
    assert f("思念水饺", "冷冻食品", date(2027, 1, 10)) == pytest.approx(1.0)
    assert f("思念水饺", "冷冻食品", date(2026, 7, 10)) == 0.0
    # 春节 2026-02-17: gifts in the 14 days before; 中秋 2026-09-25: 10 days before
    assert f("三只松鼠坚果礼盒", "零食", date(2026, 2, 10)) == 3.0
    assert f("三只松鼠坚果礼盒", "零食", date(2026, 2, 18)) == 0.0
    assert f("三只松鼠坚果礼盒", "零食", date(2026, 9, 20)) == 2.0
    assert f("张裕干红葡萄酒", "烟酒", date(2025, 10, 1)) == 2.0  # 中秋 2025-10-06
    # 汤圆 before 元宵 (2026-03-03): the winter bump's tail and the lantern festival
    assert f("思念汤圆", "冷冻食品", date(2026, 3, 1)) == pytest.approx(3.0 + f("思念水饺", "冷冻食品", date(2026, 3, 1)))
    assert f("中性笔", "日用品", date(2026, 7, 25)) == 0.0
    assert set(season.SPRING_FESTIVAL) == set(season.MID_AUTUMN) == set(range(2020, 2031))


def test_the_step_comes_after_the_original_three() -> None:
    """Appended after deliveries, sales and the count (its own generator), before later issues' steps."""
    assert DAY_STEPS[3] is season.demo_season_day


def _drinks_sold(services, day: date) -> int:  # type: ignore[no-untyped-def]
    with services.db.read() as uow:
        return uow.session.scalar(select(func.coalesce(func.sum(SaleLine.qty), 0))
                                  .join(Product, Product.id == SaleLine.product_id)
                                  .join(Category, Category.id == Product.category_id)
                                  .where(Category.name == "饮料", SaleLine.business_day == day))


def test_drinks_sell_extra_in_july_and_not_in_january(services) -> None:
    today = date(2026, 12, 1)
    fill_demo(services, products=120, days=0, today=today)
    with opening_on(today):
        season.demo_season_day(services, date(2026, 7, 25), random.Random(0))
        season.demo_season_day(services, date(2026, 1, 20), random.Random(0))
    assert _drinks_sold(services, date(2026, 7, 25)) > 0
    assert _drinks_sold(services, date(2026, 1, 20)) == 0

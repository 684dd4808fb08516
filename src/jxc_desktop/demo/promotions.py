"""Demo promotions (促销, issue 17) and the till receipts that get them.

Draws only from its own generator (``random.Random(f"promotions-{day}")``), never the shared one.
On the morning ``PROMO_DAYS`` before the demo's today (or the first day of a shorter history) the
shop sets up its promotions, dated that morning: drinks second at half price, snack special prices,
满50减5 on every order, 日用品 buy three pay two at weekends, a member-only 满100减15 that stacks, and
one for New Year that has not started yet. From then on each day has a few receipts whose baskets
meet them (two drinks, a snack on special, enough for the threshold), posted through the till's own
path (CheckoutService.post_sale), so the promotions are on the lines, the receipts and the
promotion results report.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from jxc_desktop.db.models import Category, Product
from jxc_desktop.demo import timeline
from jxc_desktop.demo.sales import _tenders
from jxc_desktop.domain.cart import Cart, add
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.promotions.dto import PromotionInput

if TYPE_CHECKING:
    from jxc_desktop.services.hub import Services

PROMO_DAYS = 14  # the promotions run over the last two weeks of the history
SPECIALS = 4  # snacks on special price


def _ids(services: Services, category: str, limit: int = 40) -> list[tuple[int, int]]:
    """(id, sale price) of a category's active products in stock, by id."""
    with services.db.read() as uow:
        return [(pid, price) for pid, price in uow.session.execute(
            select(Product.id, Product.sale_price).join(Category, Category.id == Product.category_id)
            .where(Category.name == category, Product.active.is_(True), Product.stock_qty >= 5 * MILLI)
            .order_by(Product.id).limit(limit))]


def _category_id(services: Services, name: str) -> int | None:
    with services.db.read() as uow:
        return uow.session.scalar(select(Category.id).where(Category.name == name))


def _set_up(services: Services, day: date, today: date) -> None:
    """The shop's promotions, once, dated ``day`` 07:30."""
    start = datetime.combine(day, time(8, 0))
    running = datetime.combine(today + timedelta(days=7), time(22, 0))
    drinks, daily = _category_id(services, "饮料"), _category_id(services, "日用品")
    snacks = _ids(services, "零食", SPECIALS)
    entries = [PromotionInput("满50减5", Kind.THRESHOLD, start, threshold=5000, reduction=500),
               PromotionInput("会员满100减15", Kind.THRESHOLD, start, threshold=10000, reduction=1500,
                              member_only=True, stackable=True)]
    if drinks is not None:
        entries.append(PromotionInput("饮料第二件半价", Kind.NTH_AT_PERCENT, start, running, category_ids=(drinks,),
                                      n=2, pay_pct=50))
    if snacks:
        entries.append(PromotionInput("零食特价", Kind.SPECIAL_PRICE, start, datetime.combine(today, time(22, 0)),
                                      products=tuple((pid, max(10, price * 8 // 10 // 10 * 10))
                                                     for pid, price in snacks)))
    if daily is not None:
        entries.append(PromotionInput("周末日用品买三付二", Kind.BUY_N_PAY_M, start, running, category_ids=(daily,),
                                      n=3, m=2, weekdays="56"))
    new_year = datetime(today.year + 1, 1, 1)
    entries.append(PromotionInput("元旦满200减30", Kind.THRESHOLD, new_year, new_year + timedelta(days=3),
                                  threshold=20000, reduction=3000))
    for entry in entries:
        services.promotions.add(entry, at=timeline.local_moment(day, 7, 30))


def demo_promotions_day(services: Services, day: date, _rng: random.Random) -> None:
    today = timeline.demo_today()
    first = today - timedelta(days=PROMO_DAYS)
    if day < first:
        return
    rng = random.Random(f"promotions-{day.isoformat()}")
    if not services.promotions.list():
        _set_up(services, day, today)
    drinks, snacks = _ids(services, "饮料"), _ids(services, "零食", SPECIALS)
    household = _ids(services, "日用品")
    others = _ids(services, "粮油") + _ids(services, "乳品") + household
    if not drinks or not others:
        return
    for _n in range(rng.randint(4, 8)):
        basket = [(pid, 2 * MILLI) for pid, _p in rng.sample(drinks, min(len(drinks), rng.randint(1, 2)))]
        if snacks and rng.random() < 0.6:
            basket.append((rng.choice(snacks)[0], rng.randint(1, 3) * MILLI))
        basket += [(pid, MILLI) for pid, _p in rng.sample(others, min(len(others), rng.randint(0, 4)))]
        if household and day.weekday() >= 5 and rng.random() < 0.5:  # stocking up for the week: 买三付二
            basket.append((rng.choice(household)[0], 3 * MILLI))
        at = timeline.local_moment(day, rng.randint(9, 20), rng.randrange(60))
        seed = rng.random()
        timeline.run_at(at, lambda basket=basket, at=at, seed=seed: _sell(services, basket, at, seed))


def _sell(services: Services, basket: list[tuple[int, int]], at: datetime, seed: float) -> None:
    """One till receipt at ``at``: the running promotions apply as at the till."""
    cart = Cart()
    try:
        for pid, qty in basket:
            cart, _row = add(cart, services.checkout.line_for_product(pid, qty))
        total = services.checkout.price(cart, at=at).total
        services.checkout.post_sale(cart, _tenders(total, random.Random(seed)), at=at, confirmed=True)
    except JxcError:  # short of stock under the block policy, a product gone: the customer leaves
        return

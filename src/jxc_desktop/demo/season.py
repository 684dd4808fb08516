"""Seasonal demand in the demo shop (issue 20): summer drinks, winter food, holiday peaks.

On top of the everyday receipts of demo/sales.py (which sell every product alike all year), each
day adds receipts for the products in season, so a two-year demo (``jxc demo --days 730``) shows
what the forecast and the seasonal reorder rule read:

- **summer** (饮料, 啤酒, 花露水): up to +150 % around 25 July, a smooth bump over June–September;
- **winter** (水饺, 汤圆, 速冻包子, 白酒, 二锅头): up to +100 % around 10 January;
- **春节** (坚果礼盒, 白酒, 干红葡萄酒, 纯牛奶整箱, 瓜子): +300 % in the 14 days before the festival,
  and 汤圆 again before 元宵 (the 15th day);
- **中秋** (坚果礼盒, 干红葡萄酒, 纯牛奶整箱): +200 % in the 10 days before the festival.

The festival dates are a table for 2020–2030 (lunar calendar dates as published; outside those
years there is no festival peak). The weekday shape is demo/sales.py's. The extra receipts draw from
their own generator (``random.Random("season-<day>")``), never the shared one, and post through
the checkout like every demo sale (a sale the stock rules refuse is skipped).
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from jxc_desktop.db.models import Barcode, Category, Product
from jxc_desktop.demo import timeline
from jxc_desktop.demo.sales import HOURS, WEEKDAY, _tenders
from jxc_desktop.domain.cart import Cart, CartLine, price
from jxc_desktop.domain.quantity import MILLI

if TYPE_CHECKING:
    from jxc_desktop.services.hub import Services

SPRING_FESTIVAL = {2020: date(2020, 1, 25), 2021: date(2021, 2, 12), 2022: date(2022, 2, 1),
                   2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29),
                   2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26),
                   2029: date(2029, 2, 13), 2030: date(2030, 2, 3)}
MID_AUTUMN = {2020: date(2020, 10, 1), 2021: date(2021, 9, 21), 2022: date(2022, 9, 10),
              2023: date(2023, 9, 29), 2024: date(2024, 9, 17), 2025: date(2025, 10, 6),
              2026: date(2026, 9, 25), 2027: date(2027, 9, 15), 2028: date(2028, 10, 3),
              2029: date(2029, 9, 22), 2030: date(2030, 9, 12)}

SUMMER = ("饮料", "啤酒", "花露水")  # a category name or a word of the product name
WINTER = ("水饺", "汤圆", "速冻包子", "白酒", "二锅头")
SPRING_GIFTS = ("坚果礼盒", "白酒", "干红葡萄酒", "纯牛奶整箱", "瓜子")
AUTUMN_GIFTS = ("坚果礼盒", "干红葡萄酒", "纯牛奶整箱")
BASE_RATE = 0.45  # units a product sells on an average day in demo/sales.py (45 receipts × 3 lines / 300)


def _bump(day: date, peak_month: int, peak_day: int, half_width: int) -> float:
    """1 at the peak, falling as cos² to 0 at ``half_width`` days either side (any year)."""
    best = min(abs((day - date(y, peak_month, peak_day)).days) for y in (day.year - 1, day.year, day.year + 1))
    return math.cos(math.pi / 2 * best / half_width) ** 2 if best < half_width else 0.0


def _before(day: date, table: dict[int, date], days: int) -> bool:
    """``day`` lies in the ``days`` days before a date of ``table`` (this year's or next year's)."""
    return any(d is not None and 0 < (d - day).days <= days for d in (table.get(day.year), table.get(day.year + 1)))


def extra_factor(name: str, category: str, day: date) -> float:
    """How much the product sells on ``day`` above its everyday rate (0.0: nothing extra)."""
    def has(words: tuple[str, ...]) -> bool:
        return any(w == category or w in name for w in words)

    extra = 0.0
    if has(SUMMER):
        extra += 1.5 * _bump(day, 7, 25, 75)
    if has(WINTER):
        extra += 1.0 * _bump(day, 1, 10, 60)
    if has(SPRING_GIFTS) and _before(day, SPRING_FESTIVAL, 14):
        extra += 3.0
    if "汤圆" in name and _before(day, {y: d + timedelta(days=14) for y, d in SPRING_FESTIVAL.items()}, 5):
        extra += 3.0
    if has(AUTUMN_GIFTS) and _before(day, MID_AUTUMN, 10):
        extra += 2.0
    return extra


def _seasonal_products(services: Services) -> list[tuple[int, str, str, int, str, str]]:
    with services.db.read() as uow:
        s = uow.session
        codes = dict(s.execute(select(Barcode.product_id, Barcode.code).where(Barcode.multiplier == 1)).all())
        rows = s.execute(select(Product.id, Product.name, Category.name, Product.sale_price, Product.unit)
                         .join(Category, Category.id == Product.category_id)
                         .where(Product.active.is_(True), Product.sale_price > 0).order_by(Product.id))
        words = SUMMER + WINTER + SPRING_GIFTS + AUTUMN_GIFTS
        return [(pid, name, cat, p, unit, codes.get(pid, "")) for pid, name, cat, p, unit in rows
                if any(w == cat or w in name for w in words)]


def demo_season_day(services: Services, day: date, _rng: random.Random) -> None:
    """The day's extra receipts for the products in season (own generator: see the module doc)."""
    rng = random.Random(f"season-{day.isoformat()}")
    wanted: list[CartLine] = []
    for pid, name, cat, unit_price, unit, code in _seasonal_products(services):
        rate = BASE_RATE * extra_factor(name, cat, day) * WEEKDAY[day.weekday()]
        if rate <= 0:
            continue
        units = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
        wanted += [CartLine(pid, name, unit_price, MILLI, unit_price, code, unit)] * units
    if not wanted:
        return
    rng.shuffle(wanted)
    hours = [h for h, _w in HOURS]
    weights = [w for _h, w in HOURS]

    def post(sales: list[tuple[Cart, list, datetime]]) -> None:  # type: ignore[type-arg]
        services.checkout.post_sales_bulk(sales, per_commit=len(sales) + 1)

    while wanted:
        n = rng.choice((1, 1, 2, 3))
        lines: dict[int, CartLine] = {}
        for line in wanted[:n]:  # the same product twice in one receipt is one line of 2
            got = lines.get(line.product_id)
            lines[line.product_id] = line if got is None else replace(got, qty=got.qty + MILLI)
        wanted = wanted[n:]
        at = timeline.local_moment(day, rng.choices(hours, weights)[0], rng.randrange(60))
        cart = Cart(tuple(lines.values()))
        timeline.run_batched(at, post, (cart, _tenders(price(cart).total, rng), at))

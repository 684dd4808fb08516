"""The clothing demo shop (``jxc demo --kind clothing``): styles in colours and sizes, a year of
deliveries by grid and till sales by variant, through the same services the window uses.

Each style comes out at the start of its season (spring, summer, autumn, winter, or all year) with
a delivery by colour × size, middle sizes deepest; it sells best in its season and slowly after;
on Mondays the shop reorders some of the colours whose sizes ran out (not all of them: a clothing
shop lives with broken sizes, 断码, towards the end of a season); on the last evening of each month
it counts its best-stocked style by grid (盘点), now and then a piece short. Sales take only what
is on the shelf, so stock never goes below zero.

Deterministic for a seed and a ``today``; it draws from its own generators
(``random.Random(f"clothing-{seed}")`` and one per day), never the convenience store's. The
default demo (demo/shop.py) is not touched by any of this.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from jxc_desktop.db.models import Category, Supplier
from jxc_desktop.demo import clothing_data as data
from jxc_desktop.demo.shop import DemoResult, is_empty
from jxc_desktop.demo.timeline import local_moment
from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.cart import Cart, CartLine, price
from jxc_desktop.domain.clock import MAX_YEAR, MIN_YEAR, local_today
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.catalog.api import pinyin_initials
from jxc_desktop.services.catalog.dto import StyleDTO, StyleInput
from jxc_desktop.services.catalog.styles import create_style_in, style_dto
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput
from jxc_desktop.services.sales.dto import Tender

if TYPE_CHECKING:
    from jxc_desktop.services.hub import Services

DEMO_SHOP = "衣尚服饰"
MAX_STYLES = 500
BASE_SALES = 7  # receipts on an average weekday
WEEKDAY = (0.7, 0.7, 0.8, 0.85, 1.1, 1.6, 1.5)
OFF_SEASON = 0.15  # how well a style sells once its season is over


class _Shop:
    """The styles with their launch windows and the stock on the shelf, as the demo knows it."""

    def __init__(self, styles: list[StyleDTO], windows: dict[int, tuple[date, date]], popularity: dict[int, float],
                 suppliers: dict[str, int]) -> None:
        self.styles, self.windows, self.popularity, self.suppliers = styles, windows, popularity, suppliers
        self.stock: dict[int, int] = {}  # product id -> whole units
        self.sold: dict[int, int] = {}  # product id -> units sold since the launch

    def launched(self, day: date) -> list[StyleDTO]:
        return [s for s in self.styles if self.windows[s.id][0] <= day]

    def weight(self, style: StyleDTO, day: date) -> float:
        start, end = self.windows[style.id]
        return self.popularity[style.id] * (1.0 if day <= end else OFF_SEASON)


def _window(season: str, first: date, today: date, latest: bool) -> tuple[date, date]:
    """The style's selling season: of the seasons that overlap the history, the latest (on the
    shelves today) or the earliest (launched no earlier than ``first``)."""
    month, day = data.SEASON_START[season]
    windows = []
    for year in range(first.year - 1, today.year + 1):
        start = date(year, month, day)
        end = start + timedelta(days=data.SEASON_LENGTH[season])
        if end >= first and start < today:
            windows.append((max(start, first), end))
    if not windows:
        return first, first + timedelta(days=data.SEASON_LENGTH[season])
    return windows[-1] if latest else windows[0]


def fill_clothing_demo(services: Services, *, styles: int = 36, days: int = 365, seed: int = 1,
                       today: date | None = None) -> DemoResult:
    """Fill an empty database with a clothing shop and ``days`` days of history before ``today``."""
    if not 1 <= styles <= MAX_STYLES:
        raise ValidationError("The number of demo styles must be 1 to {limit}", limit=MAX_STYLES)
    if not 0 <= days <= 730:
        raise ValidationError("The number of demo days must be 0 to {limit}", limit=730)
    if not is_empty(services):
        raise ValidationError("The database already holds products or documents; "
                              "demo data goes only into a new, empty database")
    today = today or local_today()
    if not date(MIN_YEAR + 2, 1, 1) <= today <= date(MAX_YEAR - 1, 1, 1):
        raise ValidationError("Dates must lie between the years {lo} and {hi}", lo=MIN_YEAR + 2, hi=MAX_YEAR - 1)
    rng = random.Random(f"clothing-{seed}")
    first = today - timedelta(days=days)
    shop = _set_up(services, rng, styles, first, today)
    for offset in range(days):
        day = first + timedelta(days=offset)
        day_rng = random.Random(f"clothing-{seed}-{day.isoformat()}")
        _deliveries(services, shop, day, day_rng)
        _sales(services, shop, day, day_rng)
        _count(services, shop, day, day_rng)
    variants = sum(len(s.variants) for s in shop.styles)
    return DemoResult(variants, len(data.SUPPLIERS), len(data.CATEGORIES), days, first)


def _set_up(services: Services, rng: random.Random, n: int, first: date, today: date) -> _Shop:
    opened_at = local_moment(first - timedelta(days=1), 20)
    settings = services.settings
    if not settings.all().get("shop_name"):
        settings.update({"shop_name": DEMO_SHOP, "shop_address": "示例市中山路 126 号",
                         "shop_phone": "0371-6655 8899"})
    barcode_no = 0
    with services.db.write() as uow:
        s = uow.session
        for sort, name in enumerate(data.CATEGORIES):
            s.add(Category(name=name, sort=sort))
        suppliers = {}
        for name, contact, phone in data.SUPPLIERS:
            sup = Supplier(name=name, contact=contact, phone=phone, created_at=opened_at, pinyin=pinyin_initials(name))
            s.add(sup)
            s.flush()
            suppliers[name] = sup.id
        made: list[StyleDTO] = []
        windows: dict[int, tuple[date, date]] = {}
        for i, st in enumerate(data.styles(rng, n, today.year)):
            window = _window(st.season, first, today, latest=i % 2 == 1)
            code = f"{window[0].year % 100:02d}{st.code[2:]}"  # the year it came out in
            codes = []
            for colour, _name in st.colours:
                for size in st.sizes:
                    barcode_no += 1
                    codes.append((colour, size, with_check_digit(f"6971{seed_digits(rng)}{barcode_no:05d}")))
            style = create_style_in(s, StyleInput(
                code=code, name=st.name, colours=st.colours, sizes=st.sizes, category=st.category,
                season=st.season, year=window[0].year if st.season != "四季" else None, brand=st.brand,
                sale_price=st.sale_price, ref_cost=st.cost, size_group=st.size_group, barcodes=tuple(codes)))
            made.append(style_dto(s, style))
            windows[style.id] = window
        uow.commit()
    popularity = {st.id: rng.choice((0.4, 0.7, 1.0, 1.0, 1.5, 2.2)) for st in made}
    return _Shop(made, windows, popularity, suppliers)


def seed_digits(rng: random.Random) -> str:
    """Three digits of a maker's code (the demo's barcodes differ by maker, like real ones)."""
    return f"{rng.randrange(1000):03d}"


def _supplier(shop: _Shop, style: StyleDTO) -> int:
    """Shoes from Jinjiang, winter wear from Humen, the rest from Guangzhou or Hangzhou."""
    names = [n for n, _c, _p in data.SUPPLIERS]
    if style.category == "鞋":
        return shop.suppliers[names[2]]
    if style.season == "冬":
        return shop.suppliers[names[3]]
    return shop.suppliers[names[sum(map(ord, style.code)) % 2]]


def _deliveries(services: Services, shop: _Shop, day: date, rng: random.Random) -> None:
    """Launch deliveries by grid at 09:30; on Mondays a reorder of colours that ran out of sizes."""
    for k, style in enumerate(shop.styles):
        start, end = shop.windows[style.id]
        curve = data.CURVES[style.size_group]
        lines: list[LineInput] = []
        if start == day:
            for v in style.variants:
                depth = curve[style.sizes.index(v.size)] * rng.choice((3, 4, 4, 5))
                lines.append(LineInput(v.product_id, depth * MILLI, style.ref_cost))
            note = "新款到货"
        elif day.weekday() == 0 and start < day <= end - timedelta(days=21):
            for colour, _name in style.colours:
                cells = [v for v in style.variants if v.colour_code == colour]
                empty = [v for v in cells if shop.stock.get(v.product_id, 0) == 0]
                sold = sum(shop.sold.get(v.product_id, 0) for v in cells)
                if empty and sold >= 3 and rng.random() < 0.6:
                    for v in empty:
                        lines.append(LineInput(v.product_id, 2 * curve[style.sizes.index(v.size)] * MILLI,
                                               style.ref_cost))
            note = "补货"
        if not lines:
            continue
        at = local_moment(day, 9, 30) + timedelta(minutes=k % 30)
        services.purchasing.post(NoteInput(_supplier(shop, style), tuple(lines), note=note), at=at, confirmed=True)
        for line in lines:
            shop.stock[line.product_id] = shop.stock.get(line.product_id, 0) + line.qty // MILLI


def _count(services: Services, shop: _Shop, day: date, rng: random.Random) -> None:
    """On the last day of a month, after closing, the shop counts its best-stocked style by grid:
    every cell as on the books but now and then one piece missing (tried on and walked off)."""
    if (day + timedelta(days=1)).day != 1:
        return
    stocked = [s for s in shop.launched(day) if sum(shop.stock.get(v.product_id, 0) for v in s.variants) > 0]
    if not stocked:
        return
    style = max(stocked, key=lambda s: sum(shop.stock.get(v.product_id, 0) for v in s.variants))
    cells = [(v.product_id, shop.stock.get(v.product_id, 0)) for v in style.variants if v.active]
    lost = rng.choice([pid for pid, qty in cells if qty > 0]) if rng.random() < 0.6 else None
    at = local_moment(day, 21, 30)
    sc = services.stock_count
    with services.db.read() as uow:  # the style's category; its other goods stay as on the books
        category = uow.session.scalar(select(Category.id).where(Category.name == style.category))
    count = sc.open([category] if category is not None else None, note=f"{style.code} 按颜色尺码盘点", at=at)
    sc.set_counted_many(count.id, [(pid, (qty - (pid == lost)) * MILLI) for pid, qty in cells], at=at)
    sc.post(count.id, at=at + timedelta(minutes=5))
    if lost is not None:
        shop.stock[lost] -= 1


def _tenders(due: int, rng: random.Random) -> list[Tender]:
    r = rng.random()
    if r < 0.45:
        return [Tender("wechat", due)]
    if r < 0.8:
        return [Tender("alipay", due)]
    if r < 0.93:
        return [Tender("card", due)]
    note = -(-due // 10000) * 10000  # cash in hundreds
    return [Tender("cash", note)]


def _sales(services: Services, shop: _Shop, day: date, rng: random.Random) -> None:
    styles = [s for s in shop.launched(day) if any(shop.stock.get(v.product_id, 0) > 0 for v in s.variants)]
    if not styles:
        return
    n = max(2, int(BASE_SALES * WEEKDAY[day.weekday()] * rng.uniform(0.7, 1.3)))
    weights = [shop.weight(s, day) for s in styles]
    moments = sorted(local_moment(day, rng.randint(10, 20), rng.randrange(60)) for _ in range(n))
    sales: list[tuple[Cart, list[Tender], datetime]] = []
    for at in moments:
        lines: list[CartLine] = []
        for _item in range(rng.choice((1, 1, 1, 2, 2, 3))):
            style = rng.choices(styles, weights)[0]
            curve = data.CURVES[style.size_group]
            on_shelf = [v for v in style.variants if v.active and shop.stock.get(v.product_id, 0) > 0
                        and all(line.product_id != v.product_id for line in lines)]
            if not on_shelf:
                continue
            v = rng.choices(on_shelf, [curve[style.sizes.index(x.size)] for x in on_shelf])[0]
            shop.stock[v.product_id] -= 1
            shop.sold[v.product_id] = shop.sold.get(v.product_id, 0) + 1
            name = f"{style.name} {dict(style.colours)[v.colour_code]} {v.size}"
            lines.append(CartLine(v.product_id, name, v.sale_price, MILLI, v.sale_price, v.barcode, style.unit))
        if lines:
            cart = Cart(tuple(lines))
            sales.append((cart, _tenders(price(cart).total, rng), at))
    if sales:
        services.checkout.post_sales_bulk(sales, per_commit=len(sales) + 1)

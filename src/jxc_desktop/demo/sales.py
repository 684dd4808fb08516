"""Demo sales history (``jxc demo``): each day's till receipts through the checkout service.

Busier at weekends and towards the end of the history, with morning, noon and evening peaks;
a few popular products sell far more than the long tail; most customers pay by WeChat or Alipay,
some with cash (rounded up notes, so there is change), a few by card. About one sale in fifty
comes back in part a day or two later.

Receipts and returns are queued with ``timeline.run_batched``/``run_at`` at their moments, so a return
posts between the sales around it (and purchases in between), keeping the ledger in time order.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from jxc_desktop.db.models import Barcode, Product, Sale
from jxc_desktop.demo import timeline
from jxc_desktop.domain.cart import Cart, CartLine, price
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.sales.dto import ReturnItem, Tender

if TYPE_CHECKING:
    from jxc_desktop.services.hub import Services

WEEKDAY = (0.85, 0.8, 0.85, 0.9, 1.1, 1.4, 1.3)  # Monday .. Sunday
HOURS = ((7, 3), (8, 6), (9, 4), (10, 3), (11, 6), (12, 8), (13, 4), (14, 3), (15, 3), (16, 4), (17, 8),
         (18, 9), (19, 7), (20, 5), (21, 3))
BASE_SALES = 45  # an average weekday


def _catalog(services: Services) -> list[tuple[int, str, int, str, str]]:
    with services.db.read() as uow:
        s = uow.session
        codes = dict(s.execute(select(Barcode.product_id, Barcode.code).where(Barcode.multiplier == 1)).all())
        return [(pid, name, p, unit, codes.get(pid, "")) for pid, name, p, unit in s.execute(
            select(Product.id, Product.name, Product.sale_price, Product.unit)
            .where(Product.active.is_(True), Product.sale_price > 0).order_by(Product.id))]


def _tenders(due: int, rng: random.Random) -> list[Tender]:
    r = rng.random()
    if r < 0.42:
        return [Tender("wechat", due)]
    if r < 0.72:
        return [Tender("alipay", due)]
    if r < 0.95:
        note = next(n for n in (1000, 2000, 5000, 10000, 10**9) if n >= due)
        return [Tender("cash", note if note < 10**9 else due)]
    return [Tender("card", due)]


def demo_sales_day(services: Services, day: date, rng: random.Random) -> None:
    with timeline.in_time_order():  # on its own too: receipts then go in one transaction
        _sales_day(services, day, rng)


def _sales_day(services: Services, day: date, rng: random.Random) -> None:
    products = _catalog(services)
    if not products:
        return
    span = max(1, (timeline.demo_today() - day).days)
    trend = 1.0 + 0.2 / span  # a little busier lately
    n_sales = max(5, int(BASE_SALES * WEEKDAY[day.weekday()] * trend * rng.uniform(0.85, 1.15)))
    popular = products[:]
    rng.shuffle(popular)
    hours = [h for h, _w in HOURS]
    weights = [w for _h, w in HOURS]
    moments = sorted(timeline.local_moment(day, h, rng.randrange(60)) for h in rng.choices(hours, weights, k=n_sales))

    def post(sales: list[tuple[Cart, list[Tender], datetime]]) -> None:
        services.checkout.post_sales_bulk(sales, per_commit=len(sales) + 1)

    for at in moments:
        lines: list[CartLine] = []
        seen: set[int] = set()
        for _ in range(rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6, 8))):
            pid, name, unit_price, unit, code = popular[int(len(popular) * rng.random() ** 2.5)]
            if pid in seen:
                continue
            seen.add(pid)
            qty = rng.randint(300, 1800) if unit == "kg" else rng.choices((1, 2, 3, 4), (75, 17, 5, 3))[0] * MILLI
            lines.append(CartLine(pid, name, unit_price, qty, unit_price, code, unit))
        cart = Cart(tuple(lines))
        total = price(cart).total
        if total > 3000 and rng.random() < 0.2:
            cart = Cart(cart.lines, total % 100)  # 抹零: the odd jiao and fen let go
        timeline.run_batched(at, post, (cart, _tenders(price(cart).total, rng), at))
    _returns(services, day, rng)


def _returns(services: Services, day: date, rng: random.Random) -> None:
    """A customer or two brings something back from the last couple of days."""
    start = timeline.local_moment(day - timedelta(days=2), 0)
    end = timeline.local_moment(day, 7)
    with services.db.read() as uow:
        numbers = list(uow.session.scalars(select(Sale.number).where(
            Sale.kind == "sale", Sale.created_at >= start, Sale.created_at < end).order_by(Sale.id)))
    for number in rng.sample(numbers, k=min(len(numbers), rng.choice((0, 0, 1, 1, 2)))):
        sale = services.checkout.get_sale(number)  # an earlier day's: already posted
        line = rng.choice(sale.lines)
        qty = min(line.qty - line.returned_qty, MILLI) if line.qty >= MILLI else line.qty - line.returned_qty
        if qty <= 0:
            continue
        at = timeline.local_moment(day, rng.randint(9, 20), rng.randrange(60))
        method = sale.payments[0].method if sale.payments else "cash"
        timeline.run_at(at, lambda number=number, item=ReturnItem(line.id, qty), method=method, at=at:
                    _return(services, number, item, method, at))


def _return(services: Services, number: str, item: ReturnItem, method: str, at: datetime) -> None:
    try:
        services.checkout.post_return(number, [item], method=method, at=at)
    except JxcError:
        return

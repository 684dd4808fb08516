"""Demo history for stock counts: two days before the demo's today, before the shop opens (06:30,
counted by 07:00 when the first sales come), one category is counted; most shelves match the books,
a few have something missing or extra (at least one, whatever the seed). Selling goes on
afterwards, and the count is posted at the end of the demo (a final step, a minute after every
other move, so the ledger stays in time order). The posted count shows exactly those 盘盈/盘亏:
nothing moves between opening and counting. With too short a history, the count is made and
posted the evening before today."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from jxc_desktop.db.models import Category, Product, StockMove
from jxc_desktop.demo import timeline
from jxc_desktop.domain.quantity import MILLI

if TYPE_CHECKING:
    from jxc_desktop.services.hub import Services

COUNT_DAYS_BEFORE_END = 2
NOTE = "演示盘点"
_open: dict[int, int] = {}  # id(services) -> open demo count id, between the day step and the final step


def _category(services: Services) -> int | None:
    """A category with a handful of products (the smallest with at least 5)."""
    with services.db.read() as uow:
        rows = uow.session.execute(
            select(Category.id, func.count(Product.id)).join(Product, Product.category_id == Category.id)
            .where(Product.active.is_(True)).group_by(Category.id).order_by(func.count(Product.id), Category.id)
        ).all()
    for cid, n in rows:
        if n >= 5:
            return int(cid)
    return int(rows[-1][0]) if rows else None


def _count_shelves(services: Services, count_id: int, rng: random.Random, start: datetime,
                   within: timedelta | None = None) -> None:
    """Count every line from ``start``, 20 s a shelf, closer together to finish ``within``."""
    sc = services.stock_count
    lines = sc.lines(count_id, limit=100_000)
    step = timedelta(seconds=20)
    if within is not None and lines:
        step = min(step, within / len(lines))
    counted: list[int] = []
    for line in lines:
        book = line.book_qty
        roll = rng.random()
        if roll < 0.12:
            counted.append(max(0, book - rng.randint(1, 3) * MILLI))  # something went missing
        elif roll < 0.2:
            counted.append(max(0, book) + rng.randint(1, 2) * MILLI)  # extra found behind the shelf
        else:
            counted.append(max(0, book))
    if lines and all(c == line.book_qty for c, line in zip(counted, lines, strict=True)):
        counted[0] = max(0, lines[0].book_qty) + MILLI  # a demo count shows what a difference looks like
    for i, (line, qty) in enumerate(zip(lines, counted, strict=True)):
        sc.set_counted(count_id, line.id, qty, at=start + step * i)


def demo_count_day(services: Services, day: date, rng: random.Random) -> None:
    if day != timeline.demo_today() - timedelta(days=COUNT_DAYS_BEFORE_END):
        return
    cid = _category(services)
    if cid is None:
        return
    start = timeline.local_moment(day, 6, 30)
    timeline.run_at(start, lambda: _open_and_count(services, cid, rng, start))


def _open_and_count(services: Services, cid: int, rng: random.Random, start: datetime) -> None:
    """Before the day's first move (sales start at 07:00): the book stays put while counting."""
    count = services.stock_count.open([cid], note=NOTE, at=start)
    _count_shelves(services, count.id, rng, start + timedelta(minutes=1), within=timedelta(minutes=25))
    _open[id(services)] = count.id


def demo_count_final(services: Services, today: date, rng: random.Random) -> None:
    """Post the morning's count a minute after all other history (or, if the demo was too short
    to reach that morning, count and post it then, within half an hour)."""
    with services.db.read() as uow:
        last = uow.session.scalar(select(func.max(StockMove.created_at)))
    at = (last or timeline.local_moment(today - timedelta(days=1), 20)) + timedelta(minutes=1)
    count_id = _open.pop(id(services), None)
    if count_id is None:
        cid = _category(services)
        if cid is None:
            return
        count_id = services.stock_count.open([cid], note=NOTE, at=at).id
        _count_shelves(services, count_id, rng, at + timedelta(minutes=1), within=timedelta(minutes=25))
        at += timedelta(minutes=30)
    services.stock_count.post(count_id, uncounted="keep", at=at)

"""Demo data: a believable Chinese shop in an empty database (``jxc demo``, the welcome dialog).

``fill_demo`` creates categories, suppliers and products with opening stock (through the ledger),
then replays history: for each past day, in order, every callable in ``DAY_HOOKS`` runs as
``hook(services, day, rng)``; then every ``FINAL_HOOKS`` callable runs as
``hook(services, today, rng)``. Purchases, sales and counts plug in there, so they interleave in
time. A hook posts through its own service with ``at=`` inside ``day`` (local time).

Time order: the ledger's balances run in id order and ``balance_at`` looks them up by time, so
every move must be written in time order. A day hook therefore does not post directly: it hands
each posting to ``run_at(moment, action)`` (or ``run_batched`` for many similar ones, e.g. till
receipts), and ``fill_demo`` runs all of the day's actions from every hook sorted by moment (ties
in the order queued). Outside ``in_time_order()`` they run at once. Opening stock is at 06:00 of
the first day, before any hook's moment.

Registering a hook: add your module to ``HOOK_MODULES`` below; it is imported on the first
``fill_demo`` call (not at import time, so there is no import cycle) and appends its hook(s) to
``DAY_HOOKS`` / ``FINAL_HOOKS``, e.g. in services/sales/checkout.py::

    from jxc_desktop.demo import shop as demo
    demo.DAY_HOOKS.append(demo_sales_day)

Everything is deterministic for a seed and a ``today`` (the dates are relative to it, and nothing
reads the real clock): the history covers the ``days`` days before ``today`` and ends before it
begins, so the shop opens on ``today`` with nothing yet sold — and no document lies in the future
when ``today`` is the real today. ``demo_today()`` tells hooks which day that is.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, select

from jxc_desktop.db.models import Category, Product, Purchase, Sale, StockCount, StockMove, Supplier
from jxc_desktop.demo import catalog_data as demo_catalog
from jxc_desktop.domain.clock import MAX_YEAR, MIN_YEAR, local_today
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.catalog.product_files import Opening, insert_products
from jxc_desktop.services.shop.settings import SettingsService

if TYPE_CHECKING:
    from jxc_desktop.services.hub import Services

DayHook = Callable[["Services", date, random.Random], None]
DAY_HOOKS: list[DayHook] = []
FINAL_HOOKS: list[DayHook] = []
# Modules that register demo hooks when imported (see the module doc).
HOOK_MODULES: list[str] = [
    "jxc_desktop.demo.purchases",
    "jxc_desktop.demo.sales",
    "jxc_desktop.demo.counts",
]

Progress = Callable[[int, int], bool | None]
MAX_PRODUCTS = 200_000
MAX_DAYS = 730
DEMO_SHOP = "好邻居便利店"


@dataclass(frozen=True)
class DemoResult:
    products: int
    suppliers: int
    categories: int
    days: int
    first_day: date


def _load_hooks() -> None:
    for name in HOOK_MODULES:
        importlib.import_module(name)


def is_empty(services: Services) -> bool:
    """No products and no documents of any kind."""
    with services.db.read() as uow:
        s = uow.session
        return not any(s.scalar(select(exists().where(col.isnot(None))))
                       for col in (Product.id, Purchase.id, Sale.id, StockCount.id, StockMove.id))


def local_moment(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware moment at local ``hour:minute`` of ``day`` (what hooks pass as ``at=``)."""
    return datetime.combine(day, time(hour, minute)).astimezone()


# (moment, order queued, post, item) of the actions queued by the day's hooks (see the module doc).
_Event = tuple[datetime, int, Callable[[list[Any]], object], Any]
_queue: ContextVar[list[_Event] | None] = ContextVar("demo_queue", default=None)
_today: ContextVar[date | None] = ContextVar("demo_today", default=None)


def demo_today() -> date:
    """The day the demo shop opens on (inside ``fill_demo``; the real local today elsewhere)."""
    return _today.get() or local_today()


def run_batched(moment: datetime, post: Callable[[list[Any]], object], item: Any) -> None:
    """Post ``item`` at ``moment`` via ``post([item, ...])``. Inside ``in_time_order`` it is queued,
    and neighbouring queued items (in time order) with the same ``post`` go in one call."""
    queue = _queue.get()
    if queue is None:
        post([item])
    else:
        queue.append((moment, len(queue), post, item))


def run_at(moment: datetime, action: Callable[[], object]) -> None:
    """Run ``action`` (which posts with ``at=moment``) in time order with the other hooks' actions."""
    run_batched(moment, lambda _items: action(), None)


@contextmanager
def in_time_order() -> Iterator[None]:
    """Queue the block's ``run_at``/``run_batched`` actions and run them sorted by moment at its
    end (inside an outer block the outer one runs them)."""
    if _queue.get() is not None:
        yield
        return
    queue: list[_Event] = []
    token = _queue.set(queue)
    try:
        yield
    finally:
        _queue.reset(token)
    queue.sort(key=lambda e: (e[0], e[1]))
    i = 0
    while i < len(queue):
        post = queue[i][2]
        j = i + 1
        while j < len(queue) and queue[j][2] is post:
            j += 1
        post([e[3] for e in queue[i:j]])
        i = j


def _opening(rng: random.Random, p: demo_catalog.DemoProduct, first: date) -> tuple[Opening | None, int, int]:
    """Opening stock and min/max (thousandths) for a product."""
    loose = p.unit == "kg"
    min_units = rng.choice((0, 5, 10, 10, 20)) if not loose else rng.choice((0, 5, 10))
    max_units = min_units * rng.choice((4, 5, 8)) if min_units else 0
    if rng.random() < 0.05:
        return None, min_units * MILLI, max_units * MILLI  # out of stock: shows in low-stock reports
    qty = rng.randint(max(min_units, 3), max(max_units, 30)) * MILLI
    if loose:
        qty += rng.randrange(0, 1000, 50)  # loose goods weigh 12.350 kg
    if not p.batches:
        return Opening(qty, p.cost), min_units * MILLI, max_units * MILLI
    life = p.shelf_life_days or 180
    produced = first - timedelta(days=rng.randint(0, max(1, life // 3)))
    return (Opening(qty, p.cost, batch_no=produced.strftime("%Y%m%d") + f"{rng.randint(1, 9)}",
                    expiry=produced + timedelta(days=life), production=produced),
            min_units * MILLI, max_units * MILLI)


def fill_demo(services: Services, *, products: int = 300, days: int = 30, seed: int = 1,
              today: date | None = None, progress: Progress | None = None) -> DemoResult:
    """Fill an empty database with a demo shop and ``days`` days of history before ``today``
    (default: the clock's local today; see module doc).

    Raises ValidationError if the database already holds products or documents, or for
    out-of-range arguments. ``progress(done, total)`` returning False stops between steps
    (products already written stay; the file is then a partial demo, which is still consistent).
    """
    if not 1 <= products <= MAX_PRODUCTS:
        raise ValidationError("The number of demo products must be 1 to {limit}", limit=MAX_PRODUCTS)
    if not 0 <= days <= MAX_DAYS:
        raise ValidationError("The number of demo days must be 0 to {limit}", limit=MAX_DAYS)
    if not is_empty(services):
        raise ValidationError("The database already holds products or documents; "
                              "demo data goes only into a new, empty database")
    _load_hooks()
    if today is None:
        today = local_today()
    if not date(MIN_YEAR + 2, 1, 1) <= today <= date(MAX_YEAR - 1, 1, 1):
        raise ValidationError("Dates must lie between the years {lo} and {hi}", lo=MIN_YEAR + 2, hi=MAX_YEAR - 1)
    token = _today.set(today)
    try:
        return _fill(services, products, days, random.Random(seed), today, progress)
    finally:
        _today.reset(token)


def _fill(services: Services, products: int, days: int, rng: random.Random, today: date,
          progress: Progress | None) -> DemoResult:
    first = today - timedelta(days=days)
    # Before every hook's first moment of the first day; with no history, the evening before today.
    opened_at = local_moment(first, 6) if days else local_moment(today - timedelta(days=1), 20)
    total = products + days + len(FINAL_HOOKS)
    done = 0

    def tick() -> None:
        if progress is not None and progress(done, total) is False:
            from jxc_desktop.files.tabular import Cancelled

            raise Cancelled()

    supplier_rows = demo_catalog.suppliers(rng)
    with services.db.write() as uow:
        s = uow.session
        for sort, name in enumerate(demo_catalog.CATEGORIES):
            s.add(Category(name=name, sort=sort))
        for sup in supplier_rows:
            s.add(Supplier(name=sup.name, contact=sup.contact, phone=sup.phone, address=sup.address,
                           created_at=opened_at))
        s.flush()
        uow.commit()
    settings = SettingsService(services.db)
    if not settings.all().get("shop_name"):
        settings.update({"shop_name": DEMO_SHOP, "shop_address": "示例市人民路 88 号",
                         "shop_phone": "0371-6688 1234"})

    batch: list[tuple[ProductInput, Opening | None]] = []

    def flush_batch() -> None:
        with services.db.write() as uow:
            insert_products(uow.session, batch, at=opened_at, create_categories=False)
            uow.commit()
        batch.clear()

    for p in demo_catalog.products(rng, products):
        opening, min_stock, max_stock = _opening(rng, p, first)
        barcodes: tuple[tuple[str, int], ...] = ((p.barcode, 1),)
        if p.case_barcode:
            barcodes += ((p.case_barcode, p.case),)
        batch.append((ProductInput(
            name=p.name, spec=p.spec, unit=p.unit, category=p.category, sale_price=p.sale_price,
            ref_cost=p.cost, min_stock=min_stock, max_stock=max_stock,
            shelf_life_days=p.shelf_life_days if p.batches or p.shelf_life_days else None,
            tracks_batches=p.batches, barcodes=barcodes), opening))
        done += 1
        if len(batch) >= 2000:
            flush_batch()
            tick()
    if batch:
        flush_batch()
    tick()

    for offset in range(days):
        day = first + timedelta(days=offset)
        with in_time_order():
            for hook in DAY_HOOKS:
                hook(services, day, rng)
        done += 1
        tick()
    for hook in FINAL_HOOKS:
        hook(services, today, rng)
        done += 1
        tick()
    return DemoResult(products, len(supplier_rows), len(demo_catalog.CATEGORIES), days, first)


def describe(result: DemoResult) -> dict[str, Any]:
    return {"products": result.products, "suppliers": result.suppliers, "categories": result.categories,
            "days": result.days, "first_day": result.first_day.isoformat()}

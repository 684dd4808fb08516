"""Demo data: a believable Chinese shop in an empty database (``jxc demo``, the welcome dialog).

``fill_demo`` creates categories, suppliers and products with opening stock (through the ledger),
then replays history as an explicit sequence of steps: for each past day, in order, the steps of
``DAY_STEPS`` run as ``step(services, day, rng)`` (the day's deliveries, its till receipts and
returns, the morning count); then each of ``FINAL_STEPS`` runs as ``step(services, today, rng)``
(posting the count). A step posts through its own service with ``at=`` inside ``day`` (local time).

A day's steps do not post at once: each hands its postings to ``timeline.run_at`` /
``timeline.run_batched`` and all of the day's postings run sorted by moment at the end of the
day (demo/timeline.py), so purchases, sales and counts interleave in time and the ledger is written
in time order. Opening stock is at 06:00 of the first day, before any step's moment.

A new kind of demo history is a module of its own with a ``…_day`` function (and a final one if
it must), listed below in the order it takes among the others: the order is part of the demo
data (each step draws from the same random generator), so moving a step changes every shop.

Everything is deterministic for a seed and a ``today`` (the dates are relative to it, and nothing
reads the real clock): the history covers the ``days`` days before ``today`` and ends before it
begins, so the shop opens on ``today`` with nothing yet sold — and no document lies in the future
when ``today`` is the real today. ``timeline.demo_today()`` tells steps which day that is.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, select

from jxc_desktop.db.models import Category, Product, Purchase, Sale, StockCount, StockMove, Supplier
from jxc_desktop.demo import accounts, counts, members, promotions, purchases, sales, season, shifts, timeline
from jxc_desktop.demo import catalog_data as demo_catalog
from jxc_desktop.demo.timeline import local_moment
from jxc_desktop.domain.clock import MAX_YEAR, MIN_YEAR, local_today
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.files.tabular import Cancelled
from jxc_desktop.services.catalog.api import pinyin_initials
from jxc_desktop.services.catalog.product_files import Opening, insert_products
from jxc_desktop.services.shop.settings import SettingsService

if TYPE_CHECKING:
    from jxc_desktop.services.hub import Services

Step = Callable[["Services", date, random.Random], None]
# The steps of each past day, in this order (see the module doc): deliveries, till receipts and
# returns, the morning count.
DAY_STEPS: tuple[Step, ...] = (
    purchases.demo_purchase_day,
    sales.demo_sales_day,
    counts.demo_count_day,
    season.demo_season_day,  # issue 20: summer, winter and festival demand on top (its own generator)
    accounts.demo_accounts_day,  # money owed (issue 16): its own generator
    promotions.demo_promotions_day,  # issue 17: promotions and the receipts that get them (its own generator)
    members.demo_members_day,  # issue 17: members, top-ups, member sales (its own generator)
)
# After the last day, at ``today``: post the count opened in the history.
FINAL_STEPS: tuple[Step, ...] = (
    counts.demo_count_final,
    shifts.demo_shifts_final,  # cashiers and their shifts over the history (demo/shifts.py)
)

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


def is_empty(services: Services) -> bool:
    """No products and no documents of any kind."""
    with services.db.read() as uow:
        s = uow.session
        return not any(s.scalar(select(exists().where(col.isnot(None))))
                       for col in (Product.id, Purchase.id, Sale.id, StockCount.id, StockMove.id))


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
    if today is None:
        today = local_today()
    if not date(MIN_YEAR + 2, 1, 1) <= today <= date(MAX_YEAR - 1, 1, 1):
        raise ValidationError("Dates must lie between the years {lo} and {hi}", lo=MIN_YEAR + 2, hi=MAX_YEAR - 1)
    with timeline.opening_on(today):
        return _fill(services, products, days, random.Random(seed), today, progress)


def _fill(services: Services, products: int, days: int, rng: random.Random, today: date,
          progress: Progress | None) -> DemoResult:
    first = today - timedelta(days=days)
    # Before every step's first moment of the first day; with no history, the evening before today.
    opened_at = local_moment(first, 6) if days else local_moment(today - timedelta(days=1), 20)
    total = products + days + len(FINAL_STEPS)
    done = 0

    def tick() -> None:
        if progress is not None and progress(done, total) is False:
            raise Cancelled()

    supplier_rows = demo_catalog.suppliers(rng)
    with services.db.write() as uow:
        s = uow.session
        for sort, name in enumerate(demo_catalog.CATEGORIES):
            s.add(Category(name=name, sort=sort))
        for sup in supplier_rows:
            s.add(Supplier(name=sup.name, contact=sup.contact, phone=sup.phone, address=sup.address,
                           created_at=opened_at, pinyin=pinyin_initials(sup.name)))
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
        with timeline.in_time_order():
            for step in DAY_STEPS:
                step(services, day, rng)
        done += 1
        tick()
    for step in FINAL_STEPS:
        step(services, today, rng)
        done += 1
        tick()
    return DemoResult(products, len(supplier_rows), len(demo_catalog.CATEGORIES), days, first)


def describe(result: DemoResult) -> dict[str, Any]:
    return {"products": result.products, "suppliers": result.suppliers, "categories": result.categories,
            "days": result.days, "first_day": result.first_day.isoformat()}

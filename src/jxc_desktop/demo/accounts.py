"""Demo money owed (往来, issue 16): suppliers on terms, named customers, sales on account, the
customers paying now and then, the shop paying its suppliers on terms.

Draws only from its own generator (``random.Random(f"accounts-{day}")``), never the shared one, so
the rest of the demo keeps its draws. On the first day two suppliers get payment terms and the
customers are added; from then on an evening credit sale (21:3x, after the till's day; for the
wholesale customer a wholesale note by the pack, on account), weekly
collections (17:00) and payments of what falls due (16:00 every tenth day).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from jxc_desktop.db.models import Product
from jxc_desktop.demo import timeline
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.tender import Tender
from jxc_desktop.domain.wholesale_note import WholesaleNote
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER, CustomerInput
from jxc_desktop.services.purchasing.dto import SupplierInput

if TYPE_CHECKING:
    from jxc_desktop.services.hub import Services

CUSTOMERS = (  # name, phone, address, level, credit limit (fen; None = none)
    ("老街饭店", "13903710001", "人民路 12 号", "retail", 150_000),
    ("顺达商贸有限公司", "0371-66880002", "建设路 88 号", "wholesale", None),
    ("王阿姨", "13703710003", "和平里 3 栋", "retail", 30_000),
)
TERMS = (30, 15)  # the first two suppliers' payment terms, days


def _set_up(services: Services, day: date) -> list[int]:
    """Customers and supplier terms, once (dated the first morning: the demo never reads the real
    clock); returns the customer ids."""
    ids = [c.id for c in services.customers.list()]
    if ids:
        return ids
    for sup, days in zip(services.suppliers.list(), TERMS, strict=False):
        services.suppliers.edit(sup.id, SupplierInput(sup.name, sup.contact, sup.phone, sup.address, sup.note,
                                                      terms_days=days))
    return [services.customers.add(CustomerInput(n, phone, addr, level, limit), at=timeline.local_moment(day, 7))
            for n, phone, addr, level, limit in CUSTOMERS]


def demo_accounts_day(services: Services, day: date, _rng: random.Random) -> None:
    rng = random.Random(f"accounts-{day.isoformat()}")
    customers = _set_up(services, day)
    if rng.random() < 0.6:
        cid = rng.choice(customers)
        sold = timeline.local_moment(day, 21, 30 + rng.randrange(20))
        n_lines, seed = rng.randint(1, 3), rng.random()
        timeline.run_at(sold, lambda: _credit_sale(services, cid, n_lines, seed, sold))
    if day.toordinal() % 7 == 4:
        collected, share = timeline.local_moment(day, 17), rng.random()
        timeline.run_at(collected, lambda: _collections(services, day, share, collected))
    if day.toordinal() % 10 == 0:
        paid = timeline.local_moment(day, 16)
        timeline.run_at(paid, lambda: _payments(services, day, paid))


def _credit_sale(services: Services, cid: int, n_lines: int, seed: float, at) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    with services.db.read() as uow:
        ids = list(uow.session.scalars(select(Product.id).where(
            Product.active.is_(True), Product.stock_qty >= 10 * MILLI).order_by(Product.id).limit(300)))
    if not ids:
        return
    lines = [services.checkout.line_for_product(pid, rng.randint(2, 6) * MILLI)
             for pid in rng.sample(ids, min(n_lines, len(ids)))]
    customer = services.customers.get(cid)
    try:
        if customer.level == "wholesale":  # a wholesale note (销售单) by the pack, on account
            got = services.wholesale.lines_for((ln.product_id, ln.qty) for ln in lines)
            # whole packs (件) where the product has a pack barcode, else the units asked for
            note = WholesaleNote(tuple(replace(nl, packs=max(nl.packs, 1), loose=0) if nl.pack_size > 1 else nl
                                       for nl in got))
            services.wholesale.post(note, cid, paid_now=0, at=at)
            return
        cart = Cart(tuple(lines))
        total = services.checkout.price(cart, at=at).total  # with the promotions running then
        services.checkout.post_sale(cart, [Tender("credit", total)], at=at, customer_id=cid)
    except JxcError:  # above the credit limit, short of stock: the customer pays at the till instead
        return


def _collections(services: Services, day: date, share: float, at) -> None:  # type: ignore[no-untyped-def]
    for row in services.accounts.balances(CUSTOMER, day).rows:
        amount = max(row.balance * (5 + int(share * 5)) // 10 // 100 * 100, 0)  # half or more, whole yuan
        if amount > 0:
            services.accounts.collect(row.party_id, amount, method="wechat", day=day, at=at, note="demo")


def _payments(services: Services, day: date, at) -> None:  # type: ignore[no-untyped-def]
    """Pay each supplier on terms what has fallen due by today."""
    for row in services.accounts.balances(SUPPLIER, day).rows:
        due = sum(d.open for d in services.accounts.open_documents(SUPPLIER, row.party_id)
                  if d.due_date is not None and d.due_date <= day and d.date <= day)
        if due > 0:
            services.accounts.pay(row.party_id, min(due, row.balance), method="bank", day=day, at=at)

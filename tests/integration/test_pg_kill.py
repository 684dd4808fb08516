"""A till posting sales and returns on the PostgreSQL server is SIGKILLed at random moments, many
times (JXC_PG_KILLS, default 15): the server rolls back what the dead connection had begun, so
afterwards every sale is whole or absent, every sale the till saw committed is there, the ledger
replays serially, numbers stay gap-free (a killed sale's number went back with it), the books
check (`jxc check`) is clean and the next till posts. The SQLite counterpart: test_kill_checkout.py.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from jxc_desktop.db.models import Sale
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.dto import ReturnItem, Tender
from tests.integration.pg_races import assert_books_whole, assert_numbers_gap_free, replay

pytestmark = pytest.mark.postgres
KILLS = int(os.environ.get("JXC_PG_KILLS", "15"))


@pytest.fixture
def shop(pg_db_url: str) -> Iterator[Services]:
    db = Database.for_server(pg_db_url)
    yield Services(db)
    db.dispose()


def _post_forever(url: str, pids: list[int], seed: int, marks: int) -> None:
    """The till: sales of 1–4 products, now and then a return of the last one; ``s``/``r`` before
    each posting, ``E<number>`` after its commit, ``X`` when refused (rolled back)."""
    rng = random.Random(seed)
    services = Services(Database.for_server(url))
    co = services.checkout
    last = None
    while True:
        returning = last is not None and rng.random() < 0.2
        os.write(marks, b"\nr" if returning else b"\ns")
        try:
            if returning:
                done = co.post_return(last.number, [ReturnItem(last.lines[0].id, 1000)], method="cash")
                last = None
            else:
                cart = Cart()
                for pid in rng.sample(pids, rng.randint(1, 4)):
                    cart, _ = c.add(cart, co.line_for_product(pid, rng.randint(1, 3) * 1000))
                done = last = co.post_sale(cart, [Tender("cash", c.price(cart).total)], confirmed=True)
        except JxcError:
            os.write(marks, b"X")
            last = None
        else:
            os.write(marks, b"E" + done.number.encode())


def test_kill_a_till_mid_sale_on_the_server(shop: Services, tmp_path: Path) -> None:
    shop.settings.update({"negative_stock": "warn"})
    pids = [shop.catalog.create_product(ProductInput(name=f"杀进程{i}", sale_price=500 + i, ref_cost=300 + i * 7),
                                        opening_qty=5_000_000, opening_cost=300 + i * 7).id for i in range(6)]
    # 5 000 each: a fast machine posts hundreds of sales in the kills' 15 s; stock never reaches zero
    url = shop.db.url
    marks_path = tmp_path / "marks"
    rng = random.Random(21)
    inside = 0
    started = time.monotonic()
    for kill in range(KILLS):
        shop.db.dispose()  # a forked child must not share the parent's connections
        marks = os.open(marks_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        child = os.fork()
        if child == 0:  # pragma: no cover - the till, killed below
            try:
                _post_forever(url, pids, kill, marks)
            finally:
                os._exit(1)
        os.close(marks)
        time.sleep(rng.uniform(0.3, 1.2))  # past the start-up, into the postings
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        tail = marks_path.read_bytes().rsplit(b"\n", 1)[-1]
        inside += tail in (b"s", b"r")  # killed between "begins" and its commit or refusal
    committed = [m[m.index(b"E") + 1:].decode() for m in marks_path.read_bytes().split(b"\n") if b"E" in m]
    assert committed, "the till never got to post a sale"
    with shop.db.read() as uow:
        stored = set(uow.session.scalars(select(Sale.number)))
    assert set(committed) <= stored, "a sale the till saw committed is missing"
    assert_books_whole(shop.db)
    for pid in pids:
        replay(shop.db, pid)
    assert_numbers_gap_free(shop.db)
    cart, _ = c.add(Cart(), shop.checkout.line_for_product(pids[0], 1000))
    assert shop.checkout.post_sale(cart, [Tender("cash", 500)]).number.startswith("XS")
    print(f"\n{KILLS} kills, {inside} inside a posting, {len(committed)} postings committed, "
          f"{time.monotonic() - started:.1f} s")
    assert inside >= KILLS // 3, f"only {inside} of {KILLS} kills landed inside a posting"

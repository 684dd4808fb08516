"""Property test of the ledger (DESIGN.md §4): random receipts and issues, with batches and
negative stock, through services/stock/ledger.py; the invariants are checked after every step."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.models import Batch, Product, StockMove
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.costing import value_of
from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.stock import ledger

# thousandths: 0.001 .. 60 units, often whole units so shelves empty exactly and go negative
qty = st.one_of(st.sampled_from([1000, 2000, 3000, 5000, 12_000]), st.integers(min_value=1, max_value=60_000))
receipt = st.tuples(st.just("receive"), st.integers(0, 1), qty, st.integers(0, 9_999), st.integers(0, 2))
issue = st.tuples(st.just("issue"), st.integers(0, 1), qty, st.just(0), st.integers(0, 2))
fefo = st.tuples(st.just("fefo"), st.integers(0, 1), qty, st.just(0), st.just(0))
# take exactly what is on hand (the shelf is emptied), or that plus ``qty`` (stock goes negative)
empty = st.tuples(st.just("empty"), st.integers(0, 1), st.just(0), st.just(0), st.integers(0, 2))
beyond = st.tuples(st.just("beyond"), st.integers(0, 1), qty, st.just(0), st.integers(0, 2))
operations = st.lists(st.one_of(receipt, issue, fefo, empty, beyond), min_size=1, max_size=20)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ledger") / "template.sqlite3"
    migrate(path)
    db = Database.for_file(path)
    with db.write() as uow:
        # Product 1 without batches, product 2 tracked by batch with three batches.
        uow.session.add_all([Product(code="P1", name="散装大米", unit="kg"),
                             Product(code="P2", name="鲜牛奶", tracks_batches=True)])
        uow.session.flush()
        for i in range(3):
            uow.session.add(Batch(product_id=2, batch_no=f"B{i}", qty=0))
        uow.commit()
    db.dispose()
    return path


@pytest.fixture
def fresh_copy(template: Path) -> Iterator[Callable[[], Database]]:
    folder = Path(tempfile.mkdtemp(prefix="ledger-prop-"))

    def make() -> Database:
        target = folder / f"db{len(list(folder.iterdir()))}.sqlite3"
        shutil.copyfile(template, target)
        return Database.for_file(target)

    yield make
    shutil.rmtree(folder, ignore_errors=True)


def check_invariants(db: Database) -> None:
    with db.read() as uow:
        s = uow.session
        assert ledger.reconcile(s) == []
        for product in s.scalars(select(Product)):
            moves = list(s.scalars(select(StockMove).where(StockMove.product_id == product.id)
                                   .order_by(StockMove.id)))
            q = v = 0
            for m in moves:  # the balances chain, move after move
                q, v = q + m.qty, v + m.value
                assert (m.balance_qty, m.balance_value) == (q, v)
            # caches == Σ moves (conservation of value: nothing appears or vanishes)
            assert (product.stock_qty, product.stock_value) == (q, v)
            if product.stock_qty == 0:
                assert product.stock_value == 0  # exact zero value at zero stock
            if product.stock_qty > 0:
                assert product.stock_value >= 0
                assert product.avg_cost == div_round(product.stock_value * 1000, product.stock_qty)
        for batch in s.scalars(select(Batch)):
            total = sum(m.qty for m in s.scalars(select(StockMove).where(StockMove.batch_id == batch.id)))
            assert batch.qty == total


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
# Always also try: empty a shelf exactly, go negative on a batch, lift it back above zero.
@example(ops=[("receive", 0, 5000, 123, 0), ("empty", 0, 0, 0, 0), ("receive", 1, 3000, 57, 1),
              ("beyond", 1, 2000, 0, 1), ("receive", 1, 6000, 71, 2), ("empty", 1, 0, 0, 0),
              ("issue", 0, 1500, 0, 0), ("receive", 0, 1000, 99, 0), ("receive", 0, 700, 13, 0)])
def test_random_receipts_and_issues_keep_the_books(fresh_copy: Callable[[], Database], ops: list) -> None:  # type: ignore[type-arg]
    db = fresh_copy()
    try:
        for op, which, amount, unit_cost, batch_no in ops:
            with db.write() as uow:
                s = uow.session
                product = s.get(Product, which + 1)
                assert product is not None
                batch = None
                if product.tracks_batches and op != "fefo":
                    batch = s.scalar(select(Batch).where(Batch.product_id == product.id,
                                                         Batch.batch_no == f"B{batch_no}"))
                before = (product.stock_qty, product.stock_value, product.avg_cost)
                ref = ledger.DocRef("adjust", None, "PROP")
                if op in ("empty", "beyond"):
                    amount = max(product.stock_qty, 0) + amount
                    if amount == 0:
                        continue
                    op = "fefo" if op == "empty" else "issue"
                if op == "receive":
                    value = value_of(amount, unit_cost)
                    ledger.receive(s, product, amount, MoveKind.PURCHASE, ref, value=value, batch=batch)
                    if before[0] >= 0:
                        # a plain receipt adds exactly its cost
                        assert product.stock_value == before[1] + value
                    elif product.stock_qty >= 0:
                        # lifting negative stock re-bases the value to new qty × receipt cost
                        assert product.stock_value == div_round(value * product.stock_qty, amount)
                elif op == "issue":
                    move = ledger.issue(s, product, amount, MoveKind.SALE, ref, batch=batch)
                    if 0 < amount <= before[0]:
                        expected = before[1] if amount == before[0] else div_round(before[1] * amount, before[0])
                        assert -move.value == expected  # moving average share
                    elif before[0] <= 0:
                        assert -move.value == value_of(amount, before[2])  # last known average
                else:
                    moves = ledger.issue_fefo(s, product, amount, MoveKind.SALE, ref)
                    assert -sum(m.qty for m in moves) == amount
                    if product.tracks_batches:
                        expiring = [m.batch_id for m in moves]
                        assert expiring == sorted(expiring)  # batches without expiry: oldest first
                assert product.stock_qty == before[0] + (amount if op == "receive" else -amount)
                uow.commit()
            check_invariants(db)
    finally:
        db.dispose()

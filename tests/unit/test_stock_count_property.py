"""Property tests: stock counts mixed with purchases and sales keep the ledger invariants
(DESIGN.md §4), post exactly ``counted - expected``, and the ledger's bulk writer used by
posting writes the same rows as receive()/issue() one by one."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.models import Batch, Product, StockMove
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.hub import Services
from jxc_desktop.services.stock import ledger

UNITS = st.sampled_from([1000, 2000, 3000, 500, 7250])
purchase = st.tuples(st.just("purchase"), st.integers(0, 2), UNITS, st.integers(0, 900))
sale = st.tuples(st.just("sale"), st.integers(0, 2), UNITS, st.just(0))
open_ = st.tuples(st.just("open"), st.just(0), st.just(0), st.just(0))
count = st.tuples(st.just("count"), st.integers(0, 3), st.integers(0, 12_000), st.just(0))
post = st.tuples(st.just("post"), st.integers(0, 1), st.just(0), st.just(0))
operations = st.lists(st.one_of(purchase, sale, open_, count, count, post), min_size=1, max_size=18)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("count-prop") / "template.sqlite3"
    migrate(path)
    db = Database.for_file(path)
    with db.write() as uow:
        s = uow.session
        s.add_all([Product(code="P1", name="大米", unit="kg", avg_cost=500),
                   Product(code="P2", name="牛奶", tracks_batches=True, avg_cost=300),
                   Product(code="P3", name="可乐", avg_cost=200)])
        s.flush()
        for i, days in enumerate((5, 30)):
            s.add(Batch(product_id=2, batch_no=f"B{i}", qty=0, expiry_date=date(2030, 1, 1) + timedelta(days=days)))
        uow.commit()
    db.dispose()
    return path


@pytest.fixture
def copies(template: Path) -> Iterator[list[Path]]:
    folder = Path(tempfile.mkdtemp(prefix="count-prop-"))
    made: list[Path] = []

    def fresh() -> Path:
        target = folder / f"db{len(made)}.sqlite3"
        shutil.copyfile(template, target)
        made.append(target)
        return target

    yield fresh  # type: ignore[misc]
    shutil.rmtree(folder, ignore_errors=True)


def _purchase(s: Services, pid: int, qty: int, unit_cost: int) -> None:
    with s.db.write() as uow:
        p = uow.session.get(Product, pid)
        batch = uow.session.get(Batch, 1 + qty % 2) if p.tracks_batches else None
        ledger.receive(uow.session, p, qty, MoveKind.PURCHASE, ledger.DocRef("purchase"),
                       value=qty * unit_cost // 1000, batch=batch)
        uow.commit()


def _sale(s: Services, pid: int, qty: int) -> None:
    with s.db.write() as uow:
        ledger.issue_fefo(uow.session, uow.session.get(Product, pid), qty, MoveKind.SALE, ledger.DocRef("sale"))
        uow.commit()


def _moves(s: Services) -> list[tuple]:  # type: ignore[type-arg]
    with s.db.read() as uow:
        return [(m.product_id, m.batch_id, m.kind, m.qty, m.value, m.balance_qty, m.balance_value, m.doc_line_id)
                for m in uow.session.scalars(select(StockMove).order_by(StockMove.id))]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_counts_with_purchases_and_sales_keep_the_books(copies, ops) -> None:  # type: ignore[no-untyped-def]
    s = Services(Database.for_file(copies()))
    try:
        open_id: int | None = None
        for kind, a, b, c in ops:
            if kind == "purchase":
                _purchase(s, a + 1, b, c)
            elif kind == "sale":
                _sale(s, a + 1, b)
            elif kind == "open" and open_id is None:
                open_id = s.stock_count.open().id
            elif kind == "count" and open_id is not None:
                lines = s.stock_count.lines(open_id)
                line = lines[a % len(lines)]
                s.stock_count.set_counted(open_id, line.id, b)
            elif kind == "post" and open_id is not None:
                lines = {ln.id: ln for ln in s.stock_count.lines(open_id)}
                before = _moves(s)
                result = s.stock_count.post(open_id, uncounted="zero" if a else "keep")
                written = _moves(s)[len(before):]
                expected = {lid: ln.counted_qty - ln.expected_qty for lid, ln in lines.items()
                            if ln.counted_qty is not None and ln.counted_qty != ln.expected_qty}
                got = {m[7]: m[3] for m in written if m[2] in ("count_gain", "count_loss")}
                if a == 0:
                    assert got == expected
                else:
                    assert {k: v for k, v in got.items() if k in expected} == expected
                assert result.gain_qty - result.loss_qty == sum(got.values())
                open_id = None
            with s.db.read() as uow:
                assert ledger.reconcile(uow.session) == []
    finally:
        s.db.dispose()


planned = st.lists(st.tuples(st.integers(1, 3), st.sampled_from([-3000, -1000, -250, 500, 1000, 4000]),
                             st.one_of(st.none(), st.integers(0, 2000)), st.integers(0, 2)), min_size=1, max_size=15)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=planned, opening=st.integers(0, 4000))
def test_write_many_equals_one_by_one(copies, moves, opening) -> None:  # type: ignore[no-untyped-def]
    one, bulk = (Services(Database.for_file(copies())) for _ in range(2))
    try:
        for s in (one, bulk):
            if opening:
                _purchase(s, 1, opening, 400)
                _purchase(s, 2, opening, 300)
        plan = []
        for pid, qty, value, batch in moves:
            bid = batch if pid == 2 and batch else None
            plan.append(ledger.PlannedMove(pid, qty, MoveKind.COUNT_GAIN if qty > 0 else MoveKind.COUNT_LOSS,
                                           ledger.DocRef("count", 1, "PD1", len(plan)), batch_id=bid,
                                           value=value if qty > 0 else None))
        with one.db.write() as uow:
            ses = uow.session
            for m in plan:
                p = ses.get(Product, m.product_id)
                b = ses.get(Batch, m.batch_id) if m.batch_id else None
                if m.qty > 0:
                    ledger.receive(ses, p, m.qty, m.kind, m.ref, value=m.value, batch=b, settle=False)
                else:
                    ledger.issue(ses, p, -m.qty, m.kind, m.ref, batch=b)
            # write_many makes up negative batches once per product after all rows: do the same.
            last_ref = {m.product_id: m.ref for m in plan if m.qty > 0 and m.batch_id is not None}
            for pid, ref in sorted(last_ref.items()):
                p = ses.get(Product, pid)
                if p.tracks_batches:
                    ledger.settle_negative_batches(ses, p, ref)
            uow.commit()
        with bulk.db.write() as uow:
            ledger.write_many(uow.session, plan)
            uow.commit()
        assert _moves(one) == _moves(bulk)
        for s in (one, bulk):
            with s.db.read() as uow:
                assert ledger.reconcile(uow.session) == []
        assert [one.catalog.get(i).avg_cost for i in (1, 2, 3)] == [bulk.catalog.get(i).avg_cost for i in (1, 2, 3)]
    finally:
        one.db.dispose()
        bulk.db.dispose()

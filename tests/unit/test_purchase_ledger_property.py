"""Property: random purchases, returns, reversals and sales keep the ledger invariants of
DESIGN.md §4 — caches equal the moves, value is conserved to the fen per document, an empty shelf
holds no value, and the quantity on hand is what the documents say."""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.models import Batch, Product, StockMove
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import InsufficientStockError, StateError
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import (
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
    SupplierInput,
)
from jxc_desktop.services.stock import ledger
from tests.unit.purchase_fixtures import record_sale

T0 = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
DAY = date(2026, 6, 1)

qty_st = st.integers(1, 40).map(lambda n: n * 250)  # quarter units: loose goods too
purchase = st.tuples(st.just("buy"), st.integers(0, 2), qty_st, st.integers(0, 999), st.integers(0, 2))
ret = st.tuples(st.just("return"), st.integers(0, 50), qty_st)
free_ret = st.tuples(st.just("free_return"), st.integers(0, 2), qty_st)
reverse = st.tuples(st.just("reverse"), st.integers(0, 50))
sale = st.tuples(st.just("sell"), st.integers(0, 2), qty_st)
ops_st = st.lists(st.one_of(purchase, purchase, ret, free_ret, reverse, sale, sale), min_size=1, max_size=12)


@pytest.fixture(scope="module")
def template(tmp_path_factory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("tpl") / "tpl.sqlite3"
    migrate(path)
    db = Database.for_file(path)
    s = Services(db)
    s.suppliers.add(SupplierInput("供应商"))
    s.catalog.create_product(ProductInput(name="散装大米", unit="kg", ref_cost=500))
    s.catalog.create_product(ProductInput(name="牛奶", ref_cost=300, tracks_batches=True, shelf_life_days=30))
    s.catalog.create_product(ProductInput(name="可乐", ref_cost=250))
    s.settings.update({"negative_stock": "allow"})
    db.dispose()
    return path


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=ops_st, policy=st.sampled_from(["allow", "block", "warn"]))
def test_random_documents_keep_the_books(template, ops, policy) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "db.sqlite3"
        shutil.copy(template, path)
        db = Database.for_file(path)
        try:
            run(db, ops, policy)
        finally:
            db.dispose()


def run(db: Database, ops, policy: str) -> None:  # type: ignore[no-untyped-def]
    s = Services(db)
    s.settings.update({"negative_stock": policy})
    pids = [p.id for p in s.catalog.search("散装大米") + s.catalog.search("牛奶") + s.catalog.search("可乐")]
    sid = s.suppliers.list()[0].id
    expected: dict[int, int] = defaultdict(int)
    notes: list[int] = []
    sale_costs: dict[int, int] = {}
    at = T0
    for op in ops:
        at += timedelta(minutes=7)
        kind = op[0]
        try:
            if kind == "buy":
                _, i, qty, cost, b = op
                pid = pids[i]
                line = LineInput(pid, qty, cost, batch_no=f"B{b}" if i == 1 else "",
                                 expiry_date=DAY + timedelta(days=10 * (b + 1)) if i == 1 else None)
                note = s.purchasing.post(NoteInput(sid, (line,)), at=at)
                notes.append(note.id)
                expected[pid] += qty
            elif kind == "return" and notes:
                note = s.purchasing.get(notes[op[1] % len(notes)])
                if note.is_return or note.status != "posted":
                    continue
                ln = note.lines[0]
                qty = min(op[2], ln.returnable_qty)
                if qty <= 0:
                    continue
                r = s.purchasing.post_return(ReturnInput(None, (ReturnLineInput(ln.product_id, qty, ln.id),),
                                                         origin_id=note.id), at=at, confirmed=True)
                notes.append(r.id)
                expected[ln.product_id] -= qty
            elif kind == "free_return":
                pid = pids[op[1]]
                r = s.purchasing.post_return(ReturnInput(sid, (ReturnLineInput(pid, op[2]),)), at=at,
                                             confirmed=True)
                notes.append(r.id)
                expected[pid] -= op[2]
            elif kind == "reverse" and notes:
                note = s.purchasing.get(notes[op[1] % len(notes)])
                if note.status != "posted":
                    continue
                before = batch_qtys(db)
                s.purchasing.reverse(note.id, at=at, confirmed=True)
                no_new_negative_batch(db, before)
                for ln in note.lines:
                    expected[ln.product_id] += -ln.qty if not note.is_return else ln.qty
            elif kind == "sell":
                pid = pids[op[1]]
                with db.read() as uow:
                    on_hand = uow.session.get(Product, pid).stock_qty  # type: ignore[union-attr]
                if policy != "allow" and on_hand < op[2]:
                    continue  # the till would refuse or ask; the helper does not
                sale_costs[len(sale_costs)] = record_sale(db, pid, op[2], DAY)
                expected[pid] -= op[2]
        except (InsufficientStockError, StateError):
            # refused as a whole, nothing written (a return against a note too: its goods may be gone)
            assert kind in ("reverse", "free_return", "return")
    check_books(db, s, pids, expected, notes, sale_costs)


def batch_qtys(db) -> dict[int, tuple[int, int]]:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        return {b.id: (b.product_id, b.qty) for b in uow.session.scalars(select(Batch))}


def no_new_negative_batch(db, before: dict[int, tuple[int, int]]) -> None:  # type: ignore[no-untyped-def]
    """A reversal leaves no batch (more) negative while its product still has stock (finding 5)."""
    with db.read() as uow:
        for bid, (pid, qty) in batch_qtys(db).items():
            if qty < 0 and uow.session.get(Product, pid).stock_qty >= 0:  # type: ignore[union-attr]
                assert qty >= before.get(bid, (pid, 0))[1], f"batch {bid} went to {qty} with stock on hand"


def check_books(db, s, pids, expected, notes, sale_costs) -> None:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        ss = uow.session
        assert ledger.reconcile(ss) == []
        for pid in pids:
            p = ss.get(Product, pid)
            assert p.stock_qty == expected[pid]
            if p.stock_qty == 0:
                assert p.stock_value == 0, "an empty shelf holds no value"
            if p.stock_qty > 0:
                assert p.stock_value >= 0
            batchless = ss.scalar(select(func.count(StockMove.id)).where(
                StockMove.product_id == pid, StockMove.batch_id.is_(None), StockMove.qty != 0,
                StockMove.kind != "opening"))
            if p.tracks_batches and not batchless:  # batch-less only past what the batches hold
                batch_sum = ss.scalar(select(func.coalesce(func.sum(Batch.qty), 0)).where(Batch.product_id == pid))
                assert batch_sum == p.stock_qty
        total_value = ss.scalar(select(func.coalesce(func.sum(StockMove.value), 0))) or 0
        assert total_value == sum(ss.get(Product, pid).stock_value for pid in pids)
        for nid in notes:
            note = s.purchasing.get(nid)
            forward = ss.scalar(select(func.coalesce(func.sum(StockMove.value), 0)).where(
                StockMove.doc_type == "purchase", StockMove.doc_id == nid, StockMove.note == "",
                StockMove.kind != "revaluation")) or 0
            # Each document's own moves carry exactly its total (returns take value out).
            assert forward == (-note.total if note.is_return else note.total)
            assert note.total == sum(ln.amount for ln in note.lines)
        sale_moves = ss.scalar(select(func.coalesce(func.sum(StockMove.value), 0)).where(
            StockMove.doc_type == "sale", StockMove.kind != "cost_fix")) or 0  # (corrections: their own flow)
        assert sale_moves == -sum(sale_costs.values())
        # The purchase report's net is the ledger's purchase flow (re-bases are the sales' cost).
        flow = ss.scalar(select(func.coalesce(func.sum(StockMove.value), 0)).where(
            StockMove.doc_type == "purchase", StockMove.note != "re-based after negative stock")) or 0
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    for by in ("supplier", "product"):
        assert s.reports.purchases(year, by).total.net == flow

"""Helpers of the PostgreSQL race and kill tests: tills as real processes (fork: each opens its own
connections), and the checks every race ends with — the ledger replayed serially, numbers unique
and gap-free per kind and day, every sale whole."""

from __future__ import annotations

import multiprocessing as mp
import os
import traceback
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from jxc_desktop.db.models import Payment, Product, Purchase, Sale, SaleLine, StockCount, StockMove
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import costing
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety.books_check import run_check
from jxc_desktop.services.stock import ledger

# How many times each race runs: JXC_RACE_REPEAT=50 for the issue's fifty.
REPEAT = int(os.environ.get("JXC_RACE_REPEAT", "5"))
TIMEOUT = 120.0

Till = Callable[[Services, int], Any]  # (the till's services, its index) -> a picklable result


def _till(url: str, till: Till, index: int, barrier: Any, results: Any) -> None:
    db = Database.for_server(url)
    try:
        services = Services(db)
        barrier.wait(timeout=TIMEOUT)
        results.put((index, "ok", till(services, index)))
    except Exception as exc:  # reported to the test, which fails on it
        results.put((index, "crash", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
    finally:
        db.dispose()


def run_tills(db: Database, tills: list[Till]) -> list[Any]:
    """Run each till in its own process, all released at one barrier; their results in order.
    The parent's pooled connections are closed first: a forked child must not share them."""
    db.dispose()
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(len(tills))
    results = ctx.Queue()
    procs = [ctx.Process(target=_till, args=(db.url, till, i, barrier, results)) for i, till in enumerate(tills)]
    for p in procs:
        p.start()
    got: dict[int, Any] = {}
    for _ in procs:
        index, status, value = results.get(timeout=TIMEOUT)
        assert status == "ok", f"till {index} crashed: {value}"
        got[index] = value
    for p in procs:
        p.join(timeout=TIMEOUT)
        assert p.exitcode == 0, f"a till process ended with {p.exitcode}"
    return [got[i] for i in range(len(tills))]


def replay(db: Database, product_id: int) -> costing.Position:
    """The product's moves in ledger order through the moving-average rules, one at a time (the
    serial recomputation): each move's balance must follow from the one before, each sale must have
    gone out at the average of that moment, and the cache must be the end. A lost update (two tills
    reading the same position) breaks the chain."""
    with db.read() as uow:
        s = uow.session
        moves = list(s.scalars(select(StockMove).where(StockMove.product_id == product_id).order_by(StockMove.id)))
        product = s.get(Product, product_id)
        assert product is not None
        pos = costing.Position(0, 0, 0)
        for m in moves:
            if m.qty > 0:
                change = costing.receive(pos, m.qty, m.value)
            elif m.qty < 0 and m.kind == str(MoveKind.SALE):
                change = costing.issue(pos, -m.qty)
                assert change.value == m.value, f"move {m.id}: sold at {m.value}, the average then gives {change.value}"
            elif m.qty < 0:
                change = costing.issue(pos, -m.qty, -m.value)
            else:
                change = costing.revalue(pos, m.value)
            assert change.revaluation == 0, "the races keep stock out of the negative-stock corrections"
            pos = change.after
            assert (pos.qty, pos.value) == (m.balance_qty, m.balance_value), f"move {m.id} does not chain"
        assert (product.stock_qty, product.stock_value, product.avg_cost) == (pos.qty, pos.value, pos.avg_cost)
        return pos


def assert_numbers_gap_free(db: Database) -> dict[str, int]:
    """Every document number unique, and per kind and day 1, 2, … n (a rolled-back till leaves no
    hole). Returns how many numbers each prefix has."""
    with db.read() as uow:
        s = uow.session
        numbers = list(s.scalars(select(Sale.number))) + list(s.scalars(
            select(Purchase.number).where(Purchase.status != "draft"))) + list(s.scalars(select(StockCount.number)))
    assert len(numbers) == len(set(numbers)), "a number was given twice"
    groups: dict[str, list[int]] = defaultdict(list)
    for n in numbers:
        head, _, tail = n.partition("-")
        groups[head].append(int(tail))
    for head, seq in groups.items():
        assert sorted(seq) == list(range(1, len(seq) + 1)), f"{head}: numbers have a gap: {sorted(seq)}"
    out: dict[str, int] = defaultdict(int)
    for head, seq in groups.items():
        out[head[:2]] += len(seq)
    return dict(out)


def assert_books_whole(db: Database) -> None:
    """The ledger reconciles; every sale has lines, payments and one stock move set per line whose
    value is the line's cost (nothing half-written); the books check (`jxc check`) is clean."""
    report = run_check(db, full=False)
    assert report.ok, report.problems
    with db.read() as uow:
        s = uow.session
        assert ledger.reconcile(s) == []
        sales = s.execute(select(Sale.id, Sale.kind, Sale.cost)).all()
        lines = dict(s.execute(select(SaleLine.sale_id, func.count()).group_by(SaleLine.sale_id)).all())
        pays = dict(s.execute(select(Payment.sale_id, func.count()).group_by(Payment.sale_id)).all())
        moved = dict(s.execute(select(StockMove.doc_id, func.sum(StockMove.value)).where(
            StockMove.doc_type == "sale", StockMove.qty != 0).group_by(StockMove.doc_id)).all())
        for sid, kind, cost in sales:
            assert lines.get(sid) and pays.get(sid), f"sale {sid} without lines or payments"
            assert moved.get(sid) == (-cost if kind == "sale" else cost), f"sale {sid}: moves do not match its cost"

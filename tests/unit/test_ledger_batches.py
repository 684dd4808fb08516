"""Batches stay equal to what is on the shelf: loose stock is used before a batch goes below
zero, and goods received into a batch make up batches sold below zero."""

from __future__ import annotations

from sqlalchemy import func, select

from jxc_desktop.db.models import Batch, Product, StockMove
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.stock import ledger


def _batches(db, pid: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        return {b.batch_no: b.qty for b in uow.session.scalars(select(Batch).where(Batch.product_id == pid))}


def _receive(db, pid: int, qty: int, batch_no: str | None, value: int) -> None:  # type: ignore[no-untyped-def]
    with db.write() as uow:
        s = uow.session
        p = s.get(Product, pid)
        b = None
        if batch_no:
            b = s.scalar(select(Batch).where(Batch.product_id == pid, Batch.batch_no == batch_no))
            if b is None:
                b = Batch(product_id=pid, batch_no=batch_no, qty=0)
                s.add(b)
                s.flush()
        ledger.receive(s, p, qty, MoveKind.PURCHASE, ledger.DocRef("purchase", 1, "CG1"), value=value, batch=b)
        uow.commit()


def _sell(db, pid: int, qty: int) -> list[tuple[int | None, int]]:  # type: ignore[no-untyped-def]
    with db.write() as uow:
        s = uow.session
        moves = ledger.issue_fefo(s, s.get(Product, pid), qty, MoveKind.SALE, ledger.DocRef("sale", 1, "XS1"))
        out = [(m.batch_id, m.qty) for m in moves]
        uow.commit()
    return out


def _reconciled(db) -> None:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        assert ledger.reconcile(uow.session) == []


def test_opening_stock_of_a_tracked_product_gets_its_own_batch(services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("纯牛奶", 500, 300, 10, tracks_batches=True, shelf_life_days=30)
    assert _batches(services.db, p.id) == {"期初": 10_000}
    _reconciled(services.db)


def test_loose_stock_is_taken_before_a_batch_goes_negative(services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("酸奶", 500, 300, 0)  # not tracked while the loose stock arrives
    _receive(services.db, p.id, 10_000, None, 3000)
    with services.db.write() as uow:
        uow.session.get(Product, p.id).tracks_batches = True
        uow.commit()
    _receive(services.db, p.id, 5_000, "B1", 1500)
    moves = _sell(services.db, p.id, 12_000)
    assert [q for _, q in moves] == [-5_000, -7_000]
    assert moves[1][0] is None  # from the loose stock, not pushing B1 below zero
    assert _batches(services.db, p.id) == {"B1": 0}
    _reconciled(services.db)


def test_receipt_makes_up_a_batch_sold_below_zero(services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("面包", 800, 500, 0, tracks_batches=True, shelf_life_days=5)
    _receive(services.db, p.id, 3_000, "B1", 1500)
    _sell(services.db, p.id, 5_000)
    assert _batches(services.db, p.id) == {"B1": -2_000}
    _receive(services.db, p.id, 10_000, "B2", 5000)
    assert _batches(services.db, p.id) == {"B1": 0, "B2": 8_000}
    with services.db.read() as uow:
        s = uow.session
        product = s.get(Product, p.id)
        assert product.stock_qty == 8_000
        adjust = s.execute(select(func.sum(StockMove.qty), func.sum(StockMove.value))
                           .where(StockMove.product_id == p.id, StockMove.kind == "adjust")).one()
        assert tuple(adjust) == (0, 0)  # transfers between batches move no value
    _reconciled(services.db)

"""Stock held in no batch is one rule (stock/batches.py): the ledger's issue, a count's opening, its
recording (now and at a past moment) and its posting all see the same batch-less quantity."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from jxc_desktop.db.models import Batch, Product, StockCountLine
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.stock import ledger
from jxc_desktop.services.stock.batches import unbatched, unbatched_qty
from jxc_desktop.services.stock.count_book import book_now_bulk, book_qty_at


def test_the_rule() -> None:
    assert unbatched(10_000, ()) == 10_000
    assert unbatched(10_000, (3_000, 5_000)) == 2_000
    assert unbatched(1_000, (3_000, -1_000)) == -1_000  # a batch sold below zero counts too


def _loose_then_batch(services, make_product) -> int:  # type: ignore[no-untyped-def]
    """10 units received without a batch, then 4 into batch B1: 10 in no batch."""
    p = make_product("酸奶", 500, 300, 0)
    with services.db.write() as uow:
        s = uow.session
        product = s.get(Product, p.id)
        ledger.receive(s, product, 10_000, MoveKind.PURCHASE, ledger.DocRef("purchase", 1, "CG1"), value=3000)
        product.tracks_batches = True
        batch = Batch(product_id=p.id, batch_no="B1", qty=0)
        s.add(batch)
        s.flush()
        ledger.receive(s, product, 4_000, MoveKind.PURCHASE, ledger.DocRef("purchase", 2, "CG2"), value=1200,
                       batch=batch)
        uow.commit()
    return p.id


def test_every_caller_sees_the_same_batchless_stock(services, make_product) -> None:  # type: ignore[no-untyped-def]
    pid = _loose_then_batch(services, make_product)
    with services.db.read() as uow:
        assert unbatched_qty(uow.session, uow.session.get(Product, pid)) == 10_000
    count = services.stock_count.open()
    lines = services.stock_count.lines_of_product(count.id, pid)
    assert sorted((ln.batch_no, ln.book_qty) for ln in lines) == [("", 10_000), ("B1", 4_000)]
    loose = next(ln for ln in lines if ln.batch_id is None)
    with services.db.read() as uow:
        s = uow.session
        line = s.get(StockCountLine, loose.id)
        assert book_qty_at(s, line, None) == 10_000
        assert book_qty_at(s, line, utcnow() + timedelta(seconds=1)) == 10_000
        assert book_now_bulk(s, [(loose.id, pid, None)]) == {loose.id: 10_000}
        assert s.scalar(select(Batch.qty).where(Batch.product_id == pid)) == 4_000

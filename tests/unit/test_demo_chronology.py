"""``jxc demo`` writes its history in time order (balances run in id order and ``balance_at``
looks them up by time), so past balances and the demo count's book quantities are right; and a
count opened in the past takes the book as of then."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jxc_desktop.db.models import Batch, Product, StockCount, StockCountLine, StockMove
from jxc_desktop.demo.shop import fill_demo
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.safety.books_check import run_check
from jxc_desktop.services.stock import ledger
from jxc_desktop.services.stock.count_docs import open_count


@pytest.mark.parametrize("seed", [3, 11])
def test_demo_moves_and_count_follow_the_clock(services, fill_as_demo, demo_today, seed: int) -> None:  # type: ignore[no-untyped-def]
    fill_as_demo(lambda shop: fill_demo(shop, products=150, days=10, seed=seed, today=demo_today))
    report = run_check(services.db)
    assert report.ok, report.problems
    with services.db.read() as uow:
        s = uow.session
        moves = s.execute(select(StockMove.product_id, StockMove.id, StockMove.created_at, StockMove.qty,
                                 StockMove.batch_id).order_by(StockMove.product_id, StockMove.id)).all()
        backwards = [(b.product_id, b.id) for a, b in zip(moves, moves[1:], strict=False)
                     if a.product_id == b.product_id and b.created_at < a.created_at]
        assert backwards == []
        assert {m.product_id for m in moves if m.qty < 0} and any(m.batch_id for m in moves)

        count = s.scalar(select(StockCount).where(StockCount.status == "posted"))
        assert count is not None
        opened = count.created_at
        lines = list(s.scalars(select(StockCountLine).where(StockCountLine.count_id == count.id)))
        counted_by = max(line.counted_at for line in lines if line.counted_at)
        # Counted before the shop's first move after opening: the book stood still meanwhile.
        assert not s.scalar(select(func.count()).where(StockMove.created_at > opened,
                                                       StockMove.created_at <= counted_by,
                                                       StockMove.doc_type != "count"))
        tracked = {pid for (pid,) in s.execute(select(Product.id).where(Product.tracks_batches.is_(True)))}
        before = [m for m in moves if m.created_at <= opened]
        for line in lines:
            mine = [m for m in before if m.product_id == line.product_id]
            if line.batch_id is not None:
                book = sum(m.qty for m in mine if m.batch_id == line.batch_id)
            elif line.product_id in tracked:
                book = sum(m.qty for m in mine if m.batch_id is None or
                           m.batch_id not in {ln.batch_id for ln in lines if ln.product_id == line.product_id})
            else:
                book = sum(m.qty for m in mine)
            assert line.book_qty == book == line.expected_qty, line.id
            # What the hook meant (counted against the book it saw) is what got posted.
            assert line.counted_qty is not None
            assert line.diff_qty == line.counted_qty - line.book_qty, line.id
        assert any(line.diff_qty for line in lines)
        posted = s.scalars(select(StockMove.qty).where(StockMove.doc_type == "count", StockMove.doc_id == count.id))
        assert sorted(posted) == sorted(line.diff_qty for line in lines if line.diff_qty)


def test_count_opened_in_the_past_holds_the_book_of_then(services, make_product) -> None:  # type: ignore[no-untyped-def]
    plain = make_product("散装大米", 500, 300, 0, unit="kg")
    food = make_product("酸奶", 600, 400, 0, tracks_batches=True, shelf_life_days=20)
    t0 = utcnow() - timedelta(days=3)
    with services.db.write() as uow:
        s = uow.session
        p, f = s.get(Product, plain.id), s.get(Product, food.id)
        early, late = Batch(product_id=f.id, batch_no="A1", qty=0), Batch(product_id=f.id, batch_no="B2", qty=0)
        s.add_all([early, late])
        s.flush()
        ref = ledger.DocRef("adjust")
        ledger.receive(s, p, 10 * MILLI, MoveKind.PURCHASE, ref, value=3000, at=t0)
        ledger.receive(s, f, 6 * MILLI, MoveKind.PURCHASE, ref, value=2400, batch=early, at=t0)
        ledger.issue(s, p, 4 * MILLI, MoveKind.SALE, ref, at=t0 + timedelta(days=1))
        ledger.issue(s, f, 6 * MILLI, MoveKind.SALE, ref, batch=early, at=t0 + timedelta(days=1))
        ledger.receive(s, f, 5 * MILLI, MoveKind.PURCHASE, ref, value=2000, batch=late, at=t0 + timedelta(days=2))
        early_id, late_id = early.id, late.id
        uow.commit()

    def books(at):  # type: ignore[no-untyped-def]
        with services.db.write() as uow:
            count = open_count(uow.session, note="x", at=at)
            uow.session.flush()
            rows = {(ln.product_id, ln.batch_id): ln.book_qty for ln in count.lines}
            # not committed: the write block rolls back, so the next count does not clash
        return rows

    assert books(t0 + timedelta(hours=12)) == {(plain.id, None): 10 * MILLI, (food.id, early_id): 6 * MILLI}
    assert books(t0 + timedelta(days=1, hours=12)) == {(plain.id, None): 6 * MILLI, (food.id, None): 0}
    now = {(plain.id, None): 6 * MILLI, (food.id, late_id): 5 * MILLI}
    assert books(None) == now == books(utcnow())

"""Reversals (红冲) agree with the ledger (issue 14, findings 3 and 5): the note's value leaves, what
the shelf cannot bear is one visible correction, the purchase report shows the note, its reversal
and the correction with net = the ledger's purchase flow, and no batch goes below zero while the
product has stock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from jxc_desktop.db.models import Batch, Product, StockMove
from jxc_desktop.domain.clock import local_day
from jxc_desktop.domain.periods import Period
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.stock import ledger
from tests.unit.purchase_fixtures import record_sale

AT = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
DAY = local_day(AT)
WHOLE = Period(date(2026, 1, 1), date(2026, 12, 31))


def position(db, pid: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        p = uow.session.get(Product, pid)
        return p.stock_qty, p.stock_value


def purchase_flow(db) -> int:  # type: ignore[no-untyped-def]
    """Σ values of the moves of purchase documents (re-bases after negative stock are the sales' cost)."""
    with db.read() as uow:
        return int(uow.session.scalar(select(func.coalesce(func.sum(StockMove.value), 0)).where(
            StockMove.doc_type == "purchase", StockMove.note != "re-based after negative stock")) or 0)


def corrections(db, pid: int) -> list[tuple[str, int, str, str]]:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        return [(m.kind, m.value, m.doc_number, m.note) for m in uow.session.scalars(
            select(StockMove).where(StockMove.product_id == pid, StockMove.qty == 0,
                                    StockMove.doc_type == "purchase").order_by(StockMove.id))]


def no_problems(db) -> None:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        assert ledger.reconcile(uow.session) == []


def test_the_issue_example_leaves_one_unit_at_the_cost_of_the_receipt_that_remains(services, make_product,
                                                                                   db) -> None:
    sup = services.suppliers.add(SupplierInput("甲供应商"))
    p = make_product("保温杯", 3000, 1000)
    buy = services.purchasing
    first = buy.post(NoteInput(sup.id, (LineInput(p.id, 2_000, 10_000),)), at=AT)  # 2 @ 100.00
    buy.post(NoteInput(sup.id, (LineInput(p.id, 10_000, 100),)), at=AT + timedelta(minutes=5))  # 10 @ 1.00
    assert record_sale(db, p.id, 9_000, DAY) == 15_750  # 9 of 12 at the average 17.50
    buy.reverse(first.id, at=AT + timedelta(hours=8), confirmed=True)
    with db.read() as uow:
        out = uow.session.scalar(select(StockMove.value).where(
            StockMove.doc_id == first.id, StockMove.doc_type == "purchase", StockMove.qty < 0))
    assert out == -20_000  # the note's value, not what the shelf held
    assert position(db, p.id) == (1_000, 100)  # the one unit left at the 1.00 of the note that stands
    [(kind, value, number, note)] = corrections(db, p.id)
    assert (kind, value, number) == ("revaluation", 100 - (5_250 - 20_000), first.number)
    assert first.number in note and note != "re-based after negative stock"
    assert purchase_flow(db) == 15_850 == 20_000 + 1_000 - 20_000 + 14_850
    for by in ("supplier", "product"):
        rep = services.reports.purchases(WHOLE, by)
        t = rep.total
        assert (t.purchases, t.returns, t.reversals, t.corrections, t.net) == (21_000, 0, 20_000, 14_850, 15_850)
        assert (t.notes, t.reversed_notes, t.qty_in, t.qty_reversed) == (2, 1, 12_000, 2_000)
        assert sum(r.net for r in rep.rows) == purchase_flow(db)
    # the books: what came in less the cost of what was sold is what the shelf holds
    assert purchase_flow(db) - 15_750 == position(db, p.id)[1]
    no_problems(db)


def test_a_reversal_the_shelf_bears_needs_no_correction(services, make_product, db) -> None:
    sup = services.suppliers.add(SupplierInput("乙"))
    p = make_product("毛巾", 1500, 500, 10)  # 10 @ 5.00
    note = services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 4_000, 800),)), at=AT)  # avg 5.857
    record_sale(db, p.id, 2_000, DAY)
    services.purchasing.reverse(note.id, at=AT + timedelta(hours=8))
    assert corrections(db, p.id) == []
    qty, value = position(db, p.id)
    assert qty == 8_000 and value == 8_200 - 1_171 - 3_200  # 82.00 − cost of 2 − the note's 32.00
    no_problems(db)


def test_an_emptied_shelf_holds_nothing_and_below_zero_stands_at_the_last_average(services, make_product,
                                                                                 db) -> None:
    sup = services.suppliers.add(SupplierInput("丙"))
    a = make_product("甲", 500, 100)
    services.purchasing.post(NoteInput(sup.id, (LineInput(a.id, 10_000, 100),)), at=AT)
    second = services.purchasing.post(NoteInput(sup.id, (LineInput(a.id, 10_000, 200),)), at=AT)  # 20 @ 1.50
    record_sale(db, a.id, 10_000, DAY)  # 15.00 out, 10 left worth 15.00
    services.purchasing.reverse(second.id, at=AT + timedelta(hours=8), confirmed=True)  # 20.00 out
    assert position(db, a.id) == (0, 0)
    assert [c[1] for c in corrections(db, a.id)] == [500]
    b = make_product("乙", 500, 100, 10)  # 10 @ 1.00
    services.settings.update({"negative_stock": "allow"})
    note = services.purchasing.post(NoteInput(sup.id, (LineInput(b.id, 10_000, 300),)), at=AT)  # 20 @ 2.00
    record_sale(db, b.id, 16_000, DAY)  # 4 left worth 8.00
    services.purchasing.reverse(note.id, at=AT + timedelta(hours=8))  # 30.00 out: −6 units
    assert position(db, b.id) == (-6_000, -1_200)  # at the last average 2.00, as a sale beyond stock
    assert [c[1] for c in corrections(db, b.id)] == [-1_200 - (800 - 3_000)]
    no_problems(db)


def test_a_sold_batch_hands_its_shortfall_to_the_batches_holding_stock(services, make_product, db) -> None:
    sup = services.suppliers.add(SupplierInput("丁"))
    milk = make_product("牛奶", 600, 300, tracks_batches=True, shelf_life_days=30)
    soon = services.purchasing.post(NoteInput(sup.id, (LineInput(milk.id, 5_000, 300, batch_no="A",
                                                                 expiry_date=DAY + timedelta(days=5)),)), at=AT)
    services.purchasing.post(NoteInput(sup.id, (LineInput(milk.id, 8_000, 300, batch_no="B",
                                                          expiry_date=DAY + timedelta(days=20)),)), at=AT)
    record_sale(db, milk.id, 6_000, DAY)  # FEFO: A 5 and B 1 → A 0, B 7
    services.settings.update({"negative_stock": "warn"})
    services.purchasing.reverse(soon.id, at=AT + timedelta(hours=8), confirmed=True)
    with db.read() as uow:
        batches = {b.batch_no: b.qty for b in uow.session.scalars(select(Batch).where(Batch.product_id == milk.id))}
        notes = [m.note for m in uow.session.scalars(select(StockMove).where(
            StockMove.doc_id == soon.id, StockMove.doc_type == "purchase", StockMove.qty < 0))]
    assert batches == {"A": 0, "B": 2_000}
    assert position(db, milk.id) == (2_000, 600)
    assert any("A" in n and "B" in n for n in notes)  # the move says why it came out of batch B
    # beyond what the product holds, only the excess goes below zero (from the note's batch)
    late = services.purchasing.post(NoteInput(sup.id, (LineInput(milk.id, 3_000, 300, batch_no="C",
                                                                 expiry_date=DAY + timedelta(days=25)),)), at=AT)
    record_sale(db, milk.id, 4_000, DAY)  # B 2, C 2 → B 0, C 1
    services.purchasing.reverse(late.id, at=AT + timedelta(hours=9), confirmed=True)  # 3 out of 1 on hand
    with db.read() as uow:
        batches = {b.batch_no: b.qty for b in uow.session.scalars(select(Batch).where(Batch.product_id == milk.id))}
    assert position(db, milk.id)[0] == -2_000
    assert batches == {"A": 0, "B": 0, "C": -2_000}
    no_problems(db)

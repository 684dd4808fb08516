"""Issue 14, findings 1 and 2: a refill of stock sold below zero corrects the cost of the sale
lines that took it below zero (cost_fix moves linked to those lines), profit counts the
corrections on the day they were booked, and a return of a corrected line comes back at its
corrected cost."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from jxc_desktop.db.models import Product, StockMove
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.periods import Period
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.sales.dto import ReturnItem, SaleDTO, Tender
from jxc_desktop.services.stock import ledger

DEC = Period(date(2026, 12, 1), date(2026, 12, 31))


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour).astimezone()


def sell(services: Services, pid: int, units: int, price: int, when: datetime) -> SaleDTO:
    co = services.checkout
    cart = Cart((co.line_for_product(pid, units * 1000),))
    return co.post_sale(cart, [Tender("cash", units * price)], confirmed=True, at=when)


def buy(services: Services, pid: int, units: int, cost: int, when: datetime) -> None:
    sup = services.suppliers.add(SupplierInput(name=f"供应商{when.isoformat()}")).id
    services.purchasing.post(NoteInput(sup, (LineInput(pid, units * 1000, cost),)), at=when, confirmed=True)


def shelf(services: Services, pid: int) -> tuple[int, int]:
    with services.db.read() as uow:
        p = uow.session.get(Product, pid)
        assert p is not None
        assert ledger.reconcile(uow.session) == []
        return p.stock_qty, p.stock_value


def fixes(services: Services, pid: int) -> list[StockMove]:
    with services.db.read() as uow:
        rows = list(uow.session.scalars(select(StockMove).where(
            StockMove.product_id == pid, StockMove.kind == MoveKind.COST_FIX).order_by(StockMove.id)))
        uow.session.expunge_all()
        return rows


@pytest.fixture
def services_neg(services: Services) -> Services:
    services.settings.update({"negative_stock": "allow"})
    return services


def test_example_1_refill_corrects_the_sale_line_and_profit(services_neg: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    services = services_neg
    p = make_product("杯子", 5000, 1000, 0)
    sale = sell(services, p.id, 10, 5000, at(3, 10))
    assert sale.lines[0].cost == 10000
    buy(services, p.id, 10, 3000, at(4, 9))
    assert shelf(services, p.id) == (0, 0)
    [fix] = fixes(services, p.id)
    assert (fix.qty, fix.value, fix.doc_type, fix.doc_id, fix.doc_line_id, fix.doc_number) == (
        0, -20000, "sale", sale.id, sale.lines[0].id, sale.number)
    assert fix.note == "CG20261204-0001 补货更正"  # names the purchase note
    rep = services.reports.profit(DEC, "day")
    assert rep.total.cogs == 10000 and rep.total.corrections == 20000
    assert rep.total.net_profit == rep.total.net_sales - 30000 == 50000 - 30000
    by_day = {r.key: r for r in rep.rows}
    assert by_day["2026-12-03"].corrections == 0 and by_day["2026-12-04"].corrections == 20000
    assert by_day["2026-12-04"].net_profit == -20000
    for by in ("week", "month", "product", "category"):
        r = services.reports.profit(DEC, by)
        assert r.total.corrections == 20000 and r.total.net_profit == 20000
        assert sum(row.corrections for row in r.rows) == 20000


def test_example_2_return_of_a_corrected_line_comes_back_at_its_corrected_cost(services_neg: Services,
                                                                                  make_product) -> None:  # type: ignore[no-untyped-def]
    services = services_neg
    p = make_product("铅笔", 300, 100, 0)
    sale = sell(services, p.id, 10, 300, at(3, 10))
    buy(services, p.id, 10, 200, at(4, 9))
    assert shelf(services, p.id) == (0, 0)
    services.checkout.post_return(sale.number, [ReturnItem(sale.lines[0].id, 10000)], method="cash", at=at(5, 9))
    assert shelf(services, p.id) == (10000, 2000)
    rep = services.reports.profit(DEC, "month").total
    assert (rep.cogs, rep.corrections, rep.net_profit) == (1000 - 2000, 1000, 0)


def test_partial_refill_keeps_the_missing_units_at_their_old_cost(services_neg: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    services = services_neg
    p = make_product("碗", 3000, 1500, 0)
    first = sell(services, p.id, 4, 3000, at(3, 10))
    second = sell(services, p.id, 6, 3000, at(3, 11))
    assert shelf(services, p.id) == (-10000, -15000)
    buy(services, p.id, 5, 3000, at(4, 9))
    assert shelf(services, p.id) == (-5000, -7500)
    got = [(f.doc_id, f.value) for f in fixes(services, p.id)]
    assert got == [(first.id, -6000), (second.id, -1500)]  # 4 then 1 of 6 filled at +15.00 each
    buy(services, p.id, 5, 2000, at(5, 9))  # the last 5 (of the second sale) at 20.00
    assert shelf(services, p.id) == (0, 0)
    assert [(f.doc_id, f.value) for f in fixes(services, p.id)][2:] == [(second.id, -2500)]
    assert services.reports.profit(DEC, "product").total.corrections == 10000  # 250.00 paid − 150.00 booked


def test_a_receipt_onto_stock_on_hand_writes_no_correction(services_neg: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    services = services_neg
    p = make_product("盘子", 3000, 1500, 2)
    sell(services, p.id, 1, 3000, at(3, 10))
    buy(services, p.id, 5, 3000, at(4, 9))
    assert fixes(services, p.id) == []
    assert services.reports.profit(DEC, "day").total.corrections == 0


def test_write_many_books_the_same_corrections_as_one_move_at_a_time(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    """The bulk path (purchase notes, count postings) keeps the hole in memory between its rows:
    issue below zero, partly refill, issue again, refill fully — one call vs. one move at a time."""
    a, b = make_product("甲", 500, 1000, 1), make_product("乙", 500, 1000, 1)

    def ref(n: int) -> ledger.DocRef:
        return ledger.DocRef("sale", n, f"XS{n}", 100 + n)

    steps = [(-4000, ref(1), None), (2000, ledger.DocRef("purchase", 7, "CG7", 70), 5000),
             (-3000, ref(2), None), (9000, ledger.DocRef("purchase", 8, "CG8", 80), 27000)]
    with services.db.write() as uow:
        s = uow.session
        ledger.write_many(s, [ledger.PlannedMove(a.id, q, MoveKind.PURCHASE if q > 0 else MoveKind.SALE, r, value=v)
                              for q, r, v in steps])
        pb = s.get(Product, b.id)
        assert pb is not None
        for q, r, v in steps:
            if q > 0:
                ledger.receive(s, pb, q, MoveKind.PURCHASE, r, value=v)
            else:
                ledger.issue(s, pb, -q, MoveKind.SALE, r)
        uow.commit()
    with services.db.read() as uow:
        def rows(pid: int) -> list[tuple[object, ...]]:
            return [(m.kind, m.qty, m.value, m.doc_type, m.doc_id, m.doc_line_id, m.doc_number, m.balance_qty,
                     m.balance_value, m.note) for m in uow.session.scalars(
                select(StockMove).where(StockMove.product_id == pid).order_by(StockMove.id))]
        assert rows(a.id)[1:] == rows(b.id)[1:]  # (after each one's opening move)
        fix_rows = [r for r in rows(a.id) if r[0] == MoveKind.COST_FIX]
        # 1 on hand at 10.00, 3 of XS1 below zero at 10.00; 2 @ 25.00 fill 2 of them (+15.00 each);
        # XS2 takes 3 more at 25.00 (the last receipt's cost); 9 @ 30.00 fill XS1's last one and XS2's 3
        assert [(r[4], r[2]) for r in fix_rows] == [(1, -3000), (1, -2000), (2, -1500)]
        assert ledger.reconcile(uow.session) == []
        pa = uow.session.get(Product, a.id)
        assert pa is not None and (pa.stock_qty, pa.stock_value) == (5000, 15000)


def test_batch_tracked_refill_corrects_once_per_line(services_neg: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    """Sold across two batches and beyond; the refill into a batch makes up the batches (zero-value
    batch offsets, which are no issue) and books one correction for the line."""
    services = services_neg
    p = make_product("酸奶", 800, 400, 0, tracks_batches=True, shelf_life_days=30)
    sup = services.suppliers.add(SupplierInput(name="乳品供应商")).id
    services.purchasing.post(NoteInput(sup, (LineInput(p.id, 1000, 400, batch_no="B1", expiry_date=date(2026, 12, 20)),
                                             LineInput(p.id, 1000, 400, batch_no="B2", expiry_date=date(2026, 12, 28)))),
                             at=at(1, 9), confirmed=True)
    sale = sell(services, p.id, 5, 800, at(2, 10))  # 2 on hand + 3 below zero at 4.00
    services.purchasing.post(NoteInput(sup, (LineInput(p.id, 4000, 600, batch_no="B3",
                                                       expiry_date=date(2027, 1, 5)),)), at=at(3, 9), confirmed=True)
    [fix] = fixes(services, p.id)
    assert (fix.doc_line_id, fix.value) == (sale.lines[0].id, -600)  # 3 × (6.00 − 4.00)
    assert shelf(services, p.id) == (1000, 600)
    with services.db.read() as uow:
        assert uow.session.scalar(select(func.count()).select_from(StockMove).where(
            StockMove.product_id == p.id, StockMove.note == "batch offset")) > 0


def test_write_many_moves_at_their_own_moments(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    """Many sales loaded in one call (services/sales/bulk_post.py): each move, and a correction it
    causes, is written at its own moment; the product's last move moment is its last move's."""
    a, b = make_product("甲", 500, 1000, 1), make_product("乙", 500, 1000, 1)
    moves = [ledger.PlannedMove(a.id, -2000, MoveKind.SALE, ledger.DocRef("sale", 1, "XS1", 101), at=at(3, 9)),
             ledger.PlannedMove(b.id, -1000, MoveKind.SALE, ledger.DocRef("sale", 2, "XS2", 102), at=at(3, 10)),
             ledger.PlannedMove(a.id, 3000, MoveKind.PURCHASE, ledger.DocRef("purchase", 7, "CG7", 70), value=6000,
                                at=at(4, 8)),
             ledger.PlannedMove(b.id, -500, MoveKind.SALE, ledger.DocRef("sale", 3, "XS3", 103))]
    with services.db.write() as uow:
        ledger.write_many(uow.session, moves, at=at(5, 12))
        uow.commit()
    with services.db.read() as uow:
        s = uow.session
        got = [(m.product_id, m.kind, m.created_at) for m in s.scalars(
            select(StockMove).where(StockMove.doc_type != "opening").order_by(StockMove.id))]
        pa, pb = s.get(Product, a.id), s.get(Product, b.id)
        assert pa is not None and pb is not None
        last = (pa.last_move_at, pb.last_move_at)
    moment = {(a.id, MoveKind.SALE): at(3, 9), (b.id, MoveKind.SALE): None, (a.id, MoveKind.PURCHASE): at(4, 8),
              (a.id, MoveKind.COST_FIX): at(4, 8)}
    for pid, kind, created in got:
        if pid == a.id:  # the refill's correction of XS1's line is booked at the refill
            assert created.astimezone() == moment[(pid, kind)], (kind, created)
    assert [c.astimezone() for p, _k, c in got if p == b.id] == [at(3, 10), at(5, 12)]  # the last: the call's
    assert MoveKind.COST_FIX in {k for p, k, _c in got if p == a.id}
    assert (last[0].astimezone(), last[1].astimezone()) == (at(4, 8), at(5, 12))

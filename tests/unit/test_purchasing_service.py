"""Purchasing: posting, batches, prefilled costs, reversals and returns, on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from jxc_desktop.db.models import AuditLog, Batch, Product, Purchase, PurchaseLine, StockMove
from jxc_desktop.domain.clock import local_day
from jxc_desktop.domain.errors import InsufficientStockError, NotFoundError, StateError, ValidationError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.purchasing.dto import (
    ConfirmationNeeded,
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
    SupplierInput,
)
from jxc_desktop.services.stock import ledger

AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


@pytest.fixture
def sup(services):  # type: ignore[no-untyped-def]
    return services.suppliers.add(SupplierInput("康师傅经销部", phone="0571-8888"))


def moves(db, pid):  # type: ignore[no-untyped-def]
    with db.read() as uow:
        return [(m.kind, m.qty, m.value, m.batch_id) for m in uow.session.scalars(
            select(StockMove).where(StockMove.product_id == pid).order_by(StockMove.id))]


def product(db, pid) -> Product:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        p = uow.session.get(Product, pid)
        uow.session.expunge(p)
        return p


def no_problems(db) -> None:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        assert ledger.reconcile(uow.session) == []


def test_post_moves_average_and_last_cost(services, make_product, sup, db) -> None:
    p = make_product("方便面", 450, 300, qty=10)  # 10 @ 3.00 = 30.00
    note = services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 20_000, 360),), note="周一到货"), at=AT)
    assert note.number == f"CG{local_day(AT):%Y%m%d}-0001"
    assert note.status == "posted" and note.total == 7200 and note.supplier_name == "康师傅经销部"
    after = product(db, p.id)
    assert (after.stock_qty, after.stock_value) == (30_000, 3000 + 7200)
    assert after.avg_cost == 340  # (30 + 72) / 30
    assert after.last_cost == 360 and after.last_supplier_id == sup.id
    assert moves(db, p.id)[-1] == ("purchase", 20_000, 7200, None)
    assert services.purchasing.default_cost(p.id, sup.id) == 360
    other = services.suppliers.add(SupplierInput("另一家"))
    assert services.purchasing.default_cost(p.id, other.id) == 300  # the reference cost
    q = make_product("火腿肠", 200, 120)
    assert services.purchasing.default_costs([p.id, q.id], sup.id) == {p.id: 360, q.id: 120}
    assert services.purchasing.default_costs([p.id], None) == {p.id: 300}
    assert services.suppliers.get(sup.id).last_purchase_date == local_day(AT)
    no_problems(db)


def test_batches_created_reused_and_expiry_from_shelf_life(services, make_product, sup, db) -> None:
    milk = make_product("鲜牛奶", 600, 400, tracks_batches=True, shelf_life_days=30)
    day = local_day(AT)
    prod = day - timedelta(days=2)
    services.purchasing.post(NoteInput(sup.id, (
        LineInput(milk.id, 12_000, 400, batch_no="B1", production_date=prod),
        LineInput(milk.id, 6_000, 410, batch_no="B2", expiry_date=day + timedelta(days=10)),
    )), at=AT)
    services.purchasing.post(NoteInput(sup.id, (LineInput(milk.id, 3_000, 400, batch_no="B1"),)), at=AT)
    with db.read() as uow:
        batches = {b.batch_no: (b.qty, b.production_date, b.expiry_date)
                   for b in uow.session.scalars(select(Batch).where(Batch.product_id == milk.id))}
    assert batches == {"B1": (15_000, prod, prod + timedelta(days=30)),
                       "B2": (6_000, None, day + timedelta(days=10))}
    no_problems(db)


def test_batch_tracked_without_batch_is_refused(services, make_product, sup, db) -> None:
    milk = make_product("酸奶", 600, 400, tracks_batches=True)
    with pytest.raises(ValidationError, match="batch number"):
        services.purchasing.post(NoteInput(sup.id, (LineInput(milk.id, 1000, 400),)), at=AT)
    assert services.purchasing.note_count() == 0
    assert moves(db, milk.id) == []


def test_doubtful_expiry_needs_confirmation(services, make_product, sup, db) -> None:
    milk = make_product("奶酪", 600, 400, tracks_batches=True)
    day = local_day(AT)
    bad = (LineInput(milk.id, 1000, 400, batch_no="X", production_date=day - timedelta(days=1),
                     expiry_date=day - timedelta(days=5)),)
    with pytest.raises(ConfirmationNeeded, match="before production") as err:
        services.purchasing.post(NoteInput(sup.id, bad), at=AT)
    assert err.value.needs_confirmation
    past = (LineInput(milk.id, 1000, 400, batch_no="Y", expiry_date=day - timedelta(days=1)),)
    with pytest.raises(ConfirmationNeeded, match="already past"):
        services.purchasing.post(NoteInput(sup.id, past), at=AT)
    assert moves(db, milk.id) == []
    note = services.purchasing.post(NoteInput(sup.id, past), at=AT, confirmed=True)
    assert note.status == "posted" and product(db, milk.id).stock_qty == 1000


@pytest.mark.parametrize(("qty", "cost", "match"), [
    (0, 100, "greater than zero"), (-1000, 100, "greater than zero"), (1000, -1, "must not be negative")])
def test_bad_lines_post_nothing(services, make_product, sup, db, qty, cost, match) -> None:
    p = make_product("可乐", 300, 200)
    with pytest.raises(ValidationError, match=match):
        services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, qty, cost),)), at=AT)
    with db.read() as uow:
        assert uow.session.scalar(select(func.count(Purchase.id))) == 0
    assert moves(db, p.id) == []


def test_unknown_supplier_product_and_future_date(services, make_product, sup) -> None:
    p = make_product("雪碧", 300, 200)
    with pytest.raises(ValidationError, match="supplier"):
        services.purchasing.post(NoteInput(None, (LineInput(p.id, 1000, 1),)), at=AT)
    with pytest.raises(NotFoundError):
        services.purchasing.post(NoteInput(999, (LineInput(p.id, 1000, 1),)), at=AT)
    with pytest.raises(NotFoundError):
        services.purchasing.post(NoteInput(sup.id, (LineInput(12345, 1000, 1),)), at=AT)
    with pytest.raises(ValidationError, match="future"):
        services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 1000, 1),), doc_date=date(2099, 1, 1)), at=AT)
    with pytest.raises(ValidationError, match="no lines"):
        services.purchasing.post(NoteInput(sup.id, ()), at=AT)


def test_draft_survives_and_posts(services, make_product, sup, db) -> None:
    p = make_product("饼干", 500, 250, tracks_batches=True)
    draft = services.purchasing.save_draft(NoteInput(sup.id, (LineInput(p.id, 5000, 250),), note="草稿"), at=AT)
    assert draft.is_draft and draft.number == f"DRAFT-{draft.id:08d}" and draft.total == 1250
    # A fresh service on the same file (a restart) still sees it.
    from jxc_desktop.db.uow import Database
    from jxc_desktop.services.hub import Services

    again = Services(Database.open(db.path or db.url))
    assert [d.id for d in again.purchasing.drafts()] == [draft.id]
    with pytest.raises(ValidationError, match="batch number"):
        again.purchasing.post_draft(draft.id, at=AT)
    again.purchasing.save_draft(NoteInput(sup.id, (LineInput(p.id, 5000, 260, batch_no="L1"),)),
                                draft_id=draft.id, at=AT)
    posted = again.purchasing.post_draft(draft.id, at=AT)
    assert posted.id == draft.id and posted.number.startswith("CG") and posted.total == 1300
    assert again.purchasing.drafts() == []
    with pytest.raises(StateError):
        again.purchasing.delete_draft(draft.id)
    again.db.dispose()


def test_reversal_writes_opposite_moves(services, make_product, sup, db) -> None:
    p = make_product("矿泉水", 200, 100, qty=5)
    note = services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 10_000, 130),)), at=AT)
    rev = services.purchasing.reverse(note.id, at=AT + timedelta(hours=1))
    assert rev.status == "reversed" and rev.reversed_at is not None
    after = product(db, p.id)
    assert (after.stock_qty, after.stock_value) == (5_000, 500)
    assert moves(db, p.id)[-1] == ("purchase", -10_000, -1300, None)
    with pytest.raises(StateError):
        services.purchasing.reverse(note.id, at=AT)
    with db.read() as uow:
        assert uow.session.scalar(select(AuditLog.document).where(AuditLog.action == "reversal")) == note.number
    no_problems(db)


def _sell(db, pid, qty, at):  # type: ignore[no-untyped-def]
    with db.write() as uow:
        prod = uow.session.get(Product, pid)
        ledger.issue_fefo(uow.session, prod, qty, MoveKind.SALE, ledger.DocRef("sale"), at=at)
        uow.commit()


def test_reversal_refused_when_goods_sold_under_block(services, make_product, sup, db) -> None:
    p = make_product("洗衣粉", 1500, 1000)
    note = services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 10_000, 1000),)), at=AT)
    _sell(db, p.id, 4_000, AT + timedelta(hours=1))
    services.settings.update({"negative_stock": "block"})
    before = moves(db, p.id)
    with pytest.raises(InsufficientStockError, match="Not enough stock"):
        services.purchasing.reverse(note.id, at=AT + timedelta(hours=2))
    assert moves(db, p.id) == before and services.purchasing.get(note.id).status == "posted"
    services.settings.update({"negative_stock": "warn"})
    with pytest.raises(InsufficientStockError) as err:
        services.purchasing.reverse(note.id, at=AT + timedelta(hours=2))
    assert err.value.needs_confirmation
    services.purchasing.reverse(note.id, at=AT + timedelta(hours=2), confirmed=True)
    assert product(db, p.id).stock_qty == -4_000
    no_problems(db)


def test_return_from_purchase_at_current_average(services, make_product, sup, db) -> None:
    p = make_product("食用油", 6000, 4000, qty=10)  # 10 @ 40.00
    note = services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 10_000, 5000),)), at=AT)  # avg 45.00
    line = note.lines[0]
    ret = services.purchasing.post_return(ReturnInput(None, (ReturnLineInput(p.id, 3_000, line.id),),
                                                      origin_id=note.id), at=AT)
    assert ret.number.startswith("CT") and ret.kind == "return" and ret.supplier_id == sup.id
    assert ret.total == 13_500 and ret.lines[0].unit_cost == 4500 and ret.origin_number == note.number
    assert moves(db, p.id)[-1] == ("purchase_return", -3_000, -13_500, None)
    assert services.purchasing.get(note.id).lines[0].returnable_qty == 7_000
    with pytest.raises(ValidationError, match="at most 7"):
        services.purchasing.post_return(ReturnInput(None, (ReturnLineInput(p.id, 8_000, line.id),),
                                                    origin_id=note.id), at=AT)
    with pytest.raises(StateError, match="returns"):
        services.purchasing.reverse(note.id, at=AT)
    services.purchasing.reverse(ret.id, at=AT)  # the return undone: value comes back exactly
    after = product(db, p.id)
    assert (after.stock_qty, after.stock_value) == (20_000, 90_000)
    assert services.purchasing.get(note.id).lines[0].returnable_qty == 10_000
    services.purchasing.reverse(note.id, at=AT)
    after = product(db, p.id)
    assert (after.stock_qty, after.stock_value) == (10_000, 40_000)
    no_problems(db)


def test_free_standing_return_fefo_and_block(services, make_product, sup, db) -> None:
    p = make_product("面包", 800, 500, tracks_batches=True)
    day = local_day(AT)
    services.purchasing.post(NoteInput(sup.id, (
        LineInput(p.id, 4_000, 500, batch_no="LATE", expiry_date=day + timedelta(days=9)),
        LineInput(p.id, 4_000, 500, batch_no="SOON", expiry_date=day + timedelta(days=3)),
    )), at=AT)
    ret = services.purchasing.post_return(ReturnInput(sup.id, (ReturnLineInput(p.id, 3_000),)), at=AT)
    assert ret.lines[0].batch_no == "SOON" and ret.total == 1500
    services.settings.update({"negative_stock": "block"})
    with pytest.raises(InsufficientStockError):
        services.purchasing.post_return(ReturnInput(sup.id, (ReturnLineInput(p.id, 2_000, batch_no="SOON"),)),
                                        at=AT)
    with pytest.raises(NotFoundError):
        services.purchasing.post_return(ReturnInput(sup.id, (ReturnLineInput(p.id, 1_000, batch_no="NOPE"),)),
                                        at=AT)
    with db.read() as uow:
        assert uow.session.scalar(select(func.count(PurchaseLine.id))) == 3
        assert {b.batch_no: b.qty for b in uow.session.scalars(select(Batch))} == {"LATE": 4_000, "SOON": 1_000}
    no_problems(db)


def test_history_filters(services, make_product, sup) -> None:
    other = services.suppliers.add(SupplierInput("百货批发"))
    p = make_product("牙刷", 500, 200)
    a = services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 1000, 200),)), at=AT - timedelta(days=3))
    b = services.purchasing.post(NoteInput(other.id, (LineInput(p.id, 2000, 210),)), at=AT)
    services.purchasing.save_draft(NoteInput(sup.id, (LineInput(p.id, 1000, 200),)), at=AT)
    assert [n.number for n in services.purchasing.history()] == [b.number, a.number]
    assert [n.id for n in services.purchasing.history(supplier_id=sup.id)] == [a.id]
    assert [n.id for n in services.purchasing.history(first=local_day(AT))] == [b.id]
    assert services.purchasing.history(text=b.number[-4:])[0].line_count == 1
    assert services.purchasing.get_by_number(a.number.lower()).id == a.id
    assert {k: v.name for k, v in services.purchasing.products([p.id, p.id]).items()} == {p.id: "牙刷"}
    with pytest.raises(NotFoundError):
        services.purchasing.get_by_number("CG19990101-0001")


def test_demo_hook_writes_deliveries_price_changes_and_a_return(services, db, demo_today) -> None:
    import random

    from jxc_desktop.demo.purchases import demo_purchase_day
    from jxc_desktop.demo.shop import fill_demo

    fill_demo(services, products=40, days=0, seed=3, today=demo_today)  # the shop only; this hook alone replays 15 days
    rng = random.Random(3)
    for k in range(15, 0, -1):
        demo_purchase_day(services, demo_today - timedelta(days=k), rng)
    notes = services.purchasing.history()
    assert sum(n.kind == "purchase" for n in notes) >= 5
    assert [n.kind for n in notes].count("return") == 1
    with db.read() as uow:
        costs = uow.session.execute(select(PurchaseLine.product_id, func.count(func.distinct(PurchaseLine.unit_cost)))
                                    .group_by(PurchaseLine.product_id)).all()
    assert any(n > 1 for _pid, n in costs) or any(
        services.catalog.get(pid).last_cost != services.catalog.get(pid).ref_cost for pid, _n in costs)
    no_problems(db)

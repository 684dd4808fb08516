"""Stock counts on a real SQLite file: open, scan/type, sell in the middle, post, batches, imports."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from jxc_desktop.db.models import AuditLog, Batch, Product, StockMove
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import NotFoundError, StateError, ValidationError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.services.stock import ledger
from jxc_desktop.services.stock.dto import (
    BatchRequiredError,
    CountImportRejected,
    LineFilter,
    NotInCountError,
)


def sell(services, product_id: int, qty_units: int) -> None:  # type: ignore[no-untyped-def]
    """A real sale through the checkout service (cart, tenders, stock moves in one transaction)."""
    line = replace(services.checkout.line_for_product(product_id), qty=qty_units * 1000)
    cart = Cart(lines=(line,))
    total = services.checkout.price(cart).total
    services.checkout.post_sale(cart, [Tender("cash", total)], confirmed=True)


def moves(services, kinds=("count_gain", "count_loss")):  # type: ignore[no-untyped-def]
    with services.db.read() as uow:
        return [(m.product_id, m.batch_id, m.kind, m.qty, m.value) for m in uow.session.scalars(
            select(StockMove).where(StockMove.kind.in_(kinds)).order_by(StockMove.id))]


def reconcile(services) -> list:  # type: ignore[no-untyped-def]
    with services.db.read() as uow:
        return ledger.reconcile(uow.session)


def test_count_while_selling_posts_only_physical_differences(services, make_product) -> None:
    cola = make_product("可乐", 300, 200, 10, barcode="6901234567892", category="饮料")
    bread = make_product("面包", 500, 300, 5, category="食品")
    tea = make_product("绿茶", 400, 250, 8, category="饮料")
    sc = services.stock_count
    count = sc.open()
    assert count.lines == 3 and count.number.startswith("PD")
    lines = {ln.product_id: ln for ln in sc.lines(count.id)}
    assert lines[cola.id].book_qty == 10_000 and lines[cola.id].counted_qty is None

    # Cola: 9 on the shelf (one missing), counted by 9 scans; then 3 sold after counting.
    for _ in range(9):
        line = sc.scan(count.id, "6901234567892")
    assert line.counted_qty == 9_000 and line.expected_qty == 10_000
    sell(services, cola.id, 3)
    # Bread: 2 sold *before* counting, then 4 counted by typing: 1 extra found.
    sell(services, bread.id, 2)
    sc.set_counted(count.id, lines[bread.id].id, 4_000)
    # Tea: not counted, kept.
    summary = sc.summary(count.id)
    assert (summary.counted, summary.uncounted) == (2, 1)
    assert (summary.gain_qty, summary.gain_value) == (1_000, 300)
    assert (summary.loss_qty, summary.loss_value) == (1_000, 200)
    diffs = {ln.product_id for ln in sc.lines(count.id, line_filter=LineFilter.DIFFERENCES)}
    assert diffs == {cola.id, bread.id}
    assert [ln.product_id for ln in sc.lines(count.id, line_filter=LineFilter.UNCOUNTED)] == [tea.id]

    result = sc.post(count.id)
    assert (result.gain_qty, result.loss_qty, result.gain_value, result.loss_value) == (1_000, 1_000, 300, 200)
    assert sorted(moves(services)) == sorted([(cola.id, None, "count_loss", -1_000, -200),
                                           (bread.id, None, "count_gain", 1_000, 300)])
    assert services.catalog.get(cola.id).stock_qty == 6_000  # 10 - 3 sold - 1 lost
    assert services.catalog.get(bread.id).stock_qty == 4_000  # 5 - 2 sold + 1 found
    assert services.catalog.get(tea.id).stock_qty == 8_000
    assert sc.get(count.id).status == "posted"
    assert reconcile(services) == []
    with services.db.read() as uow:  # the posting is in the audit trail, in the same transaction
        logged = [(a.action, a.document) for a in uow.session.scalars(select(AuditLog))]
    assert ("stock_count_posted", count.number) in logged
    with pytest.raises(StateError):
        sc.post(count.id)
    with pytest.raises(StateError):
        sc.scan(count.id, "6901234567892")


def test_pack_barcode_counts_its_multiplier(services) -> None:
    p = services.catalog.create_product(ProductInput(
        name="矿泉水", sale_price=200, ref_cost=100, barcodes=(("6901234567892", 1), ("16901234567899", 12))),
        opening_qty=30_000, opening_cost=100)
    count = services.stock_count.open()
    services.stock_count.scan(count.id, "16901234567899")
    line = services.stock_count.scan(count.id, "6901234567892")
    assert line.product_id == p.id and line.counted_qty == 13_000


def test_uncounted_zero_writes_off_and_keep_leaves(services, make_product) -> None:
    a = make_product("甲", 300, 200, 4)
    b = make_product("乙", 300, 150, 6)
    sc = services.stock_count
    count = sc.open()
    la = sc.lines_of_product(count.id, a.id)[0]
    sc.set_counted(count.id, la.id, 4_000)
    result = sc.post(count.id, uncounted="zero")
    assert result.zeroed == 1 and result.loss_qty == 6_000 and result.loss_value == 900
    assert services.catalog.get(b.id).stock_qty == 0
    assert services.catalog.get(b.id).stock_value == 0
    assert reconcile(services) == []
    with pytest.raises(ValidationError):
        services.stock_count.post(services.stock_count.open().id, uncounted="maybe")


def test_overlapping_open_counts_refused_and_cancel_frees(services, make_product) -> None:
    make_product("甲", category="饮料")
    make_product("乙", category="食品")
    cats = {c.name: c.id for c in services.catalog.categories()}
    sc = services.stock_count
    drinks = sc.open([cats["饮料"]])
    food = sc.open([cats["食品"]])  # different category: fine
    assert drinks.lines == food.lines == 1
    with pytest.raises(StateError):
        sc.open([cats["饮料"]])
    with pytest.raises(StateError):
        sc.open()  # all products overlaps both
    sc.cancel(drinks.id)
    again = sc.open([cats["饮料"]])
    assert again.lines == 1
    with pytest.raises(StateError):
        sc.cancel(drinks.id)


def test_scan_outside_scope_offers_to_add(services, make_product) -> None:
    make_product("甲", category="饮料")
    other = make_product("乙", category="食品", barcode="6920000000012")
    cats = {c.name: c.id for c in services.catalog.categories()}
    sc = services.stock_count
    count = sc.open([cats["饮料"]])
    with pytest.raises(NotInCountError) as info:
        sc.scan(count.id, "6920000000012")
    assert info.value.product_id == other.id
    with pytest.raises(NotFoundError):
        sc.scan(count.id, "6999999999997")
    sc.add_product(count.id, other.id)
    assert sc.scan(count.id, "6920000000012").counted_qty == 1_000
    with pytest.raises(ValidationError):
        sc.set_counted(count.id, sc.lines_of_product(count.id, other.id)[0].id, -1)


def _batch_product(services, make_product):  # type: ignore[no-untyped-def]
    p = make_product("牛奶", 600, 400, 0, barcode="6930000000011", tracks_batches=True, shelf_life_days=30)
    today = local_today()
    with services.db.write() as uow:
        s = uow.session
        prod = s.get(Product, p.id)
        for no, days, qty in (("B1", 5, 4), ("B2", 20, 6)):
            b = Batch(product_id=p.id, batch_no=no, expiry_date=today + timedelta(days=days), qty=0)
            s.add(b)
            s.flush()
            ledger.receive(s, prod, qty * 1000, MoveKind.PURCHASE, ledger.DocRef("purchase", None, "CG-t"),
                           value=qty * 400, batch=b)
        uow.commit()
    return p


def test_batch_count_per_batch_with_new_batch(services, make_product) -> None:
    p = _batch_product(services, make_product)
    sc = services.stock_count
    count = sc.open()
    lines = sc.lines_of_product(count.id, p.id)
    assert [(ln.batch_no, ln.book_qty) for ln in lines] == [("B1", 4_000), ("B2", 6_000)]
    with pytest.raises(BatchRequiredError):
        sc.scan(count.id, "6930000000011")
    sc.set_counted(count.id, lines[0].id, 3_000)  # B1: one missing
    sell(services, p.id, 2)  # FEFO takes 2 from B1 after it was counted
    sc.scan(count.id, "6930000000011", batch_id=lines[1].batch_id)
    sc.set_counted(count.id, lines[1].id, 6_000)  # B2 exact
    new = sc.add_batch(count.id, p.id, "B3", local_today() + timedelta(days=40))
    sc.set_counted(count.id, new.id, 2_000)  # an unknown batch found
    result = sc.post(count.id)
    got = sorted((b, k, q) for _pid, b, k, q, _v in moves(services))
    assert got == sorted([(lines[0].batch_id, "count_loss", -1_000), (new.batch_id, "count_gain", 2_000)])
    assert result.gain_qty == 2_000 and result.loss_qty == 1_000
    with services.db.read() as uow:
        qty = {b.batch_no: b.qty for b in uow.session.scalars(select(Batch).where(Batch.product_id == p.id))}
    assert qty == {"B1": 1_000, "B2": 6_000, "B3": 2_000}
    assert reconcile(services) == []


def test_resume_after_restart(services, make_product, db_path: Path) -> None:
    from jxc_desktop.db.uow import Database
    from jxc_desktop.services.hub import Services

    a = make_product("甲", qty=3)
    count = services.stock_count.open()
    services.stock_count.add(count.id, a.id, 2_500)
    services.db.dispose()
    again = Services(Database.for_file(db_path))
    try:
        opened = again.stock_count.list_counts(status="open")
        assert [c.number for c in opened] == [count.number]
        assert again.stock_count.lines_of_product(count.id, a.id)[0].counted_qty == 2_500
    finally:
        again.db.dispose()


def test_collector_import_good_adds_and_bad_changes_nothing(services, make_product, tmp_path: Path) -> None:
    a = make_product("甲", qty=5, barcode="6901234567892")
    b = make_product("乙", qty=2, barcode="6920000000012")
    sc = services.stock_count
    count = sc.open()
    sc.scan(count.id, "6901234567892")
    good = tmp_path / "pdj.csv"
    good.write_text("条码,数量\n6901234567892,3\n6920000000012,2.5\n6901234567892,1\n", encoding="utf-8")
    summary = sc.import_file(count.id, good)
    assert (summary.rows, summary.lines, summary.qty) == (3, 2, 6_500)
    assert sc.lines_of_product(count.id, a.id)[0].counted_qty == 5_000
    assert sc.lines_of_product(count.id, b.id)[0].counted_qty == 2_500

    bad = tmp_path / "bad.csv"
    bad.write_text("barcode,qty\n6901234567892,1\n6999999999997,1\n6920000000012,-2\n6920000000012,abc\n",
                   encoding="utf-8")
    with pytest.raises(CountImportRejected) as info:
        sc.import_file(count.id, bad)
    assert [e.row for e in info.value.errors] == [3, 4, 5]
    assert sc.lines_of_product(count.id, a.id)[0].counted_qty == 5_000  # nothing changed


def test_collector_file_without_header_and_xlsx(services, make_product, tmp_path: Path) -> None:
    from openpyxl import Workbook

    a = make_product("甲", qty=5, barcode="6901234567892")
    plain = tmp_path / "raw.csv"
    plain.write_text("6901234567892,2\n6901234567892,1\n", encoding="utf-8")
    count, summary = services.stock_count.open_and_import(plain)
    assert summary.qty == 3_000
    assert services.stock_count.lines_of_product(count.id, a.id)[0].counted_qty == 3_000
    services.stock_count.cancel(count.id)
    wb = Workbook()
    ws = wb.active
    ws.append(["barcode", "qty"])
    ws.append(["6901234567892", 4])
    xlsx = tmp_path / "c.xlsx"
    wb.save(xlsx)
    count2, _ = services.stock_count.open_and_import(xlsx)
    assert services.stock_count.lines_of_product(count2.id, a.id)[0].counted_qty == 4_000


def test_open_and_import_failure_leaves_no_count(services, make_product, tmp_path: Path) -> None:
    make_product("甲", qty=5, barcode="6901234567892")
    bad = tmp_path / "bad.csv"
    bad.write_text("barcode,qty\n6999999999997,1\n", encoding="utf-8")
    with pytest.raises(CountImportRejected):
        services.stock_count.open_and_import(bad)
    assert services.stock_count.list_counts() == []


def test_posted_lines_keep_the_cost_they_were_posted_at(services, make_product) -> None:
    a = make_product("甲", 300, 200, 5)
    sc = services.stock_count
    count = sc.open()
    sc.add(count.id, a.id, 4_000)
    sc.post(count.id)
    # the average changes later with a dearer purchase:
    with services.db.write() as uow:
        ledger.receive(uow.session, uow.session.get(Product, a.id), 4_000, MoveKind.PURCHASE,
                       ledger.DocRef("purchase"), value=4_000)
        uow.commit()
    line = sc.lines(count.id)[0]
    assert (line.diff_qty, line.diff_value, line.avg_cost) == (-1_000, -200, 200)
    assert services.catalog.get(a.id).avg_cost != 200

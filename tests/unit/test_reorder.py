"""Reorder suggestions on a scripted sales history: the expected quantities exactly."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.purchasing.reorder import suggested_qty
from tests.unit.purchase_fixtures import record_sales

TODAY = date(2026, 11, 25)
AT = datetime(2026, 10, 1, 4, 0, tzinfo=UTC)  # purchases happen before the sales window


@pytest.fixture
def shop(services, make_product, db):  # type: ignore[no-untyped-def]
    s1 = services.suppliers.add(SupplierInput("甲供应商"))
    s2 = services.suppliers.add(SupplierInput("乙供应商"))
    buy = services.purchasing.post
    a = make_product("甲商品", 500, 300)
    b = services.catalog.create_product(ProductInput(
        name="乙商品", sale_price=300, ref_cost=150, max_stock=50_000,
        barcodes=(("6901234567892", 1), ("16901234567899", 12))))
    c = make_product("丙商品", 500, 300, min_stock=20_000)
    d = make_product("丁商品", 500, 300)
    e = make_product("戊商品", 500, 300, qty=80)  # opening stock, never bought: no supplier
    f = make_product("己商品", 500, 300)
    g = make_product("庚商品", 500, 300, min_stock=20_000)
    buy(NoteInput(s1.id, (LineInput(a.id, 72_000, 310), LineInput(b.id, 33_000, 160),
                          LineInput(d.id, 58_000, 300), LineInput(f.id, 66_000, 300))), at=AT)
    buy(NoteInput(s2.id, (LineInput(c.id, 15_000, 280), LineInput(g.id, 1_000, 300))), at=AT)
    services.catalog.set_active(g.id, False)
    sales = []
    for k in range(8):  # 7 units every 3 days inside the 28-day window: 56
        day = TODAY - timedelta(days=1 + 3 * k)
        sales += [(a.id, 7_000, day, "sale", "posted"),
                  (f.id, 7_000, day, "sale", "reversed"),  # a reversed sale does not count
                  (e.id, 9_000, day, "sale", "posted"),
                  (e.id, 1_750, day, "return", "posted")]  # net 7.25 × 8 = 58
    sales.append((a.id, 3_000, TODAY, "sale", "posted"))  # today is not a full day yet
    sales.append((a.id, 3_000, TODAY - timedelta(days=29), "sale", "posted"))  # before the window
    for k in range(28):
        sales += [(b.id, 1_000, TODAY - timedelta(days=k + 1), "sale", "posted"),
                  (d.id, 1_000, TODAY - timedelta(days=k + 1), "sale", "posted")]
    record_sales(db, sales)
    return {"s1": s1, "s2": s2, "a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g}


def by_product(groups):  # type: ignore[no-untyped-def]
    return {ln.product_id: (g.supplier_id, ln.suggested_qty) for g in groups for ln in g.lines}


def test_scripted_history_gives_expected_quantities(services, shop) -> None:
    got = by_product(services.reorder.suggest(today=TODAY))
    # a: stock 10, 56 sold -> 14 for 7 days -> 4.  b: stock 5 < 7 needed; fills to max 50 in cases
    # of 12: 45 -> 48.  c: 15 below minimum 20 -> 5.  e: stock 80 - 58 = 22, 14.5 for 7 days: enough.
    # d: stock 30 >= 7.  f: reversed sales only.  g: deactivated.
    assert got == {shop["a"].id: (shop["s1"].id, 4_000), shop["b"].id: (shop["s1"].id, 48_000),
                   shop["c"].id: (shop["s2"].id, 5_000)}


def test_longer_cover_and_group_without_supplier(services, shop) -> None:
    services.settings.update({"reorder_cover_days": "28"})
    groups = services.reorder.suggest(today=TODAY)
    got = by_product(groups)
    # a: 56 for 28 days - 10 = 46.  d: 28 needed, 30 on hand: no.  e: 58 - 22 = 36, no supplier.
    assert got[shop["a"].id] == (shop["s1"].id, 46_000)
    assert got[shop["e"].id] == (None, 36_000)
    assert shop["d"].id not in got
    assert [g.supplier_name for g in groups] == ["甲供应商", "乙供应商", ""]
    line_a = next(ln for ln in groups[0].lines if ln.product_id == shop["a"].id)
    assert (line_a.sold_qty, line_a.daily_qty, line_a.unit_cost) == (56_000, 2_000, 310)
    only = services.reorder.suggest(today=TODAY, supplier_id=shop["s2"].id)
    assert [g.supplier_id for g in only] == [shop["s2"].id]


def test_draft_from_suggestion_posts_like_any_purchase(services, shop) -> None:
    groups = services.reorder.suggest(today=TODAY)
    draft = services.reorder.make_draft(groups[0])
    assert draft.is_draft and draft.supplier_id == shop["s1"].id
    assert [(ln.product_id, ln.qty, ln.unit_cost) for ln in draft.lines] == [
        (shop["a"].id, 4_000, 310), (shop["b"].id, 48_000, 160)]
    posted = services.purchasing.post_draft(draft.id)
    assert posted.status == "posted"
    assert services.catalog.get(shop["b"].id).stock_qty == 53_000
    assert shop["b"].id not in by_product(services.reorder.suggest(today=TODAY))
    with pytest.raises(ValidationError):
        services.reorder.suggest(today=TODAY, cover_days=0)


@pytest.mark.parametrize(("args", "expected"), [
    ((10_000, 0, 0, 56_000, 7, 1), 4_000),
    ((-3_000, 0, 0, 28_000, 7, 1), 10_000),  # negative stock is made good too
    ((10_000, 0, 0, 1_000, 7, 1), 0),
    ((0, 5_000, 0, 0, 7, 6), 6_000),  # below minimum, rounded up to a pack of 6
    ((4_500, 0, 0, 28_000, 7, 1), 3_000),  # 2.5 short -> 3 whole units
    ((60_000, 0, 50_000, 280_000, 7, 1), 0),  # above max already: nothing
])
def test_suggested_qty_rule(args, expected) -> None:
    assert suggested_qty(*args) == expected

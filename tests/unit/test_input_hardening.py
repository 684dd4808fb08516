"""Bad values reaching the services directly (not through a form): each gets a ValidationError
and changes nothing (DESIGN.md §2 integer fen / thousandths, §10 bad input)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from jxc_desktop.db.models import Batch, HeldSale, Purchase, Sale, SaleLine, Setting, StockMove
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.barcode import is_valid_gs1
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.scale_barcode import decode, parse_rules
from jxc_desktop.domain.tender import TenderStatus, settle, tender_status
from jxc_desktop.services.catalog import product_file_format as product_io
from jxc_desktop.services.purchasing.dto import (
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
    SupplierInput,
)
from jxc_desktop.services.purchasing.suppliers import validate_supplier
from jxc_desktop.services.safety.books_check import run_check
from jxc_desktop.services.sales import sale_settings
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.services.shop import api as shop_api

AT = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def stock(services, pid: int) -> int:  # type: ignore[no-untyped-def]
    return services.catalog.get(pid).stock_qty


# ---------------------------------------------------------------- 1. cart lines at posting and holding


@pytest.mark.parametrize("changes", [
    {"qty": 1.5}, {"qty": 1500.0}, {"qty": Decimal("1000")}, {"qty": True}, {"qty": "1000"},
    {"unit_price": 2.5}, {"unit_price": Decimal("250")}, {"unit_price": -1}, {"unit_price": c.MAX_UNIT_PRICE + 1},
    {"list_price": 2.5}, {"line_discount": 0.5}, {"fixed_amount": 99.5}, {"product_id": "1"},
])
def test_sale_refuses_bad_line_values(services, make_product, db, changes) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 10)
    line = replace(services.checkout.line_for_product(p.id), **changes)
    with pytest.raises(ValidationError):
        services.checkout.post_sale(Cart((line,)), [Tender("cash", 100_000)], confirmed=True)
    assert count(db, Sale) == 0 and count(db, SaleLine) == 0
    assert stock(services, p.id) == 10_000
    with pytest.raises(ValidationError):
        services.held_sales.hold(Cart((line,)), "bad")
    assert count(db, HeldSale) == 0


def test_sale_refuses_bad_whole_sale_discount(services, make_product, db) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 10)
    cart = Cart((services.checkout.line_for_product(p.id),), sale_discount=0.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="not an amount of money"):
        services.checkout.post_sale(cart, [Tender("cash", 350)])
    assert count(db, Sale) == 0


def test_cart_add_refuses_float_price(services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 10)
    with pytest.raises(ValidationError, match="not an amount of money"):
        c.add(Cart(), replace(services.checkout.line_for_product(p.id), unit_price=2.5))


def stored_type(db, col):  # type: ignore[no-untyped-def]
    """The type of the value as stored: SQLite's typeof; on a server the column's type (the same word)."""
    from sqlalchemy import String, cast

    return cast(func.pg_typeof(col), String) if db.on_server else func.typeof(col)


def test_good_sale_and_hold_still_work(services, make_product, db) -> None:  # type: ignore[no-untyped-def]
    p = make_product("散装花生", 1600, 900, 10)
    line = replace(services.checkout.line_for_product(p.id), qty=1250)  # 1.25 kg is 1250 thousandths
    sale = services.checkout.post_sale(Cart((line,)), [Tender("cash", 2000)])
    assert (sale.total, sale.change, sale.lines[0].qty) == (2000, 0, 1250)
    with db.read() as uow:
        assert uow.session.execute(select(stored_type(db, SaleLine.qty), stored_type(db, SaleLine.amount))).one() == (
            "integer", "integer")
    held = services.held_sales.hold(Cart((line,)), "张三")
    assert held.item_qty == 1250


# ---------------------------------------------------------------- 4. deactivated since it was held


def test_held_cart_cannot_sell_product_deactivated_since(services, make_product, db) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 10)
    held = services.held_sales.hold(Cart((services.checkout.line_for_product(p.id),)), "等一下")
    services.catalog.set_active(p.id, False)
    cart = services.held_sales.resume(held.id)
    with pytest.raises(ValidationError, match="可乐 is deactivated and cannot be sold"):
        services.checkout.post_sale(cart, [Tender("cash", 350)])
    assert count(db, Sale) == 0 and stock(services, p.id) == 10_000


# ---------------------------------------------------------------- 2. purchasing


@pytest.fixture
def sup(services):  # type: ignore[no-untyped-def]
    return services.suppliers.add(SupplierInput("统一食品"))


@pytest.mark.parametrize("line_changes, match", [
    ({"qty": True}, "not a whole number of thousandths"),
    ({"qty": 1.5}, "not a whole number of thousandths"),
    ({"qty": Decimal("1000")}, "not a whole number of thousandths"),
    ({"amount": 2.5}, "not a whole number of fen"),
    ({"amount": "3"}, "not a whole number of fen"),
    ({"amount": True}, "not a whole number of fen"),
    ({"unit_cost": 2.5}, "not a whole number of fen"),
    ({"unit_cost": "3"}, "not a whole number of fen"),
    ({"product_id": "1"}, "does not name a product"),
    ({"batch_no": 7}, "Batch number is not text"),
    ({"expiry_date": "2099-01-01"}, "is not a date"),
    ({"production_date": datetime(2026, 1, 1, tzinfo=UTC)}, "is not a date"),
])
def test_purchase_refuses_bad_types(services, make_product, sup, db, line_changes, match) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200)
    line = replace(LineInput(p.id, 10_000, 200), **line_changes)
    for call in (lambda: services.purchasing.post(NoteInput(sup.id, (line,)), at=AT),
                 lambda: services.purchasing.save_draft(NoteInput(sup.id, (line,)), at=AT)):
        with pytest.raises(ValidationError, match=match):
            call()
    assert count(db, Purchase) == 0 and count(db, StockMove) == 0


@pytest.mark.parametrize("doc_date", ["2026-11-01", datetime(2026, 11, 1, tzinfo=UTC), 20261101])
def test_purchase_refuses_doc_date_that_is_not_a_date(services, make_product, sup, db, doc_date) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200)
    with pytest.raises(ValidationError, match="is not a date"):
        services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 1000, 200),), doc_date=doc_date), at=AT)
    assert count(db, Purchase) == 0


def test_purchase_refuses_supplier_id_of_wrong_type(services, make_product, sup, db) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200)
    with pytest.raises(NotFoundError):
        services.purchasing.post(NoteInput(str(sup.id), (LineInput(p.id, 1000, 200),)), at=AT)  # type: ignore[arg-type]
    assert count(db, Purchase) == 0


def test_purchase_batch_no_none_is_empty(services, make_product, sup, db) -> None:  # type: ignore[no-untyped-def]
    plain = make_product("可乐", 350, 200)
    milk = make_product("鲜奶", 600, 400, tracks_batches=True, shelf_life_days=7)
    note = services.purchasing.post(NoteInput(sup.id, (LineInput(plain.id, 2000, 200, batch_no=None),)), at=AT)
    assert note.lines[0].batch_no == ""
    with pytest.raises(ValidationError, match="tracks batches: enter the batch number"):
        services.purchasing.post(NoteInput(sup.id, (LineInput(milk.id, 2000, 400, batch_no=None),)), at=AT)
    with db.read() as uow:
        assert uow.session.scalar(select(func.count()).where(Batch.batch_no == "None")) == 0
    draft = services.purchasing.save_draft(NoteInput(sup.id, (LineInput(milk.id, 2000, 400, batch_no=None),)), at=AT)
    assert draft.lines[0].batch_no == ""


def test_purchase_amount_stays_integer(services, make_product, sup, db) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200)
    services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 3000, 200, amount=601),)), at=AT)
    with db.read() as uow:
        assert uow.session.execute(select(stored_type(db, StockMove.value), stored_type(db, StockMove.balance_value))
                                   .where(StockMove.product_id == p.id)).one() == ("integer", "integer")
    assert services.catalog.get(p.id).stock_value == 601


@pytest.mark.parametrize("qty", [True, 1.5, "1000"])
def test_supplier_return_refuses_bad_qty(services, make_product, sup, db, qty) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 10)
    with pytest.raises(ValidationError):
        services.purchasing.post_return(ReturnInput(sup.id, (ReturnLineInput(p.id, qty),)), at=AT)
    assert count(db, Purchase) == 0 and stock(services, p.id) == 10_000


# ---------------------------------------------------------------- 3. stock count


@pytest.mark.parametrize("qty", [1.5, "5", True, Decimal("5")])
def test_set_counted_refuses_non_integers(services, make_product, qty) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 10)
    sc = services.stock_count
    count_ = sc.open()
    line = next(ln for ln in sc.lines(count_.id) if ln.product_id == p.id)
    with pytest.raises(ValidationError, match="Quantity is not a number"):
        sc.set_counted(count_.id, line.id, qty)
    with pytest.raises(ValidationError, match="Quantity is not a number"):
        sc.add(count_.id, p.id, qty)
    assert sc.line(count_.id, line.id).counted_qty is None
    assert sc.set_counted(count_.id, line.id, 9_500).counted_qty == 9_500


# ---------------------------------------------------------------- 5. non-ASCII digits


@pytest.mark.parametrize("digits", ["²", "٣", "１０"])
def test_non_ascii_digits_are_not_numbers(services, db, digits) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="not a percentage"):
        c.discount_from_text(digits + "%", 1000)
    with pytest.raises(ValidationError, match="not a whole number of days"):
        product_io._parse_field("shelf_life_days", digits)
    code = "2100001" + digits[0] + "00000"
    assert decode(code, parse_rules("21IIIIIWWWWWC;22IIIIIPPPPPC")) is None
    assert not is_valid_gs1("690123456789" + digits[0])
    with pytest.raises(ValidationError, match="Phone"):
        validate_supplier(SupplierInput("甲", phone="0571-" + digits))
    with db.write() as uow:  # a damaged setting falls back to the default instead of crashing
        uow.session.merge(Setting(key="max_line_discount_pct", value=digits))
        uow.commit()
    with db.read() as uow:
        expected = int(shop_api.DEFAULTS["max_line_discount_pct"])
        assert sale_settings.sale_rules(uow.session).limits.max_line_discount_pct == expected
    with pytest.raises(NotFoundError):
        services.checkout.line_for_scan(code)


# ---------------------------------------------------------------- 7. the pay figures come from one rule


def test_tender_status_matches_settle() -> None:
    assert tender_status(1000, [Tender("cash", 1500)]) == TenderStatus(1500, 0, 500)
    assert tender_status(1000, [Tender("wechat", 400), Tender("cash", 500)]) == TenderStatus(900, 100, 0)
    assert tender_status(1000, []) == TenderStatus(0, 1000, 0)
    with pytest.raises(ValidationError, match="more than the amount due"):
        tender_status(1000, [Tender("wechat", 1500)])
    with pytest.raises(ValidationError, match="more than the amount due"):
        settle(1000, [Tender("wechat", 1500)])
    _payments, paid, change = settle(1000, [Tender("wechat", 400), Tender("cash", 700)])
    assert (paid, change) == (1100, 100) == (tender_status(1000, [Tender("wechat", 400), Tender("cash", 700)]).paid,
                                            tender_status(1000, [Tender("wechat", 400), Tender("cash", 700)]).change)


# ---------------------------------------------------------------- 6. jxc check


def _raw(db_path, sql: str, *params: object) -> None:  # type: ignore[no-untyped-def]
    con = sqlite3.connect(db_path)
    con.execute(sql, params)
    con.commit()
    con.close()


def test_check_flags_non_integer_values(services, make_product, db, db_path) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 10)
    services.checkout.post_sale(Cart((services.checkout.line_for_product(p.id),)), [Tender("cash", 350)])
    assert run_check(db).ok
    _raw(db_path, "UPDATE sale_line SET unit_price = 350.5")
    report = run_check(db)
    bad = [pr for pr in report.problems if pr.kind == "type"]
    assert [pr.where for pr in bad] == ["sale_line"] and "unit_price = 350.5 (real)" in bad[0].detail


def test_check_flags_text_in_stock_move(services, make_product, db, db_path) -> None:  # type: ignore[no-untyped-def]
    make_product("可乐", 350, 200, 10)
    _raw(db_path, "UPDATE stock_move SET value = '3 yuan'")
    assert any(pr.kind == "type" and pr.where == "stock_move" and "'3 yuan' (text)" in pr.detail
               for pr in run_check(db).problems)


def test_check_flags_broken_balance_chain(services, make_product, db, db_path) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 10)
    for _ in range(3):
        services.checkout.post_sale(Cart((services.checkout.line_for_product(p.id),)), [Tender("cash", 350)])
    assert run_check(db).ok
    with db.read() as uow:
        ids = list(uow.session.scalars(select(StockMove.id).where(StockMove.product_id == p.id).order_by(StockMove.id)))
    assert len(ids) == 4
    # A middle move's balance off by one unit: the sums and the last balance still agree, only the chain breaks.
    _raw(db_path, "UPDATE stock_move SET balance_qty = balance_qty + 1000 WHERE id = ?", ids[1])
    chain = [pr for pr in run_check(db).problems if "previous balance" in pr.detail]
    assert len(chain) == 2  # the edited move and the one after it
    assert all(pr.where == p.code for pr in chain)
    assert f"move {ids[1]}:" in chain[0].detail and f"move {ids[2]}:" in chain[1].detail


def test_check_chain_starts_from_zero(services, make_product, db, db_path) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 10)
    _raw(db_path, "UPDATE stock_move SET balance_value = balance_value + 1 WHERE product_id = ?", p.id)
    _raw(db_path, "UPDATE product SET stock_value = stock_value + 1 WHERE id = ?", p.id)
    problems = run_check(db).problems
    assert any("previous balance (0, 0)" in pr.detail for pr in problems)


def test_purchase_date_type_checked_for_draft_posting(services, make_product, sup) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200)
    note = services.purchasing.save_draft(NoteInput(sup.id, (LineInput(p.id, 1000, 200),), doc_date=date(2026, 11, 1)),
                                          at=AT)
    assert services.purchasing.post_draft(note.id, at=AT).status == "posted"

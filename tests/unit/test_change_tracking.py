"""A committed write tells the database's listeners which kinds of data it changed: ORM, Core,
bulk and raw SQL alike; a rolled-back or failed one tells nothing; every table is mapped."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import insert, text

from jxc_desktop.db import models
from jxc_desktop.db.changes import TABLE_CHANGES, Change, changes_of, written_table
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.services.sales.dto import Tender


@pytest.fixture
def heard(db: Database) -> list[Change]:
    got: list[Change] = []
    db.on_change(got.append)
    return got


def test_every_table_is_mapped() -> None:
    assert set(models.Base.metadata.tables) <= set(TABLE_CHANGES)


def test_statements_name_their_table() -> None:
    assert written_table('INSERT INTO "product" (name) VALUES (?)') == "product"
    assert written_table("insert or replace into setting VALUES (1)") == "setting"
    assert written_table("  UPDATE stock_move SET qty=1") == "stock_move"
    assert written_table("DELETE FROM held_sale WHERE id=?") == "held_sale"
    assert written_table("UPDATE product SET stock_qty=?, avg_cost=?, updated_at=? WHERE product.id = ?") \
        == "product#ledger"  # a stock move's cache: stock, not the product
    assert written_table("UPDATE product SET name=?, updated_at=? WHERE product.id = ?") == "product"
    assert written_table("SELECT * FROM product") is None
    assert written_table("BEGIN IMMEDIATE") is None
    assert changes_of(["sale", "payment", "stock_move"]) == Change.SALES | Change.STOCK
    assert changes_of(["some_new_table"]) == Change.ALL  # forgotten: too much, never too little


def test_service_writes_announce_their_kinds(services, heard, make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", qty=5)
    assert heard[-1] & Change.PRODUCTS and heard[-1] & Change.STOCK
    line = services.checkout.line_for_product(cola.id)
    cart = Cart(lines=(line,))
    services.checkout.post_sale(cart, [Tender("cash", services.checkout.price(cart).total)])
    assert heard[-1] == Change.SALES | Change.STOCK  # not PRODUCTS: the product's stock cache only
    services.settings.update({"shop_name": "小店"})
    assert heard[-1] & Change.SETTINGS and not heard[-1] & Change.PRODUCTS
    n = len(heard)
    services.catalog.search("可乐")  # a read commits nothing
    services.catalog.count()
    assert len(heard) == n


def test_core_bulk_and_raw_sql_are_seen(db: Database, heard) -> None:  # type: ignore[no-untyped-def]
    with db.write() as uow:
        uow.session.execute(insert(models.Supplier), [{"name": "甲"}, {"name": "乙"}])
        uow.commit()
    assert heard == [Change.SUPPLIERS]
    with db.write() as uow:
        uow.session.execute(text("UPDATE category SET name = name WHERE 1 = 0"))
        uow.commit()
    assert heard[-1] == Change.PRODUCTS


def test_rollback_and_failure_announce_nothing(db: Database, heard) -> None:  # type: ignore[no-untyped-def]
    with db.write() as uow:
        uow.session.execute(insert(models.Supplier), [{"name": "丙"}])
        # left without commit: rolled back
    with pytest.raises(JxcError), db.write() as uow:
        uow.session.execute(insert(models.Supplier), [{"name": "丁"}])
        raise JxcError("stop")
    assert heard == []
    with db.write() as uow:  # the next commit does not carry the forgotten tables along
        uow.session.execute(text("UPDATE setting SET value = value WHERE 1 = 0"))
        uow.commit()
    assert heard == [Change.SETTINGS]


def test_listeners_hear_on_the_committing_thread(db: Database) -> None:
    threads: list[str] = []
    db.on_change(lambda _c: threads.append(threading.current_thread().name))

    def work() -> None:
        with db.write() as uow:
            uow.session.execute(insert(models.Supplier), [{"name": "戊"}])
            uow.commit()

    t = threading.Thread(target=work, name="worker")
    t.start()
    t.join()
    assert threads == ["worker"]
    db.remove_listener(db._listeners[0])
    db.announce(Change.ALL)
    assert threads == ["worker"]


def test_a_failing_listener_does_not_undo_a_committed_write(db: Database, heard) -> None:  # type: ignore[no-untyped-def]
    def broken(_changes: Change) -> None:
        raise RuntimeError("a window went away")

    db.on_change(broken)
    with db.write() as uow:
        uow.session.execute(insert(models.Supplier), [{"name": "己"}])
        uow.commit()  # no exception: the supplier is saved
    assert heard == [Change.SUPPLIERS]
    with db.read() as uow:
        assert uow.session.query(models.Supplier).filter_by(name="己").count() == 1

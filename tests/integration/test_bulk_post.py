"""The bulk sale path (services/sales/bulk_post.py) writes what the checkout service writes: the same
sales, lines, payments, ledger moves and product/batch caches as posting the same sales one by one
through ``CheckoutService.post_sale``, and the file passes ``jxc check``."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from jxc_desktop.db.uow import Database
from jxc_desktop.demo import catalog_data as demo_catalog
from jxc_desktop.domain.cart import Cart, CartLine
from jxc_desktop.domain.cart import price as price_cart
from jxc_desktop.domain.errors import InsufficientStockError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.catalog.product_files import Opening, insert_products
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.bulk_post import post_sales_bulk
from jxc_desktop.services.sales.dto import Tender

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def shop_file(path: Path, template: Path) -> Database:
    path.write_bytes(template.read_bytes())
    return Database.for_file(path)


@pytest.fixture
def template(db_path: Path) -> Path:
    """60 demo products (some tracking batches, some with little stock so sales go below zero)."""
    db = Database.for_file(db_path)
    rng = random.Random(5)
    rows: list[tuple[ProductInput, Opening | None]] = []
    opened = START - timedelta(days=3)
    for i, p in enumerate(demo_catalog.products(rng, 60)):
        qty = (2 if i % 7 == 0 else rng.randint(20, 60)) * MILLI
        opening = (Opening(qty, p.cost, batch_no=f"B{i}", expiry=(opened + timedelta(days=200)).date())
                   if p.batches else Opening(qty, p.cost))
        rows.append((ProductInput(name=p.name, spec=p.spec, unit=p.unit, category=p.category,
                                  sale_price=p.sale_price, ref_cost=p.cost, tracks_batches=p.batches,
                                  shelf_life_days=p.shelf_life_days, barcodes=((p.barcode, 1),)), opening))
    with db.write() as uow:
        insert_products(uow.session, rows, at=opened, create_categories=True)
        uow.commit()
    Services(db).settings.update({"negative_stock": "allow", "block_expired_sale": "0"})
    db.dispose()
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return db_path


def some_sales(db: Database, n: int) -> list[tuple[Cart, list[Tender], datetime]]:
    with db.read() as uow:
        products = uow.session.execute(
            text("SELECT id, name, sale_price, unit FROM product ORDER BY id")).all()
    rng = random.Random(9)
    out = []
    at = START
    for _ in range(n):
        lines = []
        for _k in range(rng.randint(1, 6)):
            pid, name, price, unit = products[int(len(products) * rng.random() ** 2)]
            qty = rng.randint(250, 2500) if unit in ("kg", "斤") else rng.choice((1, 1, 2, 3)) * MILLI
            lines.append(CartLine(pid, name, price, qty, price, "", unit))  # a product twice is allowed
        cart = Cart(tuple(lines))
        due = price_cart(cart).total
        tenders = [Tender("cash", due + rng.choice((0, 0, 50)))] if rng.random() < 0.5 else [Tender("wechat", due)]
        at += timedelta(minutes=rng.randint(5, 300))
        out.append((cart, tenders, at))
    return out


def books(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(path)
    q = {
        "product": "SELECT id, stock_qty, stock_value, avg_cost, last_move_at, last_sale_at FROM product ORDER BY id",
        "batch": "SELECT id, qty FROM batch ORDER BY id",
        "sale": "SELECT number, kind, status, created_at, business_day, subtotal, discount, total, paid, change, till, "
                "cost FROM sale ORDER BY number",
        "line": "SELECT s.number, l.line_no, l.product_id, l.qty, l.unit_price, l.discount, l.amount, l.cost, "
                "l.business_day, l.kind, l.status FROM sale_line l JOIN sale s ON s.id = l.sale_id "
                "ORDER BY s.number, l.line_no",
        "payment": "SELECT s.number, p.method, p.amount, p.tendered FROM payment p JOIN sale s ON s.id = p.sale_id "
                   "ORDER BY s.number, p.method",
        # moves per product in the order written, tied to the line by (number, line_no), not by row id
        "moves": "SELECT m.product_id, m.batch_id, m.kind, m.qty, m.value, m.doc_type, m.doc_number, l.line_no, "
                 "m.created_at, m.balance_qty, m.balance_value, m.note FROM stock_move m "
                 "LEFT JOIN sale_line l ON l.id = m.doc_line_id AND m.doc_type = 'sale' ORDER BY m.product_id, m.id",
        "sequence": "SELECT * FROM sequence ORDER BY 1, 2",
    }
    try:
        return {k: con.execute(sql).fetchall() for k, sql in q.items()}
    finally:
        con.close()


def jxc_check(path: Path) -> subprocess.CompletedProcess[str]:
    src = Path(__file__).resolve().parents[2] / "src"
    return subprocess.run([sys.executable, "-c", "import sys; from jxc_desktop.cli import main; sys.exit(main())",
                           "--db", str(path), "check"], env=dict(os.environ, PYTHONPATH=str(src)),
                          capture_output=True, text=True, check=False, timeout=300)


def test_bulk_path_writes_what_the_checkout_writes(template: Path, tmp_path: Path) -> None:
    bulk_db = shop_file(tmp_path / "bulk.sqlite3", template)
    till_db = shop_file(tmp_path / "till.sqlite3", template)
    sales = some_sales(bulk_db, 300)

    assert post_sales_bulk(bulk_db, sales, per_commit=70) == 300
    till = Services(till_db).checkout
    for cart, tenders, at in sales:
        till.post_sale(cart, tenders, confirmed=True, at=at)
    bulk_db.dispose()
    till_db.dispose()

    got, want = books(tmp_path / "bulk.sqlite3"), books(tmp_path / "till.sqlite3")
    assert len(want["line"]) > 600 and any(r[1] < 0 for r in want["product"])  # below zero was exercised
    assert any(r[1] is not None for r in want["moves"] if r[2] == "sale")  # and batches
    for table in want:
        assert got[table] == want[table], table
    check = jxc_check(tmp_path / "bulk.sqlite3")
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_sale_the_policy_refuses_is_skipped_whole(template: Path, tmp_path: Path) -> None:
    bulk_db = shop_file(tmp_path / "bulk.sqlite3", template)
    till_db = shop_file(tmp_path / "till.sqlite3", template)
    for db in (bulk_db, till_db):
        Services(db).settings.update({"negative_stock": "block"})
    sales = some_sales(bulk_db, 150)

    posted = post_sales_bulk(bulk_db, sales, per_commit=50)
    till = Services(till_db).checkout
    refused = 0
    for cart, tenders, at in sales:
        try:
            till.post_sale(cart, tenders, at=at)
        except InsufficientStockError:
            refused += 1
    bulk_db.dispose()
    till_db.dispose()

    assert 0 < refused < 150 and posted == 150 - refused
    got, want = books(tmp_path / "bulk.sqlite3"), books(tmp_path / "till.sqlite3")
    for table in want:
        assert got[table] == want[table], table
    assert jxc_check(tmp_path / "bulk.sqlite3").returncode == 0


def test_expired_batches_are_held_back_as_at_the_till(template: Path, tmp_path: Path) -> None:
    """With expired goods blocked, the sales run past the batches' expiry (200 days after opening):
    the bulk path's batches kept in memory refuse and split exactly as the till's do."""
    bulk_db = shop_file(tmp_path / "bulk.sqlite3", template)
    till_db = shop_file(tmp_path / "till.sqlite3", template)
    for db in (bulk_db, till_db):
        Services(db).settings.update({"block_expired_sale": "1"})
    sales = [(cart, tenders, at + timedelta(days=185)) for cart, tenders, at in some_sales(bulk_db, 200)]

    posted = post_sales_bulk(bulk_db, sales, per_commit=40)
    till = Services(till_db).checkout
    refused = 0
    for cart, tenders, at in sales:
        try:
            till.post_sale(cart, tenders, confirmed=True, at=at)
        except InsufficientStockError:
            refused += 1
    bulk_db.dispose()
    till_db.dispose()

    assert 0 < refused < 200 and posted == 200 - refused  # some sales met only expired batches
    got, want = books(tmp_path / "bulk.sqlite3"), books(tmp_path / "till.sqlite3")
    assert any(r[1] is not None for r in want["moves"] if r[2] == "sale")
    for table in want:
        assert got[table] == want[table], table
    assert jxc_check(tmp_path / "bulk.sqlite3").returncode == 0

"""Migration 0022 on a file at 0021 with products and barcodes: ``ix_barcode_primary`` is built,
the primary-barcode lookup of the stock list reads it without sorting (query plan) and still finds
the lowest multiplier's oldest code, the file is healthy, a downgrade takes only the index away."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic_steps import index_columns
from alembic_steps import move as _move

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.stock.stock_view import StockQuery

# The lookup as services/stock/stock_view.py's _primary_barcode compiles it on SQLite.
PRIMARY = ("SELECT p.code, (SELECT b.code FROM barcode b WHERE b.product_id = p.id "
           "ORDER BY b.multiplier, b.id LIMIT 1) FROM product p ORDER BY p.code")



def test_upgrade_from_0021_builds_the_primary_barcode_index(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.for_file(path)
    services = Services(db)
    # a case barcode made first (multiplier 12), then two single-unit ones: the older single wins
    p = services.catalog.create_product(ProductInput(name="可乐", sale_price=300, ref_cost=200,
                                                     barcodes=(("6900000000120", 12), ("6900000000014", 1),
                                                               ("6900000000021", 1))),
                                        opening_qty=24_000, opening_cost=180)
    q = services.catalog.create_product(ProductInput(name="雪碧", sale_price=300, ref_cost=200))  # no barcode
    db.dispose()
    _move(path, "0021", up=False)
    con = sqlite3.connect(path)
    before = index_columns(con)
    rows = con.execute(PRIMARY).fetchall()
    con.close()
    assert "ix_barcode_primary" not in before

    result = migrate(path)
    assert result.upgraded_from == "0021" and result.revision == head_revision()
    con = sqlite3.connect(path)
    try:
        after = index_columns(con)
        assert schema_problems(con) == []
        assert after["ix_barcode_primary"] == ["product_id", "multiplier", "id"]
        # on the way to head 0023 swaps the sale index, 0025 adds one: test_migration_0023.py, _0025.py
        assert set(after) - set(before) == {"ix_barcode_primary", "ix_sale_day_kind_status", "ix_sale_line_sold_product"}
        assert con.execute(PRIMARY).fetchall() == rows
        plan = " ".join(r[3] for r in con.execute("EXPLAIN QUERY PLAN " + PRIMARY))
        assert "ix_barcode_primary" in plan and "TEMP B-TREE" not in plan
    finally:
        con.close()
    db = Database.for_file(path)
    try:
        view = Services(db).stock_view
        lines = [r for page in view.iter_plain_lines(StockQuery()) for r in page]
        # (product_id, code, primary barcode, name, qty, avg_cost, value): the older single-unit
        # code, "" for none, and the stock as it was before the upgrade; paging one row at a time
        # gives the same list
        assert lines == [(p.id, p.code, "6900000000014", "可乐", 24_000, 180, 4_320),
                         (q.id, q.code, "", "雪碧", 0, 200, 0)]
        assert [r for page in view.iter_plain_lines(StockQuery(), chunk=1) for r in page] == lines
        assert [(code, barcode) for _, code, barcode, *_ in lines] == [(c, b or "") for c, b in rows]
    finally:
        db.dispose()

    _move(path, "0021", up=False)  # the way back leaves 0021's indexes exactly
    con = sqlite3.connect(path)
    try:
        assert index_columns(con) == before
    finally:
        con.close()


def test_a_file_missing_the_index_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    con = sqlite3.connect(path)
    try:
        con.execute("DROP INDEX ix_barcode_primary")
        assert any("ix_barcode_primary" in p for p in schema_problems(con))
    finally:
        con.close()

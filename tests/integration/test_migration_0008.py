"""Migration 0008 on a file at 0006 with sales and moves: the report indexes are built, the old
time index is gone, the reports read them (query plans), and a downgrade puts 0006's back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic_steps import index_columns
from alembic_steps import move as _move

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.demo.shop import fill_demo
from jxc_desktop.domain.clock import local_today
from jxc_desktop.services.hub import Services

NEW = {"ix_stock_move_time", "ix_sale_line_product_day"}



def test_upgrade_from_0006_builds_the_report_indexes(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.building(path)  # as `jxc demo` writes a new file: commits not synced one by one
    fill_demo(Services(db), products=40, days=5, today=local_today())
    db.dispose()
    _move(path, "0006", up=False)
    con = sqlite3.connect(path)
    before = index_columns(con)
    lines = con.execute("SELECT COUNT(*), SUM(amount) FROM sale_line").fetchone()
    con.close()
    assert not NEW & set(before) and "ix_stock_move_created_at" in before
    assert lines[0] > 0

    result = migrate(path)
    assert result.upgraded_from == "0006" and result.revision == head_revision()
    con = sqlite3.connect(path)
    try:
        after = index_columns(con)
        assert schema_problems(con) == []
        assert "ix_stock_move_created_at" not in after
        assert after["ix_stock_move_time"] == ["created_at", "product_id", "kind", "qty", "value"]
        # 0018 appends category_id to this index; 0008 built the first four columns
        assert after["ix_sale_line_product_day"][:4] == ["product_id", "kind", "status", "business_day"]
        assert after["ix_sale_line_report"][-1] == "sale_id"
        assert con.execute("SELECT COUNT(*), SUM(amount) FROM sale_line").fetchone() == lines
        plan = " ".join(r[3] for r in con.execute(
            "EXPLAIN QUERY PLAN SELECT product_id + 0, SUM(qty), SUM(value) FROM stock_move "
            "WHERE created_at < '2099-01-01' GROUP BY product_id + 0"))
        assert "COVERING INDEX ix_stock_move_time" in plan
    finally:
        con.close()

    _move(path, "0006", up=False)  # the way back leaves 0006's indexes exactly
    con = sqlite3.connect(path)
    try:
        assert index_columns(con) == before
    finally:
        con.close()


def test_a_file_missing_a_new_index_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    con = sqlite3.connect(path)
    try:
        for name in sorted(NEW):
            con.execute(f"DROP INDEX {name}")
        problems = schema_problems(con)
        assert all(any(n in p for p in problems) for n in NEW)
    finally:
        con.close()


"""Migration 0011 on a file made at 0008 with a shop's history: the style tables come, product
gains its four variant columns by ADD COLUMN (every row, its text index and its history kept),
styles can be created at once, and a downgrade takes it all away again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic_steps import move as _move

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.demo.shop import fill_demo
from jxc_desktop.domain.clock import local_today
from jxc_desktop.services.catalog.dto import StyleInput
from jxc_desktop.services.hub import Services

COLUMNS = ("style_id", "colour_code", "colour", "size")
TABLES = ("style", "style_colour", "style_size")


def _shape(path: Path) -> tuple[set[str], set[str], tuple[int, int, int]]:
    con = sqlite3.connect(path)
    try:
        cols = {r[1] for r in con.execute("PRAGMA table_info(product)")}
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        facts = con.execute("SELECT COUNT(*), SUM(stock_qty), (SELECT COUNT(*) FROM stock_move) FROM product").fetchone()
        return cols, tables, facts
    finally:
        con.close()


def test_upgrade_from_0008_adds_styles_and_keeps_every_product(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.building(path)  # as `jxc demo` writes a new file: commits not synced one by one
    fill_demo(Services(db), products=40, days=3, today=local_today())
    db.dispose()
    _move(path, "0008", up=False)
    cols, tables, before = _shape(path)
    assert not set(COLUMNS) & cols and not set(TABLES) & tables and before[0] == 40

    result = migrate(path)
    assert result.upgraded_from == "0008" and result.revision == head_revision()
    cols, tables, after = _shape(path)
    assert set(COLUMNS) <= cols and set(TABLES) <= tables and after == before
    con = sqlite3.connect(path)
    try:
        assert schema_problems(con) == []
        assert con.execute("SELECT COUNT(*) FROM product WHERE style_id IS NOT NULL OR size IS NOT NULL").fetchone() \
            == (0,)
        sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'product'").fetchone()[0]
        assert "REFERENCES style" in sql  # the column points at its style, added without a rebuild
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()

    db = Database.for_file(path)
    try:
        services = Services(db)
        style = services.styles.create_style(StyleInput(code="26Q001", name="卫衣", colours=(("01", "黑色"),),
                                                        sizes=("M", "L")))
        assert [v.code for v in style.variants] == ["26Q001-01-M", "26Q001-01-L"]
        assert sorted(services.catalog.list_ids("卫衣")) == sorted(v.product_id for v in style.variants)  # text index
    finally:
        db.dispose()

    _move(path, "0008", up=False)
    cols, tables, down = _shape(path)
    assert not set(COLUMNS) & cols and not set(TABLES) & tables
    assert down[0] == 42 and down[1:] == before[1:]

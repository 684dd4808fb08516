"""Migration 0015 (promotions) on a file at 0009 with sales: the three tables arrive empty, no
document changes, the schema matches the models, and a downgrade gives 0009's schema back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic_steps import move as _move

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.demo.shop import fill_demo
from jxc_desktop.domain.clock import local_today
from jxc_desktop.services.hub import Services

TABLES = {"promotion", "promotion_product", "promotion_category"}


def _schema(con: sqlite3.Connection) -> list[tuple[str, str]]:
    return sorted(con.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))


def _documents(con: sqlite3.Connection) -> tuple[object, ...]:
    return (con.execute("SELECT COUNT(*), SUM(total) FROM sale").fetchone(),
            con.execute("SELECT COUNT(*), SUM(qty), SUM(value) FROM stock_move").fetchone())


def test_upgrade_from_0009_adds_promotions(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.building(path)  # as `jxc demo` writes a new file: commits not synced one by one
    fill_demo(Services(db), products=30, days=3, today=local_today())
    db.dispose()
    _move(path, "0009", up=False)
    con = sqlite3.connect(path)
    before_schema, before_docs = _schema(con), _documents(con)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0009",)
    con.close()
    assert not TABLES & {name for name, _ in before_schema}
    assert before_docs[0][0] > 0

    result = migrate(path)
    assert result.upgraded_from == "0009" and result.revision == head_revision()
    con = sqlite3.connect(path)
    try:
        assert schema_problems(con) == []
        assert {name for name, _ in _schema(con)} >= TABLES
        assert _documents(con) == before_docs
        assert con.execute("SELECT COUNT(*) FROM promotion").fetchone() == (0,)
        fks = {(r[2], r[3]) for r in con.execute("PRAGMA foreign_key_list('promotion_product')")}
        assert fks == {("promotion", "promotion_id"), ("product", "product_id")}
    finally:
        con.close()

    _move(path, "0009", up=False)
    con = sqlite3.connect(path)
    try:
        assert _schema(con) == before_schema
        assert _documents(con) == before_docs
    finally:
        con.close()

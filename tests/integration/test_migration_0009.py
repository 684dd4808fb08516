"""Migration 0009 (money owed) on a file at 0008 with sales and purchases: the new tables and columns
arrive with their defaults, no row is rewritten, the schema matches the models, and a downgrade
gives 0008's schema back with the documents intact."""

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

TABLES = {"customer", "money_doc", "account_entry", "allocation"}


def _schema(con: sqlite3.Connection) -> list[tuple[str, str]]:
    return sorted(con.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))


def _documents(con: sqlite3.Connection) -> tuple[object, ...]:
    return (con.execute("SELECT COUNT(*), SUM(total) FROM sale").fetchone(),
            con.execute("SELECT COUNT(*), SUM(total) FROM purchase").fetchone(),
            con.execute("SELECT COUNT(*), SUM(amount) FROM purchase_line").fetchone())


def test_upgrade_from_0008_adds_accounts_and_keeps_every_document(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.building(path)  # as `jxc demo` writes a new file: commits not synced one by one
    fill_demo(Services(db), products=30, days=4, today=local_today())
    db.dispose()
    _move(path, "0008", up=False)
    con = sqlite3.connect(path)
    before_schema, before_docs = _schema(con), _documents(con)
    con.close()
    assert not TABLES & {name for name, _ in before_schema}
    assert before_docs[0][0] > 0 and before_docs[1][0] > 0

    result = migrate(path)
    assert result.upgraded_from == "0008" and result.revision == head_revision()
    con = sqlite3.connect(path)
    try:
        assert schema_problems(con) == []
        assert {name for name, _ in _schema(con)} >= TABLES
        assert _documents(con) == before_docs
        assert con.execute("SELECT DISTINCT channel FROM sale").fetchall() == [("till",)]
        assert con.execute("SELECT COUNT(*) FROM sale WHERE customer_id IS NOT NULL").fetchone() == (0,)
        assert con.execute("SELECT DISTINCT terms_days FROM supplier").fetchall() == [(0,)]
        assert con.execute("SELECT DISTINCT wholesale_price FROM product").fetchall() == [(0,)]
        fks = {(r[2], r[3]) for r in con.execute("PRAGMA foreign_key_list('sale')")}
        assert ("customer", "customer_id") in fks
    finally:
        con.close()

    _move(path, "0008", up=False)  # the way back: 0008's schema, the same documents
    con = sqlite3.connect(path)
    try:
        assert {n for n, _ in _schema(con)} == {n for n, _ in before_schema}
        assert _documents(con) == before_docs
    finally:
        con.close()

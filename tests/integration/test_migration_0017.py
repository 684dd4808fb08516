"""Migration 0017 on a file at the previous head (0016) with a customer and a sale: the member columns
and ledgers arrive empty (nobody is a member, balances 0), the file is healthy, the sale keeps its lines,
and a downgrade takes everything away again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic_steps import move as _move

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.demo.shop import fill_demo
from jxc_desktop.domain.clock import local_today
from jxc_desktop.services.accounts.dto import CustomerInput
from jxc_desktop.services.hub import Services

NEW_TABLES = {"member_level", "points_move", "stored_value_move", "sale_promotion"}


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in con.execute(f"PRAGMA table_info('{table}')")]


def _tables(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_upgrade_from_0016_adds_members_and_ledgers(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.for_file(path)
    services = Services(db)
    fill_demo(services, products=20, days=2, today=local_today())
    services.customers.add(CustomerInput("老客户", phone="13800001234"))
    db.dispose()
    _move(path, "0016", up=False)
    con = sqlite3.connect(path)
    try:
        assert not NEW_TABLES & _tables(con)
        assert "member_id" not in _columns(con, "sale")
        lines_before = con.execute("SELECT id, qty, amount FROM sale_line ORDER BY id").fetchall()
    finally:
        con.close()
    assert lines_before

    result = migrate(path)
    assert result.upgraded_from == "0016" and result.revision == head_revision()
    con = sqlite3.connect(path)
    try:
        assert schema_problems(con) == []
        assert _tables(con) >= NEW_TABLES
        assert set(con.execute("SELECT card_no, member_level_id, points, stored_value FROM customer")) == {
            (None, None, 0, 0)}
        assert con.execute("SELECT DISTINCT member_id FROM sale").fetchall() == [(None,)]
        assert con.execute("SELECT DISTINCT price_level, promo_discount, list_price FROM sale_line").fetchall() == [
            ("retail", 0, None)]
        assert con.execute("SELECT id, qty, amount FROM sale_line ORDER BY id").fetchall() == lines_before
        con.execute("INSERT INTO customer (name, phone, address, level, pinyin_key, note, active, created_at, "
                    "card_no) VALUES ('甲', '', '', 'retail', '', '', 1, '2026-12-04 00:00:00', 'C1')")
        try:
            con.execute("INSERT INTO customer (name, phone, address, level, pinyin_key, note, active, created_at, "
                        "card_no) VALUES ('乙', '', '', 'retail', '', '', 1, '2026-12-04 00:00:00', 'C1')")
        except sqlite3.IntegrityError:
            pass
        else:  # pragma: no cover - the assertion below reports it
            raise AssertionError("two customers share a card number")
        con.rollback()
    finally:
        con.close()

    _move(path, "0016", up=False)
    con = sqlite3.connect(path)
    try:
        assert not NEW_TABLES & _tables(con)
        assert "card_no" not in _columns(con, "customer") and "member_price" not in _columns(con, "product")
        assert con.execute("SELECT id, qty, amount FROM sale_line ORDER BY id").fetchall() == lines_before
    finally:
        con.close()

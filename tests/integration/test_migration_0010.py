"""Migration 0010 (staff and shifts) on a file at 0008 with a demo shop's history: the new tables
and columns come in empty (old sales name no cashier), the models and the file agree, the books
still reconcile, the program sells and closes a shift on it, and a downgrade takes it back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy
from alembic_steps import move as _move

from jxc_desktop.db.health import schema_problems
from jxc_desktop.db.migrate import head_revision, migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.demo import members as demo_members
from jxc_desktop.demo import shop as demo_shop
from jxc_desktop.demo.shop import fill_demo
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety.books_check import run_check

NEW_TABLES = {"person", "shift", "cash_move"}


def _tables(con: sqlite3.Connection) -> set[str]:
    return {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in con.execute(f"PRAGMA table_info('{table}')")]


def test_upgrade_from_0008_keeps_the_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without the demo's members: their stored-value and points payments cannot exist below 0017 (its
    # downgrade drops those ledgers, so the books check after coming back up would rightly complain).
    monkeypatch.setattr(demo_shop, "DAY_STEPS",
                        tuple(s for s in demo_shop.DAY_STEPS if s is not demo_members.demo_members_day))
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    db = Database.building(path)  # as `jxc demo` writes a new file: commits not synced one by one
    fill_demo(Services(db), products=30, days=4, today=local_today())
    db.dispose()
    _move(path, "0008", up=False)  # the demo's staff and shifts go with the tables
    con = sqlite3.connect(path)
    before = con.execute("SELECT COUNT(*), SUM(total) FROM sale").fetchone()
    assert not NEW_TABLES & _tables(con) and "cashier_id" not in _columns(con, "sale")
    assert "actor" not in _columns(con, "audit_log")
    con.close()
    assert before[0] > 0

    result = migrate(path)
    assert result.upgraded_from == "0008" and result.revision == head_revision()
    con = sqlite3.connect(path)
    try:
        assert schema_problems(con) == []
        assert _tables(con) >= NEW_TABLES
        assert {"cashier_id", "shift_id"} <= set(_columns(con, "sale"))
        assert "cashier_id" in _columns(con, "held_sale") and "actor" in _columns(con, "audit_log")
        assert con.execute("SELECT COUNT(*), SUM(total) FROM sale").fetchone() == before
        assert con.execute("SELECT COUNT(*) FROM sale WHERE cashier_id IS NOT NULL OR shift_id IS NOT NULL"
                           ).fetchone() == (0,)
        assert con.execute("SELECT COUNT(*) FROM audit_log WHERE actor != ''").fetchone() == (0,)
    finally:
        con.close()

    db = Database.for_file(path)
    services = Services(db)
    try:
        assert run_check(db).ok
        wang = services.staff.add("王芳", "1", "1234")
        shift = services.shifts.open(wang.id, 10000)
        with db.read() as uow:
            pid = uow.session.execute(sqlalchemy.text("SELECT id FROM product WHERE stock_qty > 1000 AND "
                                                      "sale_price > 0 ORDER BY id LIMIT 1")).scalar_one()
        line = services.checkout.line_for_product(pid)
        services.checkout.post_sale(Cart((line,)), [Tender("cash", line.unit_price)], cashier_id=wang.id,
                                    shift_id=shift.id)
        closed = services.shifts.close(shift.id, counted=10000 + line.unit_price)
        assert closed.over_short == 0 and run_check(db).ok
    finally:
        db.dispose()


def test_a_second_open_shift_on_a_till_is_refused_by_the_file(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    con = sqlite3.connect(path)
    try:
        con.execute("INSERT INTO person (name, number, role, pin_hash, active, failures, created_at) "
                    "VALUES ('a', '1', 'cashier', '', 1, 0, '2026-01-01')")
        row = ("INSERT INTO shift (till, person_id, status, opened_at, float_amount, counted_detail, note) "
               "VALUES ('1', 1, '{status}', '2026-01-01', 0, '', '')")
        con.execute(row.format(status="closed"))
        con.execute(row.format(status="open"))
        try:
            con.execute(row.format(status="open"))
            raise AssertionError("a second open shift was accepted")
        except sqlite3.IntegrityError:
            pass
    finally:
        con.close()

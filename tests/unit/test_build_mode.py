"""A shop file in use syncs every commit (DESIGN: ``synchronous=FULL`` for posted documents); only a
new file being built where no one sees it (``jxc demo`` through db/migrate.py ``create_beside``)
skips the per-commit sync and keeps its connection, and it is synced before it is put in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.pool import NullPool

from jxc_desktop.cli import main as jxc
from jxc_desktop.db.uow import Database

pytestmark = pytest.mark.sqlite_only


def _sync_and_connection(db: Database) -> tuple[int, int]:
    with db.write() as uow:
        conn = uow.session.connection()
        level = int(conn.execute(text("PRAGMA synchronous")).scalar_one())
        return level, id(conn.connection.driver_connection)


def test_a_shop_file_syncs_every_commit_on_a_fresh_connection(db_path: Path) -> None:
    db = Database.for_file(db_path)
    try:
        level, _conn = _sync_and_connection(db)
    finally:
        db.dispose()
    assert level == 2  # FULL
    assert isinstance(db.engine.pool, NullPool)  # nothing kept open between units of work


def test_a_file_being_built_keeps_one_connection_without_per_commit_sync(db_path: Path) -> None:
    db = Database.building(db_path)
    try:
        with db.write() as outer:
            outer_conn = outer.session.connection().connection.driver_connection
            with db.read() as inner:  # a unit of work inside another gets a connection of its own
                assert inner.session.connection().connection.driver_connection is not outer_conn
        (level, first), (_level, second) = _sync_and_connection(db), _sync_and_connection(db)
    finally:
        db.dispose()
    assert level == 0  # OFF
    assert first == second  # the same connection, kept between units of work


def test_a_demo_built_beside_is_whole_and_in_wal_mode_once_in_place(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    assert jxc(["--db", str(path), "demo", "--products", "5", "--days", "2", "--seed", "2"]) == 0
    assert not list(tmp_path.glob(".shop.sqlite3.*"))  # the build folder is gone
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("SELECT count(*) FROM sale").fetchone()[0] > 0
    finally:
        con.close()
    db = Database.for_file(path)  # the shop in use is back to synced commits
    try:
        assert _sync_and_connection(db)[0] == 2
    finally:
        db.dispose()

"""The test PostgreSQL server (tests/pg_server.py) and a Database opened on a server URL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from jxc_desktop.db.migrate import head_revision
from jxc_desktop.db.server import driver_url, is_server_url, migrate_server, shown_url
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import DatabaseError


def test_server_urls_are_told_from_paths() -> None:
    assert is_server_url("postgresql://jxc@db.local/shop")
    assert is_server_url("postgres://jxc@db.local/shop")
    assert is_server_url("postgresql+psycopg://jxc@db.local/shop")
    assert not is_server_url("shop.sqlite3")
    assert not is_server_url("/data/postgresql/shop.sqlite3")
    assert driver_url("postgres://a@h/s") == "postgresql+psycopg://a@h/s"
    assert "secret" not in shown_url("postgresql://jxc:secret@db.local/shop")


def test_empty_database_is_migrated_to_head(pg_url: str) -> None:
    result = migrate_server(pg_url)
    assert result.created and result.revision == head_revision()
    again = migrate_server(pg_url)
    assert not again.created and again.upgraded_from is None
    db = Database.open(pg_url)
    try:
        assert db.on_server and db.path is None
        with db.read() as uow:
            assert uow.session.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    finally:
        db.dispose()


def test_empty_database_is_refused_without_create(pg_url: str) -> None:
    with pytest.raises(DatabaseError, match="empty"):
        migrate_server(pg_url, create=False)


def test_foreign_tables_are_refused_and_left_alone(pg_url: str) -> None:
    db = Database.open(pg_url)
    try:
        with db.write() as uow:
            uow.session.execute(text("CREATE TABLE invoices (id int)"))
            uow.commit()
    finally:
        db.dispose()
    with pytest.raises(DatabaseError, match="another program"):
        migrate_server(pg_url)


def test_head_database_fixture_writes_and_reads(pg_db_url: str) -> None:
    db = Database.open(pg_db_url)
    try:
        with db.write() as uow:
            uow.session.execute(text("INSERT INTO setting (key, value) VALUES ('till', '一号')"))
            uow.commit()
        with db.read() as uow:
            assert uow.session.execute(text("SELECT value FROM setting WHERE key = 'till'")).scalar() == "一号"
    finally:
        db.dispose()

"""Upgrade from the previous revision (0001 -> 0002): a backup first, data kept, triggers in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from jxc_desktop.db.migrate import alembic_config, head_revision, migrate


def test_upgrade_from_0001_keeps_data_backs_up_and_adds_the_triggers(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    url = f"sqlite:///{path}"
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.commit()
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO audit_log (at, action, document, before, after, detail) "
                "VALUES ('2026-01-01 00:00:00', 'settings', '', '{}', '{}', 'old entry')")
    con.execute("INSERT INTO setting (key, value) VALUES ('shop_name', '老店')")
    con.commit()
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE type='trigger'").fetchone()[0] == 0
    con.close()

    result = migrate(path)
    assert result.upgraded_from == "0001" and result.revision == head_revision()
    assert result.backup is not None and result.backup.exists()
    con = sqlite3.connect(result.backup)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    con.close()

    con = sqlite3.connect(path)
    assert con.execute("SELECT detail FROM audit_log").fetchall() == [("old entry",)]
    assert con.execute("SELECT value FROM setting WHERE key='shop_name'").fetchone()[0] == "老店"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute("DELETE FROM audit_log")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute("UPDATE audit_log SET detail = 'rewritten'")
    con.close()
    assert migrate(path).upgraded_from is None  # already at head: nothing to do

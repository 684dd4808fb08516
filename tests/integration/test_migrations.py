"""Migrations: an empty file, model/migration agreement, and every file the program must refuse."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from jxc_desktop.db import health
from jxc_desktop.db import migrate as migrate_module
from jxc_desktop.db.migrate import alembic_config, head_revision, known_revisions, migrate
from jxc_desktop.db.models import Base
from jxc_desktop.db.upgrade_copy import same_database
from jxc_desktop.domain.errors import DatabaseError


def dump(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def revision_of(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def upgrade_to(path: Path, revision: str) -> None:
    url = f"sqlite:///{path}"
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()
    engine.dispose()


def test_empty_file_is_created_at_head_with_every_table(tmp_path: Path) -> None:
    path = tmp_path / "new" / "jxc.sqlite3"
    result = migrate(path)
    assert result.created and result.revision == head_revision() and result.backup is None
    assert revision_of(path) == head_revision()
    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(Base.metadata.tables) <= tables
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    # A second run changes nothing and makes no backup.
    before = dump(path)
    again = migrate(path)
    assert not again.created and again.upgraded_from is None and again.backup is None
    assert dump(path) == before


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    """What `alembic check` does: the migrated schema has no difference from the models."""
    path = tmp_path / "jxc.sqlite3"
    migrate(path)
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool)
    with engine.connect() as conn:
        # The text index's FTS5 tables (migration 0007) are not models: health.not_modelled names them.
        ctx = MigrationContext.configure(conn, opts={
            "compare_type": True, "render_as_batch": True,
            "include_name": lambda name, kind, _parent: not (kind == "table" and health.not_modelled(name))})
        diffs = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diffs == []


def test_a_file_from_a_newer_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    migrate(path)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'f00dcafe9999'")
    con.commit()
    con.close()
    assert "f00dcafe9999" not in known_revisions()
    before = dump(path)
    with pytest.raises(DatabaseError, match="newer version"):
        migrate(path)
    assert dump(path) == before


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO contacts (name) VALUES ('张三')")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="not a JXC Desktop database"):
        migrate(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("damage", ["not sqlite", "scribbled pages", "truncated"])
def test_a_damaged_file_is_refused(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "broken.sqlite3"
    if damage == "not sqlite":
        path.write_bytes(b"This is a text file, not a database.\n" * 200)
    else:
        migrate(path)
        con = sqlite3.connect(path)
        con.executemany("INSERT INTO setting (key, value) VALUES (?, ?)",
                        [(f"k{i}", "x" * 500) for i in range(400)])
        con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        data = bytearray(path.read_bytes())
        if damage == "truncated":
            data = data[: len(data) // 3]
        else:
            for offset in range(4096 * 2, len(data), 4096):
                data[offset + 8:offset + 1000] = b"\xee" * 992
        path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(DatabaseError):
        migrate(path)
    assert path.read_bytes() == before


def test_a_failed_upgrade_leaves_the_file_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert head_revision() != "0001", "needs a revision after 0001 to upgrade to"
    path = tmp_path / "old.sqlite3"
    upgrade_to(path, "0001")
    con = sqlite3.connect(path)
    con.execute("INSERT INTO setting (key, value) VALUES ('shop_name', '老店')")
    con.commit()
    con.close()
    before = dump(path)

    real_upgrade = command.upgrade

    def upgrade_then_fail(cfg, revision):  # type: ignore[no-untyped-def]
        # Run every real migration, do more damage (as a later step that fails half-way through
        # copying a table would), then fail: all of it is in the one transaction, so none stays.
        real_upgrade(cfg, revision)
        conn = cfg.attributes["connection"]
        conn.exec_driver_sql("DELETE FROM setting")
        conn.exec_driver_sql("CREATE TABLE half_done (x)")
        raise RuntimeError("disk full while copying a table")

    monkeypatch.setattr(migrate_module.command, "upgrade", upgrade_then_fail)
    with pytest.raises(DatabaseError, match="left as it was") as info:
        migrate(path, backup_dir=tmp_path / "backups")
    assert "disk full" in info.value.english and "\n" not in info.value.english
    assert dump(path) == before
    assert revision_of(path) == "0001"
    assert list((tmp_path / "backups").glob("*.sqlite3")), "the backup is kept"
    monkeypatch.undo()
    # With the fault gone the same file upgrades normally.
    assert migrate(path).upgraded_from == "0001"
    assert revision_of(path) == head_revision()


def test_retries_reuse_one_before_upgrade_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each failed (or killed) attempt used to add a before-upgrade copy; now the copy of the same
    database is reused and a killed attempt's .partial is removed."""
    path = tmp_path / "old.sqlite3"
    upgrade_to(path, "0003")
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "old-before-upgrade-20260101-000000.partial").write_bytes(b"half a copy")

    def fail(cfg, revision):  # type: ignore[no-untyped-def]
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrate_module.command, "upgrade", fail)
    for _ in range(3):
        with pytest.raises(DatabaseError, match="left as it was"):
            migrate(path, backup_dir=folder)
    monkeypatch.undo()
    result = migrate(path, backup_dir=folder)
    assert result.upgraded_from == "0003" and result.backup is not None
    assert sorted(p.name for p in folder.iterdir()) == [result.backup.name]


def test_copies_of_the_same_database_match_even_with_other_bytes_in_free_pages(tmp_path: Path) -> None:
    """A rolled-back write in rollback-journal mode can leave other bytes in pages SQLite reused
    from the free list without journaling them: such copies still hold the same database."""
    path = tmp_path / "shop.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.executemany("INSERT INTO t VALUES (?)", [("x" * 3000,)] * 60)
    con.commit()
    con.execute("DELETE FROM t WHERE rowid > 20")
    con.commit()
    con.close()
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for dest in (a, b):
        with sqlite3.connect(path) as source, sqlite3.connect(dest) as target:
            source.backup(target)
        source.close()
        target.close()
    data = bytearray(b.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    first_trunk = int.from_bytes(data[32:36], "big")
    trunk = data[(first_trunk - 1) * page_size:first_trunk * page_size]
    assert int.from_bytes(data[36:40], "big") > 2 and int.from_bytes(trunk[4:8], "big") > 0
    leaf = int.from_bytes(trunk[8:12], "big")
    data[(leaf - 1) * page_size + 100:(leaf - 1) * page_size + 200] = b"\xaa" * 100
    b.write_bytes(bytes(data))
    assert a.read_bytes() != b.read_bytes()
    assert same_database(a, b)
    data[page_size + 500:page_size + 600] = b"\xbb" * 100  # page 2: in use
    b.write_bytes(bytes(data))
    assert not same_database(a, b)

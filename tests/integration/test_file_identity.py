"""A JXC file is known by its SQLite application id (set in the transaction that creates the
schema), or — for a file made before the id existed — by its tables, and gets the id at its next
upgrade or open. Another program's database is never written: not the schema, not a backup folder,
not WAL mode, not a checkpoint (issue 11 §3). Bytes of the file and its -wal compared before/after.

On main an alembic-based program's file at revision "0002" was "upgraded", failed and put back
(bytes changed, backups/ appeared), and at "0004" it got a traceback and its hash changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from jxc_desktop.app import open_database
from jxc_desktop.cli import main as jxc
from jxc_desktop.db.filecheck import check_file
from jxc_desktop.db.fileprobe import APPLICATION_ID, LEGACY_TABLES, FileState
from jxc_desktop.db.migrate import alembic_config, head_revision, migrate, probe
from jxc_desktop.db.models import Base
from jxc_desktop.domain.errors import DatabaseError


def snapshot(path: Path, *, empty_wal_is_none: bool = False) -> dict[str, str | None]:
    """Hashes of the file, its -wal and -journal (None: absent), and the folder's other entries
    apart from the -shm a reader may make. ``empty_wal_is_none``: for a JXC file, which SQLite's
    read-only open may give an empty -wal (nothing in it)."""
    def digest(p: Path) -> str | None:
        if not p.exists() or (empty_wal_is_none and p.name.endswith("-wal") and not p.stat().st_size):
            return None
        return hashlib.sha256(p.read_bytes()).hexdigest()

    others = sorted(p.name for p in path.parent.iterdir()
                    if p.name not in {path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"})
    return {"db": digest(path), "wal": digest(path.with_name(path.name + "-wal")),
            "journal": digest(path.with_name(path.name + "-journal")), "folder": ",".join(others)}


def other_alembic_program(path: Path, revision: str, *, pending_wal: bool) -> None:
    """Another program that also uses alembic with ids 0001, 0002…: its own tables, our revision id.
    With ``pending_wal`` the file is left as that program leaves it while running: in WAL mode
    with committed pages still in the -wal (a copy taken while its connection is open)."""
    work = path.with_name("work-" + path.name)
    con = sqlite3.connect(work)
    if pending_wal:
        con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    con.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT)")
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), body TEXT)")
    con.executemany("INSERT INTO users (name, email) VALUES (?, ?)", [(f"u{i}", f"u{i}@x") for i in range(200)])
    con.commit()
    shutil.copyfile(work, path)
    if pending_wal:
        assert work.with_name(work.name + "-wal").stat().st_size > 0
        shutil.copyfile(work.with_name(work.name + "-wal"), path.with_name(path.name + "-wal"))
    con.close()
    work.unlink()


def legacy_file(path: Path, revision: str) -> None:
    """A JXC file as versions before the application id left it: made by alembic, id 0."""
    url = f"sqlite:///{path}"
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO setting (key, value) VALUES ('shop_name', '老店')")
    con.commit()
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0
    con.close()


def application_id(path: Path) -> int:
    with path.open("rb") as fh:
        return int.from_bytes(fh.read(100)[68:72], "big")


@pytest.mark.parametrize("pending_wal", [False, True], ids=["rollback-journal", "pending-wal"])
@pytest.mark.parametrize("revision", ["0002", "0004"])
def test_another_alembic_programs_file_is_never_written(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        revision: str, pending_wal: bool) -> None:
    path = tmp_path / "notes.db"
    other_alembic_program(path, revision, pending_wal=pending_wal)
    before = snapshot(path)
    found = check_file(path)
    assert found.state == FileState.NOT_JXC and not found.usable
    with pytest.raises(DatabaseError, match="belongs to another program"):
        migrate(path)
    with pytest.raises(DatabaseError, match="belongs to another program"):
        open_database(path)  # the window's start
    capsys.readouterr()
    for args in (["init"], ["stock"], ["demo", "--products", "3"], ["backup"]):
        assert jxc(["--db", str(path), *args]) == 2, args
        err = capsys.readouterr().err
        assert "belongs to another program" in err and err.count("\n") == 1, err
    assert jxc(["--db", str(path), "check"]) == 1
    assert "not a JXC Desktop database" in capsys.readouterr().out
    assert snapshot(path) == before  # no byte, no WAL switch, no checkpoint, no backups/ folder


def test_a_foreign_application_id_is_refused_before_anything_else(tmp_path: Path) -> None:
    """Even with all our tables and a revision of ours: another program's id (GeoPackage's) wins."""
    path = tmp_path / "map.gpkg"
    legacy_file(path, "0003")
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA application_id = {0x47504B47}")
    con.commit()
    con.close()
    before = snapshot(path)
    assert check_file(path).state == FileState.NOT_JXC
    with pytest.raises(DatabaseError, match="another program's file"):
        migrate(path)
    assert jxc(["--db", str(path), "init"]) == 2
    assert snapshot(path) == before


def test_a_new_file_carries_the_id_from_its_first_commit(tmp_path: Path) -> None:
    path = tmp_path / "new" / "shop.sqlite3"
    migrate(path)
    assert application_id(path) == APPLICATION_ID == 0x4A584344
    found = probe(path)
    assert found.state == FileState.OK and found.stamped and found.revision == head_revision()


@pytest.mark.parametrize("revision", ["0001", "0002", "0003", "0004"])
def test_a_file_from_before_the_id_is_recognised_and_stamped(tmp_path: Path, revision: str) -> None:
    path = tmp_path / "old.sqlite3"
    legacy_file(path, revision)
    found = probe(path)
    assert found.state == (FileState.OK if revision == head_revision() else FileState.OLDER)
    assert not found.stamped and found.revision == revision
    result = migrate(path, backup_dir=tmp_path / "backups")
    assert result.upgraded_from == (None if revision == head_revision() else revision)
    assert application_id(path) == APPLICATION_ID
    assert probe(path).stamped
    con = sqlite3.connect(path)
    assert con.execute("SELECT value FROM setting WHERE key = 'shop_name'").fetchone()[0] == "老店"
    con.close()
    if revision != head_revision():
        copies = list((tmp_path / "backups").glob("old-before-upgrade-*.sqlite3"))
        assert len(copies) == 1 and application_id(copies[0]) == 0  # the copy is the file as it was


def test_legacy_tables_are_exactly_those_every_jxc_file_has_had(tmp_path: Path) -> None:
    path = tmp_path / "first.sqlite3"
    legacy_file(path, "0001")
    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    assert tables - {"alembic_version"} == LEGACY_TABLES
    assert set(Base.metadata.tables) >= LEGACY_TABLES


def test_a_file_of_ours_without_its_revision_is_damaged_not_new(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    con = sqlite3.connect(path)
    con.execute("DELETE FROM alembic_version")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = snapshot(path, empty_wal_is_none=True)
    found = check_file(path)
    assert found.state == FileState.DAMAGED and found.stamped and found.reason == "no schema revision recorded"
    with pytest.raises(DatabaseError, match="damaged"):
        migrate(path)
    assert snapshot(path, empty_wal_is_none=True) == before


def test_an_empty_sqlite_file_of_nobody_becomes_a_shop_only_when_asked(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "blank.sqlite3"
    sqlite3.connect(path).execute("PRAGMA user_version = 0").connection.close()
    path.write_bytes(path.read_bytes())  # nothing in it: no tables, id 0
    os.truncate(path, 0)
    assert check_file(path).state == FileState.EMPTY
    assert jxc(["--db", str(path), "stock"]) == 2
    assert "holds no shop yet" in capsys.readouterr().err
    assert path.stat().st_size == 0
    assert jxc(["--db", str(path), "init"]) == 0
    assert application_id(path) == APPLICATION_ID

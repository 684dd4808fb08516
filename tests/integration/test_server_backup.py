"""Backups of a shop on a PostgreSQL server (issue 21): pg_dump archives checked in a scratch database
before they get their name, rotated like the file copies, restored with the current shop kept first;
``Services.backup`` and ``jxc backup`` pick the method by backend."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jxc_desktop.cli import main
from jxc_desktop.db import pg_dump
from jxc_desktop.db.models import Product
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import DatabaseError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety import server_backup
from jxc_desktop.services.safety.backup import BackupService
from jxc_desktop.services.safety.server_backup import ServerBackupService, list_dumps


@pytest.fixture
def server(pg_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.setenv("JXC_DATA_DIR", str(tmp_path / "data"))
    db = Database.open(pg_db_url)
    services = Services(db)
    services.catalog.create_product(ProductInput(name="可乐", sale_price=350, ref_cost=200),
                                    opening_qty=24_000, opening_cost=200)
    yield services
    db.dispose()


def _products(services: Services) -> int:
    with services.db.read() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(Product)) or 0)


@pytest.mark.sqlite_only  # `services` must be a shop file here, beside the server
def test_the_backup_method_follows_the_backend(server: Services, services: Services) -> None:
    assert isinstance(server.backup, ServerBackupService)
    assert type(services.backup) is BackupService  # a shop file: SQLite copies as before


def test_a_server_backup_is_a_checked_archive(server: Services, tmp_path: Path) -> None:
    info = server.backup.backup()
    assert info.ok and info.path.suffix == ".dump" and info.path.parent == tmp_path / "data" / "server-backups"
    assert pg_dump.archive_ok(info.path) and info.size > 0 and info.products == 1
    assert server.backup.last_good_backup() is not None
    assert [e.action for e in server.audit.query(action="backup")] == ["backup"]
    assert [c.path for c in server.backup.copies()] == [info.path]
    assert not [p for p in info.path.parent.iterdir() if p.name.endswith(".partial")]


def test_a_copy_failing_its_check_is_not_kept(server: Services, monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.setattr(server_backup, "check_dump",
                        lambda url, archive: server_backup.DumpCheck(["ledger [X]: broken"]))
    with pytest.raises(DatabaseError, match="failed its check"):
        server.backup.backup()
    assert list((tmp_path / "data" / "server-backups").iterdir()) == []


def test_automatic_copies_are_rotated_by_the_time_in_their_names(server: Services) -> None:
    backups = server.backup
    assert isinstance(backups, ServerBackupService)
    folder = backups.backup_dir()
    folder.mkdir(parents=True)
    start = datetime(2026, 1, 1, 12, tzinfo=UTC)
    for day in range(60):
        (folder / backups._name("auto", start + timedelta(days=day))).write_bytes(b"x")
    (folder / backups._name("backup", start)).write_bytes(b"x")  # asked for: never rotated
    removed = backups.rotate()
    left = [p for p in list_dumps(folder) if "-auto-" in p.name]
    assert len(removed) == 60 - len(left) and 7 <= len(left) <= 7 + 2
    assert any("-backup-" in p.name for p in list_dumps(folder))


def test_restore_brings_back_the_shop_and_keeps_the_current_one(server: Services) -> None:
    copy = server.backup.backup().path
    server.catalog.create_product(ProductInput(name="雪碧", sale_price=300, ref_cost=180))
    assert _products(server) == 2
    result = server.backup.restore(copy)
    assert result.saved_current is not None and result.saved_current.exists()
    assert "before-restore" in result.saved_current.name
    assert _products(server) == 1
    assert server.audit.query(action="restore")


def test_something_else_is_not_restored(server: Services, tmp_path: Path) -> None:
    bogus = tmp_path / "shop-backup-20260101-120000.dump"
    bogus.write_bytes(b"not an archive")
    with pytest.raises(DatabaseError, match="not a backup of a server database"):
        server.backup.restore(bogus)
    assert _products(server) == 1


def test_jxc_backup_on_a_server_url(server: Services, pg_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", pg_db_url, "backup"]) == 0
    made = capsys.readouterr().out
    assert ".dump\t" in made and "\tok\t" in made
    assert main(["--db", pg_db_url, "backup", "--list"]) == 0
    listed = capsys.readouterr().out
    assert made.split("\t")[0] in listed and "last good backup: 20" in listed


def test_jxc_restore_on_a_server_url(server: Services, pg_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    copy = server.backup.backup().path
    server.catalog.create_product(ProductInput(name="雪碧", sale_price=300, ref_cost=180))
    assert main(["--db", pg_db_url, "restore", str(copy)]) == 2  # not without --yes off a terminal
    assert "--yes" in capsys.readouterr().err and _products(server) == 2
    assert main(["--db", pg_db_url, "restore", str(copy), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "restored" in out and "before-restore" in out
    assert _products(server) == 1

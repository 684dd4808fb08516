"""Which backups a database gets (issue 21): SQLite copies for a shop file (backup.py), pg_dump
archives for a shop on a PostgreSQL server (server_backup.py). ``Services.backup`` is built here, so
the window's backup menu and ``jxc backup`` use the right method without asking."""

from __future__ import annotations

from jxc_desktop.db.uow import Database
from jxc_desktop.services.safety.backup import BackupService


def backup_service(db: Database) -> BackupService:
    if db.on_server:
        # imported only for a server shop: a shop file never loads the pg_dump path
        from jxc_desktop.services.safety.server_backup import ServerBackupService

        return ServerBackupService(db)
    return BackupService(db)

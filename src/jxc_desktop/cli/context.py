"""What a command needs: the database path, opened (and migrated) on first use.

Only the commands that make a shop (``init``, ``demo``: ``creates_shop`` in their parser defaults)
may create a missing or empty file; every other command refuses it with a one-line reason, so a
mistyped ``--db`` never leaves a new empty shop behind.

``--db`` (or ``JXC_DB``) may also be a PostgreSQL URL (db/server.py): then :attr:`CliContext.server`
holds it and :attr:`CliContext.path` refuses to be used — a command that works on the data FILE
(backup copies, restore) must say what it does on a server instead of touching a file named
like the URL."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from jxc_desktop import i18n
from jxc_desktop.db.server import is_server_url, shown_url
from jxc_desktop.db.uri import check_name
from jxc_desktop.domain.errors import DatabaseError, JxcError
from jxc_desktop.paths import default_db_path

if TYPE_CHECKING:
    from jxc_desktop.db.migrate import MigrationResult
    from jxc_desktop.db.server import ServerMigration
    from jxc_desktop.services.hub import Services


class CliContext:
    def __init__(self, db_arg: str | None) -> None:
        target = db_arg or os.environ.get("JXC_DB")
        self.server: str | None = target.strip() if target and is_server_url(target) else None
        self._path: Path | None = None
        if self.server is None:
            self._path = Path(db_arg).expanduser() if db_arg else default_db_path()
        self._services: Services | None = None
        self.migration: MigrationResult | ServerMigration | None = None
        self.pin_file: str | None = None  # --pin-file: the owner PIN for protected commands (cli/safety.py)
        self.may_create = False  # set by jxc for init and demo

    @property
    def path(self) -> Path:
        """The data file. On a server database there is none: a clear error instead."""
        if self._path is None:
            raise DatabaseError("This command works on a data file; {url} is a database on a server.",
                                url=self.shown)
        return self._path

    @property
    def shown(self) -> str:
        """The database as messages name it: the path, or the server URL without its password."""
        return shown_url(self.server) if self.server is not None else str(self._path)

    def check_path(self) -> None:
        """A clear error (exit 2) for a data file name SQLite cannot use, before anything opens it."""
        if self._path is not None:
            check_name(self._path)

    def open(self) -> Services:
        """Create or upgrade the database, then build the services over it."""
        if self._services is None:
            with _collector_paused():
                self._open()
        assert self._services is not None
        return self._services

    def _open(self) -> None:
        # Imported when a command opens the file, not when `jxc` starts (issue 15: `jxc --help`
        # and the argument parsing stay free of SQLAlchemy and the services).
        from jxc_desktop.db.migrate import migrate
        from jxc_desktop.db.uow import Database
        from jxc_desktop.services.hub import Services
        from jxc_desktop.services.safety.backup_files import (
            BACKUP_DIR_KEY,
            backup_folder,
            clean_stray_files,
        )

        if self.server is not None:
            self._open_server()
            return
        self.migration = migrate(self.path, create=self.may_create)
        # No full check before writing (seconds on a big file): the verdict of the last one (the
        # window's background check, a backup, a check on demand) is read beside the file.
        self._services = Services(Database.for_file(self.path))
        # What killed restores and backups left behind (files a live one holds are kept). The
        # folder from the setting, not through the backup service: a command that makes no
        # backup does not load it (issue 15).
        with contextlib.suppress(JxcError, OSError):
            folder = backup_folder(self._services.settings.get(BACKUP_DIR_KEY), self.path)
            clean_stray_files(self.path, folder)
        # The shop's chosen language (receipts, reports, messages) wins over the system's.
        chosen = self._services.settings.get("language")
        if chosen:
            i18n.set_language(chosen)

    def _open_server(self) -> None:
        from jxc_desktop.db.server import migrate_server
        from jxc_desktop.db.uow import Database
        from jxc_desktop.services.hub import Services

        assert self.server is not None
        self.migration = migrate_server(self.server, create=self.may_create)
        self._services = Services(Database.for_server(self.server))
        chosen = self._services.settings.get("language")
        if chosen:
            i18n.set_language(chosen)

    @property
    def services(self) -> Services:
        return self.open()

    def close(self) -> None:
        if self._services is not None:
            self._services.db.dispose()
            self._services = None
        gc.unfreeze()  # a caller in the same process (tests) gets its collector back whole


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The open imports SQLAlchemy, the models and the services: ~200 000 objects that live until
    the command ends. The cyclic collector would walk them again and again while they are made
    (issue 15: tens of ms of a command's fixed cost), so it pauses, then what the open made is
    frozen (never walked again; :meth:`CliContext.close` thaws it) and the command's own work runs
    with the collector on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_on:
            gc.enable()

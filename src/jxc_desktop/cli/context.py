"""What a command needs: the database path, opened (and migrated) on first use.

Only the commands that make a shop (``init``, ``demo``: ``creates_shop`` in their parser defaults)
may create a missing or empty file; every other command refuses it with a one-line reason, so a
mistyped ``--db`` never leaves a new empty shop behind."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from jxc_desktop import i18n
from jxc_desktop.db.uri import check_name
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.paths import default_db_path

if TYPE_CHECKING:
    from jxc_desktop.db.migrate import MigrationResult
    from jxc_desktop.services.hub import Services


class CliContext:
    def __init__(self, db_arg: str | None) -> None:
        self.path: Path = Path(db_arg).expanduser() if db_arg else default_db_path()
        self._services: Services | None = None
        self.migration: MigrationResult | None = None
        self.pin_file: str | None = None  # --pin-file: the owner PIN for protected commands (cli/safety.py)
        self.may_create = False  # set by jxc for init and demo

    def check_path(self) -> None:
        """A clear error (exit 2) for a data file name SQLite cannot use, before anything opens it."""
        check_name(self.path)

    def open(self) -> Services:
        """Create or upgrade the database, then build the services over it."""
        if self._services is None:
            # Imported when a command opens the file, not when `jxc` starts (issue 15: `jxc --help`
            # and the argument parsing stay free of SQLAlchemy and the services).
            from jxc_desktop.db.migrate import migrate
            from jxc_desktop.db.uow import Database
            from jxc_desktop.services.hub import Services
            from jxc_desktop.services.safety.backup import clean_stray_files

            self.migration = migrate(self.path, create=self.may_create)
            # No full check before writing (seconds on a big file): the verdict of the last one (the
            # window's background check, a backup, a check on demand) is read beside the file.
            self._services = Services(Database.for_file(self.path))
            # What killed restores and backups left behind (files a live one holds are kept).
            with contextlib.suppress(JxcError, OSError):
                clean_stray_files(self.path, self._services.backup.backup_dir())
            # The shop's chosen language (receipts, reports, messages) wins over the system's.
            chosen = self._services.settings.get("language")
            if chosen:
                i18n.set_language(chosen)
        return self._services

    @property
    def services(self) -> Services:
        return self.open()

    def close(self) -> None:
        if self._services is not None:
            self._services.db.dispose()
            self._services = None

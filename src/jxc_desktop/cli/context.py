"""What a command needs: the database path, opened (and migrated) on first use.

Only the commands that make a shop (``init``, ``demo``: ``creates_shop`` in their parser defaults)
may create a missing or empty file; every other command refuses it with a one-line reason, so a
mistyped ``--db`` never leaves a new empty shop behind.

``--db`` (or ``JXC_DB``) may also be a PostgreSQL URL (db/server.py): then :attr:`CliContext.server`
holds it and :attr:`CliContext.path` refuses to be used — a command that works on the data FILE
(backup copies, restore) must say what it does on a server instead of touching a file named
like the URL.

A command that only reads a file already at head opens it with sqlite3 alone (:meth:`CliContext.read`,
:meth:`CliContext.plain_reads`; db/text_reads.py): no SQLAlchemy, no models, no services hub — about
0.35 s of a 0.5 s command (issue 15). Any file that needs more (creating, upgrading, stamping, rolling
back an interrupted write, a read-only file), a server, or a read that sqlite3 refuses takes the full
path, which does and says exactly what it always did."""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from jxc_desktop import i18n
from jxc_desktop.db.uri import check_name
from jxc_desktop.domain.errors import DatabaseError, JxcError
from jxc_desktop.paths import default_db_path

if TYPE_CHECKING:
    from jxc_desktop.db.migrate import MigrationResult
    from jxc_desktop.db.server import ServerMigration
    from jxc_desktop.db.text_reads import PlainReads, Rows
    from jxc_desktop.db.text_writes import SqliteWrites
    from jxc_desktop.services.hub import Services

T = TypeVar("T")


class CliContext:
    def __init__(self, db_arg: str | None) -> None:
        # Here, not at the top: `jxc --help` never builds a context (db/server.py loads dataclasses).
        from jxc_desktop.db.server import is_server_url

        target = db_arg or os.environ.get("JXC_DB")
        self.server: str | None = target.strip() if target and is_server_url(target) else None
        self._path: Path | None = None
        if self.server is None:
            self._path = Path(db_arg).expanduser() if db_arg else default_db_path()
        self._services: Services | None = None
        self._plain: PlainReads | None = None
        self._plain_refused = False  # this command takes the full path from now on
        self._plain_writable: bool | None = None  # the file passed the checks before a write (text_writes.py)
        self.acting: str | None = None  # the owner who approved this command with the PIN (cli/owner.py)
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
        if self.server is None:
            return str(self._path)
        from jxc_desktop.db.server import shown_url

        return shown_url(self.server)

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

    def read(self, plain: Callable[[Rows], T], full: Callable[[Services], T]) -> T:
        """What a read-only command shows: ``plain(rows)`` on sqlite3 alone when the file allows it
        (:meth:`plain_reads`), else ``full(services)``. Both run the same SQL text (the service's).
        An error of sqlite3 in the plain read is not reported from there: the command runs again on
        the full path, which fails (or not) and words it exactly as before."""
        reads = self.plain_reads()
        if reads is not None:
            import sqlite3  # loaded by the plain reads (not at the top: `jxc --help` needs none)

            try:
                with reads.read() as rows:
                    return plain(rows)
            except sqlite3.Error:
                self._drop_plain()
        return full(self.services)

    def write(self, plain: Callable[[SqliteWrites], T], full: Callable[[Services], T]) -> T:
        """A small write (the owner-PIN check): ``plain(tx)`` on sqlite3 alone in one transaction that
        it commits, when the file allows reads so and passed the checks a Database makes before its
        first write (db/text_writes.py); else ``full(services)``. An error of sqlite3 before the
        commit rolls it back, and the command runs again on the full path, which words any error as
        before."""
        reads = self.plain_reads()
        if reads is not None and self._writable_as_is():
            import sqlite3

            from jxc_desktop.db.text_writes import plain_write

            tx: SqliteWrites | None = None
            try:
                with plain_write(self.path, owner=reads) as tx:
                    return plain(tx)
            except sqlite3.Error:
                if tx is not None and tx.committed:  # done once: never again on the other path
                    raise
                self._drop_plain()
        return full(self.services)

    def _writable_as_is(self) -> bool:
        if self._plain_writable is None:
            from jxc_desktop.db.text_writes import writable_as_is

            self._plain_writable = writable_as_is(self.path)
        return self._plain_writable

    def act_as(self, name: str) -> None:
        """Every audit entry this command writes from now on names ``name`` (the owner who approved it)."""
        self.acting = name
        if self._services is not None:
            self._services.db.acting = lambda: name

    def stream(self, plain: Callable[[Callable[[], AbstractContextManager[Rows]]], Iterator[T]],
               full: Callable[[Services], Iterable[T]]) -> Iterable[T]:
        """:meth:`read` for a list written out chunk by chunk, each chunk its own read:
        ``plain(read)`` on sqlite3 alone when the file allows it, else ``full(services)``. An error
        of sqlite3 before the first chunk sends the command to the full path (which words it as
        before); one later, after output began, goes to ``jxc`` as a database error (exit 2)."""
        reads = self.plain_reads()
        if reads is not None:
            import sqlite3

            chunks = plain(reads.read)
            try:
                first = next(chunks)
            except StopIteration:
                return ()
            except sqlite3.Error:
                self._drop_plain()
            else:
                return itertools.chain((first,), chunks)
        return full(self.services)

    def plain_reads(self) -> PlainReads | None:
        """The data file opened for reading with sqlite3 alone, with the open's jobs done (the same
        refusals, the stray files cleaned, the shop's language); None when the command must take the
        full path: a server, a file that needs creating, upgrading, stamping or recovering, or one
        sqlite3 cannot read."""
        if self._plain is not None:
            return self._plain
        if self.server is not None or self._services is not None or self._plain_refused:
            return None
        import sqlite3

        from jxc_desktop.db.migrate import ready_as_is
        from jxc_desktop.db.text_reads import PlainReads
        from jxc_desktop.services.safety.backup_place import BACKUP_DIR_KEY
        from jxc_desktop.services.shop.stored_settings import stored_setting

        ready = ready_as_is(self.path, create=self.may_create)  # raises the same refusals as migrate()
        if ready is None:
            self._plain_refused = True
            return None
        reads = PlainReads(self.path)
        try:
            with reads.read() as rows:
                folder, language = stored_setting(rows, BACKUP_DIR_KEY), stored_setting(rows, "language")
        except sqlite3.Error:
            reads.close()
            self._plain_refused = True
            return None
        self.migration, self._plain = ready, reads
        self._after_open(lambda: folder, lambda: language)
        return reads

    def _drop_plain(self) -> None:
        if self._plain is not None:
            self._plain.close()
        self._plain, self._plain_refused = None, True

    def _after_open(self, folder_setting: Callable[[], str | None], language: Callable[[], str | None]) -> None:
        """The jobs of every open of a data file, whichever path opened it (the settings as read
        by that path)."""
        from jxc_desktop.services.safety.backup_place import backup_folder, clean_stray_files

        # What killed restores and backups left behind (files a live one holds are kept). The
        # folder from the setting, not through the backup service: a command that makes no
        # backup does not load it (issue 15).
        with contextlib.suppress(JxcError, OSError):
            clean_stray_files(self.path, backup_folder(folder_setting(), self.path))
        # The shop's chosen language (receipts, reports, messages) wins over the system's.
        chosen = language()
        if chosen:
            i18n.set_language(chosen)

    def _open(self) -> None:
        # Imported when a command opens the file, not when `jxc` starts (issue 15: `jxc --help`
        # and the argument parsing stay free of SQLAlchemy and the services).
        from jxc_desktop.db.migrate import migrate
        from jxc_desktop.db.uow import Database
        from jxc_desktop.services.hub import Services
        from jxc_desktop.services.safety.backup_place import BACKUP_DIR_KEY

        if self.server is not None:
            self._open_server()
            return
        self.migration = migrate(self.path, create=self.may_create)
        # No full check before writing (seconds on a big file): the verdict of the last one (the
        # window's background check, a backup, a check on demand) is read beside the file.
        self._services = services = Services(Database.for_file(self.path))
        if self.acting is not None:
            self.act_as(self.acting)
        self._after_open(lambda: services.settings.get(BACKUP_DIR_KEY), lambda: services.settings.get("language"))

    def _open_server(self) -> None:
        from jxc_desktop.db.server import migrate_server
        from jxc_desktop.db.uow import Database
        from jxc_desktop.services.hub import Services

        assert self.server is not None
        self.migration = migrate_server(self.server, create=self.may_create)
        self._services = Services(Database.for_server(self.server))
        if self.acting is not None:
            self.act_as(self.acting)
        chosen = self._services.settings.get("language")
        if chosen:
            i18n.set_language(chosen)

    @property
    def services(self) -> Services:
        return self.open()

    def close(self) -> None:
        if self._plain is not None:
            self._plain.close()
            self._plain = None
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

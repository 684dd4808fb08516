"""A shop on a PostgreSQL server: recognising its URL, and bringing its schema to head.

``--db`` and ``JXC_DB`` take either a file path (SQLite, the default) or a server URL
(``postgresql://user@host/shop``; also ``postgres://`` and ``postgresql+psycopg://``). The program
talks to the server through psycopg 3; :func:`driver_url` names that driver for SQLAlchemy.

Migrating a server database runs every alembic revision inside ONE transaction (PostgreSQL's DDL
is transactional), under a transaction-scoped advisory lock so two tills starting at once do not
both upgrade: a failure or a kill leaves the database as it was, like the SQLite file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jxc_desktop.domain.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
DRIVER_SCHEME = "postgresql+psycopg://"
MIGRATE_LOCK = 0x4A58_4301  # pg_advisory_xact_lock key: "JXC" + 1, held while migrating


def is_server_url(target: str | Path | None) -> bool:
    """True for a PostgreSQL URL; a path (even one named like a URL on disk) is a file."""
    return isinstance(target, str) and target.strip().lower().startswith(SCHEMES)


def driver_url(url: str) -> str:
    """The SQLAlchemy URL with the psycopg 3 driver named (``postgresql://`` alone means psycopg2)."""
    url = url.strip()
    for scheme in SCHEMES:
        if url.lower().startswith(scheme):
            return DRIVER_SCHEME + url[len(scheme):]
    raise DatabaseError("Not a PostgreSQL URL: {url}", url=shown_url(url))


def shown_url(url: str) -> str:
    """``url`` fit for messages and logs: the password replaced by ``***``."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as typed, minus anything after '@'
        return url.split("@", 1)[-1]


def make_server_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine on the server. Connections are pooled (a server connection costs a round trip or
    three), checked before use (a restarted server), and every transaction is READ COMMITTED — the
    row locks of the writes (pg-locks) make stock and numbering safe, not the isolation level.
    ``read_only``: the server itself refuses every write of this engine's sessions (``jxc check``)."""
    from sqlalchemy import create_engine

    from jxc_desktop.db.models import server_index_options

    server_index_options()
    # SQL written as text escapes LIKE with ESCAPE '\\' (db/text_reads.py like_pattern): a backslash
    # in a string literal must be itself, as it is by default since PostgreSQL 9.1 — said here so a
    # server configured otherwise reads the same.
    options = ["-c standard_conforming_strings=on"]
    if read_only:
        options.append("-c default_transaction_read_only=on")
    connect_args: dict[str, object] = {"connect_timeout": 10, "options": " ".join(options)}
    return create_engine(driver_url(url), pool_pre_ping=True, pool_size=2, max_overflow=8,
                         connect_args=connect_args)


def server_revision(url: str) -> tuple[str | None, bool]:
    """(alembic revision or None, holds any table) of a server database, read only."""
    engine = make_server_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            return _state(conn)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class ServerMigration:
    url: str
    revision: str
    created: bool
    upgraded_from: str | None


def _state(conn: Connection) -> tuple[str | None, bool]:
    """(alembic revision or None, holds any table) of the database's current schema."""
    tables = set(conn.exec_driver_sql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").scalars())
    revision = None
    if "alembic_version" in tables:
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return revision, bool(tables)


def migrate_server(url: str, *, create: bool = True) -> ServerMigration:
    """Create the schema in an empty server database (only when ``create``), or upgrade it to head.

    Refuses a database holding another program's tables, one at a revision this program does not
    know (a newer program's), and — without ``create`` — an empty one. All or nothing.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from jxc_desktop.db.migrate import alembic_config, head_revision, known_revisions, short_reason

    head = head_revision()
    shown = shown_url(url)
    engine = make_server_engine(url)
    try:
        with engine.connect() as conn:
            with conn.begin():
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATE_LOCK})")
                revision, has_tables = _state(conn)
                if revision == head:
                    return ServerMigration(url, head, False, None)
                if revision is None and has_tables:
                    raise DatabaseError("The server database {url} holds tables of another program; nothing was "
                                        "changed. Use an empty database.", url=shown)
                if revision is not None and revision not in known_revisions():
                    raise DatabaseError("The server database {url} was made by a newer version of this program "
                                        "(schema {revision}); update the program on this PC.",
                                        url=shown, revision=revision)
                if revision is None and not create:
                    raise DatabaseError("The server database {url} is empty: make a shop in it first "
                                        "(jxc init or jxc move-to-server).", url=shown)
                from alembic import command

                cfg = alembic_config(driver_url(url))
                cfg.attributes["connection"] = conn  # in a transaction: alembic never commits on its own
                command.upgrade(cfg, "head")
                reached = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                if reached != head:
                    raise DatabaseError("The migrations stopped at schema {revision} instead of {head}.",
                                        revision=str(reached), head=head)
            return ServerMigration(url, head, revision is None, revision)
    except DatabaseError:
        raise
    except SQLAlchemyError as exc:
        raise DatabaseError("The server database {url} could not be prepared (nothing in it was changed): "
                            "{reason}", url=shown, reason=short_reason(exc)) from exc
    finally:
        engine.dispose()

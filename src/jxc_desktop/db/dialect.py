"""The seam between SQLite and PostgreSQL: every piece of SQL that differs between them.

Queries build these constructs without knowing the backend; each compiles to its own dialect's SQL
when the statement runs (SQLAlchemy's ``@compiles``). Migrations call the DDL helpers with
``op.get_bind().dialect.name``. Everything else in the program is portable SQLAlchemy.

- :class:`local_time`      ``datetime(col, '+N seconds')``  |  ``to_char(col AT TIME ZONE 'UTC' + N s)``
- :class:`all_digits`      ``GLOB '[0-9]*' AND NOT GLOB '*[^0-9]*'``  |  ``~ '^[0-9]+$'``
- :class:`position_of`     ``instr(a, b)``  |  ``strpos(a, b)``
- :class:`glob_match`      ``GLOB pattern``  |  ``LIKE`` with ``*`` read as ``%`` (letters/digits only)
- :class:`name_like`       ``LIKE`` (ASCII case folded by SQLite)  |  ``ILIKE``
- :class:`days_before`     ``julianday(d0) - julianday(col)``  |  ``d0::date - col``
- :class:`weekday_of`      ``strftime('%w', col)``  |  ``extract(dow …)`` (0 = Sunday on both)
- :class:`month_of`        ``strftime('%Y-%m', col)``  |  ``to_char(col, 'YYYY-MM')``
- :func:`append_only_ddl`  ``RAISE(ABORT, …)`` triggers  |  a plpgsql trigger function
- :func:`has_file_checks`  PRAGMA integrity/quick_check exist only in a SQLite file
- :func:`table_names`      ``sqlite_master``  |  ``information_schema.tables``
- :func:`join_in_order`    ``CROSS JOIN … ON`` (SQLite keeps the written order)  |  ``JOIN … ON``

The same pieces as SQL text, for reads written as text that sqlite3 alone may run, are in
dialect_text.py (standard library only); ``local_time``, ``position_of``, ``glob_match``,
``name_like``, ``days_before``, ``weekday_of`` and ``month_of`` compile through it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Integer, String, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from jxc_desktop.db import dialect_text
from jxc_desktop.db.dialect_text import (  # noqa: F401 - the ledger check's pieces, here as before
    POSTGRESQL,
    SQLITE,
    bigint,
    join_in_order,
    not_indexed,
)


def dialect_of(bind: Any) -> str:
    """``"sqlite"`` or ``"postgresql"`` for an engine, connection, session or dialect."""
    if isinstance(bind, Session):
        bind = bind.get_bind()
    dialect = getattr(bind, "dialect", bind)
    return str(getattr(dialect, "name", dialect))


def on_server(bind: Any) -> bool:
    return dialect_of(bind) == POSTGRESQL


# ---------------------------------------------------------------------------- query constructs
class local_time(FunctionElement[str]):  # noqa: N801 - used like func.*
    """``local_time(col, seconds)``: text ``YYYY-MM-DD HH:MM:SS`` of UTC column ``col`` shifted by
    a whole number of ``seconds`` (the local offset; services/reporting/sql.py picks it). The
    seconds are written into the SQL text, so a statement holding this is not cached."""

    type = String()
    inherit_cache = False


@compiles(local_time, SQLITE)
@compiles(local_time, POSTGRESQL)
def _local_time(element: local_time, compiler: Any, **kw: Any) -> str:
    col, seconds = list(element.clauses)
    return dialect_text.local_time(compiler.process(col, **kw), int(seconds.value), compiler.dialect.name)


class all_digits(FunctionElement[bool]):  # noqa: N801
    """``all_digits(col)``: the text is one or more ASCII digits and nothing else."""

    type = Boolean()
    inherit_cache = True


@compiles(all_digits, SQLITE)
def _all_digits_sqlite(element: all_digits, compiler: Any, **kw: Any) -> str:
    col = compiler.process(list(element.clauses)[0], **kw)
    return f"({col} GLOB '[0-9]*' AND {col} NOT GLOB '*[^0-9]*')"


@compiles(all_digits, POSTGRESQL)
def _all_digits_pg(element: all_digits, compiler: Any, **kw: Any) -> str:
    return f"({compiler.process(list(element.clauses)[0], **kw)} ~ '^[0-9]+$')"


class position_of(FunctionElement[int]):  # noqa: N801
    """``position_of(haystack, needle)``: 1-based place of ``needle``, 0 when absent (exact, case kept)."""

    type = Integer()
    inherit_cache = True


@compiles(position_of, SQLITE)
@compiles(position_of, POSTGRESQL)
def _position(element: position_of, compiler: Any, **kw: Any) -> str:
    haystack, needle = (compiler.process(c, **kw) for c in element.clauses)
    return dialect_text.position_of(haystack, needle, compiler.dialect.name)


class glob_match(FunctionElement[bool]):  # noqa: N801
    """``glob_match(col, pattern)``: SQLite's case-sensitive GLOB for a pattern of ASCII letters,
    digits, ``*`` and spaces only (search.py's pinyin rule); on PostgreSQL the same as LIKE."""

    type = Boolean()
    inherit_cache = True


@compiles(glob_match, SQLITE)
@compiles(glob_match, POSTGRESQL)
def _glob(element: glob_match, compiler: Any, **kw: Any) -> str:
    col, pattern = (compiler.process(c, **kw) for c in element.clauses)
    return dialect_text.glob_match(col, pattern, compiler.dialect.name, percent="%%")


class name_like(FunctionElement[bool]):  # noqa: N801
    """``name_like(col, pattern)``: LIKE with ``\\`` as the escape, ASCII letters matched in either
    case (SQLite's LIKE); PostgreSQL's ILIKE (which folds other letters' case as well)."""

    type = Boolean()
    inherit_cache = True


@compiles(name_like, SQLITE)
@compiles(name_like, POSTGRESQL)
def _like(element: name_like, compiler: Any, **kw: Any) -> str:
    col, pattern = (compiler.process(c, **kw) for c in element.clauses)
    return dialect_text.name_like(col, pattern, compiler.dialect.name)


class days_before(FunctionElement[float]):  # noqa: N801
    """``days_before(day_text, col)``: whole days from DATE column ``col`` to the ISO day ``day_text``."""

    type = Integer()
    inherit_cache = True


@compiles(days_before, SQLITE)
@compiles(days_before, POSTGRESQL)
def _days(element: days_before, compiler: Any, **kw: Any) -> str:
    day, col = (compiler.process(c, **kw) for c in element.clauses)
    return dialect_text.days_before(day, col, compiler.dialect.name)


class weekday_of(FunctionElement[int]):  # noqa: N801
    """``weekday_of(date_col)``: 0 = Sunday … 6 = Saturday."""

    type = Integer()
    inherit_cache = True


@compiles(weekday_of, SQLITE)
@compiles(weekday_of, POSTGRESQL)
def _weekday(element: weekday_of, compiler: Any, **kw: Any) -> str:
    return dialect_text.weekday_of(compiler.process(element.clauses, **kw), compiler.dialect.name)


class month_of(FunctionElement[str]):  # noqa: N801
    """``month_of(date_col)``: text ``YYYY-MM``."""

    type = String()
    inherit_cache = True


@compiles(month_of, SQLITE)
@compiles(month_of, POSTGRESQL)
def _month(element: month_of, compiler: Any, **kw: Any) -> str:
    return dialect_text.month_of(compiler.process(element.clauses, **kw), compiler.dialect.name)


# ---------------------------------------------------------------------------- DDL and checks
def append_only_ddl(dialect: str, table: str, message: str) -> list[str]:
    """Statements that make ``table`` refuse UPDATE and DELETE (and TRUNCATE on the server) with
    ``message``, which the program recognises in the error (services/safety/audit.py)."""
    if dialect == POSTGRESQL:
        func = f"{table}_append_only"
        return [
            f"CREATE OR REPLACE FUNCTION {func}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation'; END $$",
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {func}()",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {func}()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {func}()",
        ]
    return [f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END" for verb in ("UPDATE", "DELETE")]


def drop_append_only_ddl(dialect: str, table: str) -> list[str]:
    if dialect == POSTGRESQL:
        return [*(f"DROP TRIGGER IF EXISTS {table}_no_{verb} ON {table}" for verb in ("update", "delete", "truncate")),
                f"DROP FUNCTION IF EXISTS {table}_append_only()"]
    return [f"DROP TRIGGER IF EXISTS {table}_no_{verb} " for verb in ("update", "delete")]


def has_file_checks(bind: Any) -> bool:
    """PRAGMA integrity_check/quick_check/foreign_key_check: a SQLite file's own checks. The server
    keeps its pages itself; the ledger checks (services/safety) run on both."""
    return dialect_of(bind) == SQLITE


def table_names(session: Session) -> set[str]:
    """The tables of the database (views and indexes not included)."""
    return set(session.execute(text(dialect_text.table_names_sql(dialect_of(session)))).scalars())

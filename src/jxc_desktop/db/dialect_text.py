"""The SQLite/PostgreSQL seam for SQL written as text (db/text_reads.py): the pieces that differ
between the two, as SQL text, standard library only — so a command that reads a file with sqlite3
alone (issue 15) gets them without SQLAlchemy. db/dialect.py compiles its constructs to the same
text.

- :func:`local_time`   ``datetime(col, '+N seconds')``  |  ``to_char(col AT TIME ZONE 'UTC' + N s)``
- :func:`utc_literal`  an instant as a literal: text  |  ``TIMESTAMPTZ '…+00'``
- :func:`utc_bind`     an instant as a bind value: text as stored  |  an aware datetime
- :func:`day_bind`     a day as a bind value: ISO text  |  a date
- :func:`days_before`  whole days from a DATE column to a day  |  ``julianday`` difference  |  date minus date
- :func:`weekday_of`   a DATE column's weekday, 0 = Sunday  |  ``strftime('%w', …)``  |  ``extract(dow …)``
- :func:`month_of`     a DATE column's ``YYYY-MM``  |  ``strftime``  |  ``to_char``
- :func:`position_of`  ``instr(a, b)``  |  ``strpos(a, b)``
- :func:`glob_match`   ``GLOB pattern``  |  ``LIKE`` with ``*`` read as ``%`` (letters/digits only)
- :func:`name_like`    ``LIKE … ESCAPE`` (ASCII case folded by SQLite)  |  ``ILIKE … ESCAPE``
- :func:`table_names_sql`  the tables: ``sqlite_master``  |  ``information_schema.tables``
- :func:`bigint`, :func:`not_indexed`, :func:`join_in_order`: the ledger check's pieces (db/dialect.py re-exports them)
"""

from __future__ import annotations

from datetime import UTC, date, datetime

SQLITE, POSTGRESQL = "sqlite", "postgresql"


def local_time(col: str, seconds: int, dialect: str) -> str:
    """Text ``YYYY-MM-DD HH:MM:SS`` of UTC column ``col`` shifted by a whole number of ``seconds``."""
    if dialect == POSTGRESQL:
        # timestamptz AT TIME ZONE 'UTC' is the UTC wall time whatever the session's TimeZone is
        return f"to_char(({col} AT TIME ZONE 'UTC') + interval '{int(seconds)} seconds', 'YYYY-MM-DD HH24:MI:SS')"
    return f"datetime({col}, '{int(seconds):+d} seconds')"


def utc_stored(moment: datetime) -> str:
    """An aware instant as SQLite stores a UTC DateTime (db/types.UTCDateTime): ``YYYY-MM-DD HH:MM:SS.ffffff``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def utc_literal(stored: str, dialect: str) -> str:
    """An instant written as SQLite stores a UTC DateTime (``YYYY-MM-DD HH:MM:SS.ffffff``), as an SQL
    literal comparable with the column: text in SQLite, a ``timestamptz`` in UTC on the server."""
    return f"TIMESTAMPTZ '{stored}+00'" if dialect == POSTGRESQL else f"'{stored}'"


def utc_bind(moment: datetime, dialect: str) -> object:
    """An aware instant as a bind value for a UTC DateTime column: as the SQLite file holds it, or
    the aware datetime for PostgreSQL's ``timestamptz``. A naive one is refused, as the column type
    (db/types.py) refuses it: its zone would be guessed (the machine's, or the server session's)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return utc_stored(moment) if dialect == SQLITE else moment


def day_bind(value: date, dialect: str) -> object:
    """A DATE bind value: ISO text on SQLite (as the file holds it), a date for PostgreSQL."""
    return value.isoformat() if dialect == SQLITE else value


def days_before(day: str, col: str, dialect: str) -> str:
    """Days from DATE column ``col`` to the day ``day`` (SQL text of an ISO day or a date bind)."""
    if dialect == POSTGRESQL:
        return f"(CAST({day} AS DATE) - {col})"
    return f"(julianday({day}) - julianday({col}))"


def weekday_of(col: str, dialect: str) -> str:
    """The weekday of DATE column ``col`` as an integer, 0 = Sunday … 6 = Saturday (both alike)."""
    if dialect == POSTGRESQL:
        return f"CAST(extract(dow FROM {col}) AS INTEGER)"
    return f"CAST(strftime('%w', {col}) AS INTEGER)"


def month_of(col: str, dialect: str) -> str:
    """Text ``YYYY-MM`` of DATE column ``col``."""
    if dialect == POSTGRESQL:
        return f"to_char({col}, 'YYYY-MM')"
    return f"strftime('%Y-%m', {col})"


def position_of(haystack: str, needle: str, dialect: str) -> str:
    """1-based place of ``needle`` in ``haystack``, 0 when absent (exact, case kept)."""
    return f"strpos({haystack}, {needle})" if dialect == POSTGRESQL else f"instr({haystack}, {needle})"


def glob_match(col: str, pattern: str, dialect: str, percent: str = "%") -> str:
    """SQLite's case-sensitive GLOB for a ``pattern`` of ASCII letters, digits, ``*`` and spaces
    only; on PostgreSQL the same as LIKE. ``percent``: ``%`` as the text is run (``%%`` where a
    driver's format-style parameters read the statement, as SQLAlchemy's compiled text)."""
    if dialect == POSTGRESQL:
        return f"({col} LIKE replace({pattern}, '*', '{percent}'))"
    return f"({col} GLOB {pattern})"


def name_like(col: str, pattern: str, dialect: str) -> str:
    """LIKE with ``\\`` as the escape, ASCII letters matched in either case (SQLite's LIKE);
    PostgreSQL's ILIKE (which folds other letters' case as well)."""
    return f"({col} {'ILIKE' if dialect == POSTGRESQL else 'LIKE'} {pattern} ESCAPE '\\')"


def table_names_sql(dialect: str) -> str:
    """The names of the database's tables (views and indexes not included), one per row."""
    if dialect == POSTGRESQL:
        return ("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                "AND table_type = 'BASE TABLE'")
    return "SELECT name FROM sqlite_master WHERE type = 'table'"


# ---------------------------------------------------------------------------- raw SQL text pieces
# The ledger check (services/safety/books_*.py) is hand-written SQL tuned for SQLite; these keep its
# SQLite text byte for byte and give the server what it needs.
def bigint(expr: str, dialect: str) -> str:
    """``expr`` widened to 64 bits where the server would compute it in 32 (INTEGER is int4 there:
    a product of two amounts overflows; SQLite's integers are always 64-bit)."""
    return f"CAST({expr} AS BIGINT)" if dialect == POSTGRESQL else expr


def not_indexed(dialect: str) -> str:
    """SQLite's ``NOT INDEXED`` (a full scan beats an index walk for a whole-table aggregate);
    PostgreSQL's planner chooses itself."""
    return "NOT INDEXED" if dialect == SQLITE else ""


def join_in_order(dialect: str) -> str:
    """The join keyword that keeps the tables in the written order: SQLite's planner never reorders
    a ``CROSS JOIN`` (and accepts ``ON`` with it); PostgreSQL refuses ``CROSS JOIN … ON`` and plans
    the order itself."""
    return "CROSS JOIN" if dialect == SQLITE else "JOIN"

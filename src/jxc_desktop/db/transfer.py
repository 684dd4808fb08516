"""Copying a shop's rows from one database into another of the same schema (``jxc move-to-server``).

Storage only: which tables, in which order, in batches, inside the caller's one transaction. The
tables are those of db/models.py (the search indexes of migration 0007 are SQLite's own and are
rebuilt by the target's triggers or queries; ``alembic_version`` is the target's own, written by its
upgrade). Tables go parents first (``sorted_tables``), each row with its own id, so every foreign key
points at a row already there; a row that points at a LATER row of its own table (a category moved
under one made after it) is written without that reference first and given it at the table's end.
After the rows, each table's id sequence is set past the highest id (PostgreSQL: ``setval``), so the
next document gets a fresh id. The audit trail's append-only trigger refuses UPDATE and DELETE only:
the copy only inserts into it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Connection, Table, func, select, text, update

from jxc_desktop.db.models import Base
from jxc_desktop.domain.errors import StateError

BATCH_ROWS = 2000
# ``progress(rows_done, rows_total, table) -> bool | None``: return False to cancel (all is rolled back).
TransferProgress = Callable[[int, int, str], bool | None]


@dataclass(frozen=True)
class TableCount:
    table: str
    rows: int


def tables() -> list[Table]:
    """The shop's tables, parents before children."""
    return list(Base.metadata.sorted_tables)


def row_counts(conn: Connection) -> list[TableCount]:
    return [TableCount(t.name, int(conn.execute(select(func.count()).select_from(t)).scalar_one()))
            for t in tables()]


def non_empty(conn: Connection) -> list[TableCount]:
    """The shop tables of a database that already hold rows (an empty target has none)."""
    return [c for c in row_counts(conn) if c.rows]


def _self_refs(table: Table) -> list[Column[Any]]:
    return [fk.parent for fk in table.foreign_keys if fk.column.table is table]


def _id_column(table: Table) -> Column[Any] | None:
    cols = list(table.primary_key.columns)
    if len(cols) == 1 and cols[0].name == "id":
        return cols[0]
    return None


def _batches(source: Connection, table: Table, size: int) -> Iterator[list[dict[str, Any]]]:
    order = list(table.primary_key.columns)
    result = source.execution_options(yield_per=size).execute(select(table).order_by(*order))
    for part in result.partitions(size):
        yield [dict(row._mapping) for row in part]


def copy_rows(source: Connection, target: Connection, *, batch: int = BATCH_ROWS,
              progress: TransferProgress | None = None) -> list[TableCount]:
    """Insert every row of ``source``'s shop tables into ``target`` (same schema, no rows), in the
    caller's transaction on ``target``. Raises StateError when ``progress`` cancels."""
    counts = row_counts(source)
    total = sum(c.rows for c in counts)
    done = 0
    if progress is not None and progress(0, total, "") is False:
        raise StateError("The move was cancelled; nothing was written to the server.")
    for table in tables():
        refs, id_col = _self_refs(table), _id_column(table)
        later: list[tuple[int, str, Any]] = []  # (row id, column, value) to set once the table is in
        for rows in _batches(source, table, batch):
            if refs and id_col is not None:
                for row in rows:
                    for col in refs:
                        value = row[col.name]
                        if value is not None and value >= row[id_col.name]:
                            later.append((row[id_col.name], col.name, value))
                            row[col.name] = None
            target.execute(table.insert(), rows)
            done += len(rows)
            if progress is not None and progress(done, total, table.name) is False:
                raise StateError("The move was cancelled; nothing was written to the server.")
        for row_id, name, value in later:
            assert id_col is not None
            target.execute(update(table).where(id_col == row_id).values({name: value}))
    return counts


def reset_sequences(target: Connection) -> None:
    """Set each id sequence past the highest id copied (PostgreSQL keeps a sequence per serial column;
    SQLite takes max(rowid) + 1 by itself)."""
    if target.dialect.name != "postgresql":
        return
    for table in tables():
        id_col = _id_column(table)
        if id_col is None:
            continue
        seq = target.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}).scalar_one()
        if seq is None:  # an id without a sequence (not made serial by the migrations)
            continue
        high = target.execute(select(func.max(id_col))).scalar_one()
        # is_called=false: the next nextval() returns exactly this value
        target.execute(text("SELECT setval(CAST(:s AS regclass), :v, false)"), {"s": seq, "v": int(high or 0) + 1})

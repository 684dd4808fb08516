"""Migration 0005: no SQLite conflict clause may change or remove an existing audit row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from jxc_desktop.db.migrate import head_revision, migrate

ROW = ("2026-01-01 00:00:00", "price_change", "000001", '{"sale_price":250}', '{"sale_price":10}', "kept")


@pytest.fixture()
def audited(tmp_path: Path) -> Path:
    path = tmp_path / "shop.sqlite3"
    assert migrate(path).revision == head_revision() >= "0005"
    con = sqlite3.connect(path)
    con.execute("INSERT INTO audit_log (id, at, action, document, before, after, detail) VALUES (1, ?, ?, ?, ?, ?, ?)",
                ROW)
    con.commit()
    con.close()
    return path


def _rows(path: Path) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT id, at, action, document, before, after, detail FROM audit_log").fetchall()
    finally:
        con.close()


HOSTILE = [
    "INSERT OR REPLACE INTO audit_log (id, at, action, document, before, after, detail) "
    "VALUES (1, '2026-01-02', 'x', '', '', '', 'forged')",
    "INSERT OR ROLLBACK INTO audit_log (id, at, action, document, before, after, detail) "
    "VALUES (1, '2026-01-02', 'x', '', '', '', 'forged')",
    "INSERT OR ABORT INTO audit_log (id, at, action, document, before, after, detail) "
    "VALUES (1, '2026-01-02', 'x', '', '', '', 'forged')",
    "INSERT OR FAIL INTO audit_log (id, at, action, document, before, after, detail) "
    "VALUES (1, '2026-01-02', 'x', '', '', '', 'forged')",
    "INSERT OR IGNORE INTO audit_log (id, at, action, document, before, after, detail) "
    "VALUES (1, '2026-01-02', 'x', '', '', '', 'forged')",
    "REPLACE INTO audit_log (id, at, action, document, before, after, detail) "
    "VALUES (1, '2026-01-02', 'x', '', '', '', 'forged')",
    "INSERT INTO audit_log (id, at, action, document, before, after, detail) "
    "VALUES (1, '2026-01-02', 'x', '', '', '', 'forged')",
    "UPDATE OR REPLACE audit_log SET detail = 'forged' WHERE id = 1",
    "UPDATE OR IGNORE audit_log SET detail = 'forged' WHERE id = 1",
    "INSERT INTO audit_log (id, at, action, document, before, after, detail) "
    "VALUES (1, '2026-01-02', 'x', '', '', '', 'forged') ON CONFLICT(id) DO UPDATE SET detail = 'forged'",
]


@pytest.mark.parametrize("sql", HOSTILE, ids=lambda s: " ".join(s.split()[:3]))
def test_no_conflict_clause_rewrites_an_existing_row(audited: Path, sql: str) -> None:
    con = sqlite3.connect(audited)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(sql)
        con.commit()
    finally:
        con.close()
    assert _rows(audited) == [(1, *ROW)]


def test_new_rows_still_append(audited: Path) -> None:
    con = sqlite3.connect(audited)
    con.execute("INSERT INTO audit_log (at, action, document, before, after, detail) "
                "VALUES ('2026-01-03', 'backup', '', '', '', 'new')")
    con.execute("INSERT OR REPLACE INTO audit_log (id, at, action, document, before, after, detail) "
                "VALUES (7, '2026-01-03', 'backup', '', '', '', 'explicit new id')")
    con.commit()
    con.close()
    assert [r[0] for r in _rows(audited)] == [1, 2, 7]

"""db/health.py's expectation is exactly what the migrations build, so a future migration that adds
an index or trigger the models do not declare is noticed here, not taken for damage in a shop."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from jxc_desktop.db import health


def test_expected_schema_is_what_a_fresh_file_has(db_path: Path) -> None:
    con = sqlite3.connect(db_path)
    try:
        rows = {(t, n) for t, n in con.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger') "
            "AND name NOT LIKE 'sqlite_%'")}
        assert health.schema_problems(con) == []
    finally:
        con.close()
    expected = {(kind, name) for kind, names in health.expected_schema().items() for name in names}
    assert rows == expected


def test_missing_parts_are_named(db_path: Path) -> None:
    con = sqlite3.connect(db_path)
    try:
        con.execute("DROP INDEX ix_product_name")
        con.execute("DROP TRIGGER audit_log_no_update")
        assert health.schema_problems(con) == ["missing indexes: ix_product_name",
                                               "missing triggers: audit_log_no_update"]
    finally:
        con.close()
    assert health.integrity_problems(db_path) == ["missing indexes: ix_product_name",
                                                  "missing triggers: audit_log_no_update"]


def test_an_empty_file_is_a_new_shop_not_damage(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    sqlite3.connect(path).close()
    assert health.file_schema_problems(path) == [] and health.integrity_problems(path) == []

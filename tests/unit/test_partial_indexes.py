"""Partial indexes: the model names SQLite's clause; a process that opens a server database gives
PostgreSQL the same clause (db/models.py server_index_options), so both say what the migrations made."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import CreateIndex

from jxc_desktop.db.models import Base, server_index_options

PARTIAL = {"ix_stock_move_fixes": "WHERE kind IN ('cost_fix', 'revaluation')",
           "uq_shift_open_till": "WHERE status = 'open'",
           "ix_sale_line_sold_product": "WHERE kind = 'sale' AND status = 'posted'"}


def test_both_dialects_get_the_same_clause() -> None:
    server_index_options()
    server_index_options()  # twice is harmless
    seen = {}
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            if index.dialect_options["sqlite"]["where"] is not None:
                seen[index.name] = (str(CreateIndex(index).compile(dialect=sqlite.dialect())),
                                    str(CreateIndex(index).compile(dialect=postgresql.dialect())))
    assert set(seen) == set(PARTIAL)
    for name, (lite, server) in seen.items():
        assert lite.endswith(PARTIAL[name]) and server.endswith(PARTIAL[name]), name

"""Every row of a test's database as one text, to prove a refused write changed nothing: the SQLite
file's dump, or on a server database every table's rows in key order (``sqlite3.connect(None)``
would quietly open a new file named "None" and compare two empty dumps)."""

from __future__ import annotations

import sqlite3

from sqlalchemy import select

from jxc_desktop.db.models import Base
from jxc_desktop.services.hub import Services


def table_dump(services: Services) -> str:
    path = services.db.path
    if path is None:
        with services.db.engine.connect() as conn:
            return "\n".join(f"{t.name}: {tuple(row)}" for t in Base.metadata.sorted_tables
                             for row in conn.execute(select(t).order_by(*t.primary_key.columns)))
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()

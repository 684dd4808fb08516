"""A data file as a kill in the middle of a write leaves it in rollback-journal mode: the file with
changed pages spilled into it and the hot journal beside it that the next open must roll back."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path


def cut_off_copy(live: Path, path: Path, *statements: str) -> Path:
    """Run ``statements`` in a write on ``live`` and copy it with its journal to ``path`` before the
    commit (as a kill at that moment leaves it); ``live`` itself is rolled back. Returns ``path``."""
    con = sqlite3.connect(live, isolation_level=None)
    try:
        assert con.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
        con.execute("PRAGMA cache_size=1")  # spill the changed pages into the file before the commit
        con.execute("BEGIN IMMEDIATE")
        for sql in statements:
            con.execute(sql)
        shutil.copyfile(live, path)
        shutil.copyfile(live.with_name(live.name + "-journal"), path.with_name(path.name + "-journal"))
        con.execute("ROLLBACK")
    finally:
        con.close()
    return path

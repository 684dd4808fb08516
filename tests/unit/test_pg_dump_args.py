"""What pg_dump / pg_restore are given (db/pg_dump.py): a libpq URL without the driver name and without
the password (that travels in PGPASSWORD, never on a command line), and the tools of the server's
version first."""

from __future__ import annotations

from pathlib import Path

import pytest

from jxc_desktop.db import pg_dump


def test_the_password_stays_off_the_command_line() -> None:
    url = "postgresql+psycopg://jxc:s%40cret@192.168.1.10:5433/shop?sslmode=prefer"
    shown = pg_dump.libpq_url(url)
    assert shown == "postgresql://jxc@192.168.1.10:5433/shop?sslmode=prefer"
    assert pg_dump._env(url)["PGPASSWORD"] == "s@cret"
    assert pg_dump.libpq_url("postgresql://jxc@/shop?host=/tmp/sock&port=5432") == \
        "postgresql://jxc@/shop?host=%2Ftmp%2Fsock&port=5432"


def test_the_tools_of_the_server_version_come_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for major in ("13", "15", "16"):
        (tmp_path / major / "bin").mkdir(parents=True)
        (tmp_path / major / "bin" / "pg_dump").write_text("")
    monkeypatch.setattr(pg_dump, "DEBIAN_BINDIRS", tmp_path)
    monkeypatch.delenv("JXC_PG_BINDIR", raising=False)
    monkeypatch.setattr(pg_dump.shutil, "which", lambda name: None)
    assert pg_dump.find_tool("pg_dump", 15) == tmp_path / "15" / "bin" / "pg_dump"
    assert pg_dump.find_tool("pg_dump", 14) == tmp_path / "16" / "bin" / "pg_dump"  # a newer one reads 14 too
    with pytest.raises(Exception, match="pg_restore was not found"):
        pg_dump.find_tool("pg_restore", 15)

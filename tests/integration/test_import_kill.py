"""A product import or export killed (SIGKILL) halfway leaves the database and the destination file
as they were. The child process signals from its progress callback that it is mid-way and waits
there, so the kill always lands in the middle (decided by the data, not by timing)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jxc_desktop.services.hub import Services

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

CHILD = r"""
import sys, time
from pathlib import Path
from jxc_desktop.db.uow import Database
from jxc_desktop.services.hub import Services

mode, db, path, marker = sys.argv[1:5]
services = Services(Database.for_file(Path(db)))

def progress(done, total):
    if (mode == "export" and done >= 1000) or (mode == "import" and done > total // 2):
        Path(marker).write_text("mid-way")
        time.sleep(120)
    return True

if mode == "export":
    services.product_io.export_products(path, progress=progress)
else:
    services.product_io.import_products(path, progress=progress)
"""


def dump(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def kill_midway(mode: str, db: Path, path: Path, tmp_path: Path) -> None:
    marker = tmp_path / f"{mode}.marker"
    src = str(Path(__file__).resolve().parents[2] / "src")
    child = subprocess.Popen([sys.executable, "-c", CHILD, mode, str(db), str(path), str(marker)],
                             env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"})
    try:
        for _ in range(1200):  # until the child says it is mid-way (or gives up)
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists(), f"the child ended ({child.returncode}) before reaching the middle"
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()


def test_a_killed_export_leaves_the_old_file_whole(services: Services, db_path: Path, tmp_path: Path) -> None:
    lines = ["名称,售价"] + [f"商品{i},1.00" for i in range(2500)]
    (tmp_path / "in.csv").write_text("\n".join(lines), encoding="utf-8")
    assert services.product_io.import_products(tmp_path / "in.csv").created == 2500
    services.db.dispose()
    out = tmp_path / "out" / "products.csv"
    out.parent.mkdir()
    out.write_bytes(b"the owner's last export")
    kill_midway("export", db_path, out, tmp_path)
    assert out.read_bytes() == b"the owner's last export"
    assert services.product_io.export_products(out) == 2500  # the left-over temporary file is in no one's way


def test_a_killed_import_leaves_the_database_as_it_was(services: Services, db_path: Path, tmp_path: Path) -> None:
    lines = ["名称,售价"] + [f"商品{i},1.00" for i in range(5000)]
    (tmp_path / "in.csv").write_text("\n".join(lines), encoding="utf-8")
    services.db.dispose()
    before = dump(db_path)
    kill_midway("import", db_path, tmp_path / "in.csv", tmp_path)
    assert dump(db_path) == before
    assert services.product_io.import_products(tmp_path / "in.csv").created == 5000

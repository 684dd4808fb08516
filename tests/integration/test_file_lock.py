"""One window per data file, by its real identity: a symbolic link or a hard link to an open file
is the same file, in this process or another; a restore is refused while a window holds the file,
and a window's own restore keeps its hold on the new file (issue 11 §2, §5)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jxc_desktop import app
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.services.hub import Services

HOLDER = r"""
import sys
from pathlib import Path
from jxc_desktop.app import acquire_lock
lock = acquire_lock(Path(sys.argv[1]))
print("locked" if lock is not None else "refused", flush=True)
sys.stdin.readline()
"""


class Holder:
    """A window's lock held by another process until ``close()``."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env={**os.environ})
        assert self.proc.stdout is not None
        self.answer = self.proc.stdout.readline().strip()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        self.proc.wait(timeout=60)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "shop.sqlite3"
    migrate(path)
    services = Services(Database.for_file(path))
    from jxc_desktop.domain.product_rules import ProductInput

    services.catalog.create_product(ProductInput(name="矿泉水", sale_price=200), opening_qty=10_000)
    services.db.dispose()
    return path


@pytest.fixture
def links(shop: Path, tmp_path: Path) -> Iterator[dict[str, Path]]:
    other = tmp_path / "elsewhere"
    other.mkdir()
    sym = other / "link.sqlite3"
    sym.symlink_to(shop)
    hard = tmp_path / "hard-link.sqlite3"
    os.link(shop, hard)
    yield {"path": shop, "symlink": sym, "hard link": hard}


@pytest.mark.parametrize("way", ["path", "symlink", "hard link"])
def test_a_second_window_is_refused_by_any_path(links: dict[str, Path], way: str) -> None:
    first = app.acquire_lock(links["path"])
    assert first is not None
    try:
        assert app.acquire_lock(links[way]) is None  # this process
        other = Holder(links[way])  # another process
        try:
            assert other.answer == "refused"
        finally:
            other.close()
    finally:
        first.unlock()
    again = app.acquire_lock(links[way])
    assert again is not None
    again.unlock()


@pytest.mark.parametrize("way", ["symlink", "hard link"])
def test_a_window_in_another_process_holds_every_path(links: dict[str, Path], way: str) -> None:
    holder = Holder(links[way])
    try:
        assert holder.answer == "locked"
        assert app.acquire_lock(links["path"]) is None
    finally:
        holder.close()

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
from jxc_desktop.cli import main as jxc
from jxc_desktop.db.migrate import migrate
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import DatabaseError
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety import backup as bk

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


def test_cli_restore_is_refused_while_a_window_is_open(shop: Path, tmp_path: Path, capsys) -> None:
    copy = Services(Database.for_file(shop)).backup.backup(tmp_path / "usb")
    holder = Holder(shop)
    try:
        assert holder.answer == "locked"
        before = shop.read_bytes()
        assert jxc(["--db", str(shop), "restore", str(copy.path), "--yes"]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("jxc: ") and "in use" in err and "\n" not in err
        assert shop.read_bytes() == before
        assert not list((shop.parent / "backups").glob("*before-restore*"))
        assert not [p for p in shop.parent.iterdir() if p.name.startswith(".jxc-")]
        with pytest.raises(DatabaseError, match="in use"):
            bk.restore_file(copy.path, shop, tmp_path / "backups")
    finally:
        holder.close()


def test_the_windows_own_restore_keeps_the_window_lock_on_the_new_file(shop: Path, tmp_path: Path) -> None:
    services = Services(Database.for_file(shop))
    copy = services.backup.backup(tmp_path / "usb")
    lock = app.acquire_lock(shop)
    assert lock is not None
    try:
        inode = shop.stat().st_ino
        services.backup.restore(copy.path)  # the window asked for it: its own hold does not refuse it
        assert shop.stat().st_ino != inode  # a new file was renamed into place
        other = Holder(shop)
        try:
            assert other.answer == "refused"  # the window still holds the (new) file
        finally:
            other.close()
        assert lock.follow()
        assert services.catalog.count() == 1  # and works on it
    finally:
        lock.unlock()
        services.db.dispose()
    free = Holder(shop)
    try:
        assert free.answer == "locked"
    finally:
        free.close()


def test_restore_through_a_symlink_replaces_the_real_file(shop: Path, tmp_path: Path) -> None:
    copy = Services(Database.for_file(shop)).backup.backup(tmp_path / "usb")
    link = tmp_path / "elsewhere.sqlite3"
    link.symlink_to(shop)
    services = Services(Database.for_file(link))
    from jxc_desktop.domain.product_rules import ProductInput

    services.catalog.create_product(ProductInput(name="备份之后", sale_price=100))
    assert services.catalog.count() == 2
    bk.restore_file(copy.path, link, tmp_path / "backups")
    assert link.is_symlink() and services.catalog.count() == 1
    assert Services(Database.for_file(shop)).catalog.count() == 1
    services.db.dispose()


def test_a_read_only_file_is_not_called_already_open(shop: Path) -> None:
    shop.chmod(0o444)
    try:
        if os.access(shop, os.W_OK):
            pytest.skip("running as a user who can write any file")
        lock = app.acquire_lock(shop)
        assert lock is not None
        lock.unlock()
    finally:
        shop.chmod(0o644)

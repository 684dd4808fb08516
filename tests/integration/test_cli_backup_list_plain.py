"""``jxc backup --list`` on a file at head reads the backup folder, the recorded last backup and the
shop's id with sqlite3 alone (issue 15) and shows what the full path shows: this shop's copies
(made by jxc, by hand without a shop id, damaged), another shop's newer copy that never counts as
this shop's last good backup, a folder chosen in the settings, and a shop never backed up."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from jxc_desktop.cli import main
from jxc_desktop.services.safety.backup_files import LAST_BACKUP_KEY, SHOP_ID_KEY
from tests.integration.test_cli_plain_reads import same_as_full_path

ARGS = ["backup", "--list"]


def _set(path: Path, key: str, value: str | None) -> None:
    con = sqlite3.connect(path)
    with con:
        con.execute("DELETE FROM setting WHERE key = ?", (key,))
        if value is not None:
            con.execute("INSERT INTO setting (key, value) VALUES (?, ?)", (key, value))
    con.close()


def _same(shop: Path, capsys: pytest.CaptureFixture[str]) -> str:
    full = same_as_full_path(shop, ARGS, capsys)
    assert full[0] == 0
    return str(full[1])


def test_copies_of_this_shop_and_of_another(db_path: Path, make_product, capsys: pytest.CaptureFixture[str]) -> None:
    make_product("酱油 500ml", 990, 600, 12)
    assert main(["--db", str(db_path), "backup"]) == 0  # a checked copy; the time recorded in the file
    capsys.readouterr()
    folder = db_path.parent / "backups"
    (made,) = folder.glob("*.sqlite3")
    stem = db_path.stem
    theirs = folder / f"{stem}-backup-20991231-235959.sqlite3"  # another shop's, named like ours, newest
    shutil.copy(made, theirs)
    _set(theirs, SHOP_ID_KEY, "0123456789abcdef")
    by_hand = folder / f"{stem}-auto-20990101-000000.sqlite3"  # an older version's copy: no shop id
    shutil.copy(made, by_hand)
    _set(by_hand, SHOP_ID_KEY, None)
    (folder / f"{stem}-backup-20980101-000000.sqlite3").write_bytes(b"not a shop file" * 100)
    out = _same(db_path, capsys)
    assert out.count("\tok\t") == 3 and out.count("\tBAD\t") == 1, out
    assert out.rstrip().endswith("last good backup: " + _local("2099-01-01T00:00:00+00:00")), out
    _set(db_path, LAST_BACKUP_KEY, "2100-06-01T08:00:00+00:00")  # a later time recorded in the file wins
    assert _same(db_path, capsys).rstrip().endswith("last good backup: " + _local("2100-06-01T08:00:00+00:00"))


def _local(iso: str) -> str:
    from datetime import datetime

    return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")


def test_a_chosen_folder_and_never_backed_up(db_path: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert _same(db_path, capsys) == "last good backup: never\n"
    chosen = tmp_path / "U 盘" / "备份"
    chosen.mkdir(parents=True)
    _set(db_path, "backup_dir", f"  {chosen}  ")
    shutil.copy(db_path, chosen / f"{db_path.stem}-backup-20990101-000000.sqlite3")
    out = _same(db_path, capsys)
    assert out.startswith(str(chosen / f"{db_path.stem}-backup-20990101-000000.sqlite3") + "\t"), out
    assert out.endswith("last good backup: " + _local("2099-01-01T00:00:00+00:00") + "\n"), out

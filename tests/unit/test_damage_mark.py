"""The verdict of a full check kept beside the data file (db/damage_mark.py, issue 15)."""

from __future__ import annotations

import os
from pathlib import Path

from jxc_desktop.db import damage_mark


def test_record_read_clear(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    path.write_bytes(b"x")
    assert damage_mark.recorded(path) is None
    damage_mark.record(path, "row 3 missing from index ix_sale_day")
    assert damage_mark.mark_path(path).name == "shop.sqlite3-damaged"
    assert damage_mark.recorded(path) == "row 3 missing from index ix_sale_day"
    damage_mark.clear(path)
    assert damage_mark.recorded(path) is None and not damage_mark.mark_path(path).exists()


def test_a_file_put_in_its_place_is_not_the_one_judged(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    path.write_bytes(b"damaged")
    damage_mark.record(path, "bad page")
    other = tmp_path / "restored.sqlite3"
    other.write_bytes(b"good copy")
    os.replace(other, path)  # what a restore does: another file (another inode) under the same name
    assert damage_mark.recorded(path) is None
    assert not damage_mark.mark_path(path).exists()  # the outdated verdict is removed


def test_an_unreadable_mark_still_says_damaged(tmp_path: Path) -> None:
    path = tmp_path / "shop.sqlite3"
    path.write_bytes(b"x")
    damage_mark.mark_path(path).write_text("{half", encoding="utf-8")
    assert damage_mark.recorded(path)


def test_a_folder_that_cannot_be_written_keeps_no_mark_and_raises_nothing(tmp_path: Path) -> None:
    path = tmp_path / "missing-folder" / "shop.sqlite3"
    damage_mark.record(path, "bad")  # no folder: nothing written, no error
    assert damage_mark.recorded(path) is None

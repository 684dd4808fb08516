"""Where a shop's backup copies go, and the clean-up every open of a data file does: what killed
restores and backups left beside the file and in the backup folder.

Kept apart from backup_files.py (which reads, names and rotates the copies) because every ``jxc``
command runs this clean-up: it needs neither the copies' checks nor their dataclasses (issue 15: a
command's fixed cost)."""

from __future__ import annotations

from pathlib import Path

from jxc_desktop.db import tempfiles

BACKUP_DIR_KEY = "backup_dir"  # user setting ("" = a "backups" folder beside the data file)


def default_backup_dir(data_path: Path) -> Path:
    return Path(data_path).parent / "backups"


def backup_folder(chosen: str | None, data_path: Path) -> Path:
    """The backup folder: the ``backup_dir`` setting's value, else a "backups" folder beside the file."""
    chosen = (chosen or "").strip()
    return Path(chosen).expanduser() if chosen else default_backup_dir(data_path)


def clean_stray_files(data_path: Path, *folders: Path) -> list[Path]:
    """Remove what killed restores and backups left beside the data file and in the backup folders:
    ``.jxc-*.restoring`` / ``.jxc-*.partial`` (and the older ``<name>.restoring`` / ``*.partial``),
    with their ``-journal``/``-wal``/``-shm``. A file still held by a running restore or backup is
    left alone. Returns the removed paths."""
    data_path = Path(data_path)
    removed: list[Path] = []
    for folder in {data_path.parent, default_backup_dir(data_path), *map(Path, folders)}:
        removed += tempfiles.remove_abandoned(data_path, folder)
    return removed

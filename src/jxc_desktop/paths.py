"""Where things live: the user's data folder and the bundled resources / migrations.

Frozen-aware: inside a PyInstaller bundle the resources sit under ``sys._MEIPASS``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "jxc-desktop"
DB_FILENAME = "jxc.sqlite3"


def _bundle_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    # src/jxc_desktop/paths.py -> project root
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return _bundle_root() / "resources"


def migrations_dir() -> Path:
    return _bundle_root() / "migrations"


def data_dir() -> Path:
    override = os.environ.get("JXC_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The database file: ``JXC_DB`` if set, else the user data folder."""
    env = os.environ.get("JXC_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / DB_FILENAME

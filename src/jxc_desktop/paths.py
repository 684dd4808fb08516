"""Where things live: the user's data folder and the resources / migrations shipped in the package.

``migrations/`` and ``resources/`` sit inside the ``jxc_desktop`` package, so a wheel, an editable
install and the source tree all carry them; inside a PyInstaller bundle they sit under
``sys._MEIPASS/jxc_desktop`` (jxc.spec puts them there).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from functools import lru_cache
from importlib.resources import as_file, files
from pathlib import Path

APP_NAME = "jxc-desktop"
DB_FILENAME = "jxc.sqlite3"

# Holds any temporary copy as_file() makes until the program exits (none for a normal install).
_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


@lru_cache(maxsize=1)
def package_dir() -> Path:
    """The ``jxc_desktop`` folder on the file system (alembic and Qt want real paths)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        # The bundle keeps the code in its archive and the data files in this folder.
        return Path(frozen) / "jxc_desktop"
    # A real directory for every ordinary install, which as_file() returns as it is.
    return _extracted.enter_context(as_file(files("jxc_desktop")))


def resources_dir() -> Path:
    return package_dir() / "resources"


def migrations_dir() -> Path:
    return package_dir() / "migrations"


def data_dir() -> Path:
    override = os.environ.get("JXC_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """This PC's own settings (the till's name and printer: services/shop/till_config.py), kept out
    of the shop's database so that each till of a shared server database keeps its own."""
    override = os.environ.get("JXC_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Things this PC can rebuild at any time (the parsed CJK font: reports/font_cache.py);
    ``JXC_CACHE_DIR`` moves it."""
    override = os.environ.get("JXC_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The database file: ``JXC_DB`` if set, else the user data folder."""
    env = os.environ.get("JXC_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / DB_FILENAME

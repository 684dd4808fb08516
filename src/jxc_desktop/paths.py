"""Where things live: the user's data folder and the resources / migrations shipped in the package.

``migrations/`` and ``resources/`` sit inside the ``jxc_desktop`` package, so a wheel, an editable
install and the source tree all carry them; inside a PyInstaller bundle they sit under
``sys._MEIPASS/jxc_desktop`` (jxc.spec puts them there).
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

APP_NAME = "jxc-desktop"
DB_FILENAME = "jxc.sqlite3"


@lru_cache(maxsize=1)
def package_dir() -> Path:
    """The ``jxc_desktop`` folder on the file system (alembic and Qt want real paths)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        # The bundle keeps the code in its archive and the data files in this folder.
        return Path(frozen) / "jxc_desktop"
    # An ordinary install (source tree, editable, wheel) imports this module from a file in the
    # package's folder, which is then the folder importlib.resources would name, without its
    # ~15 ms of imports in every `jxc` command (issue 15).
    here = __spec__.origin if __spec__ is not None else None
    if __spec__ is not None and __spec__.has_location and here and os.path.isfile(here):
        return Path(here).parent
    return _extracted()


def _extracted() -> Path:
    """The package as a real folder through importlib.resources (a package imported from an
    archive): a temporary copy kept until the program exits."""
    import atexit
    import contextlib
    from importlib.resources import as_file, files

    stack = contextlib.ExitStack()
    atexit.register(stack.close)
    return stack.enter_context(as_file(files("jxc_desktop")))


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

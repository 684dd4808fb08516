"""The application icon, from PNGs rendered out of the package's resources/icons/jxc.svg
(tools/render_icons.py)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QIcon

from jxc_desktop.paths import resources_dir

SIZES = (16, 32, 48, 64, 128, 256)


@lru_cache(maxsize=1)
def app_icon() -> QIcon:
    icon = QIcon()
    folder = resources_dir() / "icons"
    for size in SIZES:
        path = folder / f"jxc-{size}.png"
        if path.exists():
            icon.addFile(str(path))
    return icon

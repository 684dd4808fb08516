"""Render src/jxc_desktop/resources/icons/jxc.svg to the PNG sizes the window and the bundle use.

Run after editing the SVG:  QT_QPA_PLATFORM=offscreen .venv/bin/python tools/render_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SIZES = (16, 32, 48, 64, 128, 256)


def main() -> int:
    app = QGuiApplication([])  # noqa: F841 - painting needs a GUI application
    icons = ROOT / "src" / "jxc_desktop" / "resources" / "icons"
    renderer = QSvgRenderer(str(icons / "jxc.svg"))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(icons / f"jxc-{size}.png"))
    print(f"rendered {len(SIZES)} sizes into {icons}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

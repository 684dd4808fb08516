"""A TrueType CJK font for every PDF, embedded so receipts look the same in every viewer.

ReportLab reads only TrueType outlines (not CFF, so not Noto Sans CJK .otf). We look in the bundle
first (jxc.spec copies one in), then the usual places on Linux, Windows and macOS. The built-in
STSong-Light CID font is not embedded and is the last resort only.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError

from jxc_desktop.paths import resources_dir
from jxc_desktop.reports.font_cache import settle, ttfont

FONT_NAME = "JxcCJK"
FALLBACK_CID = "STSong-Light"

# (file, index inside a .ttc collection)
CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
    ("C:/Windows/Fonts/simsun.ttc", 0),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
)


def candidate_files() -> list[tuple[Path, int]]:
    found: list[tuple[Path, int]] = []
    env = os.environ.get("JXC_CJK_FONT")
    if env:
        found.append((Path(env), 0))
    bundled = resources_dir() / "fonts"
    if bundled.is_dir():
        found += [(p, 0) for p in sorted(bundled.glob("*.tt[fc]"))]
    found += [(Path(f), i) for f, i in CANDIDATES]
    return [(p, i) for p, i in found if p.is_file()]


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register and return the name of the CJK font to use in every PDF."""
    for path, index in candidate_files():
        try:
            # the parsed tables come from this PC's cache after the first process (font_cache.py)
            pdfmetrics.registerFont(ttfont(FONT_NAME, path, index))
            return FONT_NAME
        except (TTFError, OSError):
            continue
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID))
    return FALLBACK_CID


def settle_cjk_font() -> None:
    """Make the CJK font's lookups as fast as a parsed font's (font_cache.settle): for a process that
    will draw many PDFs, called off the GUI thread once the window is up."""
    face = getattr(pdfmetrics.getFont(cjk_font()), "face", None)
    if face is not None:
        settle(face)


def font_file() -> Path | None:
    """The TrueType file the bundle should carry (jxc.spec uses this at build time)."""
    files = candidate_files()
    return files[0][0] if files else None

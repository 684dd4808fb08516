"""Cells written as PDF operators (reports/pdf_cells.py) read back as the same text ReportLab's own
text object gives: several font subsets, characters PDF strings must escape, two sizes."""

from __future__ import annotations

import subprocess
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from jxc_desktop.reports.fonts import cjk_font
from jxc_desktop.reports.pdf_cells import PageText, rules

# 400 different CJK characters: more than one 256-code subset of the embedded font.
WIDE = [chr(0x4E00 + i * 7) for i in range(400)]
TEXTS = ["a(b)c\\d 1/2", "康师傅红烧牛肉面", *("".join(WIDE[i:i + 20]) for i in range(0, 400, 20))]


def raw_text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def draw(path: Path, fast: bool) -> list[str]:
    font = cjk_font()
    canvas = Canvas(str(path), pagesize=A4)
    y = A4[1] - 40
    if fast:
        text = PageText(canvas, font)
        for i, t in enumerate(TEXTS):
            text.put(40, y - 18 * i, t, 8.5 if i % 2 else 7.0)
        text.draw()
        rules(canvas, [(30, y + 12, 560, y + 12), (30, y + 12, 30, y - 420)])
    else:
        obj = canvas.beginText()
        for i, t in enumerate(TEXTS):
            obj.setFont(font, 8.5 if i % 2 else 7.0)
            obj.setTextOrigin(40, y - 18 * i)
            obj.textOut(t)
        canvas.drawText(obj)
    canvas.showPage()
    canvas.save()
    return raw_text(path)


def test_cells_read_back_as_reportlabs_text_object_gives(tmp_path: Path) -> None:
    fast = draw(tmp_path / "fast.pdf", True)
    assert fast == draw(tmp_path / "slow.pdf", False)
    assert fast[0] == TEXTS[0] and fast[1] == TEXTS[1]
    assert "".join(fast[2:]) == "".join(WIDE)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "fast.pdf")], capture_output=True, text=True,
                           check=True).stdout
    assert fonts.count("TrueType") >= 2  # the characters spread over two subsets, both embedded

"""Many short texts and rules written straight into a page's content stream (the blank count sheet).

ReportLab's text object pays per call for what a sheet of 100 000 lines repeats 600 000 times: it
measures the string to move its cursor, formats the numbers of the origin, splits the string into
font subsets and escapes it byte by byte. Here each character is mapped to its subset code once —
by the font's own ``splitString``, so the subsets are the ones ReportLab makes and embeds — and kept;
a cell then costs a dictionary lookup per character and one formatted operator line. A font that is
not a TrueType subset font (the CID fallback) goes through ReportLab's text object unchanged.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas


def _escape(code: int) -> str:
    """One byte of a PDF string literal, escaped as ReportLab's escapePDF does."""
    if code < 32 or code >= 127:
        return f"\\{code:03o}"
    char = chr(code)
    return "\\" + char if char in "\\()" else char


_ESCAPED = tuple(_escape(b) for b in range(256))


class PageText:
    """The text of one page, collected as operators and drawn in one ``BT … ET`` block."""

    def __init__(self, canvas: Canvas, font_name: str) -> None:
        self.canvas = canvas
        self.font_name = font_name
        self.font: Any = pdfmetrics.getFont(font_name)
        self.fast = bool(getattr(self.font, "_dynamicFont", False)) and hasattr(self.font, "splitString")
        self._doc = canvas._doc  # the document the font subsets belong to (as ReportLab's text object)
        self._chars: dict[str, tuple[int, str]] = {}  # character -> (subset, escaped code)
        self._names: dict[int, str] = {}  # subset -> its PDF font name
        self._ops: list[str] = []
        self._state: tuple[int, float] | None = None  # (subset, size) last selected in this block
        self._slow: Any = None  # ReportLab's text object when the font is not a subset font

    def put(self, x: float, y: float, text: str, size: float) -> None:
        """``text`` with its baseline starting at (x, y)."""
        if not text:
            return
        if not self.fast:
            if self._slow is None:
                self._slow = self.canvas.beginText()
            self._slow.setFont(self.font_name, size)
            self._slow.setTextOrigin(x, y)
            self._slow.textOut(text)
            return
        ops = self._ops
        ops.append(f"1 0 0 1 {x:.4f} {y:.4f} Tm")  # fp_str keeps as many digits
        for subset, literal in self._runs(text):
            if self._state != (subset, size):
                ops.append(f"{self._name(subset)} {size:g} Tf")
                self._state = (subset, size)
            ops.append(f"({literal}) Tj")

    def draw(self) -> None:
        """Put the collected text on the page and start empty (the next page's text)."""
        if self._slow is not None:
            self.canvas.drawText(self._slow)
            self._slow = None
        if self._ops:
            self.canvas.addLiteral("BT " + " ".join(self._ops) + " ET")
            self._ops = []
        self._state = None

    def _runs(self, text: str) -> list[tuple[int, str]]:
        chars = self._chars
        runs: list[tuple[int, str]] = []
        current = -1
        part: list[str] = []
        for ch in text:
            got = chars.get(ch)
            if got is None:
                got = self._learn(ch)
            if got[0] != current:
                if part:
                    runs.append((current, "".join(part)))
                current, part = got[0], [got[1]]
            else:
                part.append(got[1])
        if part:
            runs.append((current, "".join(part)))
        return runs

    def _learn(self, ch: str) -> tuple[int, str]:
        # The font assigns the character its subset code for this document (and embeds it).
        (subset, code), = self.font.splitString(ch, self._doc)
        got = self._chars[ch] = (subset, "".join(_ESCAPED[b] for b in code))
        return got

    def _name(self, subset: int) -> str:
        name = self._names.get(subset)
        if name is None:
            name = self._names[subset] = self.font.getSubsetInternalName(subset, self._doc)
        return name


def rules(canvas: Canvas, segments: list[tuple[float, float, float, float]]) -> None:
    """Straight lines (x1, y1, x2, y2) stroked as one path, in the canvas's current stroke colour
    and width."""
    if segments:
        canvas.addLiteral(" ".join(f"{x1:.4f} {y1:.4f} m {x2:.4f} {y2:.4f} l" for x1, y1, x2, y2 in segments)
                          + " S")

"""The bars and digits of an EAN-13 code as ReportLab's eanbc widget lays them out, as plain numbers.

``Ean13BarcodeWidget.draw()`` builds a graphics ``Group`` of Rect and String shapes, and every
attribute of every shape is validated as it is set: about 3 ms a code, most of a 1 000-label run.
``marks()`` reads the same bar pattern from the widget's own encoding (its digit tables, guards and
quiet zones) without building shapes; ``shape_marks()`` walks ``draw()``'s group, and is what
``marks()`` falls back on should the widget's insides change (tests/unit/test_ean13_marks.py holds
the two to the same result).
"""

from __future__ import annotations

from reportlab.graphics.barcode.eanbc import Ean13BarcodeWidget
from reportlab.graphics.shapes import Rect, String

Bar = tuple[float, float, float, float]  # x, y, width, height
Text = tuple[float, float, str, str]  # x, y, text, anchor (start | middle | end)


def shape_marks(widget: Ean13BarcodeWidget) -> tuple[list[Bar], list[Text]]:
    """Bars and digits from the widget's drawing (the reference; slow)."""
    bars: list[Bar] = []
    texts: list[Text] = []
    for shape in widget.draw().contents:
        if isinstance(shape, Rect) and shape.fillColor is not None:
            bars.append((shape.x, shape.y, shape.width, shape.height))
        elif isinstance(shape, String):
            texts.append((shape.x, shape.y, shape.text, shape.textAnchor))
    return bars, texts


def _fast(w: Ean13BarcodeWidget) -> tuple[list[Bar], list[Text]]:
    s = w.value + w._checkdigit(w.value)
    w._lquiet = lquiet = w._calc_quiet(w.lquiet)
    rquiet = w._calc_quiet(w.rquiet)
    signal: list[str] = [lquiet * "0", w._tail]
    w._encode_left(s, signal.append)
    signal.append(w._sep)
    signal.extend(w._right[int(c)] for c in s[w._start_right:])
    signal += [w._tail, rquiet * "0"]
    module, height, fth = w.barWidth, w.barHeight, w.fontSize * 1.2
    bars: list[Bar] = []
    x, y = w.x, w.y
    last: list[float] | None = None
    for i, c in enumerate("".join(signal)):
        if c == "1":
            dh = fth if w._short_bar(i) else 0
            if last is not None and last[1] == y + dh:
                last[2] += module
            else:
                last = [x, y + dh, module, height - dh]
                bars.append(last)  # type: ignore[arg-type]
        else:
            last = None
        x += module
    texts: list[Text] = []
    if w.humanReadable:
        ty = w.y + 0.2 * fth
        middle = w.x + (33 - 9 + lquiet) * module
        texts = [(w.x + module * (lquiet - 8), ty, s[0], "start"), (middle, ty, s[1:7], "middle"),
                 (middle + 47 * module, ty, s[7:], "middle")]
    return [(b[0], b[1], b[2], b[3]) for b in bars], texts


def marks(widget: Ean13BarcodeWidget) -> tuple[list[Bar], list[Text]]:
    """Bars and digits of ``widget``, in the widget's own coordinates."""
    try:
        return _fast(widget)
    except (AttributeError, TypeError, ValueError, IndexError):
        return shape_marks(widget)

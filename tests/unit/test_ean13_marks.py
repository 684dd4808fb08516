"""reports/ean13_marks.py: the quick reading of the eanbc widget's bars and digits gives exactly what
the widget itself draws, for many codes, sizes and quiet-zone settings."""

from __future__ import annotations

import random

import pytest
from reportlab.graphics.barcode.eanbc import Ean13BarcodeWidget

from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.reports import ean13_marks
from jxc_desktop.reports.ean13_marks import marks, shape_marks


@pytest.mark.parametrize("seed", range(5))
def test_quick_marks_equal_the_widget_drawing(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        code = with_check_digit("".join(rng.choice("0123456789") for _ in range(12)))
        widget = Ean13BarcodeWidget(code[:12], barWidth=rng.choice([0.72, 0.96, 1.0631]),
                                    barHeight=rng.uniform(10, 60), fontSize=rng.uniform(4, 9),
                                    humanReadable=rng.random() < 0.9, quiet=rng.random() < 0.9)
        bars, texts = marks(widget)
        ref_bars, ref_texts = shape_marks(widget)
        assert len(bars) == len(ref_bars) and len(bars) >= 30
        for got, ref in zip(bars, ref_bars, strict=True):
            assert got == pytest.approx(ref, abs=1e-9)
        assert [(t[2], t[3]) for t in texts] == [(t[2], t[3]) for t in ref_texts]
        for got_t, ref_t in zip(texts, ref_texts, strict=True):
            assert got_t[:2] == pytest.approx(ref_t[:2], abs=1e-9)
        assert [t[2] for t in texts] == ([code[0], code[1:7], code[7:]] if widget.humanReadable else [])


def test_falls_back_on_the_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    widget = Ean13BarcodeWidget("200000000001", barWidth=0.96, barHeight=20)

    def broken(w: Ean13BarcodeWidget) -> None:
        raise AttributeError("_encode_left")

    monkeypatch.setattr(ean13_marks, "_fast", broken)
    assert marks(widget) == shape_marks(widget)

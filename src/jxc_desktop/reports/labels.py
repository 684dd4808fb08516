"""Price tags and barcode labels: ``LabelItem`` values in, a PDF out.

Thermal label rolls (40×30, 50×30, 60×40 mm) get one label per page, the page being the label, as
label printers expect; A4 sheets of 3×8 and 4×10 labels get them in rows. The name and the other
texts are in the embedded CJK font (reports.fonts). An EAN-13 code is drawn as EAN-13 with its
digits under the bars; any other code (or the product code when there is no barcode) as CODE128.
On an A4 sheet a module is 1/75 inch (0.339 mm, EAN-13 at 103 %) when it fits and never below 0.25 mm; on a thermal
label it is a whole number of printer dots (203 dpi: 0.125 mm; 2 or 3) so that no bar is smeared.

The EAN-13 bars come from the eanbc widget as plain numbers (reports/ean13_marks.py) and go down as one path.
A product printed many times (one label per unit of a delivery) is drawn once as a PDF form and
placed again, which keeps a thousand labels small and quick.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.eanbc import Ean13BarcodeWidget
from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from jxc_desktop.domain.barcode import is_valid_gs1
from jxc_desktop.domain.money import format_fen
from jxc_desktop.i18n import _
from jxc_desktop.reports.ean13_marks import marks
from jxc_desktop.reports.fonts import cjk_font
from jxc_desktop.services.catalog.dto import LabelItem

KINDS = ("price", "barcode")
DOT = 25.4 / 203 * mm  # one dot of a 203 dpi thermal printer
SHEET_MODULE = 72 / 75  # points: 1/75 inch
EAN_MODULES = 113  # 95 bars and spaces + 11 quiet modules left, 7 right


@dataclass(frozen=True)
class LabelFormat:
    name: str
    label_w: float  # points
    label_h: float
    cols: int = 1
    rows: int = 1
    left: float = 0.0  # sheet margins and gaps between labels (A4 sheets only)
    top: float = 0.0
    gap_x: float = 0.0
    gap_y: float = 0.0

    @property
    def thermal(self) -> bool:
        return self.cols == 1 and self.rows == 1

    @property
    def page(self) -> tuple[float, float]:
        return (self.label_w, self.label_h) if self.thermal else A4

    @property
    def per_page(self) -> int:
        return self.cols * self.rows

    def origin(self, slot: int) -> tuple[float, float]:
        """The lower-left corner of label ``slot`` on its page (row by row from the top left)."""
        if self.thermal:
            return 0.0, 0.0
        row, col = divmod(slot, self.cols)
        x = self.left + col * (self.label_w + self.gap_x)
        y = A4[1] - self.top - (row + 1) * self.label_h - row * self.gap_y
        return x, y


# Sheet geometry of the usual stock: 3×8 of 70×36 mm and 4×10 of 48.5×25.4 mm on A4.
FORMATS: dict[str, LabelFormat] = {
    "40x30": LabelFormat("40x30", 40 * mm, 30 * mm),
    "50x30": LabelFormat("50x30", 50 * mm, 30 * mm),
    "60x40": LabelFormat("60x40", 60 * mm, 40 * mm),
    "a4-3x8": LabelFormat("a4-3x8", 70 * mm, 36 * mm, 3, 8, left=0.0, top=4.5 * mm),
    "a4-4x10": LabelFormat("a4-4x10", 48.5 * mm, 25.4 * mm, 4, 10, left=8 * mm, top=21.5 * mm),
}


def fit(text: str, font: str, size: float, width: float, min_size: float) -> tuple[str, float]:
    """``text`` at the largest size down to ``min_size`` that fits ``width``, else cut with an ellipsis."""
    w = stringWidth(text, font, size)
    if w <= width:
        return text, size
    size = max(min_size, size * width / w)
    if stringWidth(text, font, size) <= width:
        return text, size
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…", size


def is_ean13(code: str) -> bool:
    return len(code) == 13 and is_valid_gs1(code)


class _Label:
    """Draws one label with its lower-left corner at (0, 0)."""

    def __init__(self, fmt: LabelFormat, kind: str) -> None:
        self.fmt, self.kind = fmt, kind
        self.font = cjk_font()
        self.w, self.h = fmt.label_w, fmt.label_h
        # A sheet printer leaves its edges blank; a label printer prints to the label's edge.
        self.pad = (1.5 * mm if self.h < 35 * mm else 2.2 * mm) if fmt.thermal else 3.5 * mm
        self.k = self.h / (30 * mm)  # text sizes scale with the label's height
        self.inner = self.w - 2 * self.pad

    def _text(self, c: Canvas, text: str, x: float, y: float, size: float, *, width: float | None = None,
              bold: bool = False, align: str = "left", min_size: float = 5.0) -> float:
        text, size = fit(text, self.font, size, width or self.inner, min_size)
        t = c.beginText()
        t.setFont(self.font, size)
        # The CJK font has no bold face: fill and stroke the outline. The mode is page state in PDF,
        # so it is set on every text (the barcode's digits must not come out stroked).
        t.setTextRenderMode(2 if bold else 0)
        if bold:
            c.setLineWidth(size * 0.035)
        tw = stringWidth(text, self.font, size)
        t.setTextOrigin(x - tw if align == "right" else x, y)
        t.textOut(text)
        if bold:
            t.setTextRenderMode(0)
        c.drawText(t)
        return tw

    def _module(self, modules: int, minimum: float) -> float:
        # On a thermal label a module is 2 or 3 printer dots (76 % or 114 % of EAN-13's 0.33 mm).
        if self.fmt.thermal:
            return max(2 * DOT, min(3 * DOT, int(self.inner / modules / DOT) * DOT))
        # On a sheet: 1/75 inch (0.339 mm, EAN-13 at 103 %), 4 dots of a 300 dpi and 8 of a 600 dpi
        # printer, so that every bar is a whole number of dots; narrower only if the label needs it.
        return max(min(SHEET_MODULE, self.inner / modules), minimum)

    def _barcode(self, c: Canvas, item: LabelItem, y: float, bar_h: float) -> None:
        """The barcode centred with its lowest point at ``y`` (digits included)."""
        code = item.barcode or item.code
        digit_size = 6.5 * min(self.k, 1.2)
        if is_ean13(code):
            module = self._module(EAN_MODULES, 0.25 * mm)
            widget = Ean13BarcodeWidget(code[:12], barWidth=module, barHeight=bar_h,
                                        fontName=self.font, fontSize=digit_size)
            self._ean13(c, widget, (self.w - widget.width) / 2, y)
            return
        probe = Code128(code, barWidth=1, barHeight=bar_h, quiet=True)
        module = min(SHEET_MODULE, self.inner / probe.width)
        if self.fmt.thermal and module >= 2 * DOT:
            module = int(module / DOT) * DOT
        bars = Code128(code, barWidth=module, barHeight=bar_h, quiet=True)
        bars.drawOn(c, (self.w - bars.width) / 2, y + digit_size * 1.1)
        self._text(c, code, self.w / 2 - stringWidth(code, self.font, digit_size) / 2, y, digit_size,
                   min_size=4)

    def _ean13(self, c: Canvas, widget: Ean13BarcodeWidget, dx: float, dy: float) -> None:
        """The widget's bars as one path and its digits as text, straight onto the canvas (renderPDF
        would draw and check shape by shape: 5 ms a barcode)."""
        bars, texts = marks(widget)
        path = c.beginPath()
        for x, y, w, h in bars:
            path.rect(dx + x, dy + y, w, h)
        c.setFillColor(black)
        c.drawPath(path, stroke=0, fill=1)
        c.setFont(widget.fontName, widget.fontSize)
        for x, y, text, anchor in texts:
            if anchor == "middle":
                c.drawCentredString(dx + x, dy + y, text)
            elif anchor == "end":
                c.drawRightString(dx + x, dy + y, text)
            else:
                c.drawString(dx + x, dy + y, text)

    def draw(self, c: Canvas, item: LabelItem) -> None:
        if self.kind == "price":
            self._price_tag(c, item)
        else:
            self._barcode_label(c, item)

    def _price_tag(self, c: Canvas, item: LabelItem) -> None:
        k, pad, top = self.k, self.pad, self.h - self.pad
        name_size = 9.5 * k
        y = top - name_size
        self._text(c, item.name, pad, y, name_size, bold=True)
        small = 6.5 * k
        parts = [f"{_('Spec')}：{item.spec}" if item.spec else "", f"{_('Unit')}：{item.unit}" if item.unit else ""]
        y -= small + 1.2 * k
        self._text(c, "  ".join(p for p in parts if p), pad, y, small, min_size=4.5)
        if item.origin:  # a line of its own: an origin is often a province and a city
            y -= small + 0.8 * k
            self._text(c, f"{_('Origin')}：{item.origin}", pad, y, small, min_size=4.5)
        price_size = 17 * k
        y -= price_size * 0.95
        price = format_fen(item.price)
        if item.member_price is not None:
            member = f"{_('Member')} {format_fen(item.member_price)}"
            self._text(c, member, self.w - pad, y, 7 * k, width=self.inner * 0.45, align="right", min_size=4.5)
            self._text(c, price, pad, y, price_size, width=self.inner * 0.55, bold=True)
        else:
            self._text(c, price, pad, y, price_size, bold=True)
        bottom = pad * 0.6
        self._barcode(c, item, bottom, max(5 * mm, y - bottom - 8.5 * min(k, 1.2) - 1.2 * mm))

    def _barcode_label(self, c: Canvas, item: LabelItem) -> None:
        k, pad, top = self.k, self.pad, self.h - self.pad
        name_size = 8.5 * k
        y = top - name_size
        self._text(c, item.name, pad, y, name_size, bold=True)
        small = 7 * k
        y -= small + 1.3 * k
        price = format_fen(item.price)
        pw = self._text(c, price, self.w - pad, y, 9 * k, width=self.inner * 0.4, align="right", bold=True)
        variant = " ".join(v for v in (item.colour, item.size) if v)
        left = "  ".join(v for v in (item.code, variant) if v)
        self._text(c, left, pad, y, small, width=self.inner - pw - 1.5 * mm, min_size=4.5)
        bottom = pad * 0.6
        self._barcode(c, item, bottom, max(6 * mm, y - bottom - 8.5 * min(k, 1.2) - 1.5 * mm))


def expand(items: Sequence[LabelItem]) -> Iterator[tuple[int, LabelItem]]:
    """Each item ``copies`` times, with its index (the form it is drawn as)."""
    for i, item in enumerate(items):
        for _n in range(item.copies):
            yield i, item


def label_count(items: Sequence[LabelItem]) -> int:
    return sum(i.copies for i in items)


def labels_pdf(items: Sequence[LabelItem], fmt: str | LabelFormat, kind: str = "price",
               target: Path | str | io.BytesIO | None = None) -> bytes:
    """The labels as a PDF (bytes; also written to ``target`` when given)."""
    form = FORMATS[fmt] if isinstance(fmt, str) else fmt
    if kind not in KINDS:
        raise ValueError(kind)
    buf = io.BytesIO()
    title = _("Price tags") if kind == "price" else _("Barcode labels")
    c = Canvas(buf, pagesize=form.page, pageCompression=1, initialFontName=cjk_font())
    c.setTitle(title)
    c.setAuthor("JXC Desktop")
    painter = _Label(form, kind)
    made: set[int] = set()
    slot = 0
    for index, item in expand(items):
        if slot == form.per_page:
            c.showPage()
            slot = 0
        x, y = form.origin(slot)
        if item.copies == 1:
            c.saveState()
            c.translate(x, y)
            painter.draw(c, item)
            c.restoreState()
        else:
            name = f"L{index}"
            if index not in made:
                c.beginForm(name, 0, 0, form.label_w, form.label_h)
                painter.draw(c, item)
                c.endForm()
                made.add(index)
            c.saveState()
            c.translate(x, y)
            c.doForm(name)
            c.restoreState()
        slot += 1
    if slot == 0:  # no labels: one empty page rather than a broken file
        c.setFont(cjk_font(), 8)
    c.showPage()
    c.save()
    data = buf.getvalue()
    if isinstance(target, io.BytesIO):
        target.write(data)
    elif target is not None:
        Path(target).write_bytes(data)
    return data

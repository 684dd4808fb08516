"""Receipts and the end-of-day slip (日结) for 58 mm and 80 mm roll printers.

The page is as tall as its content: everything is laid out first as a list of rows, measured,
and only then drawn on a page of exactly that height. The CJK font is embedded (reports.fonts),
the receipt number is also printed as a Code128 barcode so a return can scan it. What is printed
comes from reports/receipt_lines.py, which the ESC/POS printer (reports/receipt_escpos.py) reads too.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from jxc_desktop.domain.clock import utcnow
from jxc_desktop.reports.fonts import cjk_font, settle_cjk_font
from jxc_desktop.reports.receipt_lines import (
    BARCODE,
    GAP,
    PAIR,
    RULE,
    TEXT,
    Line,
    day_summary_lines,
    receipt_lines,
)
from jxc_desktop.services.sales.dto import DaySummary, PaymentDTO, SaleDTO, SaleLineDTO, ShopInfo

WIDTHS_MM = (58, 80)
MARGIN = 2.5 * mm


@dataclass(frozen=True)
class _Row:
    height: float
    draw: Callable[[Canvas, float], None]  # draws with the row's top at y


class _Layout:
    """Collects rows top-down for a roll of ``width`` points."""

    def __init__(self, width_mm: int) -> None:
        if width_mm not in WIDTHS_MM:
            width_mm = 80
        self.width = width_mm * mm
        self.inner = self.width - 2 * MARGIN
        self.font = cjk_font()
        self.size = 8.0 if width_mm == 58 else 9.0
        self.rows: list[_Row] = []

    def lead(self, size: float) -> float:
        return size * 1.3

    def wrap(self, text: str, size: float, width: float | None = None) -> list[str]:
        """Break ``text`` to fit ``width`` (CJK breaks anywhere; latin words stay whole if they can)."""
        width = width or self.inner
        lines: list[str] = []
        for para in (text or "").split("\n"):
            cur, at = "", 0
            while at < len(para):
                # as many of the next characters as still fit on the line: a longer text is never
                # narrower, so halving finds the first that does not (a few measurements, not one each)
                ok, end = at, len(para)
                if stringWidth(cur + para[at:], self.font, size) <= width:
                    ok = end
                while ok < end:
                    mid = (ok + end + 1) // 2
                    if stringWidth(cur + para[at:mid], self.font, size) <= width:
                        ok = mid
                    else:
                        end = mid - 1
                cur, at = cur + para[at:ok], ok
                if at == len(para):
                    break
                ch, at = para[at], at + 1
                cut = cur.rfind(" ")
                if ch != " " and cut > 0 and cur[cut + 1:].isascii() and cur[cut + 1:].isalnum():
                    lines.append(cur[:cut])
                    cur = cur[cut + 1:] + ch
                else:
                    lines.append(cur)
                    cur = ch.lstrip()
            lines.append(cur)
        return lines

    def text(self, text: str, *, size: float | None = None, align: str = "left") -> None:
        size = size or self.size
        for line in self.wrap(text, size):
            self._line(line, size, align)

    def _line(self, line: str, size: float, align: str) -> None:
        font, inner = self.font, self.inner

        def draw(c: Canvas, y: float) -> None:
            c.setFont(font, size)
            base = y - size
            if align == "center":
                c.drawCentredString(MARGIN + inner / 2, base, line)
            elif align == "right":
                c.drawRightString(MARGIN + inner, base, line)
            else:
                c.drawString(MARGIN, base, line)

        self.rows.append(_Row(self.lead(size), draw))

    def pair(self, left: str, right: str, *, size: float | None = None) -> None:
        """Left text and a right-aligned amount on one line (the left wraps if it must)."""
        size = size or self.size
        right_w = stringWidth(right, self.font, size) + 2 * mm
        parts = self.wrap(left, size, self.inner - right_w)
        for extra in parts[:-1]:
            self._line(extra, size, "left")
        font, inner, last = self.font, self.inner, parts[-1]

        def draw(c: Canvas, y: float) -> None:
            c.setFont(font, size)
            c.drawString(MARGIN, y - size, last)
            c.drawRightString(MARGIN + inner, y - size, right)

        self.rows.append(_Row(self.lead(size), draw))

    def rule(self, dashed: bool = True) -> None:
        inner = self.inner

        def draw(c: Canvas, y: float) -> None:
            c.setLineWidth(0.5)
            c.setDash(2, 2) if dashed else c.setDash()
            c.line(MARGIN, y - 2, MARGIN + inner, y - 2)
            c.setDash()

        self.rows.append(_Row(5, draw))

    def gap(self, h: float = 3) -> None:
        self.rows.append(_Row(h, lambda c, y: None))

    def barcode(self, value: str) -> None:
        probe = Code128(value, barWidth=1, barHeight=10 * mm, quiet=False)
        bar_width = min(1.2, self.inner / probe.width)
        code = Code128(value, barWidth=bar_width, barHeight=9 * mm, quiet=False)
        inner = self.inner

        def draw(c: Canvas, y: float) -> None:
            code.drawOn(c, MARGIN + (inner - code.width) / 2, y - 9 * mm)

        self.rows.append(_Row(9 * mm + 2, draw))

    def render(self) -> bytes:
        height = sum(r.height for r in self.rows) + 2 * MARGIN
        buf = io.BytesIO()
        c = Canvas(buf, pagesize=(self.width, height), pageCompression=1, initialFontName=self.font,
                   initialFontSize=self.size)
        c.setTitle("receipt")
        y = height - MARGIN
        for row in self.rows:
            row.draw(c, y)
            y -= row.height
        c.showPage()
        c.save()
        return buf.getvalue()


def render_lines(lines: Sequence[Line], width_mm: int) -> bytes:
    """Draw receipt lines (reports/receipt_lines.py) on a roll of ``width_mm``."""
    lay = _Layout(width_mm)
    for line in lines:
        size = lay.size + line.size
        if line.kind == TEXT:
            lay.text(line.text, size=size, align=line.align)
        elif line.kind == PAIR:
            lay.pair(line.text, line.right, size=size)
        elif line.kind == RULE:
            lay.rule()
        elif line.kind == GAP:
            lay.gap(line.height)
        elif line.kind == BARCODE:
            lay.barcode(line.text)
    return lay.render()


def receipt_pdf(sale: SaleDTO, shop: ShopInfo, width_mm: int | None = None) -> bytes:
    """The receipt of a sale or a customer return, as PDF bytes."""
    return render_lines(receipt_lines(sale, shop), width_mm or shop.width_mm)


def day_summary_pdf(summary: DaySummary, shop: ShopInfo, width_mm: int | None = None,
                    printed_at: datetime | None = None) -> bytes:
    """The end-of-day slip (日结): sales, returns and takings by payment method."""
    return render_lines(day_summary_lines(summary, shop, printed_at), width_mm or shop.width_mm)




def warm_up(width_mm: int = 58) -> float:
    """Draw one throwaway receipt (nothing is kept or printed) so that the first real receipt of the
    process does not pay for loading the CJK font, its glyph tables and ReportLab's first-use caches
    (issue 15: 138 ms for the first, 10 ms later), then gives the font the lookup dicts a process
    that prints all day wants (fonts.settle_cjk_font). The window calls it off the GUI thread once
    it is on screen. Returns the seconds it took."""
    started = time.perf_counter()
    now = utcnow()
    line = SaleLineDTO(id=0, line_no=1, product_id=0, name="预热 商品 Warm-up 0123456789", barcode="",
                       unit="个", qty=1000, unit_price=100, discount=0, amount=100, cost=0)
    sale = SaleDTO(id=0, number="S00000000-0000", kind="sale", status="posted", created_at=now,
                   business_day=now.date(), origin_number="", subtotal=100, discount=0, total=100, paid=100,
                   change=0, cost=0, lines=(line,), payments=(PaymentDTO("cash", 100, 100),))
    receipt_pdf(sale, ShopInfo("预热", "", "", "", "谢谢惠顾", width_mm))
    settle_cjk_font()
    return time.perf_counter() - started

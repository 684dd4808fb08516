"""Receipts and the end-of-day slip (日结) for 58 mm and 80 mm roll printers.

The page is as tall as its content: everything is laid out first as a list of rows, measured,
and only then drawn on a page of exactly that height. The CJK font is embedded (reports.fonts),
the receipt number is also printed as a Code128 barcode so a return can scan it.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from jxc_desktop.domain.cart import count_items
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.i18n import _
from jxc_desktop.reports.fonts import cjk_font
from jxc_desktop.services.sales.dto import DaySummary, PaymentDTO, SaleDTO, SaleLineDTO, ShopInfo
from jxc_desktop.services.staff.dto import DayShifts

WIDTHS_MM = (58, 80)
MARGIN = 2.5 * mm
METHOD_NAMES = {"cash": "Cash", "wechat": "WeChat", "alipay": "Alipay", "card": "Bank card"}


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
            cur = ""
            for ch in para:
                if stringWidth(cur + ch, self.font, size) <= width:
                    cur += ch
                    continue
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


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _head(lay: _Layout, shop: ShopInfo) -> None:
    if shop.name:
        lay.text(shop.name, size=lay.size + 3, align="center")
    for extra in (shop.address, _("Tel: {phone}").format(phone=shop.phone) if shop.phone else "", shop.header):
        if extra:
            lay.text(extra, align="center")


def receipt_pdf(sale: SaleDTO, shop: ShopInfo, width_mm: int | None = None) -> bytes:
    """The receipt of a sale or a customer return, as PDF bytes."""
    lay = _Layout(width_mm or shop.width_mm)
    is_return = sale.kind == "return"
    _head(lay, shop)
    lay.gap(2)
    lay.text(_("RETURN") if is_return else _("SALES RECEIPT"), size=lay.size + 1, align="center")
    lay.text(_("No.: {number}").format(number=sale.number))
    lay.text(_("Time: {time}").format(time=_local(sale.created_at)))
    if is_return and sale.origin_number:
        lay.text(_("Original receipt: {number}").format(number=sale.origin_number))
    if sale.cashier:
        lay.text(_("Cashier: {name}").format(name=sale.cashier))
    lay.rule()
    for line in sale.lines:
        lay.text(line.name)
        qty = format_qty(line.qty) + (line.unit if line.unit and line.unit not in ("个", "件") else "")
        gross = line.amount + line.discount
        lay.pair(f"  {qty} × {format_fen(line.unit_price, symbol=False)}", format_fen(gross, symbol=False))
        if line.discount:
            lay.pair("  " + _("Discount"), "-" + format_fen(line.discount, symbol=False))
    lay.rule()
    lay.pair(_("Items"), str(count_items(ln.qty for ln in sale.lines)))
    discount = sum(ln.discount for ln in sale.lines)
    if discount:
        lay.pair(_("Subtotal"), format_fen(sale.total + discount))
        lay.pair(_("Discount"), "-" + format_fen(discount))
    lay.pair(_("Refund") if is_return else _("Total"), format_fen(sale.total), size=lay.size + 2)
    for p in sale.payments:
        name = _(METHOD_NAMES.get(p.method, p.method))
        if p.method == "cash" and not is_return and p.tendered != p.amount:
            lay.pair(_("{method} received").format(method=name), format_fen(p.tendered))
        else:
            lay.pair(name, format_fen(p.amount))
    if sale.change:
        lay.pair(_("Change"), format_fen(sale.change), size=lay.size + 1)
    lay.rule()
    lay.barcode(sale.number)
    lay.gap(2)
    if shop.footer:
        lay.text(shop.footer, align="center")
    return lay.render()


def day_summary_pdf(summary: DaySummary, shop: ShopInfo, width_mm: int | None = None,
                    printed_at: datetime | None = None) -> bytes:
    """The end-of-day slip (日结): sales, returns and takings by payment method."""
    lay = _Layout(width_mm or shop.width_mm)
    _head(lay, shop)
    lay.gap(2)
    lay.text(_("END OF DAY SUMMARY"), size=lay.size + 1, align="center")
    lay.text(_("Day: {day}").format(day=summary.day.isoformat()))
    lay.text(_("Printed: {time}").format(time=_local(printed_at or utcnow())))
    lay.rule()
    lay.pair(_("Sales ({n})").format(n=summary.sales_count), format_fen(summary.sales_total))
    lay.pair(_("Returns ({n})").format(n=summary.returns_count),
             ("-" if summary.returns_total else "") + format_fen(summary.returns_total))
    lay.pair(_("Discounts given"), format_fen(summary.discount_total))
    lay.pair(_("Net sales"), format_fen(summary.net_total), size=lay.size + 2)
    lay.rule()
    lay.text(_("Takings by method"))
    for method, amount in summary.by_method.items():
        lay.pair("  " + _(METHOD_NAMES.get(method, method)), format_fen(amount))
    lay.pair(_("Total takings"), format_fen(sum(summary.by_method.values())))
    lay.rule()
    if summary.shifts.shifts:
        shifts_section(lay, summary.shifts)
    lay.gap(6)
    lay.text(_("Cashier: ____________"))
    return lay.render()


def signed(fen: int) -> str:
    return ("+" if fen > 0 else "") + format_fen(fen)


def shifts_section(lay: _Layout, day: DayShifts) -> None:
    """The day's shifts on the 日结 slip: each one's cash count, and their sums."""
    lay.text(_("Shifts"))
    for s in day.shifts:
        until = s.closed_at.astimezone().strftime("%H:%M") if s.closed_at else _("open")
        lay.text(_("  #{id} {cashier} {start}–{end}").format(
            id=s.id, cashier=s.cashier, start=s.opened_at.astimezone().strftime("%H:%M"), end=until))
        lay.pair("    " + _("Cash expected"), format_fen(s.expected))
        if s.counted is not None:
            lay.pair("    " + _("Cash counted"), format_fen(s.counted))
            lay.pair("    " + _("Over/short"), signed(s.over_short or 0))
    if day.cash_in or day.cash_out:
        lay.pair(_("Cash paid in"), format_fen(day.cash_in))
        lay.pair(_("Cash paid out"), "-" + format_fen(day.cash_out))
    lay.pair(_("Cash expected (shifts)"), format_fen(day.expected))
    lay.pair(_("Cash counted (shifts)"), format_fen(day.counted))
    lay.pair(_("Over/short (shifts)"), signed(day.over_short), size=lay.size + 1)
    if day.open_count:
        lay.text(_("{n} shift(s) still open").format(n=day.open_count))
    lay.rule()


def warm_up(width_mm: int = 58) -> float:
    """Draw one throwaway receipt (nothing is kept or printed) so that the first real receipt of the
    process does not pay for loading the CJK font, its glyph tables and ReportLab's first-use caches
    (issue 15: 138 ms for the first, 10 ms later). The window calls it off the GUI thread once it
    is on screen. Returns the seconds it took."""
    started = time.perf_counter()
    now = utcnow()
    line = SaleLineDTO(id=0, line_no=1, product_id=0, name="预热 商品 Warm-up 0123456789", barcode="",
                       unit="个", qty=1000, unit_price=100, discount=0, amount=100, cost=0)
    sale = SaleDTO(id=0, number="S00000000-0000", kind="sale", status="posted", created_at=now,
                   business_day=now.date(), origin_number="", subtotal=100, discount=0, total=100, paid=100,
                   change=0, cost=0, lines=(line,), payments=(PaymentDTO("cash", 100, 100),))
    receipt_pdf(sale, ShopInfo("预热", "", "", "", "谢谢惠顾", width_mm))
    return time.perf_counter() - started

"""The A4 wholesale sales note (销售单) as PDF (ReportLab).

DTO in, PDF out: shop, customer, number, date, the lines with their packs, the totals, the amount
in Chinese capitals (大写), what was paid now and put on account, the customer's balance owed, and
the signature lines 制单 / 送货 / 收货. The CJK font is embedded (reports.fonts).
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from jxc_desktop.domain.chinese_amount import amount_in_capitals
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.domain.wholesale_note import packs_text
from jxc_desktop.i18n import _
from jxc_desktop.reports.fonts import cjk_font
from jxc_desktop.reports.pdf_common import (
    HEAD_BG,
    MARGIN,
    PageFooter,
    a4_document,
    esc,
    grid_table,
    signature_lines,
)
from jxc_desktop.services.sales.dto import ShopInfo, WholesaleNoteDTO

ROWS_PER_TABLE = 300  # long notes are split so ReportLab lays out in bounded time
WIDTH = A4[0] - 2 * MARGIN


def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    return {
        "shop": ParagraphStyle("shop", fontName=font, fontSize=17, leading=22, alignment=1),
        "shopline": ParagraphStyle("shopline", fontName=font, fontSize=9, leading=12, alignment=1),
        "title": ParagraphStyle("title", fontName=font, fontSize=14, leading=20, alignment=1, spaceBefore=2),
        "meta": ParagraphStyle("meta", fontName=font, fontSize=9.5, leading=13),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=10.5),
        "sum": ParagraphStyle("sum", fontName=font, fontSize=10, leading=14),
        "sign": ParagraphStyle("sign", fontName=font, fontSize=10, leading=14),
    }


def _head(note: WholesaleNoteDTO, shop: ShopInfo, st: dict[str, ParagraphStyle]) -> list[object]:
    story: list[object] = []
    if shop.name:
        story.append(Paragraph(esc(shop.name), st["shop"]))
    if shop.address or shop.phone:
        story.append(Paragraph(esc(f"{shop.address}  {shop.phone}".strip()), st["shopline"]))
    story += [Paragraph(esc(_("Sales note")), st["title"]), Spacer(1, 3 * mm)]
    left = [_("Customer: {name}").format(name=note.customer_name or "—")]
    if note.customer_phone:
        left.append(_("Phone: {phone}").format(phone=note.customer_phone))
    if note.customer_address:
        left.append(_("Address: {address}").format(address=note.customer_address))
    right = [_("No.: {number}").format(number=note.number),
             _("Date: {day}").format(day=note.business_day.isoformat())]
    meta = Table([[Paragraph("<br/>".join(esc(x) for x in left), st["meta"]),
                   Paragraph("<br/>".join(esc(x) for x in right), st["meta"])]],
                 colWidths=[WIDTH * 0.6, WIDTH * 0.4])
    meta.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [*story, meta, Spacer(1, 3 * mm)]


def _table(rows: list[list[object]], widths: list[float], total_row: bool) -> Table:
    style: list[tuple[object, ...]] = [("ALIGN", (4, 1), (-1, -1), "RIGHT")]
    if total_row:
        style += [("SPAN", (0, -1), (3, -1)), ("BACKGROUND", (0, -1), (-1, -1), HEAD_BG),
                  ("FONT", (0, -1), (-1, -1), cjk_font(), 9.5)]
    return grid_table(rows, widths, style)


def _sums(note: WholesaleNoteDTO, st: dict[str, ParagraphStyle]) -> list[object]:
    capitals = _("Amount in words: {words}").format(words=amount_in_capitals(note.total))
    figures = [_("Total: {amount}").format(amount=format_fen(note.total))]
    if note.discount:
        figures.append(_("Discount: {amount}").format(amount=format_fen(note.discount)))
    money = [_("Paid now: {amount}").format(amount=format_fen(note.paid)),
             _("On account: {amount}").format(amount=format_fen(note.on_account))]
    if note.balance_owed is not None:
        money.append(_("Balance owed: {amount}").format(amount=format_fen(note.balance_owed)))
    box = Table([[Paragraph(esc(capitals), st["sum"]), Paragraph(esc("    ".join(figures)), st["sum"])],
                 [Paragraph(esc("    ".join(money)), st["sum"]), ""]],
                colWidths=[WIDTH * 0.62, WIDTH * 0.38])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, HEAD_BG.clone(red=0.5, green=0.5, blue=0.5)),
                             ("SPAN", (0, 1), (1, 1)), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                             ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [Spacer(1, 2 * mm), box]


def render(path: Path | str, note: WholesaleNoteDTO, shop: ShopInfo) -> Path:
    """Write the note as an A4 PDF to ``path``."""
    path = Path(path)
    _build(str(path), note, shop)
    return path


def render_bytes(note: WholesaleNoteDTO, shop: ShopInfo) -> bytes:
    """The note as A4 PDF bytes (the print path)."""
    buf = io.BytesIO()
    _build(buf, note, shop)
    return buf.getvalue()


def _build(target: str | io.BytesIO, note: WholesaleNoteDTO, shop: ShopInfo) -> None:
    st = _styles()
    label = f"{_('Sales note')} {note.number}"
    doc = a4_document(target, label)
    story = _head(note, shop, st)
    head = [_("No."), _("Code"), _("Name"), _("Unit"), _("Packs"), _("Qty"), _("Unit price"), _("Discount"),
            _("Amount")]
    widths = [8 * mm, 22 * mm, 54 * mm, 10 * mm, 20 * mm, 16 * mm, 18 * mm, 18 * mm, 20 * mm]  # 186 mm
    rows: list[list[object]] = [head]
    for ln in note.lines:
        name = f"{ln.name} {ln.spec}".strip()
        rows.append([str(ln.line_no), ln.code, Paragraph(esc(name), st["cell"]), ln.unit,
                     packs_text(ln.qty, ln.pack_size) if (ln.pack_size or 1) > 1 else "", format_qty(ln.qty), format_fen(ln.unit_price),
                     format_fen(ln.discount) if ln.discount else "", format_fen(ln.amount)])
        if len(rows) >= ROWS_PER_TABLE:
            story.append(_table(rows, widths, False))
            rows = [head]
    count = _("Total: {n} lines").format(n=len(note.lines))
    rows.append([count, "", "", "", "", format_qty(sum(ln.qty for ln in note.lines)), "",
                 format_fen(note.discount) if note.discount else "", format_fen(note.total)])
    story.append(_table(rows, widths, True))
    story += _sums(note, st)
    if note.note:
        story += [Spacer(1, 3 * mm), Paragraph(esc(_("Note: {text}").format(text=note.note)), st["meta"])]
    who = (_("Prepared by"), _("Delivered by"), _("Received by"))
    story.append(signature_lines(who, st["sign"], blank=16, date_blank=12, space=12 * mm, flush_left=True))
    doc.build(story, onFirstPage=PageFooter(label), onLaterPages=PageFooter(label))

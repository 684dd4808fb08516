"""The A4 purchase note (采购入库单) and purchase return note (采购退货单) as PDF (ReportLab).

DTO in, PDF out: shop, supplier, number, dates, the lines with batches, totals and signature
lines. Labels are English source strings translated by ``jxc_desktop.i18n._``; the CJK font is
embedded (reports.fonts). A reversed note carries a clear mark, a draft says so.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.i18n import _
from jxc_desktop.reports.fonts import cjk_font
from jxc_desktop.reports.pdf_common import (
    HEAD_BG,
    MARGIN,
    PageFooter,
    a4_document,
    esc,
    grid_table,
    local_minute,
    signature_lines,
)
from jxc_desktop.services.purchasing.dto import Note, SupplierDTO

ROWS_PER_TABLE = 300  # long notes are split so ReportLab lays out in bounded time
MARK = colors.HexColor("#c0392b")


@dataclass(frozen=True)
class Shop:
    name: str = ""
    address: str = ""
    phone: str = ""

    @classmethod
    def from_settings(cls, values: Mapping[str, str]) -> Shop:
        return cls(values.get("shop_name", ""), values.get("shop_address", ""), values.get("shop_phone", ""))


def title_of(note: Note) -> str:
    return _("Purchase return note") if note.is_return else _("Purchase receiving note")


def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    return {
        "shop": ParagraphStyle("shop", fontName=font, fontSize=17, leading=22, alignment=1),
        "shopline": ParagraphStyle("shopline", fontName=font, fontSize=9, leading=12, alignment=1),
        "title": ParagraphStyle("title", fontName=font, fontSize=14, leading=20, alignment=1, spaceBefore=2),
        "mark": ParagraphStyle("mark", fontName=font, fontSize=12, leading=16, alignment=1, textColor=MARK),
        "meta": ParagraphStyle("meta", fontName=font, fontSize=9.5, leading=13),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=10.5),
        "sign": ParagraphStyle("sign", fontName=font, fontSize=10, leading=14),
    }


def _head(note: Note, shop: Shop, supplier: SupplierDTO | None, st: dict[str, ParagraphStyle]) -> list[object]:
    story: list[object] = []
    if shop.name:
        story.append(Paragraph(esc(shop.name), st["shop"]))
    if shop.address or shop.phone:
        story.append(Paragraph(esc(f"{shop.address}  {shop.phone}".strip()), st["shopline"]))
    story.append(Paragraph(esc(title_of(note)), st["title"]))
    if note.status == "reversed":
        story.append(Paragraph(esc(_("REVERSED on {when}").format(when=local_minute(note.reversed_at))), st["mark"]))
    elif note.status == "draft":
        story.append(Paragraph(esc(_("DRAFT: not posted, stock unchanged")), st["mark"]))
    story.append(Spacer(1, 3 * mm))
    left = [_("No.: {number}").format(number=note.number or "—"),
            _("Date: {day}").format(day=note.doc_date.isoformat())]
    if note.posted_at:
        posted = _("Sent back: {when}") if note.is_return else _("Posted: {when}")
        left.append(posted.format(when=local_minute(note.posted_at)))
    if note.origin_number:
        left.append(_("Against purchase note: {number}").format(number=note.origin_number))
    right = [_("Supplier: {name}").format(name=note.supplier_name or "—")]
    if supplier is not None:
        if supplier.contact or supplier.phone:
            right.append(_("Contact: {contact} {phone}").format(contact=supplier.contact, phone=supplier.phone))
        if supplier.address:
            right.append(_("Address: {address}").format(address=supplier.address))
    width = A4[0] - 2 * MARGIN
    meta = Table([[Paragraph("<br/>".join(esc(x) for x in left), st["meta"]),
                   Paragraph("<br/>".join(esc(x) for x in right), st["meta"])]],
                 colWidths=[width * 0.45, width * 0.55])
    meta.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [meta, Spacer(1, 3 * mm)]
    return story


def _table(rows: list[list[object]], widths: list[float], total_row: bool) -> Table:
    style: list[tuple[object, ...]] = [("ALIGN", (5, 1), (7, -1), "RIGHT")]
    if total_row:
        style += [("SPAN", (0, -1), (4, -1)), ("BACKGROUND", (0, -1), (-1, -1), HEAD_BG),
                  ("FONT", (0, -1), (-1, -1), cjk_font(), 9.5)]
    return grid_table(rows, widths, style)


def render(path: Path | str, note: Note, *, shop: Shop = Shop(), supplier: SupplierDTO | None = None) -> Path:
    """Write the note as an A4 PDF to ``path``."""
    path = Path(path)
    _build(str(path), note, shop, supplier)
    return path


def render_bytes(note: Note, *, shop: Shop = Shop(), supplier: SupplierDTO | None = None) -> bytes:
    """The note as A4 PDF bytes (the print path)."""
    buf = io.BytesIO()
    _build(buf, note, shop, supplier)
    return buf.getvalue()


def _build(target: str | io.BytesIO, note: Note, shop: Shop, supplier: SupplierDTO | None) -> None:
    st = _styles()
    label = f"{title_of(note)} {note.number}".strip()
    doc = a4_document(target, label)
    story = _head(note, shop, supplier, st)
    head = [_("No."), _("Code"), _("Name"), _("Spec"), _("Unit"), _("Qty"), _("Unit cost"), _("Amount"),
            _("Batch"), _("Expiry")]
    widths = [8 * mm, 18 * mm, 46 * mm, 16 * mm, 10 * mm, 14 * mm, 17 * mm, 19 * mm, 20 * mm, 18 * mm]  # 186 mm
    rows: list[list[object]] = [head]
    for ln in note.lines:
        rows.append([str(ln.line_no), ln.code, Paragraph(esc(ln.name), st["cell"]),
                     Paragraph(esc(ln.spec), st["cell"]), ln.unit, format_qty(ln.qty), format_fen(ln.unit_cost),
                     format_fen(ln.amount), Paragraph(esc(ln.batch_no), st["cell"]),
                     ln.expiry_date.isoformat() if ln.expiry_date else ""])
        if len(rows) >= ROWS_PER_TABLE:
            story.append(_table(rows, widths, False))
            rows = [head]
    count = _("Total: {n} lines").format(n=len(note.lines))
    rows.append([count, "", "", "", "", "", "", format_fen(note.total), "", ""])
    story.append(_table(rows, widths, True))
    if note.note:
        story += [Spacer(1, 3 * mm), Paragraph(esc(_("Note: {text}").format(text=note.note)), st["meta"])]
    who = ((_("Returned by"), _("Received by supplier"), _("Approved by")) if note.is_return
           else (_("Delivered by"), _("Received by"), _("Approved by")))
    story.append(signature_lines(who, st["sign"], blank=16, date_blank=12, space=10 * mm, flush_left=True))
    doc.build(story, onFirstPage=PageFooter(label), onLaterPages=PageFooter(label))

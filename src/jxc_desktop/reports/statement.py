"""A party's statement (对账单) as an A4 PDF: shop, party, period, opening balance, every document
and payment with the running balance, closing balance and signature lines for both sides.

DTO in (services.accounts.dto.StatementDTO), PDF bytes out; labels are translated by ``i18n._``.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table

from jxc_desktop.domain.money import format_fen
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
from jxc_desktop.services.accounts.dto import SUPPLIER, StatementDTO, kind_label

ROWS_PER_TABLE = 300  # long statements are split so ReportLab lays out in bounded time


def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    return {
        "shop": ParagraphStyle("shop", fontName=font, fontSize=17, leading=22, alignment=1),
        "title": ParagraphStyle("title", fontName=font, fontSize=14, leading=20, alignment=1, spaceBefore=2),
        "meta": ParagraphStyle("meta", fontName=font, fontSize=10, leading=14),
        "sign": ParagraphStyle("sign", fontName=font, fontSize=10, leading=14),
    }


def _table(rows: list[list[object]], widths: list[float], first: bool, last: bool) -> Table:
    style: list[tuple[object, ...]] = [("ALIGN", (3, 1), (5, -1), "RIGHT")]
    if first:
        style += [("SPAN", (0, 1), (4, 1)), ("BACKGROUND", (0, 1), (-1, 1), HEAD_BG)]
    if last:
        style += [("SPAN", (0, -1), (4, -1)), ("BACKGROUND", (0, -1), (-1, -1), HEAD_BG)]
    return grid_table(rows, widths, style)


def statement_pdf(st: StatementDTO) -> bytes:
    buf = io.BytesIO()
    styles = _styles()
    title = _("Statement of account")
    label = f"{title} {st.name}"
    doc = a4_document(buf, label)
    story: list[object] = []
    if st.shop_name:
        story.append(Paragraph(esc(st.shop_name), styles["shop"]))
    story.append(Paragraph(esc(title), styles["title"]))
    who = _("Supplier: {name}") if st.party == SUPPLIER else _("Customer: {name}")
    owed = _("Balance: what the shop owes the supplier") if st.party == SUPPLIER else \
        _("Balance: what the customer owes the shop")
    story += [Spacer(1, 3 * mm),
              Paragraph(esc(who.format(name=st.name)), styles["meta"]),
              Paragraph(esc(_("Period: {first} to {last}").format(first=st.start.isoformat(), last=st.end.isoformat())),
                        styles["meta"]),
              Paragraph(esc(owed), styles["meta"]), Spacer(1, 3 * mm)]
    head = [_("Date"), _("Number"), _("Kind"), _("Debit"), _("Credit"), _("Balance")]
    width = A4[0] - 2 * MARGIN
    widths = [24 * mm, 40 * mm, 32 * mm, 30 * mm, 30 * mm, width - 156 * mm]
    rows: list[list[object]] = [head, [_("Opening balance"), "", "", "", "", format_fen(st.opening)]]
    first = True
    for r in st.rows:
        rows.append([r.date.isoformat(), r.number, kind_label(r.kind), format_fen(r.debit) if r.debit else "",
                     format_fen(r.credit) if r.credit else "", format_fen(r.balance)])
        if len(rows) >= ROWS_PER_TABLE:
            story.append(_table(rows, widths, first, False))
            rows, first = [head], False
    debit, credit = sum(r.debit for r in st.rows), sum(r.credit for r in st.rows)
    rows.append([_("Closing balance ({n} entries; debit {debit}, credit {credit})").format(
        n=len(st.rows), debit=format_fen(debit), credit=format_fen(credit)), "", "", "", "", format_fen(st.closing)])
    story.append(_table(rows, widths, first, True))
    story.append(signature_lines((_("Shop"), st.name), styles["sign"], blank=16, date_blank=12, space=12 * mm,
                                 flush_left=True))
    doc.build(story, onFirstPage=PageFooter(label), onLaterPages=PageFooter(label))
    return buf.getvalue()

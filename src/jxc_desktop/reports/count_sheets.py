"""A4 count paperwork (ReportLab): the blank count sheet to write on while walking the shelves
(drawn on the canvas by reports/blank_sheet.py, re-exported here), and the variance report of a count (its differences, their value, totals and signature lines).

DTOs in, PDF out. Labels are English source strings translated by ``jxc_desktop.i18n._`` so the
paper speaks the program's language; the CJK font is embedded (reports.fonts).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.i18n import _
from jxc_desktop.reports.blank_sheet import blank_sheet_pdf
from jxc_desktop.reports.fonts import cjk_font
from jxc_desktop.reports.pdf_common import (
    GRID,
    HEAD_BG,
    PageFooter,
    a4_document,
    esc,
    grid_table,
    local_minute,
    signature_lines,
)
from jxc_desktop.services.stock.dto import CountDTO, CountSummary, SheetLine

__all__ = ["blank_sheet_pdf", "variance_pdf"]

ROWS_PER_TABLE = 200  # long categories are split so ReportLab lays out in bounded time
GROUP_BG = colors.HexColor("#f4f4f4")


def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=16, leading=20, alignment=1),
        "meta": ParagraphStyle("meta", fontName=font, fontSize=9, leading=12),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=10.5),
        "group": ParagraphStyle("group", fontName=font, fontSize=10, leading=13),
        "sign": ParagraphStyle("sign", fontName=font, fontSize=10, leading=14),
    }


def _fits(text: str, width: float, style: ParagraphStyle) -> bool:
    return stringWidth(text, style.fontName, style.fontSize) <= width - 5


def _cell(text: str, width: float, style: ParagraphStyle) -> str | Paragraph:
    """Plain text when it fits on one line (fast: 100 000-line sheets), else a wrapping Paragraph."""
    return text if _fits(text, width, style) else Paragraph(esc(text), style)


def _name_cell(line: SheetLine, style: ParagraphStyle, width: float) -> str | Paragraph:
    if not line.batch_no and not line.tracks_batches:
        return _cell(line.name, width, style)
    if line.batch_no:
        expiry = line.expiry_date.isoformat() if line.expiry_date else "-"
        batch = _("Batch {batch}, expires {expiry}").format(batch=line.batch_no, expiry=expiry)
    else:
        batch = _("(stock without a batch)")
    return Paragraph(esc(line.name) + "<br/>" + esc(batch), style)


def _table(data: list[list[object]], widths: list[float], *, group_rows: Sequence[int] = (),
           right_cols: Sequence[int] = (), padding: float = 2) -> Table:
    style: list[tuple[object, ...]] = [("TOPPADDING", (0, 1), (-1, -1), padding),
                                       ("BOTTOMPADDING", (0, 1), (-1, -1), padding)]
    for col in right_cols:
        style.append(("ALIGN", (col, 1), (col, -1), "RIGHT"))
    for r in group_rows:
        style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), GROUP_BG)]
    return grid_table(data, widths, style)


def _header(count: CountDTO, title: str, shop: str, st: dict[str, ParagraphStyle]) -> list[object]:
    scope = count.scope_names or _("All products")
    meta = _("No. {number}    Scope: {scope}    Opened: {opened}").format(
        number=count.number, scope=scope, opened=local_minute(count.created_at))
    out: list[object] = [Paragraph(esc(f"{shop}  {title}" if shop else title), st["title"]), Spacer(1, 3 * mm),
                         Paragraph(esc(meta), st["meta"])]
    if count.posted_at:
        out.append(Paragraph(esc(_("Posted: {posted}    Uncounted lines: {policy}").format(
            posted=local_minute(count.posted_at),
            policy=_("kept as they were") if count.uncounted == "keep" else _("counted as zero"))), st["meta"]))
    out.append(Spacer(1, 3 * mm))
    return out


def _signatures(st: dict[str, ParagraphStyle], who: Sequence[str]) -> KeepTogether:
    return signature_lines(who, st["sign"], blank=18, date_blank=14, space=8 * mm)


def variance_pdf(path: Path | str, count: CountDTO, summary: CountSummary, lines: Sequence[SheetLine], *,
                 shop: str = "") -> Path:
    """The variance report: every line with a difference (expected when counted vs counted),
    the difference in quantity and value, the 盘盈/盘亏 totals and signature lines."""
    st = _styles()
    path = Path(path)
    title = _("Count variance report")
    if count.status != "posted":
        title += " " + _("(not posted yet)")
    doc = a4_document(path, f"{title} {count.number}")
    story = _header(count, title, shop, st)
    head = [_("Code"), _("Name"), _("Unit"), _("Expected"), _("Counted"), _("Difference"), _("Avg cost"),
            _("Value")]
    widths = [22 * mm, 62 * mm, 11 * mm, 18 * mm, 18 * mm, 18 * mm, 18 * mm, 19 * mm]
    rows: list[list[object]] = [head]
    for line in lines:
        rows.append([line.code, _name_cell(line, st["cell"], widths[1]), line.unit,
                     format_qty(line.expected_qty or 0), format_qty(line.counted_qty or 0),
                     _signed_qty(line.diff_qty), format_fen(line.avg_cost), format_fen(line.diff_value)])
        if len(rows) >= ROWS_PER_TABLE:
            story.append(_table(rows, widths, right_cols=range(3, 8)))
            rows = [head]
    if len(rows) > 1:
        story.append(_table(rows, widths, right_cols=range(3, 8)))
    if not lines:
        story.append(Paragraph(esc(_("No differences: the shelves match the books.")), st["meta"]))
    story.append(Spacer(1, 5 * mm))
    counted_line = _("{lines} lines: {counted} counted, {uncounted} not counted").format(
        lines=summary.lines, counted=summary.counted, uncounted=summary.uncounted)
    totals = [
        ["", _("Lines"), _("Quantity"), _("Value")],
        [_("Gain (盘盈)"), str(summary.gain_lines), format_qty(summary.gain_qty), format_fen(summary.gain_value)],
        [_("Loss (盘亏)"), str(summary.loss_lines), format_qty(summary.loss_qty), format_fen(-summary.loss_value)],
        [_("Net"), "", "", format_fen(summary.net_value)],
    ]
    t = Table(totals, colWidths=[30 * mm, 25 * mm, 30 * mm, 35 * mm], hAlign="LEFT")
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), cjk_font(), 9.5), ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                           ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("BACKGROUND", (0, 0), (0, -1), HEAD_BG),
                           ("ALIGN", (1, 1), (-1, -1), "RIGHT")]))
    story.append(KeepTogether([Paragraph(esc(_("Totals")), st["group"]), Paragraph(esc(counted_line), st["meta"]),
                               Spacer(1, 1 * mm), t]))
    story.append(_signatures(st, (_("Counted by"), _("Checked by"), _("Manager"))))
    doc.build(story, onFirstPage=PageFooter(count.number), onLaterPages=PageFooter(count.number))
    return path


def _signed_qty(qty: int) -> str:
    return ("+" if qty > 0 else "") + format_qty(qty)

"""A4 document plumbing shared by the paper documents (count sheets, purchase notes, report tables):
the page margins, the grid table look, the page footer, signature lines and text escaping for
ReportLab's Paragraph markup. The CJK font is embedded everywhere (reports.fonts)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jxc_desktop.i18n import _
from jxc_desktop.reports.fonts import cjk_font

MARGIN = 12 * mm
GRID = colors.HexColor("#888888")
HEAD_BG = colors.HexColor("#e8e8e8")


def esc(text: str) -> str:
    """Text as Paragraph markup (ReportLab reads <, > and & as tags and entities)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def local_minute(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def a4_document(target: Path | str | io.BytesIO, title: str) -> SimpleDocTemplate:
    """A portrait A4 page with the usual margins (a little more at the bottom for the footer)."""
    return SimpleDocTemplate(str(target) if isinstance(target, Path) else target, pagesize=A4,
                             leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=14 * mm,
                             title=title, author="JXC Desktop")


class PageFooter:
    """The document's label bottom left and the page number bottom right, on every page."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(cjk_font(), 8)
        canvas.drawString(MARGIN, 7 * mm, self.label)
        canvas.drawRightString(A4[0] - MARGIN, 7 * mm, _("Page {n}").format(n=doc.page))
        canvas.restoreState()


def grid_table(rows: list[list[object]], widths: list[float], extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A gridded table with a grey header row repeated on each page; ``extra`` adds style commands."""
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), cjk_font(), 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *extra,
    ]))
    return table


def signature_lines(who: Sequence[str], style: ParagraphStyle, *, blank: int, date_blank: int, space: float,
                    flush_left: bool = False) -> KeepTogether:
    """One row of "who: ______" fields and a date field across the page, kept together."""
    cells = [f"{w}：{'_' * blank}" for w in who] + [_("Date") + "：" + "_" * date_blank]
    table = Table([[Paragraph(esc(c), style) for c in cells]],
                  colWidths=[(A4[0] - 2 * MARGIN) / len(cells)] * len(cells))
    table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 10),
                               *([("LEFTPADDING", (0, 0), (-1, -1), 0)] if flush_left else [])]))
    return KeepTogether([Spacer(1, space), table])

"""A4 colour × size grids of styles (款号 · 颜色 · 尺码): one table per style, a row per colour, a
column per size, totals by row and column. DTOs in (catalog.dto.StyleGridDTO), PDF out.

Combinations that are switched off print as "—" (not made), not as 0 (sold out).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

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
)
from jxc_desktop.services.catalog.dto import StyleGridDTO

PAGE_WIDTH = 210 * mm - 2 * MARGIN
NOT_MADE = "—"


def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=16, leading=20, alignment=1),
        "meta": ParagraphStyle("meta", fontName=font, fontSize=9, leading=12),
        "style": ParagraphStyle("style", fontName=font, fontSize=11, leading=14),
    }


def _heading(g: StyleGridDTO) -> str:
    s = g.style
    parts = [f"{s.code}  {s.name}"]
    season = " ".join(p for p in (str(s.year) if s.year else "", s.season) if p)
    for label, value in ((_("Season"), season), (_("Brand"), s.brand), (_("Category"), s.category)):
        if value:
            parts.append(f"{label}: {value}")
    parts.append(_("Retail price") + ": " + format_fen(s.sale_price))
    return "    ".join(parts)


def _grid_rows(g: StyleGridDTO) -> list[list[object]]:
    grid = g.grid
    rows: list[list[object]] = [[_("Colour"), *grid.sizes, _("Total")]]
    for colour in grid.colours:
        cells = [NOT_MADE if (colour.code, size) in grid.inactive else format_qty(grid.qty(colour.code, size))
                 for size in grid.sizes]
        rows.append([f"{colour.name} ({colour.code})", *cells, format_qty(grid.row_total(colour.code))])
    rows.append([_("Total"), *(format_qty(grid.column_total(s)) for s in grid.sizes), format_qty(grid.total)])
    return rows


def _widths(sizes: int) -> list[float]:
    first, last = 38 * mm, 20 * mm
    each = min(18 * mm, (PAGE_WIDTH - first - last) / max(sizes, 1))
    return [first, *([each] * sizes), last]


def style_grid_pdf(grids: Sequence[StyleGridDTO], target: Path | str | None = None, *, shop: str = "",
                   printed_at: datetime | None = None) -> bytes:
    """The grids as an A4 PDF; written to ``target`` when given. Returns the bytes."""
    st = _styles()
    what = _(grids[0].title) if grids else _("Stock")
    title = _("{what} by colour and size").format(what=what)
    buf = io.BytesIO()
    doc = a4_document(buf, title)
    story: list[object] = [Paragraph(esc(title), st["title"]), Spacer(1, 3 * mm)]
    meta = "    ".join(p for p in (shop, _("Printed {at}").format(at=local_minute(printed_at)) if printed_at else "",
                                   _("{n} styles").format(n=len(grids))) if p)
    story += [Paragraph(esc(meta), st["meta"]), Spacer(1, 4 * mm)]
    for g in grids:
        rows = _grid_rows(g)
        n = len(g.grid.sizes)
        last = len(rows) - 1
        table = grid_table(rows, _widths(n), [
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("BACKGROUND", (0, last), (-1, last), HEAD_BG),
            ("BACKGROUND", (-1, 0), (-1, -1), HEAD_BG),
        ])
        table.hAlign = "LEFT"
        story.append(KeepTogether([Paragraph(esc(_heading(g)), st["style"]), Spacer(1, 1.5 * mm), table,
                                   Spacer(1, 5 * mm)]))
    if not grids:
        story.append(Paragraph(esc(_("No styles")), st["meta"]))
    doc.build(story, onFirstPage=PageFooter(title), onLaterPages=PageFooter(title))
    data = buf.getvalue()
    if target is not None:
        Path(target).write_bytes(data)
    return data

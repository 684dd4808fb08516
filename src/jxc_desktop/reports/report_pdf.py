"""A report table as an A4 PDF: shop name, title, period, generation time, the chart (ReportLab's
own graphics), the table with CJK text embedded, the total, notes and "page n of m".

Long tables (100 000 products) are cut after ``max_rows`` rows; the rest are summed into one
"other rows" line so the printed rows still add up to the printed total. Rows are laid out with
fixed column widths and row heights, in page-sized chunks, which keeps ReportLab fast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jxc_desktop.domain.clock import local_now
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.i18n import _
from jxc_desktop.reports.fonts import cjk_font
from jxc_desktop.reports.pdf_common import esc
from jxc_desktop.services.reporting.dto import (
    ADDABLE,
    HEAT_COLORS,
    Align,
    ColKind,
    ReportTable,
    format_value,
    heat_color,
    heat_top,
)

MAX_ROWS = 500  # about a dozen landscape pages; the xlsx carries every row
ROW_H = 5.2 * mm
FONT_SIZE = 7.5
SERIES_COLORS = (colors.HexColor("#2f6fb0"), colors.HexColor("#e07b24"))


def _fold(table: ReportTable, max_rows: int) -> tuple[list[tuple[Any, ...]], int]:
    """The rows to print: the first ``max_rows`` and one line summing the rest."""
    rows = list(table.rows)
    if len(rows) <= max_rows:
        return rows, 0
    rest = rows[max_rows:]
    other: list[Any] = []
    for i, col in enumerate(table.columns):
        if col.kind in ADDABLE:
            other.append(sum(int(r[i] or 0) for r in rest))
        else:
            other.append(None if col.kind is not ColKind.TEXT else "")
    first_text = next(i for i, c in enumerate(table.columns) if c.kind is ColKind.TEXT)
    other[first_text] = _("Other {n} rows").format(n=len(rest))
    return rows[:max_rows] + [tuple(other)], len(rest)


def _chart(table: ReportTable, width: float, font: str) -> Drawing | None:
    spec = table.chart
    if spec is None or not table.rows:
        return None
    rows = table.rows if spec.kind == "line" else table.rows[:spec.max_points]
    labels = [str(r[spec.label_col])[:10] for r in rows]
    data = [[int(r[s] or 0) / 100 for r in rows] for s in spec.series]
    height = 62 * mm
    d = Drawing(width, height, initialFontName=font)  # the renderer would select Helvetica otherwise
    chart: Any = HorizontalLineChart() if spec.kind == "line" else VerticalBarChart()
    chart.x, chart.y = 16 * mm, 14 * mm
    chart.width, chart.height = width - 24 * mm, height - 24 * mm
    chart.data = data
    step = max(1, len(labels) // 15)
    chart.categoryAxis.categoryNames = [lab if i % step == 0 else "" for i, lab in enumerate(labels)]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 30 if len(labels) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 8 else "n"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.forceZero = True
    for i, color in enumerate(SERIES_COLORS[:len(data)]):
        if spec.kind == "line":
            chart.lines[i].strokeColor = color
            chart.lines[i].strokeWidth = 1.2
        else:
            chart.bars[i].fillColor = color
            chart.bars[i].strokeColor = None
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 60 * mm, height - 3 * mm
    legend.fontName, legend.fontSize = font, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.colorNamePairs = [(SERIES_COLORS[i], table.columns[s].header) for i, s in enumerate(spec.series)]
    d.add(legend)
    d.add(String(0, height - 4 * mm, _("Yuan"), fontName=font, fontSize=6))
    return d


class _NumberedCanvas(Canvas):
    """Draws "page n of m" on every page once the page count is known."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or cjk_font()  # no unembedded Helvetica
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(cjk_font(), 7)
            text = _("Page {page} of {pages}").format(page=self._pageNumber, pages=total)
            self.drawRightString(self._pagesize[0] - 12 * mm, 8 * mm, text)
            super().showPage()
        super().save()


def render_pdf(table: ReportTable, *, shop: str = "", now: datetime | None = None, max_rows: int = MAX_ROWS,
               progress: Callable[[int, int], None] | None = None) -> bytes:
    """The report as PDF bytes."""
    font = cjk_font()
    wide = len(table.columns) > 8
    pagesize = landscape(A4) if wide else A4
    buf = BytesIO()
    stamp = (now or local_now()).strftime("%Y-%m-%d %H:%M")
    margin = 12 * mm
    doc = SimpleDocTemplate(buf, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=18 * mm,
                            bottomMargin=14 * mm, title=table.title, author=shop or "JXC", creator="JXC Desktop")

    def on_page(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(margin, pagesize[1] - 10 * mm, f"{shop}  {table.title}  {table.subtitle}".strip())
        canvas.drawRightString(pagesize[0] - margin, pagesize[1] - 10 * mm,
                               _("Generated {time}").format(time=stamp))
        canvas.restoreState()

    title_style = ParagraphStyle("t", fontName=font, fontSize=15, leading=19)
    sub_style = ParagraphStyle("s", fontName=font, fontSize=9, leading=12, textColor=colors.HexColor("#444444"))
    story: list[Any] = [Paragraph(esc(f"{shop}  {table.title}" if shop else table.title), title_style),
                        Paragraph(esc(f"{table.subtitle}    {_('Generated {time}').format(time=stamp)}"), sub_style),
                        Spacer(1, 3 * mm)]
    width = pagesize[0] - 2 * margin
    chart = _chart(table, width, font)
    if chart is not None:
        story += [chart, Spacer(1, 3 * mm)]
    rows, folded = _fold(table, max_rows)
    story += _tables(table, rows, width, font, progress)
    for note in table.notes + ((_("{n} more rows are summed in the line before the total").format(n=folded),)
                               if folded else ()):
        story += [Spacer(1, 2 * mm), Paragraph(esc(note), sub_style)]
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=_NumberedCanvas)
    return buf.getvalue()


def _fit_widths(texts: list[list[str]], kinds: list[ColKind], width: float, font: str) -> list[float]:
    """Column widths from the widest cell, text columns squeezed first when the page is too narrow."""
    pad = 5
    natural = [max([pdfmetrics.stringWidth(t[i], font, FONT_SIZE) for t in texts] + [28]) + pad
               for i in range(len(kinds))]
    over = sum(natural) - width
    text_cols = [i for i, k in enumerate(kinds) if k is ColKind.TEXT]
    if over > 0 and text_cols:
        room = sum(max(0.0, natural[i] - 60) for i in text_cols)
        for i in text_cols:
            natural[i] -= min(over, room) * max(0.0, natural[i] - 60) / room if room else 0
    scale = width / sum(natural)
    return [w * scale for w in natural]


def _tables(table: ReportTable, rows: Sequence[tuple[Any, ...]], width: float, font: str,
            progress: Callable[[int, int], None] | None) -> list[Any]:
    kinds = [c.kind for c in table.columns]
    texts = [[format_value(k, v) for k, v in zip(kinds, r, strict=True)] for r in rows]
    if table.total is not None:
        texts.append([format_value(k, v) for k, v in zip(kinds, table.total, strict=True)])
    widths = _fit_widths(texts, kinds, width, font)
    head_style = ParagraphStyle("h", fontName=font, fontSize=FONT_SIZE, leading=FONT_SIZE + 1.5,
                                alignment=1, wordWrap="CJK")
    header = [Paragraph(esc(c.header), head_style) for c in table.columns]
    body = [[_clip(t, w, font) for t, w in zip(row, widths, strict=True)] for row in texts]
    base: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), FONT_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#555555")),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f4f6f9")]),
    ]
    for i, c in enumerate(table.columns):
        if c.align is Align.RIGHT:
            base.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    base += _heat_styles(table, rows)
    if table.total is not None:
        base += [("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
                 ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#eef2e6"))]
    t = Table([header, *body], colWidths=widths, rowHeights=[ROW_H * 1.9] + [ROW_H] * len(body),
              repeatRows=1, style=TableStyle(base))
    if progress:
        progress(len(body), len(body))
    return [t]


def _heat_styles(table: ReportTable, rows: Sequence[tuple[Any, ...]]) -> list[Any]:
    """A background per shaded cell of the printed rows (not the folded "other rows" line)."""
    if not table.heat:
        return []
    top = heat_top(table)
    out: list[Any] = []
    real = len(rows) if len(rows) == len(table.rows) else len(rows) - 1  # not the "other rows" sum
    for r, row in enumerate(rows[:real], start=1):
        for c in table.heat:
            shade = heat_color(row[c], top)
            if shade != HEAT_COLORS[0]:
                out.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(shade)))
    return out


def _clip(text: str, width: float, font: str) -> str:
    """Shorten text that does not fit its column (numbers always fit: widths come from them)."""
    room = width - 5
    if pdfmetrics.stringWidth(text, font, FONT_SIZE) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, FONT_SIZE) > room:
        text = text[:-1]
    return text + "…"


def write_pdf(table: ReportTable, path: Path | str, **kwargs: Any) -> Path:
    target = Path(path)
    if target.suffix.lower() != ".pdf":
        raise ValidationError("The file name must end in .pdf")
    if not target.parent.is_dir():
        raise ValidationError("The folder {path} does not exist", path=str(target.parent))
    data = render_pdf(table, **kwargs)
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError("Cannot write {path}: {reason}", path=str(target), reason=exc.strerror or str(exc)) from exc
    return target

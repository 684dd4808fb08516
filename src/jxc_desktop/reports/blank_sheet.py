"""The blank count sheet (盘点表) drawn straight on the ReportLab canvas, a page at a time.

A shop-wide count has 100 000 lines: laid out as platypus tables that took most of a minute and
over 600 MB, because every cell became a flowable and every table was measured before it was
split. Here each line is one row of fixed height (two lines for a batch or a long name): the text
of a page goes into one text object, the grid is a few lines per page, and nothing of a finished
page is kept but ReportLab's compressed page stream. The lines come in as an iterable, so the
caller can stream them from the database. The cells and rules are written as PDF operators
(reports/pdf_cells.py): ReportLab's text object costs several times more per cell.

Every page repeats the column headings and carries the count number and the page number; the
first page has the title and the count's details, the last the signature line. The file is
written beside the target and renamed over it when complete: a cancelled or failed run (the
``progress`` callback raises to cancel) leaves no file behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from jxc_desktop.i18n import _
from jxc_desktop.reports.fonts import cjk_font
from jxc_desktop.reports.pdf_cells import PageText, rules
from jxc_desktop.reports.pdf_common import GRID, HEAD_BG, MARGIN, local_minute
from jxc_desktop.services.stock.dto import CountDTO, SheetLine

Progress = Callable[[int, int], object]

GROUP_BG = colors.HexColor("#f4f4f4")
WIDTHS = (10 * mm, 22 * mm, 30 * mm, 56 * mm, 20 * mm, 11 * mm, 22 * mm, 15 * mm)
SIZE = 8.5  # cell text
SMALL = 7.0  # the batch line under a name, a long name's second line
ROW = 18.0  # points: room to write a quantity by hand
ROW2 = 24.0  # a row with two lines of text
HEAD = 16.0
GROUP = 16.0
TOP = A4[1] - MARGIN
BOTTOM = 14 * mm
PAD = 2.5


def _fits(text: str, width: float, font: str, size: float) -> bool:
    # No glyph is wider than the font size: short text fits without measuring it (most cells).
    return len(text) * size <= width or stringWidth(text, font, size) <= width


def _clip(text: str, width: float, font: str, size: float) -> str:
    """``text`` cut with … to fit ``width`` (a spec or code longer than its column)."""
    if _fits(text, width, font, size):
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _split(text: str, width: float, font: str, size: float) -> tuple[str, str]:
    """A long name as two lines: as much as fits, then the rest (clipped)."""
    cut = len(text)
    while cut > 1 and stringWidth(text[:cut], font, size) > width:
        cut -= 1
    return text[:cut], _clip(text[cut:], width, font, size)


class _Sheet:
    """The pages being drawn: where the next row goes, the page's text object, its grid."""

    def __init__(self, canvas: Canvas, number: str, font: str) -> None:
        self.c = canvas
        self.number = number
        self.font = font
        self.xs = [MARGIN]
        for w in WIDTHS:
            self.xs.append(self.xs[-1] + w)
        self.heads = [_("No."), _("Code"), _("Barcode"), _("Name"), _("Spec"), _("Unit"), _("Counted qty"),
                      _("Note")]
        self.page = 0
        self.category: str | None = None  # the heading of the rows being drawn
        self.y = TOP
        self.table_top = self.table_bottom = TOP
        self.rules: list[float] = []  # y of each horizontal rule of the page's table
        self.spans: list[tuple[float, float]] = []  # runs of rows the column rules go down (not headings)
        self.span_top = TOP
        self.text = PageText(canvas, font)

    # -------------------------------------------------------------- pages
    def start_page(self, top: float = TOP, *, head: bool = True) -> None:
        self.page += 1
        self.y = top
        self.rules, self.spans = [], []
        self.table_top = self.table_bottom = self.span_top = top
        if head:
            self._table_head()

    def _table_head(self) -> None:
        self.table_top = self.y
        self.c.setFillColor(HEAD_BG)
        self.c.rect(self.xs[0], self.y - HEAD, self.xs[-1] - self.xs[0], HEAD, stroke=0, fill=1)
        self.c.setFillColor(colors.black)
        for x, head in zip(self.xs, self.heads, strict=False):
            self._put(x + PAD, self.y - HEAD + 5, head)
        self.rules = [self.y, self.y - HEAD]
        self.y -= HEAD
        self.table_bottom = self.y

    def end_page(self) -> None:
        c = self.c
        self.text.draw()
        c.setStrokeColor(GRID)
        c.setLineWidth(0.4)
        left, right = self.xs[0], self.xs[-1]
        if self.rules:
            segments = [(left, y, right, y) for y in self.rules]
            segments += [(x, self.table_top, x, self.table_bottom) for x in (left, right)]
            segments += [(x, top, x, bottom) for top, bottom in [*self.spans, (self.span_top, self.table_bottom)]
                         for x in self.xs[1:-1]]
            rules(c, segments)
        c.setFont(self.font, 8)
        c.setFillColor(colors.black)
        c.drawString(MARGIN, 7 * mm, self.number)
        c.drawRightString(A4[0] - MARGIN, 7 * mm, _("Page {n}").format(n=self.page))
        c.showPage()

    def room(self, height: float, *, head: bool = True) -> None:
        """A new page (with the column headings unless ``head`` is False) when the next ``height``
        points do not fit on this one."""
        if self.y - height < BOTTOM:
            self.end_page()
            self.start_page(head=head)
            if head and self.category is not None:  # the category goes on over the page
                self._group_row(self.category)

    # -------------------------------------------------------------- rows
    def _put(self, x: float, y: float, text: str, size: float = SIZE) -> None:
        self.text.put(x, y, text, size)

    def group(self, name: str) -> None:
        self.category = None
        self.room(GROUP + ROW)  # a category heading never ends a page
        self._group_row(name)
        self.category = name

    def _group_row(self, name: str) -> None:
        self.spans.append((self.span_top, self.y))
        self.c.setFillColor(GROUP_BG)
        self.c.rect(self.xs[0], self.y - GROUP, self.xs[-1] - self.xs[0], GROUP, stroke=0, fill=1)
        self.c.setFillColor(colors.black)
        self._put(self.xs[0] + PAD, self.y - GROUP + 4.5, name, 10)
        self.y -= GROUP
        self.rules.append(self.y)
        self.table_bottom = self.span_top = self.y

    def line(self, n: int, line: SheetLine) -> None:
        font, xs = self.font, self.xs
        name_w = WIDTHS[3] - 2 * PAD
        second = ""
        name = line.name
        if line.batch_no:
            expiry = line.expiry_date.isoformat() if line.expiry_date else "-"
            second = _("Batch {batch}, expires {expiry}").format(batch=line.batch_no, expiry=expiry)
        elif line.tracks_batches:
            second = _("(stock without a batch)")
        if second:
            name, second = _clip(name, name_w, font, SIZE), _clip(second, name_w, font, SMALL)
        elif not _fits(name, name_w, font, SIZE):
            name, second = _split(name, name_w, font, SIZE)
        height = ROW2 if second else ROW
        self.room(height)
        base = self.y - (8.5 if second else height / 2 + 3)
        self._put(xs[0] + PAD, base, str(n))
        self._put(xs[1] + PAD, base, _clip(line.code, WIDTHS[1] - 2 * PAD, font, SIZE))
        self._put(xs[2] + PAD, base, _clip(line.barcode, WIDTHS[2] - 2 * PAD, font, SIZE))
        self._put(xs[3] + PAD, base, name)
        if second:
            self._put(xs[3] + PAD, base - 10, second, SMALL if line.batch_no or line.tracks_batches else SIZE)
        if line.spec:
            self._put(xs[4] + PAD, base, _clip(line.spec, WIDTHS[4] - 2 * PAD, font, SIZE))
        if line.unit:
            self._put(xs[5] + PAD, base, _clip(line.unit, WIDTHS[5] - 2 * PAD, font, SIZE))
        self.y -= height
        self.rules.append(self.y)
        self.table_bottom = self.y


def _first_page(sheet: _Sheet, count: CountDTO, shop: str) -> float:
    """Title and details at the top of page 1; returns where the table starts."""
    c, font = sheet.c, sheet.font
    title = _("Count sheet")
    c.setFont(font, 16)
    c.drawCentredString(A4[0] / 2, TOP - 16, f"{shop}  {title}" if shop else title)
    c.setFont(font, 9)
    meta = _("No. {number}    Scope: {scope}    Opened: {opened}").format(
        number=count.number, scope=count.scope_names or _("All products"), opened=local_minute(count.created_at))
    c.drawString(MARGIN, TOP - 36, meta)
    return TOP - 48


def _signatures(sheet: _Sheet) -> None:
    who = [_("Counted by"), _("Checked by")]
    cells = [f"{w}：{'_' * 18}" for w in who] + [_("Date") + "：" + "_" * 14]
    sheet.room(40, head=False)
    sheet.c.setFont(sheet.font, 10)
    step = (A4[0] - 2 * MARGIN) / len(cells)
    for i, text in enumerate(cells):
        sheet.c.drawString(MARGIN + i * step, sheet.y - 32, text)
    sheet.y -= 40


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Page streams deflated without the ASCII85 layer on top (ReportLab's default): thousands of
    pages encode several times faster and the file is a fifth smaller; every viewer reads both."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


def blank_sheet_pdf(path: Path | str, count: CountDTO, lines: Iterable[SheetLine], *, shop: str = "",
                    total: int = 0, progress: Progress | None = None) -> Path:
    """A sheet to count on paper: every line grouped by category (in the order given), with an
    empty column to write the counted quantity in (the book quantity is left off so it does not
    sway the counter). ``progress(done, total)`` is called every few hundred lines; an exception
    it raises (a cancel) stops the work and leaves no file."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    font = cjk_font()
    try:
        canvas = Canvas(str(tmp), pagesize=A4, pageCompression=1)
        canvas.setTitle(f"{_('Count sheet')} {count.number}")
        canvas.setAuthor("JXC Desktop")
        sheet = _Sheet(canvas, count.number, font)
        sheet.start_page(_first_page(sheet, count, shop))
        category: str | None = None
        n = 0
        for line in lines:
            if line.category != category or n == 0:
                category = line.category
                sheet.group(category or _("Uncategorised"))
            n += 1
            sheet.line(n, line)
            if progress is not None and n % 500 == 0:
                progress(n, total)
        if n == 0:
            sheet._put(MARGIN + PAD, sheet.y - 12, _("This count has no lines."), 9)
            sheet.y -= ROW
        _signatures(sheet)
        sheet.end_page()
        with _binary_streams():
            canvas.save()
        if progress is not None:
            progress(n, total or n)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target

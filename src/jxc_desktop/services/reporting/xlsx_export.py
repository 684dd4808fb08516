"""A report table as an .xlsx an accountant can add up: real numbers with number formats.

Yuan are written as exact decimals (fen ÷ 100, never a float) shown ``#,##0.00`` by their column's
format; quantities as decimals of the unit; margins as fractions formatted as percent; dates as
dates. Text that a spreadsheet would run as a formula is neutralised (files.tabular.safe_cell).
The sheet is streamed (files.xlsx_write, the program's own sheet writer): each column's format
and width is set once, rows are written as plain values, so 100 000 rows are quick and the memory
stays flat. The columns are the table's own (whatever the report carries), never a fixed list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jxc_desktop.domain.clock import local_now
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.files.tabular import safe_cell
from jxc_desktop.files.xlsx_write import SheetColumn, SheetStream, Style
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.dto import HEAT_COLORS, ColKind, ReportTable, heat_color, heat_top

FORMATS = {
    ColKind.MONEY: "#,##0.00",
    ColKind.QTY: "#,##0.###",
    ColKind.INT: "#,##0",
    ColKind.PCT: "0.00%",
    ColKind.PCT1: "0.0%",
    ColKind.TIMES: "0.00",
    ColKind.DATE: "yyyy-mm-dd",
}
WIDTHS = {ColKind.TEXT: 18, ColKind.MONEY: 14, ColKind.QTY: 11, ColKind.INT: 10, ColKind.PCT: 9, ColKind.PCT1: 9,
          ColKind.TIMES: 9, ColKind.DATE: 12}
HEADER_FILL = "#DDE6F0"
HEADER_ROW = 4  # 0-based: title, shop and period, generated, blank, then the headers
BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})
SCALES = {ColKind.MONEY: -2, ColKind.QTY: -3, ColKind.PCT: -4, ColKind.PCT1: -3, ColKind.TIMES: -2}


def cell_value(kind: ColKind, value: Any) -> Any:
    """The number (or date, or safe text) a raw report value becomes in the sheet."""
    if value is None or value == "" and kind is not ColKind.TEXT:
        return None
    if kind in SCALES:
        return Decimal(int(value)).scaleb(SCALES[kind])
    if kind is ColKind.INT:
        return int(value)
    if kind is ColKind.DATE:
        return value
    return safe_cell(str(value))


def _data_rows(table: ReportTable, progress: Callable[[int, int], None] | None) -> Iterator[list[Any]]:
    """The table's rows as cell values; only the columns that need a conversion are touched."""
    convert = [(i, c.kind) for i, c in enumerate(table.columns) if c.kind not in (ColKind.INT, ColKind.DATE)]
    n = len(table.rows)
    for i, raw in enumerate(table.rows):
        row = list(raw)
        for col, kind in convert:
            row[col] = cell_value(kind, row[col])
        yield row
        if progress and i % 5000 == 0:
            progress(i, n)


def _heat_formats(sheet: SheetStream, table: ReportTable) -> Callable[[tuple[Any, ...]], list[Style | None]]:
    """The cell formats of one raw row of a shaded table: the heat columns get their shade (one
    style per shade, made once), the others keep their column's format."""
    top = heat_top(table)
    styles = {shade: sheet.format(num_format=FORMATS[ColKind.MONEY], bg_color=shade) for shade in HEAT_COLORS}
    heat = set(table.heat)

    def formats(raw: tuple[Any, ...]) -> list[Style | None]:
        return [styles[heat_color(raw[i], top)] if i in heat else None for i in range(len(raw))]
    return formats


def write_xlsx(table: ReportTable, path: Path | str, *, shop: str = "", now: datetime | None = None,
               progress: Callable[[int, int], None] | None = None) -> Path:
    """Write ``table`` to ``path`` (replaced whole, or not at all)."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ValidationError("The file name must end in .xlsx")
    if not target.parent.is_dir():
        raise ValidationError("The folder {path} does not exist", path=str(target.parent))
    kinds = [c.kind for c in table.columns]
    columns = [SheetColumn(max(WIDTHS[c.kind], min(40, len(c.header) * 2 + 2)), FORMATS.get(c.kind, ""))
               for c in table.columns]
    tmp = target.with_name(target.name + ".part")
    try:
        with open(tmp, "wb") as out:
            sheet = SheetStream(out, table.title[:31].translate(BAD_SHEET_CHARS) or "report", columns)
            sheet.write([safe_cell(table.title)], sheet.format(bold=True, font_size=14))
            sheet.write([safe_cell(shop), safe_cell(table.subtitle)])
            stamp = (now or local_now()).strftime("%Y-%m-%d %H:%M")
            sheet.write([safe_cell(_("Generated {time}").format(time=stamp))])
            sheet.write([])
            sheet.write([safe_cell(c.header) for c in table.columns],
                        sheet.format(bold=True, bg_color=HEADER_FILL, align="center", valign="vcenter",
                                     text_wrap=True))
            sheet.freeze_above(HEADER_ROW + 1)
            if table.heat:  # the season table: each month cell shaded by its value, row by row
                shades = _heat_formats(sheet, table)
                for raw, row in zip(table.rows, _data_rows(table, progress), strict=True):
                    sheet.write(row, shades(raw))
            else:
                sheet.write_rows(_data_rows(table, progress))
            if table.total is not None:
                bold = [sheet.format(bold=True, **({"num_format": FORMATS[k]} if k in FORMATS else {}))
                        for k in kinds]
                sheet.write([cell_value(k, v) for k, v in zip(kinds, table.total, strict=True)], bold)
            for note in table.notes:
                sheet.write([])
                sheet.write([safe_cell(note)])
            sheet.close()
        tmp.replace(target)
    except BaseException as exc:  # nothing half-written is left beside the target
        tmp.unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        raise ValidationError("Cannot write {path}: {reason}", path=str(target), reason=exc.strerror or str(exc)) from exc
    if progress:
        n = len(table.rows)
        progress(n, n)
    return target

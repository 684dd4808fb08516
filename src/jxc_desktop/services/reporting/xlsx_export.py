"""A report table as an .xlsx an accountant can add up: real numbers with number formats.

Yuan are written as exact decimals (fen ÷ 100, never a float) formatted ``#,##0.00``; quantities
as decimals of the unit; margins as fractions formatted as percent; dates as dates. Text that a
spreadsheet would run as a formula is neutralised (services.tabular.safe_cell). Written in
openpyxl's write-only mode so 100 000 product rows stay quick and small in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jxc_desktop.domain.clock import local_now
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.files.tabular import safe_cell
from jxc_desktop.i18n import _
from jxc_desktop.services.reporting.dto import ColKind, ReportTable

FORMATS = {
    ColKind.MONEY: "#,##0.00",
    ColKind.QTY: "#,##0.###",
    ColKind.INT: "#,##0",
    ColKind.PCT: "0.00%",
    ColKind.TIMES: "0.00",
    ColKind.DATE: "yyyy-mm-dd",
}
WIDTHS = {ColKind.TEXT: 18, ColKind.MONEY: 14, ColKind.QTY: 11, ColKind.INT: 10, ColKind.PCT: 9,
          ColKind.TIMES: 9, ColKind.DATE: 12}
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def cell_value(kind: ColKind, value: Any) -> Any:
    """The number (or date, or safe text) a raw report value becomes in the sheet."""
    if value is None or value == "" and kind is not ColKind.TEXT:
        return None
    if kind is ColKind.MONEY:
        return Decimal(int(value)).scaleb(-2)
    if kind is ColKind.QTY:
        return Decimal(int(value)).scaleb(-3)
    if kind is ColKind.PCT:
        return Decimal(int(value)).scaleb(-4)
    if kind is ColKind.TIMES:
        return Decimal(int(value)).scaleb(-2)
    if kind is ColKind.INT:
        return int(value)
    if kind is ColKind.DATE:
        return value
    return safe_cell(str(value))


def _cell(ws: Worksheet, kind: ColKind, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    c = WriteOnlyCell(ws, value=cell_value(kind, value))
    if kind in FORMATS:
        c.number_format = FORMATS[kind]
    if bold:
        c.font = Font(bold=True)
    return c


def _row_writer(ws: Worksheet, kinds: list[ColKind]) -> Callable[[tuple[Any, ...]], list[Any]]:
    """Cells for a data row. Formatting a cell looks its style up in the workbook each time, so
    each column's style is worked out once and shared (a write-only row is serialised at once)."""
    protos = [_cell(ws, k, None) for k in kinds]

    def cells(row: tuple[Any, ...]) -> list[Any]:
        out: list[Any] = []
        for kind, proto, value in zip(kinds, protos, row, strict=True):
            if kind in FORMATS:
                c = WriteOnlyCell(ws, value=cell_value(kind, value))
                c._style = proto._style
                out.append(c)
            else:
                out.append(cell_value(kind, value))
        return out

    return cells


def write_xlsx(table: ReportTable, path: Path | str, *, shop: str = "", now: datetime | None = None,
               progress: Callable[[int, int], None] | None = None) -> Path:
    """Write ``table`` to ``path`` (replaced whole, or not at all)."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ValidationError("The file name must end in .xlsx")
    if not target.parent.is_dir():
        raise ValidationError("The folder {path} does not exist", path=str(target.parent))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=table.title[:31] or "report")
    for i, col in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(WIDTHS[col.kind], min(40, len(col.header) * 2 + 2))
    ws.freeze_panes = "A6"
    title = WriteOnlyCell(ws, value=safe_cell(table.title))
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([safe_cell(shop), safe_cell(table.subtitle)])
    stamp = (now or local_now()).strftime("%Y-%m-%d %H:%M")
    ws.append([safe_cell(_("Generated {time}").format(time=stamp))])
    ws.append([])
    heads = []
    for col in table.columns:
        h = WriteOnlyCell(ws, value=safe_cell(col.header))
        h.font = Font(bold=True)
        h.fill = HEADER_FILL
        h.alignment = Alignment(horizontal="center", wrap_text=True)
        heads.append(h)
    ws.append(heads)
    kinds = [c.kind for c in table.columns]
    n = len(table.rows)
    cells = _row_writer(ws, kinds)
    for i, row in enumerate(table.rows):
        ws.append(cells(row))
        if progress and i % 5000 == 0:
            progress(i, n)
    if table.total is not None:
        ws.append([_cell(ws, k, v, bold=True) for k, v in zip(kinds, table.total, strict=True)])
    for note in table.notes:
        ws.append([])
        ws.append([safe_cell(note)])
    tmp = target.with_name(target.name + ".part")
    try:
        wb.save(tmp)
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError("Cannot write {path}: {reason}", path=str(target), reason=exc.strerror or str(exc)) from exc
    if progress:
        progress(n, n)
    return target

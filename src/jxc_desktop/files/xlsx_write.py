"""Writing one .xlsx worksheet as a stream: XlsxWriter in constant-memory mode.

Each row goes to the sheet's XML as soon as the next row starts, so 100 000 rows take the memory
of one. Number formats and widths are set once per column (``set_column``): a cell written
without a format of its own takes its column's, so no cell is styled in a Python loop. Strings are
written inline (no shared-string table kept in memory) and never turned into formulas, numbers or
links (the callers neutralise formula text for other programs with ``tabular.safe_cell``).

XlsxWriter was measured against openpyxl's write-only mode on the same 100 000 product rows:
about half the time and the same flat memory, and only XlsxWriter applies a column's format to the
cells written in it (openpyxl needs a styled cell object per formatted cell). See
benchmarks/bench_xlsx_writers.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format

OPTIONS = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
           "strings_to_urls": False}


@dataclass(frozen=True)
class SheetColumn:
    width: float
    num_format: str = ""  # "" = General; "@" = text (long digit strings keep every digit)


class SheetStream:
    """One worksheet written top to bottom into ``target`` (a path or a binary file object);
    ``close()`` finishes the file. Rows are numbered from 0 and only go forward."""

    def __init__(self, target: str | IO[bytes], sheet_name: str, columns: Sequence[SheetColumn]) -> None:
        self.book = Workbook(target, OPTIONS)
        self.sheet = self.book.add_worksheet(sheet_name)
        self.row = 0
        self._formats: dict[tuple[tuple[str, Any], ...], Format] = {}
        for i, col in enumerate(columns):
            fmt = self.format(num_format=col.num_format) if col.num_format else None
            self.sheet.set_column(i, i, col.width, fmt)

    def format(self, **props: Any) -> Format:
        """A cell format (bold, fill, num_format…), made once per distinct set of properties."""
        key = tuple(sorted(props.items()))
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self.book.add_format(props)
        return fmt

    def write(self, values: Sequence[Any], formats: Sequence[Format | None] | Format | None = None) -> None:
        """One row; ``formats`` (one for all, or one per cell) overrides the columns' formats."""
        if formats is None:
            self.sheet.write_row(self.row, 0, values)
        elif isinstance(formats, Format):
            self.sheet.write_row(self.row, 0, values, formats)
        else:
            for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
                self.sheet.write(self.row, col, value, fmt)
        self.row += 1

    def write_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        """Many rows in the columns' formats (the fast path: one call per row, no per-cell work here)."""
        write_row, r = self.sheet.write_row, self.row
        for values in rows:
            write_row(r, 0, values)
            r += 1
        self.row = r

    def freeze_above(self, row: int) -> None:
        """Keep rows above ``row`` (0-based) in view while scrolling."""
        self.sheet.freeze_panes(row, 0)

    def close(self) -> None:
        self.book.close()

"""Reading and writing the table files owners exchange with Excel/WPS: ``.csv`` and ``.xlsx``.

Shared by the product, purchase and count imports (each maps the headers to its own fields and
checks every row before writing anything, so an import is all or nothing). Every read is bounded
by ``table_guard.Limits`` (bytes, rows, columns, cells, seconds) and reads regular files only.

- csv: UTF-8 with or without BOM, else GB18030 (a superset of GBK, which Chinese Excel writes),
  refused when neither reading is plausible (``table_text``); comma, semicolon or tab separated
  (guessed from the header line).
- xlsx: the first worksheet, the saved results of formulas (``xlsx_read``). A cell that cannot be
  trusted — a formula without a saved result, an error value, a cell under a merged range — comes
  back as a problem of its row (``TableRow.cell`` raises it), so the importer lists it as a bad row.
- Every cell comes back as text (numbers without a float's ``.0``), so callers parse money and
  quantities exactly with ``domain.money.parse_yuan`` / ``domain.quantity.parse_qty``, after
  ``NumberColumn`` has settled what a comma in a number means.
- Writing neutralises text a spreadsheet would execute (CSV injection, OWASP): see ``safe_cell``;
  it goes to a temporary file renamed over the destination, which must be a regular file or new.
"""

from __future__ import annotations

import csv
import io
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import IO, Any

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.files.table_guard import (
    LIMITS,
    MB,
    Budget,
    Limits,
    open_regular,
    read_capped,
    replace_file,
)
from jxc_desktop.files.table_numbers import NumberColumn
from jxc_desktop.files.table_text import decode_table_text
from jxc_desktop.files.xlsx_cells import cell_text, column_letter
from jxc_desktop.files.xlsx_read import Workbook
from jxc_desktop.files.xlsx_sheet import SheetRow

__all__ = ["LIMITS", "Limits", "NumberColumn", "TableRow", "cell_text", "find_columns", "read_rows", "read_table",
           "write_table"]

SUFFIXES = (".csv", ".xlsx")
MAX_LINE_CHARS = 1024 * 1024  # one line of a csv file (a real row is a few hundred characters)
# First characters that make Excel/LibreOffice/WPS treat a cell as a formula (or DDE).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

Progress = Callable[[int, int], bool | None]


class TableRow(dict[str, str]):
    """One data row keyed by header; ``row`` is its number as the spreadsheet shows it (header = 1).

    ``problems`` holds, by header, why a cell cannot be trusted (a formula without a saved result,
    a cell under merged cells…); ``cell()`` raises it, ``get()`` gives the (empty) text."""

    row: int
    problems: dict[str, ValidationError]

    def __init__(self, row: int, values: dict[str, str], problems: dict[str, ValidationError] | None = None) -> None:
        super().__init__(values)
        self.row = row
        self.problems = problems or {}

    def cell(self, header: str | None) -> str:
        """The cell's text ("" for no such column); raises ValidationError if the cell has a problem."""
        if header is None:
            return ""
        problem = self.problems.get(header)
        if problem is not None:
            raise ValidationError(problem.template, **problem.params)
        return self.get(header, "")


def check_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError("Unsupported file type {suffix}: use .xlsx or .csv", suffix=suffix or "?")
    return suffix


def unquote_cell(text: str) -> str:
    """Undo ``safe_cell`` on import: a leading apostrophe before a formula trigger is dropped,
    so a file exported by us reads back exactly."""
    if len(text) >= 2 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def safe_cell(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula by prefixing an apostrophe.

    Numbers stay numbers (a negative amount like ``-12.50`` is data, not a formula); only text
    that starts with = + - @ tab or CR is changed.
    """
    if value is None or isinstance(value, bool | int | Decimal):
        return value
    text = str(value)
    if not text or text[0] not in FORMULA_TRIGGERS:
        return text
    if _NUMBER_RE.match(text.strip()):
        return text
    return "'" + text


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends, one at a time (no copy of the whole text)."""
    end_char = "\n" if "\n" in text else "\r"
    start, n = 0, len(text)
    number = 0
    while start < n:
        end = text.find(end_char, start)
        end = n if end < 0 else end + 1
        number += 1
        if end - start > MAX_LINE_CHARS:
            raise ValidationError("Line {line} of the file is longer than {limit} characters", line=number,
                                  limit=MAX_LINE_CHARS)
        yield text[start:end]
        start = end


def _csv_rows(fh: IO[bytes], budget: Budget, vocabulary: Collection[str]) -> Iterator[SheetRow]:
    limits = budget.limits
    text = decode_table_text(read_capped(fh, limits.csv_mb), vocabulary)
    budget.tick()
    if "\x00" in text:
        raise ValidationError("The file is not a text table (it holds binary data)")
    # The separator from the first line that has one: a line above the header ("# 2026-12-04 09:30")
    # may have none.
    first = next((ln for ln in islice(_lines(text), 5) if _delimiter(ln) != "," or "," in ln),
                 next(_lines(text), ""))
    for number, cells in enumerate(csv.reader(_lines(text), delimiter=_delimiter(first)), start=1):
        if number > limits.sheet_rows:
            raise ValidationError("The file has more than {limit} lines (blank ones included)", limit=limits.sheet_rows)
        if len(cells) > limits.columns:
            if any(c.strip() for c in cells[limits.columns:]):
                raise ValidationError("Row {row} has more than {limit} columns", row=number, limit=limits.columns)
            del cells[limits.columns:]
        budget.add_cells(len(cells))
        if number % 1000 == 0:
            budget.tick()
        yield SheetRow(number, cells, {})


def _collect(source: Iterable[SheetRow], budget: Budget,
             preamble: Callable[[list[str]], bool] | None = None,
             above: list[list[str]] | None = None) -> tuple[list[str], int, list[TableRow]]:
    """The header row (the first with text that is not ``preamble``), its row number, and the data
    rows after it; rows above the header that ``preamble`` accepts go to ``above``."""
    headers: list[str] | None = None
    header_row = 0
    rows: list[TableRow] = []
    limit = budget.limits.rows
    for sheet_row in source:
        cells = [c.strip() for c in sheet_row.cells]
        if not any(cells):
            continue  # a blank row (a lone formula without a result in it carries nothing either)
        if headers is None and preamble is not None and preamble(cells):
            if above is not None:
                above.append(cells)
            continue
        if headers is None:
            headers = [unquote_cell(c) for c in cells]
            while headers and not headers[-1]:
                headers.pop()
            seen: set[str] = set()
            for h in headers:
                if h and h in seen:
                    raise ValidationError("Column {name} appears twice in the header row", name=h)
                seen.add(h)
            header_row = sheet_row.number
            continue
        if len(rows) >= limit:
            raise ValidationError("The file has more than {limit} rows", limit=limit)
        values = {h: unquote_cell(cells[i]) if i < len(cells) else "" for i, h in enumerate(headers) if h}
        problems = {headers[i]: p for i, p in sheet_row.problems.items() if i < len(headers) and headers[i]}
        rows.append(TableRow(sheet_row.number, values, problems))
    if headers is None:
        raise ValidationError("The file is empty (no header row)")
    return headers, header_row, rows


def _mark_merged(merged: list[tuple[int, int, int, int]], headers: list[str], header_row: int,
                 rows: list[TableRow], budget: Budget) -> None:
    """Every data cell covered by a merged range, except the range's first cell, is a problem: the
    value shows on screen across the range but is stored in the first cell only."""
    numbers = [r.row for r in rows]
    for c1, r1, c2, r2 in merged:
        lo, hi = bisect_left(numbers, max(r1, header_row + 1)), bisect_right(numbers, r2)
        cols = [c for c in range(c1, min(c2, len(headers)) + 1) if headers[c - 1]]
        if lo >= hi or not cols:
            continue
        budget.add_cells((hi - lo) * len(cols))
        where = f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"
        for row in rows[lo:hi]:
            for c in cols:
                if (row.row, c) != (r1, c1):
                    row.problems.setdefault(headers[c - 1], ValidationError(
                        "Cell {cell} is part of the merged cells {range}; unmerge them and fill in every row",
                        cell=f"{column_letter(c)}{row.row}", range=where))


def _read_xlsx(fh: IO[bytes], budget: Budget, preamble: Callable[[list[str]], bool] | None = None,
               above: list[list[str]] | None = None) -> tuple[list[str], list[TableRow]]:
    limits = budget.limits
    if os.fstat(fh.fileno()).st_size > limits.file_mb * MB:
        raise ValidationError("The file is larger than {limit} MB", limit=limits.file_mb)
    book = Workbook(fh, budget)
    try:
        sheet = book.first_sheet()
        headers, header_row, rows = _collect(sheet.rows(), budget, preamble, above)
        _mark_merged(sheet.merged, headers, header_row, rows, budget)
    finally:
        book.close()
    return headers, rows


def read_table(path: Path | str, *, limits: Limits = LIMITS, vocabulary: Collection[str] = (),
               preamble: Callable[[list[str]], bool] | None = None,
               above: list[list[str]] | None = None) -> tuple[list[str], list[TableRow]]:
    """Headers and data rows of a csv file or an xlsx file's first sheet. Blank rows are skipped;
    cells are stripped text; cells that cannot be trusted are in ``TableRow.problems``.

    The header is the first non-blank row. ``vocabulary`` (the column names the caller knows)
    helps tell GBK from Big5 in a short csv. ``preamble``: rows above the header it accepts (a
    collector's "# 2026-12-04 09:30" line) are skipped and their cells put in ``above``. Raises ValidationError for an unreadable file, a
    missing or repeated header, or a file beyond ``limits``.
    """
    path = Path(path)
    suffix = check_suffix(path)
    budget = Budget(limits)
    try:
        with open_regular(path) as fh:
            if suffix == ".csv":
                headers, _header_row, rows = _collect(_csv_rows(fh, budget, vocabulary), budget, preamble, above)
            else:
                headers, rows = _read_xlsx(fh, budget, preamble, above)
    except ValidationError:
        raise
    except FileNotFoundError as exc:
        raise ValidationError("File not found: {path}", path=str(path)) from exc
    except MemoryError as exc:
        raise ValidationError("The file is too large to read") from exc
    except (OSError, csv.Error, ValueError, KeyError, IndexError) as exc:
        raise ValidationError("Cannot read {path}: {reason}", path=path.name, reason=str(exc)[:200]) from exc
    except Exception as exc:  # zipfile.BadZipFile, XML parse errors from a broken xlsx
        raise ValidationError("Cannot read {path}: {reason}", path=path.name,
                              reason=f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    return headers, rows


def find_columns(headers: Sequence[str], names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Which header holds each field: the first of its names (English or Chinese, any case) the file
    has. Fields the file lacks are left out; the importer says which of them it needs."""
    lower = {h.strip().lower(): h for h in headers if h}
    found: dict[str, str] = {}
    for field, candidates in names.items():
        for name in candidates:
            if name.lower() in lower:
                found[field] = lower[name.lower()]
                break
    return found


def read_rows(path: Path | str, **kwargs: Any) -> list[TableRow]:
    """The data rows of a csv/xlsx file as dicts keyed by header, each with ``.row``."""
    return read_table(path, **kwargs)[1]


def write_table(path: Path | str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
                total: int = 0, progress: Progress | None = None, text_columns: Sequence[int] = (),
                number_formats: Mapping[int, str] | None = None, widths: Sequence[float] = ()) -> int:
    """Write a header and rows to ``.csv`` (UTF-8 with BOM, which Excel opens as Chinese) or
    ``.xlsx``. Every text cell goes through ``safe_cell``. ``text_columns`` (indexes) are stored as
    text in xlsx so long digit strings such as barcodes keep every digit; ``number_formats`` gives
    other xlsx columns a number format (``0.00`` for yuan) and ``widths`` their widths, set once per
    column. The xlsx is streamed (``xlsx_write``): memory does not grow with the rows. Returns rows
    written.

    The file is written beside ``path`` and renamed over it when complete; ``path`` must be a new
    name or a regular file (a folder, FIFO or device is refused, and left as it is).
    ``progress(done, total)`` returning False stops and raises ``Cancelled``; nothing is left behind.
    """
    path = Path(path)
    suffix = check_suffix(path)
    written = 0

    def safe_rows() -> Iterator[list[Any]]:
        nonlocal written
        for row in rows:
            yield [safe_cell(v) if v.__class__ is str and v and v[0] in FORMULA_TRIGGERS else v for v in row]
            written += 1
            _tick(progress, written, total)

    try:
        with replace_file(path) as out:
            if suffix == ".csv":
                fh = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
                try:
                    writer = csv.writer(fh)
                    writer.writerow([safe_cell(h) for h in headers])
                    writer.writerows(["" if v is None else v for v in row] for row in safe_rows())
                finally:
                    fh.detach()  # flushes; the file itself is closed (or removed) by replace_file
            else:
                # Lazy: the sheet writer loads with the first export, not with every start of the program.
                from jxc_desktop.files.xlsx_write import SheetColumn, SheetStream

                formats = {i: "@" for i in text_columns} | dict(number_formats or {})
                columns = [SheetColumn(widths[i] if i < len(widths) else 12, formats.get(i, ""))
                           for i in range(len(headers))]
                sheet = SheetStream(out, "Sheet", columns)
                sheet.write([safe_cell(h) for h in headers])
                sheet.write_rows(safe_rows())
                sheet.close()
    except OSError as exc:
        raise ValidationError("Cannot write {path}: {reason}", path=str(path), reason=exc.strerror or str(exc)) from exc
    return written


class Cancelled(ValidationError):
    """The user stopped a long import/export from its progress dialog; nothing was changed."""

    def __init__(self) -> None:
        super().__init__("Cancelled; nothing was changed")


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and (done % 200 == 0 or done == total) and progress(done, total) is False:
        raise Cancelled()

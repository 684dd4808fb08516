"""Reading and writing the table files owners exchange with Excel/WPS: ``.csv`` and ``.xlsx``.

Shared by the product, purchase and count imports (each maps the headers to its own fields and
checks every row before writing anything, so an import is all or nothing).

- csv: UTF-8 with or without BOM, else GB18030 (a superset of GBK, which Chinese Excel writes);
  comma, semicolon or tab separated (guessed from the header line).
- xlsx: openpyxl read-only, first sheet, cached values of formulas.
- Every cell comes back as text (numbers without a float's ``.0``), so callers parse money and
  quantities exactly with ``domain.money.parse_yuan`` / ``domain.quantity.parse_qty``.
- Writing neutralises text a spreadsheet would execute (CSV injection, OWASP): see ``safe_cell``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jxc_desktop.domain.errors import ValidationError

SUFFIXES = (".csv", ".xlsx")
MAX_ROWS = 200_000  # a shop's product list is far smaller; a bigger file is a mistake
MAX_BYTES = 100 * 1024 * 1024
# First characters that make Excel/LibreOffice/WPS treat a cell as a formula (or DDE).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

Progress = Callable[[int, int], bool | None]


class TableRow(dict[str, str]):
    """One data row keyed by header; ``row`` is its number as the spreadsheet shows it (header = 1)."""

    row: int

    def __init__(self, row: int, values: dict[str, str]) -> None:
        super().__init__(values)
        self.row = row


def check_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError("Unsupported file type {suffix}: use .xlsx or .csv", suffix=suffix or "?")
    return suffix


def cell_text(value: Any) -> str:
    """A cell value as text: integers without ``.0``, dates ISO, booleans 1/0, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if isinstance(value, float):
        # Excel stores every number as a binary double; repr() gives the shortest text that
        # reads back to it (12.3, not 12.300000000000001), and whole numbers lose the ".0".
        text = repr(value)
        if "e" in text or "E" in text:
            text = format(Decimal(text), "f")
        return text[:-2] if text.endswith(".0") else text
    return str(value)


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


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ValidationError("The file is neither UTF-8 nor GBK text") from exc


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(path: Path) -> Iterable[list[str]]:
    text = _decode(path.read_bytes())
    if "\x00" in text:
        raise ValidationError("The file is not a text table (it holds binary data)")
    first = text.split("\n", 1)[0]
    return csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))


def _xlsx_rows(path: Path) -> Iterable[list[str]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # some programs write a wrong <dimension>: read every row anyway
        for values in ws.iter_rows(values_only=True):
            yield [cell_text(v) for v in values]
    finally:
        wb.close()


def read_table(path: Path | str) -> tuple[list[str], list[TableRow]]:
    """Headers and data rows of the first sheet. Blank rows are skipped; cells are stripped text.

    The header is the first non-blank row. Raises ValidationError for an unreadable file,
    a missing or repeated header, or a file beyond ``MAX_ROWS``.
    """
    path = Path(path)
    suffix = check_suffix(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValidationError("The file is larger than {limit} MB", limit=MAX_BYTES // 1024 // 1024)
        raw = _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)
        headers: list[str] | None = None
        rows: list[TableRow] = []
        for number, cells in enumerate(raw, start=1):
            cells = [c.strip() for c in cells]
            if not any(cells):
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
                continue
            if len(rows) >= MAX_ROWS:
                raise ValidationError("The file has more than {limit} rows", limit=MAX_ROWS)
            values = {h: unquote_cell(cells[i]) if i < len(cells) else "" for i, h in enumerate(headers) if h}
            rows.append(TableRow(number, values))
    except ValidationError:
        raise
    except FileNotFoundError as exc:
        raise ValidationError("File not found: {path}", path=str(path)) from exc
    except (OSError, csv.Error, ValueError, KeyError, IndexError) as exc:
        raise ValidationError("Cannot read {path}: {reason}", path=path.name, reason=str(exc)[:200]) from exc
    except Exception as exc:  # zipfile.BadZipFile, lxml/et parse errors from a broken xlsx
        raise ValidationError("Cannot read {path}: {reason}", path=path.name,
                              reason=f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    if headers is None:
        raise ValidationError("The file is empty (no header row)")
    return headers, rows


def read_rows(path: Path | str) -> list[TableRow]:
    """The data rows of a csv/xlsx file as dicts keyed by header, each with ``.row``."""
    return read_table(path)[1]


def write_table(path: Path | str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *,
                total: int = 0, progress: Progress | None = None, text_columns: Sequence[int] = ()) -> int:
    """Write a header and rows to ``.csv`` (UTF-8 with BOM, which Excel opens as Chinese) or
    ``.xlsx``. Every cell goes through ``safe_cell``. ``text_columns`` (indexes) are stored as
    text in xlsx so long digit strings such as barcodes keep every digit. Returns rows written.

    ``progress(done, total)`` returning False stops and raises ``Cancelled``; the partial file is removed.
    """
    path = Path(path)
    suffix = check_suffix(path)
    tmp = path.with_name(path.name + ".part")
    written = 0
    try:
        if suffix == ".csv":
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow([safe_cell(h) for h in headers])
                for row in rows:
                    writer.writerow(["" if v is None else safe_cell(v) for v in row])
                    written += 1
                    _tick(progress, written, total)
        else:
            from openpyxl import Workbook
            from openpyxl.cell import WriteOnlyCell

            wb = Workbook(write_only=True)
            ws = wb.create_sheet()
            ws.append([safe_cell(h) for h in headers])
            text_idx = set(text_columns)
            for row in rows:
                out = []
                for i, v in enumerate(row):
                    cell = WriteOnlyCell(ws, value=safe_cell(v))
                    if i in text_idx:
                        cell.number_format = "@"
                    out.append(cell)
                ws.append(out)
                written += 1
                _tick(progress, written, total)
            wb.save(tmp)
        tmp.replace(path)
    except OSError as exc:
        raise ValidationError("Cannot write {path}: {reason}", path=str(path), reason=str(exc)) from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    return written


class Cancelled(ValidationError):
    """The user stopped a long import/export from its progress dialog; nothing was changed."""

    def __init__(self) -> None:
        super().__init__("Cancelled; nothing was changed")


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and (done % 200 == 0 or done == total) and progress(done, total) is False:
        raise Cancelled()

"""The first worksheet of an ``.xlsx`` file as rows of text cells, read within ``Limits``.

Imports read workbooks with this instead of openpyxl's reader, which trusts the file: it unpacks
the shared strings whole (a 6.7 MB file unpacked to 3 GB and died of MemoryError), pads every row to
the widest cell (a 1.5 MB file became 330 million empty cells), and in read-only mode cannot tell a
formula without a saved result from an empty cell and does not report merged cells. Here:

- the zip directory's declared sizes, compression ratios, methods and part count are checked before
  anything is unpacked (and zipfile never unpacks more than a part declares);
- XML is streamed in chunks through ``XMLPullParser``, the deadline checked after each chunk; rows,
  cells, columns and the sheet's declared dimension are counted against ``Limits``; a document type
  declaration (the way to entity bombs) is refused;
- instead of a value a cell may carry a problem: a formula without a saved result, an error value
  (``#DIV/0!``), a cell covered by a merged range (known only at the end of the sheet: ``merged``).

Values come back as openpyxl's would with ``data_only=True`` (numbers, dates by their number format,
booleans, the saved results of formulas) as text, by ``cell_text``.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any
from xml.etree.ElementTree import Element, XMLPullParser

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.files.table_guard import MB, Budget

CHUNK = 1 << 16
DIRECTORY_KB = 4096  # the zip's table of contents; a real workbook's is a few KB
EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COL = 16_384
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REF_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
# Built-in number formats that show a date or time. 14-22 and 45-47 are the international ones;
# 27-36 and 50-58 are the East Asian ones Chinese Excel/WPS use (yyyy"年"m"月"d"日"…), which
# openpyxl does not know (it would give 46022 for an expiry date).
_BUILTIN_DATES = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])


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


def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def parse_ref(ref: str) -> tuple[int, int] | None:
    """``"B12"`` -> (column 2, row 12); None for something that is not a cell reference."""
    m = _REF_RE.match(ref.strip())
    if not m:
        return None
    col, row = _column_index(m.group(1)), int(m.group(2))
    if not (1 <= col <= EXCEL_MAX_COL and 1 <= row <= EXCEL_MAX_ROW):
        return None
    return col, row


def parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """``"A1:C9"`` -> (min col, min row, max col, max row); a single cell is a range of one."""
    first, _, last = ref.strip().partition(":")
    a = parse_ref(first)
    b = parse_ref(last) if last else a
    if a is None or b is None:
        return None
    return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])


def _local(tag: str) -> str:
    return tag[tag.rfind("}") + 1:]


class BrokenWorkbook(ValueError):
    """The file is not a readable workbook (the caller says "Cannot read <file>: <reason>")."""


def _unreadable(reason: str) -> BrokenWorkbook:
    return BrokenWorkbook(reason)


@dataclass(frozen=True)
class SheetRow:
    """One ``<row>`` with at least one value: cells by column (index 0 = A) and their problems."""

    number: int
    cells: list[str]
    problems: dict[int, ValidationError]


def _directory_size(fh: IO[bytes]) -> tuple[int, int] | None:
    """(entries, bytes) of the zip's central directory as its end record declares them, or None
    when there is no end record (zipfile then says why the file is not a zip)."""
    fh.seek(0, 2)
    size = fh.tell()
    tail_len = min(size, 22 + 65535 + 20)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    entries, cd_size = struct.unpack_from("<HI", tail, at + 10)
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and at >= 20 and tail[at - 20:at - 16] == b"PK\x06\x07":
        offset = struct.unpack_from("<Q", tail, at - 20 + 8)[0]  # of the zip64 end record
        fh.seek(offset)
        record = fh.read(56)
        if len(record) == 56 and record[:4] == b"PK\x06\x06":
            entries, cd_size = struct.unpack_from("<QQ", record, 32)
    fh.seek(0)
    return entries, cd_size


class Workbook:
    """An open ``.xlsx`` (a zip file object), checked against the budget's limits before reading."""

    def __init__(self, fh: IO[bytes], budget: Budget) -> None:
        self.budget = budget
        limits = budget.limits
        directory = _directory_size(fh)  # before zipfile reads the directory into ZipInfo objects
        if directory is not None:
            entries, size = directory
            if entries > limits.parts:
                raise ValidationError("The file holds {count} parts (at most {limit}); it is not an ordinary "
                                      "spreadsheet", count=entries, limit=limits.parts)
            if size > DIRECTORY_KB * 1024:
                raise ValidationError("The file's table of contents is {size} KB (at most {limit} KB); it is not "
                                      "an ordinary spreadsheet", size=size // 1024, limit=DIRECTORY_KB)
        self.zip = zipfile.ZipFile(fh)  # BadZipFile: "Cannot read" in tabular.read_table
        infos = self.zip.infolist()
        if len(infos) > limits.parts:
            raise ValidationError("The file holds {count} parts (at most {limit}); it is not an ordinary spreadsheet",
                                  count=len(infos), limit=limits.parts)
        total = sum(i.file_size for i in infos)
        if total > limits.unpacked_mb * MB:
            raise ValidationError("The file would unpack to {size} MB (at most {limit} MB); "
                                  "it is not an ordinary spreadsheet", size=total // MB, limit=limits.unpacked_mb)
        self.parts = {i.filename: i for i in infos}
        budget.tick()

    def close(self) -> None:
        self.zip.close()

    # ------------------------------------------------------------ parts
    def _info(self, name: str, limit_mb: int) -> zipfile.ZipInfo:
        info = self.parts.get(name)
        if info is None:
            raise _unreadable(f"{name} is missing")
        if info.flag_bits & 0x1:
            raise ValidationError("{name} inside the file is encrypted or compressed in a way spreadsheets "
                                  "do not use", name=name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ValidationError("{name} inside the file is encrypted or compressed in a way spreadsheets "
                                  "do not use", name=name)
        if info.file_size > limit_mb * MB:
            raise ValidationError("{name} inside the file would unpack to {size} MB (at most {limit} MB); "
                                  "it is not an ordinary spreadsheet", name=name, size=info.file_size // MB,
                                  limit=limit_mb)
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > 10 * MB and ratio > self.budget.limits.ratio:
            raise ValidationError("{name} inside the file is compressed {ratio} to 1, far more than any "
                                  "spreadsheet; the file is refused", name=name, ratio=ratio)
        return info

    def events(self, name: str, limit_mb: int, wanted: tuple[str, ...] = ("start", "end")
               ) -> Iterator[tuple[str, Element]]:
        """Parse events of one XML part, streamed; the deadline is checked after every chunk."""
        info = self._info(name, limit_mb)
        parser = XMLPullParser(wanted)
        prolog = True
        tail = b""
        with self.zip.open(info) as fh:
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                if prolog:
                    if b"<!DOCTYPE" in tail + chunk or b"<!ENTITY" in tail + chunk:
                        raise ValidationError("The file holds an XML document type declaration, which "
                                              "spreadsheets never write; it is refused")
                    tail = chunk[-16:]
                parser.feed(chunk)
                for event in parser.read_events():
                    prolog = False
                    yield event
                self.budget.tick()
        parser.close()
        yield from parser.read_events()

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, part name) of ``part`` (from its _rels file)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.parts:
            return {}
        out: dict[str, tuple[str, str]] = {}
        for _ev, el in self.events(rels_name, self.budget.limits.meta_mb, ("end",)):
            if _local(el.tag) == "Relationship" and el.get("TargetMode") != "External":
                target = el.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                out[el.get("Id", "")] = (el.get("Type", ""), posixpath.normpath(path))
        return out

    # ------------------------------------------------------------ the first worksheet
    def first_sheet(self) -> Sheet:
        main = next((p for t, p in self._rels("").values() if t.endswith("/officeDocument")), "xl/workbook.xml")
        rels = self._rels(main)
        epoch_1904 = False
        sheet_ids: list[str] = []
        for _ev, el in self.events(main, self.budget.limits.meta_mb, ("end",)):
            tag = _local(el.tag)
            if tag == "workbookPr":
                epoch_1904 = el.get("date1904", "").lower() in ("1", "true")
            elif tag == "sheet":
                sheet_ids.append(el.get(f"{{{_REL_NS}}}id") or next(
                    (v for k, v in el.attrib.items() if _local(k) == "id" and k.startswith("{")), ""))
        sheet = next((rels[i][1] for i in sheet_ids if i in rels and rels[i][0].endswith("/worksheet")), None)
        if sheet is None:
            raise _unreadable("no worksheet")
        strings_part = next((p for t, p in rels.values() if t.endswith("/sharedStrings")), None)
        styles_part = next((p for t, p in rels.values() if t.endswith("/styles")), None)
        strings = self._shared_strings(strings_part) if strings_part and strings_part in self.parts else []
        dates = self._date_styles(styles_part) if styles_part and styles_part in self.parts else frozenset()
        return Sheet(self, sheet, strings, dates, epoch_1904)

    def _shared_strings(self, name: str) -> list[str]:
        limit = self.budget.limits.strings
        out: list[str] = []
        root: Element | None = None
        for ev, el in self.events(name, self.budget.limits.strings_mb):
            if ev == "start":
                if root is None:
                    root = el
                continue
            if el.tag in _SI:
                out.append(_text_of(el))
                if len(out) > limit:
                    raise ValidationError("The file holds more than {limit} different texts; it is not an "
                                          "ordinary spreadsheet", limit=limit)
                if root is not None:
                    root.clear()  # done with every <si> so far (the tree builder keeps the open one)
        return out

    def _date_styles(self, name: str) -> frozenset[int]:
        """Indexes of the cell styles whose number format shows a date or time."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        custom: dict[int, str] = {}
        xf_formats: list[int] = []
        in_cell_xfs = False
        for ev, el in self.events(name, self.budget.limits.meta_mb):
            tag = _local(el.tag)
            if tag == "cellXfs":
                in_cell_xfs = ev == "start"
            elif ev == "end" and tag == "numFmt":
                try:
                    custom[int(el.get("numFmtId", ""))] = el.get("formatCode", "")
                except ValueError:
                    continue
            elif ev == "end" and tag == "xf" and in_cell_xfs:
                try:
                    xf_formats.append(int(el.get("numFmtId", "0")))
                except ValueError:
                    xf_formats.append(0)
        dates = set()
        for index, fmt_id in enumerate(xf_formats):
            code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id))
            if (fmt_id in _BUILTIN_DATES and fmt_id not in custom) or (code and is_date_format(code)):
                dates.add(index)
        return frozenset(dates)


def _text_of(el: Element) -> str:
    """The plain text of an ``<si>`` or ``<is>``: its ``<t>`` and the ``<t>`` of its runs, not the
    phonetic guides (``<rPh>``)."""
    parts: list[str] = []
    for child in el:
        tag = child.tag
        if tag in _T:
            parts.append(child.text or "")
        elif tag in _R:
            parts.extend(t.text or "" for t in child if t.tag in _T)
    return "".join(parts)


_NAMESPACES = ("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}",
               "{http://purl.oclc.org/ooxml/spreadsheetml/main}", "")


def _tags(local: str) -> frozenset[str]:
    """The tag of a SpreadsheetML element in the transitional and strict namespaces (and none)."""
    return frozenset(ns + local for ns in _NAMESPACES)


_ROW, _C, _V, _F, _IS = _tags("row"), _tags("c"), _tags("v"), _tags("f"), _tags("is")
_DIMENSION, _MERGE_CELL = _tags("dimension"), _tags("mergeCell")
_T, _R, _SI = _tags("t"), _tags("r"), _tags("si")
_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}  # "AB" -> 28, filled as met


def _column_of(ref: str) -> int:
    """The column number of a cell reference such as ``B12`` (0 if it is not one)."""
    letters = ref.rstrip(_DIGITS)
    col = _COLUMNS.get(letters)
    if col is None:
        if not (1 <= len(letters) <= 3 and letters.isascii() and letters.isalpha() and letters.isupper()
                and len(letters) < len(ref)):
            return 0
        col = _column_index(letters)
        if col > EXCEL_MAX_COL:
            return 0
        _COLUMNS[letters] = col
    return col


class Sheet:
    """The rows of one worksheet; ``merged`` (ranges) is complete after ``rows()`` is exhausted."""

    def __init__(self, book: Workbook, part: str, strings: list[str], date_styles: frozenset[int],
                 epoch_1904: bool) -> None:
        self.book = book
        self.part = part
        self.strings = strings
        self.date_styles = date_styles
        self.epoch_1904 = epoch_1904
        self.merged: list[tuple[int, int, int, int]] = []

    def rows(self) -> Iterator[SheetRow]:
        budget = self.book.budget
        limits = budget.limits
        row_count = 0
        last_row = 0
        for _ev, el in self.book.events(self.part, limits.sheet_mb, ("end",)):
            tag = el.tag
            if tag in _ROW:
                row_count += 1
                if row_count > limits.sheet_rows:
                    raise ValidationError("The sheet has more than {limit} rows (blank ones included); delete "
                                          "the unused rows or copy the table to a new sheet", limit=limits.sheet_rows)
                number = _int(el.get("r"), last_row + 1)
                if not last_row < number <= EXCEL_MAX_ROW:
                    raise _unreadable(f"row {number} is out of order")
                last_row = number
                row = self._row(el, number)
                el.clear()  # its cells are read; the empty element stays (tens of bytes)
                if row is not None:
                    yield row
            elif tag in _DIMENSION:
                self._check_dimension(el.get("ref", ""))
            elif tag in _MERGE_CELL:
                budget.add_cells(1)
                rng = parse_range(el.get("ref", ""))
                if rng is not None:
                    self.merged.append(rng)

    def _check_dimension(self, ref: str) -> None:
        limits = self.book.budget.limits
        rng = parse_range(ref)
        if rng is None:
            return  # some programs write nonsense here; the rows themselves are counted
        min_col, min_row, max_col, max_row = rng
        if max_row - min_row + 1 > limits.sheet_rows or max_col - min_col + 1 > limits.columns:
            raise ValidationError("The sheet's used range {range} is larger than {rows} rows by {columns} columns; "
                                  "delete the unused rows and columns or copy the table to a new sheet",
                                  range=ref.strip()[:40], rows=limits.sheet_rows, columns=limits.columns)

    def _row(self, el: Element, number: int) -> SheetRow | None:
        budget = self.book.budget
        max_col = budget.limits.columns
        cells: list[str] = []
        problems: dict[int, ValidationError] = {}
        col = 0
        n = 0
        for c in el:
            if c.tag not in _C:
                continue
            n += 1
            ref = c.get("r")
            if ref:
                col = _column_of(ref)
                if not col:
                    raise _unreadable(f"bad cell reference {ref[:20]}")
            else:
                col += 1
            text, problem = self._cell(c, col, number)
            if not text and problem is None:
                continue
            if col > max_col:
                raise ValidationError("Cell {cell} lies beyond column {limit}; a table may have at most {limit} "
                                      "columns", cell=f"{column_letter(col)}{number}", limit=max_col)
            if len(cells) < col:
                cells.extend([""] * (col - len(cells)))
            cells[col - 1] = text
            if problem is not None:
                problems[col - 1] = problem
        budget.add_cells(n)
        if not cells:
            return None
        return SheetRow(number, cells, problems)

    def _cell(self, c: Element, col: int, row: int) -> tuple[str, ValidationError | None]:
        kind = c.get("t", "n")
        v: Element | None = None
        has_formula = False
        inline: Element | None = None
        for child in c:
            tag = child.tag
            if tag in _V:
                v = child
            elif tag in _F:
                has_formula = True
            elif tag in _IS:
                inline = child
        if kind == "inlineStr":
            return (_text_of(inline) if inline is not None else ""), None
        if v is None or (has_formula and kind != "str" and not (v.text or "").strip()):
            if has_formula:  # openpyxl writes <v/>, others leave <v> out
                return "", ValidationError("Cell {cell} holds a formula without a saved result; open the file in "
                                           "Excel or WPS, save it, and import it again",
                                           cell=f"{column_letter(col)}{row}")
            return "", None
        raw = v.text or ""
        if kind == "s":
            try:
                return self.strings[int(raw)], None
            except (ValueError, IndexError):
                raise _unreadable(f"cell {column_letter(col)}{row} names a text that is not in the file") from None
        if kind == "str":
            return raw, None
        if kind == "e":
            return raw, ValidationError("Cell {cell} shows the error {value}", cell=f"{column_letter(col)}{row}",
                                        value=raw[:20])
        if kind == "b":
            return ("1" if raw.strip() in ("1", "true") else "0"), None
        if kind == "d":
            try:
                return cell_text(datetime.fromisoformat(raw.strip().rstrip("Z"))), None
            except ValueError:
                return raw, None
        raw = raw.strip()
        if not raw:
            return "", None
        try:
            number: int | float = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
        except ValueError:
            return raw, ValidationError("Cell {cell} holds '{value}', which is not a number",
                                        cell=f"{column_letter(col)}{row}", value=raw[:20])
        if self.date_styles and _int(c.get("s"), 0) in self.date_styles:
            from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

            try:
                return cell_text(from_excel(number, CALENDAR_MAC_1904 if self.epoch_1904 else CALENDAR_WINDOWS_1900)), None
            except (ValueError, OverflowError, TypeError):
                pass
        return cell_text(number), None


def _int(text: str | None, default: int) -> int:
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        return default

"""Cell references and cell values of SpreadsheetML, shared by the xlsx reader's modules.

References (``B12``, ``A1:C9``) within Excel's grid, element tags in both namespaces, the plain text
of a rich string, and a value as text the way openpyxl's ``data_only=True`` reading would give it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element

EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COL = 16_384
_REF_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


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


_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}  # "AB" -> 28, filled as met


def column_of(ref: str) -> int:
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


def local_name(tag: str) -> str:
    """A tag without its ``{namespace}``."""
    return tag[tag.rfind("}") + 1:]


_NAMESPACES = ("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}",
               "{http://purl.oclc.org/ooxml/spreadsheetml/main}", "")


def tags(local: str) -> frozenset[str]:
    """The tag of a SpreadsheetML element in the transitional and strict namespaces (and none)."""
    return frozenset(ns + local for ns in _NAMESPACES)


_T, _R = tags("t"), tags("r")


def text_of(el: Element) -> str:
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


def int_or(text: str | None, default: int) -> int:
    """``text`` as an integer, or ``default`` when it is absent or not one."""
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        return default

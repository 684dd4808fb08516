"""The rows of one worksheet's XML, counted against ``Limits`` as they stream by.

Rows, cells, columns and the sheet's declared dimension are counted; instead of a value a cell may
carry a problem: a formula without a saved result, an error value (``#DIV/0!``), a cell covered by a
merged range (known only at the end of the sheet: ``merged``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from xml.etree.ElementTree import Element

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.files.xlsx_archive import Archive, unreadable
from jxc_desktop.files.xlsx_cells import (
    EXCEL_MAX_ROW,
    cell_text,
    column_letter,
    column_of,
    int_or,
    parse_range,
    tags,
    text_of,
)

_ROW, _C, _V, _F, _IS = tags("row"), tags("c"), tags("v"), tags("f"), tags("is")
_DIMENSION, _MERGE_CELL = tags("dimension"), tags("mergeCell")


@dataclass(frozen=True)
class SheetRow:
    """One ``<row>`` with at least one value: cells by column (index 0 = A) and their problems."""

    number: int
    cells: list[str]
    problems: dict[int, ValidationError]


class Sheet:
    """The rows of one worksheet; ``merged`` (ranges) is complete after ``rows()`` is exhausted."""

    def __init__(self, book: Archive, part: str, strings: list[str], date_styles: frozenset[int],
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
                number = int_or(el.get("r"), last_row + 1)
                if not last_row < number <= EXCEL_MAX_ROW:
                    raise unreadable(f"row {number} is out of order")
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
                col = column_of(ref)
                if not col:
                    raise unreadable(f"bad cell reference {ref[:20]}")
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
            return (text_of(inline) if inline is not None else ""), None
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
                raise unreadable(f"cell {column_letter(col)}{row} names a text that is not in the file") from None
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
            # Excel stores every number as a double and may write its 17-digit form (12.300000000000001);
            # float -> shortest text gives back what the user typed (12.3), and date serials need the
            # number. Money is never computed here: the column's number rule parses this text to fen.
            number: int | float = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
        except ValueError:
            return raw, ValidationError("Cell {cell} holds '{value}', which is not a number",
                                        cell=f"{column_letter(col)}{row}", value=raw[:20])
        if self.date_styles and int_or(c.get("s"), 0) in self.date_styles:
            from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

            try:
                return cell_text(from_excel(number, CALENDAR_MAC_1904 if self.epoch_1904 else CALENDAR_WINDOWS_1900)), None
            except (ValueError, OverflowError, TypeError):
                pass
        return cell_text(number), None

"""Writing one .xlsx worksheet as a stream: the sheet's XML goes row by row into the zip.

Each row is turned into its XML text at once and written to the compressed sheet part, so 100 000
rows take the memory of one. Number formats and widths are set once per column (a cell written
without a style of its own takes its column's), so nothing is styled cell by cell. Strings are
written inline (no shared-string table kept in memory) and are never turned into formulas, numbers
or links (the callers neutralise formula text for other programs with ``tabular.safe_cell``).

Why our own writer: on 100 000 product-shaped rows × 14 columns (benchmarks/bench_xlsx_writers.py,
quiet machine) openpyxl's write-only mode took 22.4 s and XlsxWriter's constant-memory mode 10.2 s,
nearly all of it their per-cell Python; building each row's XML in one expression here takes 3.0 s.
The file has only the parts the format needs (workbook, one sheet, styles). The files open in Excel, WPS and LibreOffice and are read back
by files/xlsx_read.py and openpyxl in the tests.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape

# Characters XML 1.0 cannot carry (control characters other than tab, newline, return).
_BAD = {c: None for c in range(32) if c not in (9, 10, 13)}
_BUILTIN_FORMATS = {"": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "@": 49}
_EPOCH = datetime(1899, 12, 30)
Style = int


@dataclass(frozen=True)
class SheetColumn:
    width: float
    num_format: str = ""  # "" = General; "@" = text (long digit strings keep every digit)


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _text(value: str) -> str:
    return escape(value.translate(_BAD))


def _serial(value: date | datetime) -> str:
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    delta = moment.replace(tzinfo=None) - _EPOCH
    return repr(delta.days + delta.seconds / 86400) if delta.seconds else str(delta.days)


def _cell(ref: str, value: Any, style: str) -> str:
    """One cell's XML ('' for an empty cell)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | Decimal):
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}"{style}><v>{_serial(value)}</v></c>'
    text = str(value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_text(text)}</t></is></c>'


class SheetStream:
    """One worksheet written top to bottom into ``target`` (a path or a binary file object);
    ``close()`` finishes the file. Rows are numbered from 0 and only go forward."""

    def __init__(self, target: str | IO[bytes], sheet_name: str, columns: Sequence[SheetColumn]) -> None:
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._name = sheet_name[:31] or "Sheet"
        self._columns = list(columns)
        self._styles: list[tuple[tuple[str, Any], ...]] = [()]  # 0 = the default style
        self._numfmts: dict[str, int] = {}
        self._column_styles = [self._style_id({"num_format": c.num_format} if c.num_format else {})
                               for c in self._columns]
        self._refs = [_column_name(i) for i in range(max(len(self._columns), 1))]
        self._freeze = 0
        self.row = 0
        self._out = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._head_written = False
        self._pending: list[str] = []

    # ------------------------------------------------------------ styles
    def _style_id(self, props: dict[str, Any]) -> Style:
        key = tuple(sorted(props.items()))
        if key not in self._styles:
            self._styles.append(key)
        return self._styles.index(key)

    def format(self, **props: Any) -> Style:
        """A cell style (bold, font_size, bg_color, align, valign, text_wrap, num_format), made once
        per distinct set of properties."""
        return self._style_id(props)

    # ------------------------------------------------------------ rows
    def _ref(self, col: int) -> str:
        while col >= len(self._refs):
            self._refs.append(_column_name(len(self._refs)))
        return self._refs[col]

    def _row_xml(self, values: Sequence[Any], styles: Sequence[Style | None]) -> str:
        r = self.row + 1
        cells = []
        for col, value in enumerate(values):
            style = styles[col] if col < len(styles) else None
            if style is None:
                style = self._column_styles[col] if col < len(self._column_styles) else 0
            cells.append(_cell(f"{self._ref(col)}{r}", value, f' s="{style}"' if style else ""))
        return f'<row r="{r}">{"".join(cells)}</row>'

    def _emit(self, text: str) -> None:
        # The first rows (a report's title lines) wait until the streamed rows start: the sheet's
        # head, written before them, carries the frozen pane set after those rows.
        if not self._head_written:
            self._pending.append(text)
            if len(self._pending) < 1000:
                return
            self._flush_head()
            return
        self._out.write(text.encode())

    def _flush_head(self) -> None:
        if not self._head_written:
            self._head_written = True
            self._out.write((self._sheet_head() + "".join(self._pending)).encode())
            self._pending.clear()

    def write(self, values: Sequence[Any], formats: Sequence[Style | None] | Style | None = None) -> None:
        """One row; ``formats`` (one for all, or one per cell) overrides the columns' formats."""
        if formats is None:
            styles: Sequence[Style | None] = ()
        elif isinstance(formats, int):
            styles = [formats] * len(values)
        else:
            styles = formats
        self._emit(self._row_xml(values, styles))
        self.row += 1

    def write_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        """Many rows in the columns' formats, a batch of rows per write to the zip."""
        self._flush_head()
        batch: list[str] = []
        for values in rows:
            batch.append(self._row_xml(values, ()))
            self.row += 1
            if len(batch) >= 500:
                self._emit("".join(batch))
                batch.clear()
        if batch:
            self._emit("".join(batch))

    def freeze_above(self, row: int) -> None:
        """Keep rows above ``row`` (0-based) in view while scrolling (before the rows are streamed:
        the pane is part of the sheet's head)."""
        if self._head_written:
            raise ValueError("freeze_above must come before the rows are streamed")
        self._freeze = row

    # ------------------------------------------------------------ the file's parts
    def _sheet_head(self) -> str:
        pane = ""
        if self._freeze:
            cell = f"A{self._freeze + 1}"
            pane = (f'<pane ySplit="{self._freeze}" topLeftCell="{cell}" activePane="bottomLeft" state="frozen"/>'
                    f'<selection pane="bottomLeft" activeCell="{cell}" sqref="{cell}"/>')
        styled = [f' style="{sid}"' if sid else "" for sid in self._column_styles]
        cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{c.width}" customWidth="1"{styled[i]}/>'
                       for i, c in enumerate(self._columns))
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
                '<sheetFormatPr defaultRowHeight="15"/>'
                + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>")

    def _numfmt_id(self, code: str) -> int:
        if code in _BUILTIN_FORMATS:
            return _BUILTIN_FORMATS[code]
        return self._numfmts.setdefault(code, 164 + len(self._numfmts))

    def _styles_xml(self) -> str:
        fonts: list[str] = ['<font><sz val="11"/><name val="Calibri"/></font>']
        fills: list[str] = ['<fill><patternFill patternType="none"/></fill>',
                            '<fill><patternFill patternType="gray125"/></fill>']
        xfs: list[str] = []
        for key in self._styles:
            props = dict(key)
            numfmt = self._numfmt_id(str(props.get("num_format", "")))
            font_id = 0
            if props.get("bold") or props.get("font_size"):
                size = props.get("font_size", 11)
                fonts.append(f'<font>{"<b/>" if props.get("bold") else ""}<sz val="{size}"/><name val="Calibri"/></font>')
                font_id = len(fonts) - 1
            fill_id = 0
            if props.get("bg_color"):
                rgb = "FF" + str(props["bg_color"]).lstrip("#").upper()
                fills.append(f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/><bgColor indexed="64"/>'
                             "</patternFill></fill>")
                fill_id = len(fills) - 1
            align = ""
            if props.get("align") or props.get("valign") or props.get("text_wrap"):
                attrs = []
                if props.get("align"):
                    attrs.append(f'horizontal="{props["align"]}"')
                if props.get("valign"):
                    attrs.append(f'vertical="{str(props["valign"]).removeprefix("v")}"')
                if props.get("text_wrap"):
                    attrs.append('wrapText="1"')
                align = f'<alignment {" ".join(attrs)}/>'
            flags = (' applyNumberFormat="1"' if numfmt else "") + (' applyFont="1"' if font_id else "") + \
                (' applyFill="1"' if fill_id else "") + (' applyAlignment="1"' if align else "")
            xfs.append(f'<xf numFmtId="{numfmt}" fontId="{font_id}" fillId="{fill_id}" borderId="0" xfId="0"{flags}>'
                       f"{align}</xf>" if align else
                       f'<xf numFmtId="{numfmt}" fontId="{font_id}" fillId="{fill_id}" borderId="0" xfId="0"{flags}/>')
        numfmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>'
                          for code, i in self._numfmts.items())
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + (f'<numFmts count="{len(self._numfmts)}">{numfmts}</numFmts>' if numfmts else "")
                + f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
                + f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
                + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                + f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                + "</styleSheet>")

    def close(self) -> None:
        self._flush_head()
        self._out.write(b"</sheetData></worksheet>")
        self._out.close()
        z = self._zip
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '<Override PartName="/xl/styles.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                   "</Types>")
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   f'<sheets><sheet name="{escape(self._name.translate(_BAD), {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                   'Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
                   'Target="styles.xml"/></Relationships>')
        z.writestr("xl/styles.xml", self._styles_xml())
        z.close()

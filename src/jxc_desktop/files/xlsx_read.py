"""The first worksheet of an ``.xlsx`` file as rows of text cells, read within ``Limits``.

Imports read workbooks with this instead of openpyxl's reader, which trusts the file: it unpacks
the shared strings whole (a 6.7 MB file unpacked to 3 GB and died of MemoryError), pads every row to
the widest cell (a 1.5 MB file became 330 million empty cells), and in read-only mode cannot tell a
formula without a saved result from an empty cell and does not report merged cells. The reader is in
four modules:

- ``xlsx_archive``: the zip guard (declared sizes, ratios, methods, part count) and streamed XML parts;
- this module: the workbook's first sheet, its shared strings and its date styles;
- ``xlsx_sheet``: the sheet's rows and cells, counted against ``Limits``, with each cell's problem;
- ``xlsx_cells``: cell references, tags and values as text.

Values come back as openpyxl's would with ``data_only=True`` (numbers, dates by their number format,
booleans, the saved results of formulas) as text, by ``cell_text``.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.files.xlsx_archive import Archive, unreadable
from jxc_desktop.files.xlsx_cells import local_name, tags, text_of
from jxc_desktop.files.xlsx_sheet import Sheet

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Built-in number formats that show a date or time. 14-22 and 45-47 are the international ones;
# 27-36 and 50-58 are the East Asian ones Chinese Excel/WPS use (yyyy"年"m"月"d"日"…), which
# openpyxl does not know (it would give 46022 for an expiry date).
_BUILTIN_DATES = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_SI = tags("si")


class Workbook(Archive):
    """An open ``.xlsx``: the archive checked on opening, then its first worksheet."""

    def first_sheet(self) -> Sheet:
        main = next((p for t, p in self.rels("").values() if t.endswith("/officeDocument")), "xl/workbook.xml")
        rels = self.rels(main)
        epoch_1904 = False
        sheet_ids: list[str] = []
        for _ev, el in self.events(main, self.budget.limits.meta_mb, ("end",)):
            tag = local_name(el.tag)
            if tag == "workbookPr":
                epoch_1904 = el.get("date1904", "").lower() in ("1", "true")
            elif tag == "sheet":
                sheet_ids.append(el.get(f"{{{_REL_NS}}}id") or next(
                    (v for k, v in el.attrib.items() if local_name(k) == "id" and k.startswith("{")), ""))
        sheet = next((rels[i][1] for i in sheet_ids if i in rels and rels[i][0].endswith("/worksheet")), None)
        if sheet is None:
            raise unreadable("no worksheet")
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
                out.append(text_of(el))
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
            tag = local_name(el.tag)
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

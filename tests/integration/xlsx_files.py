"""Workbooks built part by part, for the files no spreadsheet program writes on purpose: bombs,
a huge declared dimension, forged zip sizes, a formula with a saved result (openpyxl cannot write one).

``build_xlsx`` streams each part into the zip, so a part of hundreds of MB costs seconds and a few
hundred KB on disk, never the memory to hold it.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>")
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>')


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def num_cell(ref: str, value: str) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def sheet_xml(rows: Iterable[str], *, dimension: str = "", tail: str = "", head: str = "") -> Iterable[str]:
    """A worksheet's XML in pieces: ``rows`` are whole ``<row>`` elements."""
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{head}<worksheet xmlns="{NS}">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    yield from rows
    yield "</sheetData>"
    yield tail
    yield "</worksheet>"


def shared_strings(texts: Iterable[str]) -> Iterable[str]:
    yield f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{NS}">'
    for t in texts:
        yield f"<si><t>{t}</t></si>"
    yield "</sst>"


def build_xlsx(path: Path, sheet: Iterable[str], strings: Iterable[str] | None = None,
               compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        _stream(zf, "xl/worksheets/sheet1.xml", sheet, compression)
        _stream(zf, "xl/sharedStrings.xml", strings if strings is not None else shared_strings([]), compression)
    return path


def _stream(zf: zipfile.ZipFile, name: str, pieces: Iterable[str], compression: int) -> None:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = compression
    buf: list[str] = []
    size = 0
    with zf.open(info, "w") as out:
        for piece in pieces:
            buf.append(piece)
            size += len(piece)
            if size > 1 << 20:
                out.write("".join(buf).encode())
                buf, size = [], 0
        out.write("".join(buf).encode())


def forge_unpacked_size(path: Path, member: str, size: int) -> None:
    """Make the zip's central directory (what zipfile trusts) declare ``size`` unpacked bytes for
    ``member``, as a bomb's would, without writing them (``size`` below 4 GiB)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        n = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46:central + 46 + n]) == name:
            struct.pack_into("<I", data, central + 24, size)
            path.write_bytes(bytes(data))
            return
        central = data.find(b"PK\x01\x02", central + 4)
    raise AssertionError(f"{member} is not in the central directory")

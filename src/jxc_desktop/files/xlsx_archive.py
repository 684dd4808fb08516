"""The zip side of an ``.xlsx``: the archive guard and streamed XML parts.

The zip directory's declared sizes, compression ratios, methods and part count are checked before
anything is unpacked (and zipfile never unpacks more than a part declares). A part's XML is streamed in
chunks through ``XMLPullParser``, the deadline checked after each chunk; a document type declaration
(the way to entity bombs) is refused.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
from collections.abc import Iterator
from typing import IO
from xml.etree.ElementTree import Element, XMLPullParser

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.files.table_guard import MB, Budget
from jxc_desktop.files.xlsx_cells import local_name

CHUNK = 1 << 16
DIRECTORY_KB = 4096  # the zip's table of contents; a real workbook's is a few KB


class BrokenWorkbook(ValueError):
    """The file is not a readable workbook (the caller says "Cannot read <file>: <reason>")."""


def unreadable(reason: str) -> BrokenWorkbook:
    return BrokenWorkbook(reason)


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


class Archive:
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

    def _info(self, name: str, limit_mb: int) -> zipfile.ZipInfo:
        info = self.parts.get(name)
        if info is None:
            raise unreadable(f"{name} is missing")
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

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, part name) of ``part`` (from its _rels file)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.parts:
            return {}
        out: dict[str, tuple[str, str]] = {}
        for _ev, el in self.events(rels_name, self.budget.limits.meta_mb, ("end",)):
            if local_name(el.tag) == "Relationship" and el.get("TargetMode") != "External":
                target = el.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                out[el.get("Id", "")] = (el.get("Type", ""), posixpath.normpath(path))
        return out

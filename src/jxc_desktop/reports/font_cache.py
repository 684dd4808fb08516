"""The CJK font's parsed tables, kept in this PC's cache folder so a new process need not parse them.

ReportLab's ``TTFont`` walks the font's cmap, hmtx and loca tables in Python whenever a process
registers it: about 120 ms for WenQuanYi Micro Hei (34 600 characters, 49 531 glyphs), which the first
receipt of every process paid (issue 15). What that walk yields depends only on the font file, ReportLab
and Python, so the first process writes it down (paths.cache_dir()/fonts) and later ones read it back in
a fraction of the time. The face is rebuilt attribute for attribute and the glyph outlines are still
read from the font file itself, so the PDFs are the same byte for byte.

The cache is only ever a shortcut. A missing, stale (another font file, size, modification time or
first 64 KiB; another ReportLab or Python), truncated or damaged cache file means parsing as before and
writing it again; a folder that cannot be written means parsing every time, as before. The CRC guards
against damage, not against someone who can already write into the user's own folders.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import struct
import sys
import tempfile
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from fnmatch import fnmatch
from functools import cached_property
from pathlib import Path
from typing import Any, overload
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace, unShapedFontGlob

from jxc_desktop.paths import cache_dir

FORMAT = 1
MAGIC = b"JXCFONT1"
_HEADER = struct.Struct("<8sII")  # magic, length and CRC-32 of the marshalled body
HEAD_BYTES = 64 * 1024  # the TTC header and every table directory: a new font revision changes it

_MAPS = ("charToGlyph", "charWidths")  # {code: number}
_INT_CODES = ("B", "H", "h", "I", "i", "q")  # array type codes, narrowest first
_PLAIN_TYPES = (int, float, str, bytes, bool, type(None))


def ttfont(name: str, path: Path, index: int = 0) -> TTFont:
    """``TTFont(name, path, subfontIndex=index)``, with the face from the cache when it is good."""
    face = load_face(path, index)
    font = TTFont.__new__(TTFont)  # TTFont.__init__ would parse the file again
    # What TTFont.__init__ sets besides the face (tests/integration/test_font_cache.py compares the two).
    vars(font).update(fontName=name, face=face, encoding=TTEncoding(), state=WeakKeyDictionary(),
                      _asciiReadable=rl_config.ttfAsciiReadable)
    font.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)  # a property in ReportLab 4
    return font


def load_face(path: Path, index: int = 0) -> TTFontFace:
    """The parsed face of ``path`` (``index`` inside a .ttc), from the cache or parsed and then cached.
    Raises what parsing raises (TTFError, OSError) for a file that is not a usable TrueType font."""
    path = Path(os.path.abspath(path))
    where, key = cache_file(path, index)
    face = _read(where, key, path)
    if face is None:
        face = TTFontFace(str(path), subfontIndex=index)
        _write(where, key, face)
    return face


def cache_file(path: Path, index: int = 0) -> tuple[Path, str]:
    """Where the parsed ``path`` is kept, and the key that file must hold to be read back."""
    stat = path.stat()
    key = "|".join(map(str, (FORMAT, REPORTLAB_VERSION, sys.version_info[:2], marshal.version,
                             os.path.abspath(path), index, stat.st_size, stat.st_mtime_ns)))
    return cache_dir() / "fonts" / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.bin", key


class _CachedFace(TTFontFace):
    """A face read back from the cache. Only ReportLab's text shaping (with uharfbuzz) reads
    glyphToChar, so its 34 000 small lists are built the first time something asks for them."""

    _glyph_columns: tuple[Any, Any, Any]

    @cached_property
    def glyphToChar(self) -> dict[int, list[int]]:  # noqa: N802 - ReportLab's attribute name
        glyphs, counts, codes = (_column(c) for c in self._glyph_columns)
        table: dict[int, list[int]] = {}
        at = 0
        with _gc_paused():
            for glyph, count in zip(glyphs, counts, strict=True):
                table[glyph] = codes[at:at + count]
                at += count
        return table


class _Metrics(Sequence[tuple[Any, Any]]):
    """hmetrics, the (advance width, left side bearing) of each glyph, as two columns: ReportLab only
    indexes it (makeSubset), and 49 531 tuples cost a new process more than the rest of the face."""

    __slots__ = ("_widths", "_bearings")

    def __init__(self, widths: list[Any], bearings: list[Any]) -> None:
        if len(widths) != len(bearings):
            raise ValueError("hmetrics columns disagree")
        self._widths, self._bearings = widths, bearings

    def __len__(self) -> int:
        return len(self._widths)

    @overload
    def __getitem__(self, i: int) -> tuple[Any, Any]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[Any, Any]]: ...

    def __getitem__(self, i: int | slice) -> tuple[Any, Any] | list[tuple[Any, Any]]:
        if isinstance(i, slice):
            return list(zip(self._widths[i], self._bearings[i], strict=True))
        return self._widths[i], self._bearings[i]


# ---------------------------------------------------------------------------------------- reading


def _read(where: Path, key: str, path: Path) -> TTFontFace | None:
    try:
        raw = where.read_bytes()
        magic, length, crc = _HEADER.unpack_from(raw)
        body = memoryview(raw)[_HEADER.size:]
        if magic != MAGIC or length != len(body) or crc != zlib.crc32(body):
            return None  # not ours, truncated or damaged: never unmarshal it
        saved = marshal.loads(body)
        if saved["key"] != key:
            return None
        data = path.read_bytes()
        if zlib.crc32(data[:HEAD_BYTES]) != saved["head"]:
            return None  # the font changed under the same size and time
        with _gc_paused():
            return _rebuild(saved, data)
    except (OSError, struct.error, ValueError, EOFError, TypeError, KeyError, IndexError):
        return None


def _rebuild(saved: dict[str, Any], data: bytes) -> TTFontFace:
    face = _CachedFace.__new__(_CachedFace)
    state: dict[str, Any] = dict(saved["plain"])
    state.update({k: TTFNameBytes(text.encode("utf-8"), "utf8") for k, text in saved["names"].items()})
    for name in _MAPS:
        keys, values = saved[name]
        state[name] = dict(zip(_column(keys), _column(values), strict=True))
    glyphs, counts, codes = saved["glyphToChar"]
    if not all(isinstance(c, (tuple, list)) for c in (glyphs, counts, codes)):
        raise TypeError("glyphToChar columns")
    state["_glyph_columns"] = (glyphs, counts, codes)  # decoded when first asked for
    widths, bearings = saved["hmetrics"]
    state["hmetrics"] = _Metrics(_column(widths), _column(bearings))
    state["glyphPos"] = _column(saved["glyphPos"])
    state["_ttf_data"] = data
    state["_pdfScale"] = _scale(state["unitsPerEm"])
    vars(face).update(state)
    return face


def _scale(units_per_em: int) -> Callable[[float], float]:
    """TTFontFile.extractInfo's font units -> 1/1000 em (only ReportLab's shaping path calls it)."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _column(packed: Any) -> list[Any]:
    if isinstance(packed, list):
        return packed
    if packed[0] == "+":
        return _column(packed[1]) + _column(packed[2])
    code, raw = packed
    if code not in (*_INT_CODES, "d"):
        raise ValueError(code)
    column = array(code)
    column.frombytes(raw)
    return column.tolist()


# ---------------------------------------------------------------------------------------- writing


def _write(where: Path, key: str, face: TTFontFace) -> None:
    saved = _snapshot(face)
    if saved is None:
        return
    saved.update(key=key, head=zlib.crc32(face._ttf_data[:HEAD_BYTES]))
    body = marshal.dumps(saved)
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where.parent, prefix=".font-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_HEADER.pack(MAGIC, len(body), zlib.crc32(body)) + body)
            os.replace(tmp, where)  # a reader sees the old file or the whole new one
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only or full disk: the next process parses again, as without a cache


def _snapshot(face: TTFontFace) -> dict[str, Any] | None:
    """The face's state as plain values and columns, or None when ReportLab put in something this
    format does not know (then there is no cache, and nothing half-understood is ever read back)."""
    state = dict(vars(face))
    state.pop("_ttf_data")
    state.pop("_pdfScale", None)
    try:
        saved: dict[str, Any] = {}
        for name in _MAPS:
            table = state.pop(name)
            saved[name] = (_pack(list(table)), _pack(list(table.values())))
        g2c = state.pop("glyphToChar")
        saved["glyphToChar"] = (_pack(list(g2c)), _pack([len(v) for v in g2c.values()]),
                                _pack([code for v in g2c.values() for code in v]))
        metrics = state.pop("hmetrics")
        saved["hmetrics"] = (_pack([w for w, _ in metrics]), _pack([b for _, b in metrics]))
        saved["glyphPos"] = _pack(state.pop("glyphPos"))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    saved["names"] = {k: v.ustr for k, v in state.items() if type(v) is TTFNameBytes}
    saved["plain"] = {k: v for k, v in state.items() if k not in saved["names"]}
    if not all(_is_plain(v) for v in saved["plain"].values()):
        return None
    return saved


def _pack(values: list[Any]) -> Any:
    """A column of numbers as the bytes of the narrowest array that holds it (fast to load), or the
    list itself when it mixes types (hmetrics holds ints and, past numberOfHMetrics, ReportLab's scaled
    floats; the types are kept, so the rebuilt face is equal and alike)."""
    if values and all(type(v) is int for v in values):
        low, high = min(values), max(values)
        for code in _INT_CODES:
            bits = 8 * array(code).itemsize
            lowest, limit = (0, 1 << bits) if code.isupper() else (-(1 << (bits - 1)), 1 << (bits - 1))
            if lowest <= low and high < limit:
                return (code, array(code, values).tobytes())
    if values and all(type(v) is float for v in values):
        return ("d", array("d", values).tobytes())
    ints = 0
    while ints < len(values) and type(values[ints]) is int:
        ints += 1
    if 0 < ints < len(values) and all(type(v) is float for v in values[ints:]):
        # hmetrics' widths: ints, then from numberOfHMetrics on ReportLab's scaled floats
        return ("+", _pack(values[:ints]), _pack(values[ints:]))
    if all(type(v) in (int, float) for v in values):
        return list(values)
    raise TypeError("not a column of numbers")


def _is_plain(value: Any) -> bool:
    if type(value) in _PLAIN_TYPES:
        return True
    if type(value) in (list, tuple):
        return all(_is_plain(v) for v in value)
    if type(value) is dict:
        return all(_is_plain(k) and _is_plain(v) for k, v in value.items())
    return False


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Building ~85 000 lists and tuples runs the cyclic collector hundreds of times, over the whole
    heap now and then: most of a load's time in a big process. None of them can be part of a cycle."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()

"""The CJK font's parsed tables, kept in this PC's cache folder so a new process need not parse them.

ReportLab's ``TTFont`` walks the font's cmap, hmtx and loca tables in Python whenever a process
registers it: about 120 ms for WenQuanYi Micro Hei (34 600 characters, 49 531 glyphs), which the first
receipt of every process paid (issue 15). What that walk yields depends only on the font file, ReportLab
and Python, so the first process writes it down (paths.cache_dir()/fonts) and later ones read it back.

Reading back must cost little more than a receipt, so nothing is rebuilt that a receipt does not use:
the two {character: value} tables are looked up in flat arrays indexed by code point (_CodeMap) until a
big document has asked often enough to pay for real dicts; the per-glyph columns stay arrays; and the
font file is not read whole (5 MB) but where the subsetter asks, from a handle kept open (_FontBytes),
so a receipt reads its own glyphs and a few small tables. A process that will print all day (the
window, once it is up) makes the face what a parsed one is, off the GUI thread (settle). The PDFs are
the same byte for byte.

The cache is only ever a shortcut. A missing, stale (another font file, size, modification time or
first 64 KiB; another ReportLab or Python), truncated or damaged cache file means parsing as before and
writing it again; a folder that cannot be written means parsing every time, as before. The CRC guards
against damage, not against someone who can already write into the user's own folders. A font file
replaced under its name while the program runs is still read as it was (the handle holds the old file;
on Windows the handle keeps it from being replaced); one rewritten in place is noticed at the next
subset and parsed again as it now is.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import struct
import sys
import tempfile
import threading
import zlib
from array import array
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from fnmatch import fnmatch
from functools import cached_property
from pathlib import Path
from typing import Any, overload
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFNameBytes, TTFont, TTFontFace, unShapedFontGlob

from jxc_desktop.gc_pause import gc_paused
from jxc_desktop.paths import cache_dir

FORMAT = 2
MAGIC = b"JXCFONT2"
_HEADER = struct.Struct("<8sII")  # magic, length and CRC-32 of the marshalled body
HEAD_BYTES = 64 * 1024  # the TTC header and every table directory: a new font revision changes it

_MAPS = ("charToGlyph", "charWidths")  # {code point: glyph}, {code point: width}
_BMP = 0x10000  # code points below this are looked up in an array; the few above in a dict
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
    source = _FontBytes.open(path, index)
    where, key = _cache_file(path, index, source.file.stat)
    face = _read(where, key, source)
    if face is None:
        source.file.close()
        face = TTFontFace(str(path), subfontIndex=index)
        _write(where, key, face)
    return face


def settle(face: TTFontFace) -> None:
    """Make a face read from the cache what a parsed face is, for a process that goes on to draw many
    PDFs (the window's warm-up thread, ~10 ms off the GUI thread): real dicts instead of a Python call
    per character looked up, and the font file's bytes in memory instead of a read per glyph. Nothing
    for a parsed face."""
    for name in _MAPS:
        table = vars(face).get(name)
        if isinstance(table, _CodeMap):
            table.promote()
    if isinstance(face, _CachedFace):
        face.read_whole()


def cache_file(path: Path, index: int = 0) -> tuple[Path, str]:
    """Where the parsed ``path`` is kept, and the key that file must hold to be read back."""
    return _cache_file(path, index, path.stat())


def _cache_file(path: Path, index: int, stat: os.stat_result) -> tuple[Path, str]:
    key = "|".join(map(str, (FORMAT, REPORTLAB_VERSION, sys.version_info[:2], marshal.version,
                             os.path.abspath(path), index, stat.st_size, stat.st_mtime_ns)))
    return cache_dir() / "fonts" / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.bin", key


class _FontFile:
    """A font file kept open for the face's life and read in 4 KiB blocks, each read once: a receipt's
    subset reads a few hundred small pieces (glyph headers, then the glyphs) out of a few dozen blocks.

    The handle keeps the bytes those of the file the tables were parsed from even after the name is
    given to a new file (on Windows the open handle keeps the file from being replaced); ``changed``
    tells when the file itself was rewritten."""

    def __init__(self, path: Path, index: int) -> None:
        self.path, self.index = path, index
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 - kept open for the face's life
        try:
            self.stat = os.fstat(self._file.fileno())
        except BaseException:
            self._file.close()
            raise
        self._lock = threading.Lock()  # only where there is no os.pread (Windows): seek, then read
        self._blocks: dict[int, bytes] = {}

    def close(self) -> None:
        file = vars(self).get("_file")  # none when open() failed
        if file is not None:
            file.close()

    __del__ = close  # when no face or table reads it any more (not earlier: another thread may)

    def changed(self) -> bool:
        """Whether the open file is no longer the one the tables were parsed from (rewritten in place)."""
        now = os.fstat(self._file.fileno())
        return (now.st_size, now.st_mtime_ns) != (self.stat.st_size, self.stat.st_mtime_ns)

    def read(self, at: int, length: int) -> bytes:
        """``length`` bytes from ``at``, all of them or TTFError."""
        if length > _BIG_READ:
            data = self._read(at, length)
        else:
            first, last = at >> _BLOCK_BITS, (at + length - 1) >> _BLOCK_BITS
            skip = at - (first << _BLOCK_BITS)
            if first == last:
                data = self._block(first)[skip:skip + length]
            else:
                data = b"".join(self._block(n) for n in range(first, last + 1))[skip:skip + length]
        if len(data) != length:
            raise TTFError(f'TTF file "{self.path}" is shorter than when it was read')
        return data

    def _block(self, n: int) -> bytes:
        block = self._blocks.get(n)
        if block is None:
            if len(self._blocks) >= _MAX_BLOCKS:
                self._blocks.clear()  # a font larger than this: start again rather than hold it all
            block = self._blocks[n] = self._read(n << _BLOCK_BITS, 1 << _BLOCK_BITS)
        return block

    def _read(self, at: int, length: int) -> bytes:
        if hasattr(os, "pread"):  # no shared file position: safe from any thread
            fd = self._file.fileno()
            data = os.pread(fd, length, at)
            while len(data) < length:  # a regular file reads short only at its end
                more = os.pread(fd, length - len(data), at + len(data))
                if not more:
                    break
                data += more
            return data
        with self._lock:
            self._file.seek(at)
            return self._file.read(length)  # unbuffered: a short read only at the end of the file


_BLOCK_BITS = 12
_MAX_BLOCKS = 2048  # 8 MiB
_BIG_READ = 64 * 1024  # read straight through, not kept


class _FontBytes:
    """The font file (or one table in it) as ReportLab's parser reads ``_ttf_data``: slices, as bytes,
    and single bytes, as ints. Nothing is read before it is asked for."""

    __slots__ = ("file", "_base", "_size")

    def __init__(self, file: _FontFile, base: int = 0, size: int | None = None) -> None:
        self.file, self._base, self._size = file, base, file.stat.st_size if size is None else size

    @classmethod
    def open(cls, path: Path, index: int) -> _FontBytes:
        return cls(_FontFile(path, index))

    def window(self, pos: int, length: int) -> _FontBytes:
        """``self[pos:pos + length]`` without reading it (get_table("glyf"): 4 MB of which a receipt
        embeds a few dozen glyphs)."""
        start = min(max(pos, 0), self._size)
        return _FontBytes(self.file, self._base + start, min(max(length, 0), self._size - start))

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, key: int) -> int: ...

    @overload
    def __getitem__(self, key: slice) -> bytes: ...

    def __getitem__(self, key: int | slice) -> int | bytes:
        if isinstance(key, slice):
            start, stop, step = key.indices(self._size)
            if step != 1:
                raise ValueError("only contiguous slices of a font file are read")
            return self.file.read(self._base + start, stop - start) if stop > start else b""
        at = key + self._size if key < 0 else key
        if not 0 <= at < self._size:
            raise IndexError("font file index out of range")
        return self.file.read(self._base + at, 1)[0]


class _CachedFace(TTFontFace):
    """A face read back from the cache. Only ReportLab's text shaping (with uharfbuzz) reads
    glyphToChar, so its 34 000 small lists are built the first time something asks for them."""

    _glyph_columns: tuple[Any, Any, Any]

    @cached_property
    def glyphToChar(self) -> dict[int, list[int]]:  # noqa: N802 - ReportLab's attribute name
        glyphs, counts, codes = (_column(c) for c in self._glyph_columns)
        table: dict[int, list[int]] = {}
        at = 0
        with gc_paused():
            for glyph, count in zip(glyphs, counts, strict=True):
                table[glyph] = codes[at:at + count]
                at += count
        return table

    def get_table(self, tag: str) -> Any:
        data = self._ttf_data
        if tag == "glyf" and isinstance(data, _FontBytes):
            # makeSubset only slices the glyphs it embeds out of this table: no 4 MB copy per PDF
            return data.window(*self.get_table_pos(tag))
        return super().get_table(tag)

    def makeSubset(self, subset: Sequence[int]) -> bytes:  # noqa: N802 - ReportLab's method name
        data = self._ttf_data
        if isinstance(data, _FontBytes) and data.file.changed():
            self._parse_again(data.file)
        return super().makeSubset(subset)

    def read_whole(self) -> None:
        """The font file's bytes in memory from now on, as a parsed face holds them (settle)."""
        data = self._ttf_data
        if isinstance(data, _FontBytes):
            if data.file.changed():
                self._parse_again(data.file)
            else:
                self._ttf_data = data[:]

    def _parse_again(self, file: _FontFile) -> None:
        """The file was rewritten since its tables were read, so its glyphs may no longer match them:
        this face becomes the file parsed as it now is."""
        fresh = TTFontFace(str(file.path), subfontIndex=file.index)
        vars(self).clear()
        vars(self).update(vars(fresh))


class _CodeMap(MutableMapping[int, Any]):
    """charToGlyph or charWidths of a cached face, {code point: value} as ReportLab reads it (``in``,
    ``[]``, ``get``) without building a 34 600-entry dict first: a code point below U+10000 indexes an
    array of value numbers (0: none), the rest sit in a small dict. A lookup costs a Python call, so
    once a big document has made ``_PROMOTE_AFTER`` of them the real dict is built and put on the face
    in this map's place (this map then reads through it); any change to the table does the same."""

    __slots__ = ("_bmp", "_values", "_astral", "_size", "_face", "_name", "_left", "_real")

    def __init__(self, bmp: Sequence[int], values: Sequence[Any], astral: dict[int, Any], size: int,
                 face: TTFontFace, name: str) -> None:
        if len(bmp) != _BMP:
            raise ValueError("code table size")
        self._bmp, self._values, self._astral, self._size = bmp, values, astral, size
        self._face, self._name, self._left = face, name, _PROMOTE_AFTER
        self._real: dict[int, Any] | None = None

    def get(self, code: Any, default: Any = None) -> Any:
        if self._real is not None:
            return self._real.get(code, default)
        self._left -= 1
        if self._left < 0:
            return self.promote().get(code, default)
        try:
            at = self._bmp[code] if code >= 0 else 0
        except (IndexError, TypeError):
            return self._astral.get(code, default)
        return self._values[at] if at else default

    def __contains__(self, code: object) -> bool:
        return self.get(code, _MISSING) is not _MISSING

    def __getitem__(self, code: int) -> Any:
        value = self.get(code, _MISSING)
        if value is _MISSING:
            raise KeyError(code)
        return value

    def __len__(self) -> int:
        return self._size if self._real is None else len(self._real)

    def __iter__(self) -> Iterator[int]:
        if self._real is not None:
            return iter(self._real)
        return self._codes()

    def _codes(self) -> Iterator[int]:
        yield from (code for code, at in enumerate(self._bmp) if at)
        yield from self._astral

    def __setitem__(self, code: int, value: Any) -> None:
        (self._real if self._real is not None else self.promote())[code] = value

    def __delitem__(self, code: int) -> None:
        del (self._real if self._real is not None else self.promote())[code]

    def promote(self) -> dict[int, Any]:
        """The real dict, built now if it is not yet, and put on the face in this map's place."""
        if self._real is not None:
            return self._real
        values, astral = self._values, self._astral
        with gc_paused():
            real = {code: values[at] for code, at in enumerate(self._bmp) if at}
            real.update(astral)
        self._real = real
        if vars(self._face).get(self._name) is self:
            setattr(self._face, self._name, real)
        return real


_MISSING = object()
_PROMOTE_AFTER = 50_000  # lookups; past this a real dict (~5 ms to build) is cheaper than Python calls


class _Metrics(Sequence[tuple[Any, Any]]):
    """hmetrics, the (advance width, left side bearing) of each glyph, as two columns: ReportLab only
    indexes it (makeSubset), and 49 531 tuples cost a new process more than the rest of the face."""

    __slots__ = ("_widths", "_bearings")

    def __init__(self, widths: Sequence[Any], bearings: Sequence[Any]) -> None:
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


class _Joined(Sequence[Any]):
    """Two columns read as one (hmtx widths: ints, then from numberOfHMetrics on ReportLab's floats)."""

    __slots__ = ("_head", "_tail")

    def __init__(self, head: Sequence[Any], tail: Sequence[Any]) -> None:
        self._head, self._tail = head, tail

    def __len__(self) -> int:
        return len(self._head) + len(self._tail)

    @overload
    def __getitem__(self, i: int) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self._head)
        at = i + len(self) if i < 0 else i
        if not 0 <= at < len(self):
            raise IndexError("column index out of range")
        return self._head[at] if at < n else self._tail[at - n]


# ---------------------------------------------------------------------------------------- reading


def _read(where: Path, key: str, source: _FontBytes) -> TTFontFace | None:
    try:
        raw = where.read_bytes()
        magic, length, crc = _HEADER.unpack_from(raw)
        body = memoryview(raw)[_HEADER.size:]
        if magic != MAGIC or length != len(body) or crc != zlib.crc32(body):
            return None  # not ours, truncated or damaged: never unmarshal it
        saved = marshal.loads(body)
        if saved["key"] != key:
            return None
        if zlib.crc32(source[:HEAD_BYTES]) != saved["head"]:
            return None  # the font changed under the same size and time
        with gc_paused():
            return _rebuild(saved, source)
    except (OSError, TTFError, struct.error, ValueError, EOFError, TypeError, KeyError, IndexError):
        return None


def _rebuild(saved: dict[str, Any], source: _FontBytes) -> TTFontFace:
    face = _CachedFace.__new__(_CachedFace)
    state: dict[str, Any] = dict(saved["plain"])
    state.update({k: TTFNameBytes(text.encode("utf-8"), "utf8") for k, text in saved["names"].items()})
    for name in _MAPS:
        bmp, values, astral, size = saved[name]
        if not (isinstance(values, list) and isinstance(astral, dict) and isinstance(size, int)):
            raise TypeError(name)
        table = range(-1, 1 << 32) if name == "charToGlyph" else values  # charToGlyph keeps glyph + 1
        state[name] = _CodeMap(_sequence(bmp), table, astral, size, face, name)
    glyphs, counts, codes = saved["glyphToChar"]
    if not all(isinstance(c, (tuple, list)) for c in (glyphs, counts, codes)):
        raise TypeError("glyphToChar columns")
    state["_glyph_columns"] = (glyphs, counts, codes)  # decoded when first asked for
    widths, bearings = saved["hmetrics"]
    state["hmetrics"] = _Metrics(_sequence(widths), _sequence(bearings))
    state["glyphPos"] = _sequence(saved["glyphPos"])
    state["_ttf_data"] = source
    state["_pdfScale"] = _scale(state["unitsPerEm"])
    vars(face).update(state)
    return face


def _scale(units_per_em: int) -> Callable[[float], float]:
    """TTFontFile.extractInfo's font units -> 1/1000 em (only ReportLab's shaping path calls it)."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _sequence(packed: Any) -> Sequence[Any]:
    """A packed column as something to index: the array itself (no list of 50 000 ints to build)."""
    if isinstance(packed, list):
        return packed
    if packed[0] == "+":
        return _Joined(_sequence(packed[1]), _sequence(packed[2]))
    code, raw = packed
    if code not in (*_INT_CODES, "d"):
        raise ValueError(code)
    column = array(code)
    column.frombytes(raw)
    return column


def _column(packed: Any) -> list[Any]:
    column = _sequence(packed)
    return column if isinstance(column, list) else list(column)


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
    if state.get("_full_font") is not False:
        return None  # a font embedded whole walks charToGlyph in its own order, which _CodeMap drops
    state.pop("_ttf_data")
    state.pop("_pdfScale", None)
    try:
        saved: dict[str, Any] = {}
        for name in _MAPS:
            saved[name] = _code_table(state.pop(name), glyphs=name == "charToGlyph")
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


def _code_table(table: dict[int, Any], *, glyphs: bool) -> tuple[Any, list[Any], dict[int, Any], int]:
    """{code point: value} as _CodeMap reads it: one number per code point below U+10000 (glyphs:
    the glyph + 1; widths: 1 + the place of the width among the distinct widths, which keep their
    types, 1000 apart from 1000.0), the code points above as they are, and the number of entries."""
    bmp = [0] * _BMP
    values: list[Any] = [None]
    places: dict[tuple[str, str], int] = {}
    astral: dict[int, Any] = {}
    for code, value in table.items():
        if type(code) is not int or code < 0:
            raise TypeError("code point")
        if not glyphs and type(value) not in (int, float):
            raise TypeError("width")
        if glyphs and (type(value) is not int or value < 0):
            raise TypeError("glyph")
        if code >= _BMP:
            astral[code] = value
        elif glyphs:
            bmp[code] = value + 1
        else:
            bmp[code] = places.setdefault((type(value).__name__, repr(value)), len(values))
            if bmp[code] == len(values):
                values.append(value)
    return _pack(bmp), values, astral, len(table)


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

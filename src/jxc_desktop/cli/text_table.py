"""The text table ``jxc report`` prints: a report table's cells as format_value writes them, each
column padded to its widest cell in terminal columns (a CJK character takes two), right-aligned
figures, two spaces between columns, a rule under the header and above the total.

A year's profit by product is 100 000 rows × 19 columns (issue 15: the whole command within 1.5×
of the bare ``sqlite3`` query). So a figure column formats and pads each distinct value once
(format_value's text, by C-level maps), its width is one ``max`` over the distinct cells (a
figure's text holds no wide character), columns of one value are glued to their neighbour and a
column equal to the one before it is joined to it once, and the rows are joined and written a few
thousand at a time, each cell already followed by its separator, so a chunk of rows is one join —
no per-cell Python code on the common path, no whole-table string. The same text as the per-cell
rule (tests/unit/test_cli_report_cells.py).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import chain, repeat
from operator import getitem
from typing import Any, TextIO

from jxc_desktop.domain.money import FEN_PER_YUAN
from jxc_desktop.services.reporting.dto import Align, ColKind, ReportTable, format_value

CHUNK_ROWS = 2000  # rows joined and written at a time (a chunk of 2 000 rows stays in the CPU cache: ~3 % faster than 4 000)
# Kinds whose text depends only on the value (format_value: int(value), or None): equal values,
# equal cells, so a distinct value is formatted once — by format_value itself (integer fen, no
# float on the way: a year by product has 1.3 M money cells but only 55 000 distinct amounts).
_MEMO_KINDS = frozenset((ColKind.MONEY, ColKind.QTY, ColKind.PCT, ColKind.INT, ColKind.PCT1, ColKind.TIMES))
# No character below U+1100 is wide. (Written as the complement of what is below: the range up to
# U+10FFFF took 6 ms to compile, at every jxc report.)
_MAYBE_WIDE = re.compile("[^\x00-\u10ff]")
# The CJK Unified Ideographs (U+4E00 to U+9FFF) are all wide and 3 bytes in UTF-8 (a unit test
# checks every one): a text of ASCII and those is found by one regular-expression scan.


@lru_cache(maxsize=1)
def _beyond_cjk() -> re.Pattern[str]:
    """A character other than ASCII and those ideographs (compiled on first use: 2 ms a command
    whose table is ASCII need not spend)."""
    return re.compile("[^\x00-\x7f\u4e00-\u9fff]")


@lru_cache(maxsize=4096)
def _extra(ch: str) -> int:
    """The second column a wide (CJK) character takes in a terminal."""
    return 1 if unicodedata.east_asian_width(ch) in "WF" else 0


def _width(text: str) -> int:
    """A cell's width in terminal columns."""
    if text.isascii():
        return len(text)
    return len(text) + sum(map(_extra, text))


class _Doubled(dict[int, str | int]):
    """A str.translate table: a wide (CJK) character to itself twice, any other to itself, each
    filled in when first met — so a column's widths are lengths of one translated text."""

    def __missing__(self, code: int) -> str | int:
        ch = chr(code)
        value: str | int = ch * 2 if _extra(ch) else code
        self[code] = value
        return value


_DOUBLED = _Doubled()


def _all_wide_3_bytes(text: str) -> bool:
    """Whether every non-ASCII character of ``text`` is wide and takes 3 bytes in UTF-8 (U+0800 to
    U+FFFF: the CJK ideographs, kana, hangul and fullwidth forms of a shop's names)."""
    if _beyond_cjk().search(text) is None:  # ASCII and CJK ideographs only: no set of every character
        return True
    return all(_extra(ch) and "\u0800" <= ch <= "\uffff" for ch in set(text) if not ch.isascii())


def _widths(texts: list[str], joined: str | None = None) -> list[int]:
    """``_width`` of every cell, by C-level maps over the column (a year by product: 100 000 names);
    ``joined``: the cells joined by NUL, when the caller has them."""
    joined = "\x00".join(texts) if joined is None else joined
    apart = joined.count("\x00") == len(texts) - 1  # no cell holds the separator: split back at it
    if _all_wide_3_bytes(joined):
        # A wide character is 1 in len and 3 in UTF-8 bytes, another 1 and 1: the width (len plus
        # one per wide character) is (bytes + len) / 2 — the bytes from one encoding of the column.
        sizes = map(len, joined.encode().split(b"\x00") if apart else map(str.encode, texts))
        return list(map((2).__rfloordiv__, map(int.__add__, sizes, map(len, texts))))
    if not apart:  # cell by cell
        return list(map(_width, texts))
    return list(map(len, joined.translate(_DOUBLED).split("\x00")))


def cells(kind: ColKind, values: Sequence[Any], memo: dict[Any, str] | None = None) -> list[str]:
    """A column's cells as format_value writes them. ``memo`` (value -> text, for one kind) is
    shared by the columns of a table: each distinct figure is formatted once."""
    if kind is ColKind.TEXT:
        return list(values) if set(map(type, values)) <= {str} else [format_value(kind, v) for v in values]
    if kind not in _MEMO_KINDS:
        return [format_value(kind, v) for v in values]
    memo = {} if memo is None else memo
    _remember(kind, set(values), memo)
    return list(map(memo.__getitem__, values))


def _remember(kind: ColKind, distinct: set[Any], memo: dict[Any, str]) -> None:
    new = list(distinct.difference(memo))
    if not new:
        return
    if kind in _C_LEVEL and set(map(type, new)) == {int}:  # plain ints: no None, bool or Decimal
        memo.update(zip(new, _C_LEVEL[kind](new), strict=True))
    else:
        memo.update(zip(new, map(format_value, repeat(kind), new), strict=True))


def _money_texts(fen: list[int]) -> map[str]:
    """format_fen of each amount by C-level maps (a year by product: 55 000 distinct amounts):
    the sign, then ¥, the yuan with thousands separators and the fen's two digits."""
    whole = fen if min(fen, default=0) >= 0 else list(map(abs, fen))
    body = map(str.__add__, map("¥".__add__, map(format, map(int.__floordiv__, whole, repeat(FEN_PER_YUAN)),
                                                  repeat(","))),
               map(_CENTS.__getitem__, map(int.__mod__, whole, repeat(FEN_PER_YUAN))))
    if whole is fen:  # no amount below zero: no sign
        return body
    return map(str.__add__, map(_SIGN.__getitem__, map(int.__lt__, fen, repeat(0))), body)


_CENTS = tuple(f".{cents:02d}" for cents in range(FEN_PER_YUAN))  # format_fen's ".05" of 5 fen
_SIGN = {True: "-", False: ""}
# Kinds whose cells of plain ints are written by C-level maps, the same text as format_value.
_C_LEVEL: dict[ColKind, Callable[[list[int]], Iterable[str]]] = {
    ColKind.MONEY: _money_texts, ColKind.INT: lambda ints: map(format, ints, repeat(","))}


def _wide_widths(texts: list[str]) -> list[int] | None:
    """Each cell's width when the column may hold a wide character (none is below U+1100), else
    None: every cell as wide as it is long. The column joined once for both questions."""
    joined = "\x00".join(texts)
    if joined.isascii() or _MAYBE_WIDE.search(joined) is None:
        return None
    return _widths(texts, joined)


def _one_value(values: Sequence[Any]) -> bool:
    """Whether every value equals the first (count gains of a year without counts): by one count
    (no set of 100 000 cells), tried only when the last and the middle one equal it too."""
    if not values:
        return False
    first = values[0]
    return values[-1] == first and values[len(values) // 2] == first and values.count(first) == len(values)


def _padded(texts: Iterable[str], rooms: Iterable[int], right: bool, sep: str) -> Iterable[str]:
    """Each text padded to its room (in characters), then ``sep``: right-aligned, or left-aligned."""
    if right:
        return map(str.rjust, map(str.__add__, texts, repeat(sep)), map(len(sep).__add__, rooms))
    if sep == "  ":  # the separator is two more characters of padding
        return map(str.ljust, texts, map((2).__add__, rooms))
    return map(str.__add__, map(str.ljust, texts, rooms), repeat(sep))


class _Column:
    """One column of the table: its header, width and padded cells, each followed by ``sep`` (the
    two spaces before the next column, or the line's end), so a row's text is one join.

    A figure column (money, quantity, percentage, count) and a text column of a few names many
    times keep their values and a map of each distinct value to its padded cell, built by C-level
    maps over the distinct cells (a year by product has 1.3 M money cells but 55 000 distinct
    amounts). Any other text column keeps its cells."""

    def __init__(self, header: str, kind: ColKind, values: Sequence[Any], right: bool, sep: str,
                 memos: dict[ColKind, dict[Any, str]], like: _Column | None = None) -> None:
        self.header, self.kind, self.right, self.sep = header, kind, right, sep
        self.cells_width = 0
        self.values: Sequence[Any] | None = None
        self.padded_of: dict[Any, str] = {}
        self.texts: list[str] = []
        self.widths: list[int] | None = None  # each cell's width, where the column holds a wide character
        self.seen: set[Any] | None = None  # a figure column's distinct values
        shown_widths: list[int] | None = None  # None: each shown cell is as wide as it is long
        if kind in _MEMO_KINDS:
            memo = memos.setdefault(kind, {})
            if like is not None and like.seen is not None:  # the same values as a column before
                seen = like.seen
            else:
                seen = {values[0]} if _one_value(values) else set(values)
            _remember(kind, seen, memo)
            self.seen = seen
            distinct = list(seen)
            shown = list(map(memo.__getitem__, distinct))  # digits, signs, ¥, % and —: no wide character
        elif kind is ColKind.TEXT and len(set(values[:1000])) * 4 <= min(len(values), 1000) \
                and set(map(type, values)) == {str}:
            distinct = shown = list(set(values))  # a category, a cashier: a few names many times
            shown_widths = _wide_widths(shown)
        else:
            self._texts(cells(kind, values))
            return
        self.cells_width = max(shown_widths if shown_widths is not None else map(len, shown), default=0)
        self.width = w = max(_width(header), self.cells_width)
        # a cell of n terminal columns and len(t) characters pads to w + len(t) - n characters
        rooms = repeat(w) if shown_widths is None else map(w.__add__, map(int.__sub__, map(len, shown), shown_widths))
        self.padded_of = dict(zip(distinct, _padded(shown, rooms, right, sep), strict=True))
        self.values = values

    def _texts(self, texts: list[str]) -> None:
        self.texts = texts
        self.widths = _wide_widths(texts)
        if self.widths is not None:
            self.width = max(_width(self.header), max(self.widths, default=0))
        else:
            self.width = max(_width(self.header), max(map(len, texts), default=0))

    def twin(self, header: str, sep: str) -> _Column | None:
        """This column under another header, when the cells are the same values padded to the same
        width (a year without counts or corrections: net profit reads as the gross profit): no pass
        over the cells again (the distinct cells' separator changed if need be). None when the
        width differs."""
        if max(_width(header), self.cells_width) != self.width:
            return None
        twin = object.__new__(_Column)
        twin.__dict__.update(self.__dict__)
        twin.header, twin.sep = header, sep
        if sep != self.sep and self.values is not None:
            bare = map(getitem, self.padded_of.values(), repeat(slice(None, -len(self.sep))))
            twin.padded_of = dict(zip(self.padded_of, map(str.__add__, bare, repeat(sep)), strict=True))
        return twin

    def trailing_space(self) -> bool:
        """Whether a line ending in this column may end in white space (then it is stripped): the
        character before a cell's line end (a glued cell's separator included)."""
        if self.values is None or not self.width:
            return True
        return any(map(str.isspace, map(getitem, self.padded_of.values(), repeat(slice(-2, -1)))))

    def pad(self, text: str) -> str:
        gap = " " * (self.width - _width(text))
        return gap + text if self.right else text + gap

    def constant(self) -> str | None:
        """The one padded cell of a figure column whose every value reads the same (count gains
        of a year without counts): such a cell is joined to its neighbour's cells once."""
        if self.values is None or not self.padded_of:
            return None
        cells = iter(self.padded_of.values())
        first = next(cells)
        return first if all(map(first.__eq__, cells)) else None

    def glue(self, tail: list[tuple[_Column, str | None]]) -> None:
        """Append to each distinct value's cell the cells of the columns after it (each with its
        separator): constant cells, or a column of the same values (profit after count, then net
        profit)."""
        keys = list(self.padded_of)
        texts = list(self.padded_of.values())
        run = ""  # constant cells in a row: added as one text
        for piece, cell in [*tail, (None, None)]:
            if cell is not None:
                run += cell
                continue
            if run:
                texts = list(map(str.__add__, texts, repeat(run)))
                run = ""
            if piece is not None:
                texts = list(map(str.__add__, texts, map(piece.padded_of.__getitem__, keys)))
        self.padded_of = dict(zip(keys, texts, strict=True))
        self.sep = tail[-1][0].sep

    def padded(self, start: int, stop: int) -> list[str]:
        """The padded cells of rows start..stop, each with its separator, as a list (zipping lists
        beats zipping maps)."""
        if self.values is not None:
            return list(map(self.padded_of.__getitem__, self.values[start:stop]))
        texts = self.texts[start:stop]
        w = self.width
        rooms = repeat(w) if self.widths is None else map(w.__add__, map(int.__sub__, map(len, texts),
                                                                         self.widths[start:stop]))
        return list(_padded(texts, rooms, self.right, self.sep))


def _joined_columns(columns: list[_Column]) -> list[_Column]:
    """The columns the rows are joined from: a column whose cells are all alike, and a column of
    the same values as the one before it, are glued onto the distinct cells of the column before
    them, so each row joins fewer cells to the same text."""
    kept: list[_Column] = []
    tails: dict[int, list[tuple[_Column, str | None]]] = {}  # kept column's index -> what is glued after it
    for col in columns:
        host = kept[-1] if kept and kept[-1].values is not None else None
        cell = col.constant()  # a constant column: glued as its one cell
        if host is not None and cell is not None:
            tails.setdefault(len(kept) - 1, []).append((col, cell))
        elif host is not None and col.values is not None and (col.values is host.values or col.values == host.values):
            tails.setdefault(len(kept) - 1, []).append((col, None))
        else:
            kept.append(col)
    for i, tail in tails.items():
        kept[i].glue(tail)
    return kept


def _by_column(rows: list[Sequence[Any]], k: int) -> list[list[Any]]:
    """The ``k`` columns of ``rows``: one flat list of every cell, then every k-th cell from each
    column's first (C-level slices; zip(*rows) makes an iterator per row)."""
    if set(map(len, rows)) - {k}:
        raise ValueError(f"a row does not have {k} cells")
    flat = list(chain.from_iterable(rows))
    return [flat[i::k] for i in range(k)]


def write_table(table: ReportTable, out: TextIO | None = None) -> None:
    """The text table of ``table`` on ``out`` (standard output)."""
    out = out if out is not None else sys.stdout
    rows: list[Sequence[Any]] = list(table.rows) + ([table.total] if table.total is not None else [])
    values = _by_column(rows, len(table.columns))
    memos: dict[ColKind, dict[Any, str]] = {}
    columns: list[_Column] = []
    for i, (c, vals) in enumerate(zip(table.columns, values, strict=True)):
        right = c.align is Align.RIGHT
        sep = "  " if i < len(table.columns) - 1 else "\n"
        same = next((col for col in columns if col.values is not None and col.kind is c.kind
                     and col.right == right and col.values == vals), None)
        twin = same.twin(c.header, sep) if same is not None else None
        columns.append(twin if twin is not None else _Column(c.header, c.kind, vals, right, sep, memos, same))
    rule = "  ".join("-" * c.width for c in columns)
    out.write(f"{table.title}  {table.subtitle}\n")
    out.write("  ".join(c.pad(c.header) for c in columns).rstrip() + "\n" + rule + "\n")
    joined = _joined_columns(columns) if rows else columns
    strip = bool(joined) and joined[-1].trailing_space()  # figures end in a digit or %: nothing to strip
    total_at = len(rows) - 1 if table.total is not None and table.rows else None  # the rule goes above it
    for text in _texts(joined, 0, len(rows), strip, total_at, rule):
        out.write(text)
    if table.notes:
        out.write("\n".join(table.notes) + "\n")


def _texts(joined: list[_Column], start: int, stop: int, strip: bool, total_at: int | None,
           rule: str) -> Iterator[str]:
    """The lines of rows start..stop, a few thousand rows at a time, the rule above the total."""
    for first in range(start, stop, CHUNK_ROWS):
        last = min(stop, first + CHUNK_ROWS)
        if total_at is not None and first <= total_at < last:
            if first < total_at:
                yield _lines(joined, first, total_at, strip)
            yield rule + "\n"
            yield _lines(joined, total_at, last, strip)
        else:
            yield _lines(joined, first, last, strip)


def _lines(joined: list[_Column], start: int, stop: int, strip: bool) -> str:
    """Rows start..stop: each row's cells (each ending in its separator) joined, at once."""
    cells = [c.padded(start, stop) for c in joined]
    if strip:
        return "\n".join(map(str.rstrip, map("".join, zip(*cells, strict=True)))) + "\n"  # (rstrip takes the line's end too)
    # Row by row, cell by cell, laid out by one slice assignment per column (no tuple per row).
    k = len(cells)
    flat = [""] * (k * (stop - start))
    for i, column in enumerate(cells):
        flat[i::k] = column
    return "".join(flat)

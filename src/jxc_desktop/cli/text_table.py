"""The text table ``jxc report`` prints: a report table's cells as format_value writes them, each
column padded to its widest cell in terminal columns (a CJK character takes two), right-aligned
figures, two spaces between columns, a rule under the header and above the total.

A year's profit by product is 100 000 rows × 20 columns (issue 15: the whole command within 1.5×
of the bare ``sqlite3`` query). So a figure column formats each distinct value once (format_value),
its width is one ``max`` over the distinct cells unless it holds a wide character, and the rows are
joined and written a few thousand at a time — no per-cell Python code on the common path, no
whole-table string. The same text as the per-cell rule (tests/unit/test_cli_report_cells.py).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from itertools import repeat
from typing import Any, TextIO

from jxc_desktop.domain.money import FEN_PER_YUAN
from jxc_desktop.services.reporting.dto import Align, ColKind, ReportTable, format_value

CHUNK_ROWS = 4000  # rows joined and written at a time
# Kinds whose text depends only on the value (format_value: int(value), or None): equal values,
# equal cells, so a distinct value is formatted once — by format_value itself (integer fen, no
# float on the way: a year by product has 1.3 M money cells but only 55 000 distinct amounts).
_MEMO_KINDS = frozenset((ColKind.MONEY, ColKind.QTY, ColKind.PCT, ColKind.INT, ColKind.PCT1, ColKind.TIMES))
_MAYBE_WIDE = re.compile("[\u1100-\U0010ffff]")
# The CJK Unified Ideographs (U+4E00 to U+9FFF) are all wide and 3 bytes in UTF-8 (a unit test
# checks every one): a text of ASCII and those is found by one regular-expression scan.
_BEYOND_CJK = re.compile("[^\x00-\x7f\u4e00-\u9fff]")


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
    if _BEYOND_CJK.search(text) is None:  # ASCII and CJK ideographs only: no set of every character
        return True
    return all(_extra(ch) and "\u0800" <= ch <= "\uffff" for ch in set(text) if not ch.isascii())


def _widths(texts: list[str]) -> list[int]:
    """``_width`` of every cell, by C-level maps over the column (a year by product: 100 000 names)."""
    joined = "\x00".join(texts)
    if _all_wide_3_bytes(joined):
        # A wide character is 1 in len and 3 in UTF-8 bytes, another 1 and 1: the width (len plus
        # one per wide character) is (bytes + len) / 2.
        doubled = map(int.__add__, map(len, map(str.encode, texts)), map(len, texts))
        return list(map((2).__rfloordiv__, doubled))
    if joined.count("\x00") != len(texts) - 1:  # a cell holds the separator: cell by cell
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
    the sign, then ¥, the yuan with thousands separators and two digits of fen."""
    whole = list(map(abs, fen))
    body = map("¥{}.{:02d}".format, map(format, map(int.__floordiv__, whole, repeat(FEN_PER_YUAN)), repeat(",")),
               map(int.__mod__, whole, repeat(FEN_PER_YUAN)))
    return map(str.__add__, map(_SIGN.__getitem__, map(int.__lt__, fen, repeat(0))), body)


_SIGN = {True: "-", False: ""}
# Kinds whose cells of plain ints are written by C-level maps, the same text as format_value.
_C_LEVEL: dict[ColKind, Callable[[list[int]], Iterable[str]]] = {
    ColKind.MONEY: _money_texts, ColKind.INT: lambda ints: map(format, ints, repeat(","))}


def _has_wide(texts: Iterable[str]) -> bool:
    """Whether a text may hold a wide character (none is below U+1100)."""
    joined = "".join(texts)
    return not joined.isascii() and _MAYBE_WIDE.search(joined) is not None


class _Column:
    """One column of the table: its header, width and padded cells.

    A figure column (money, quantity, percentage, count) and a text column of a few names many
    times keep their values and a map of each distinct value to its padded cell, built by C-level
    maps over the distinct cells (a year by product has 1.3 M money cells but 55 000 distinct
    amounts). Any other text column keeps its cells."""

    def __init__(self, header: str, kind: ColKind, values: Sequence[Any], right: bool,
                 memos: dict[ColKind, dict[Any, str]]) -> None:
        self.header, self.kind, self.right = header, kind, right
        self.cells_width = 0
        self.values: Sequence[Any] | None = None
        self.padded_of: dict[Any, str] = {}
        self.texts: list[str] = []
        self.widths: list[int] | None = None  # each cell's width, where the column holds a wide character
        distinct: list[Any] | None = None
        if kind in _MEMO_KINDS:
            memo = memos.setdefault(kind, {})
            seen = set(values)
            _remember(kind, seen, memo)
            distinct = list(seen)
            shown = list(map(memo.__getitem__, distinct))
        elif kind is ColKind.TEXT and len(set(values[:1000])) * 4 <= min(len(values), 1000) \
                and set(map(type, values)) == {str}:
            distinct = shown = list(set(values))  # a category, a cashier: a few names many times
        if distinct is not None:
            shown_widths = _widths(shown) if _has_wide(shown) else list(map(len, shown))
            self.cells_width = max(shown_widths, default=0)
            self.width = w = max(_width(header), self.cells_width)
            # a cell of n terminal columns and len(t) characters pads to w + len(t) - n characters
            room = map(w.__add__, map(int.__sub__, map(len, shown), shown_widths))
            self.padded_of = dict(zip(distinct, map(str.rjust if right else str.ljust, shown, room), strict=True))
            self.values = values
            return
        self.texts = cells(kind, values)
        if _has_wide(self.texts):
            self.widths = _widths(self.texts)
            self.width = max(_width(header), max(self.widths, default=0))
        else:
            self.width = max(_width(header), max(map(len, self.texts), default=0))

    def twin(self, header: str) -> _Column | None:
        """This column under another header, when the cells are the same values padded to the same
        width (a year without returns, counts or corrections: profit after count and net profit
        read as the gross profit): no pass over the cells again. None when the width differs."""
        if max(_width(header), self.cells_width) != self.width:
            return None
        twin = object.__new__(_Column)
        twin.__dict__.update(self.__dict__)
        twin.header = header
        return twin

    def trailing_space(self) -> bool:
        """Whether a cell of this column may end in white space (a line ending in it is stripped)."""
        if self.values is None:
            return True
        return any(not p or p[-1].isspace() for p in self.padded_of.values())

    def pad(self, text: str) -> str:
        gap = " " * (self.width - _width(text))
        return gap + text if self.right else text + gap

    def constant(self) -> str | None:
        """The one padded cell of a figure column whose every value reads the same (count gains
        of a year without counts): such a cell is joined to its neighbour's cells once."""
        if self.values is None:
            return None
        cells = set(self.padded_of.values())
        return cells.pop() if len(cells) == 1 else None

    def padded(self, start: int, stop: int) -> list[str]:
        """The padded cells of rows start..stop, as a list (zipping lists beats zipping maps)."""
        if self.values is not None:
            return list(map(self.padded_of.__getitem__, self.values[start:stop]))
        texts = self.texts[start:stop]
        w = self.width
        if self.widths is None:
            return list(map(str.rjust if self.right else str.ljust, texts, repeat(w)))
        room = map(w.__add__, map(int.__sub__, map(len, texts), self.widths[start:stop]))
        return list(map(str.rjust if self.right else str.ljust, texts, room))


def _fold_constants(columns: list[_Column]) -> list[_Column]:
    """The columns the rows are joined from: a column whose cells are all alike is glued onto the
    distinct cells of the column before it, so each row joins fewer cells to the same text."""
    kept: list[_Column] = []
    glued: dict[int, str] = {}  # kept column's index -> the constant cells after it
    for col in columns:
        cell = col.constant()
        if cell is not None and kept and kept[-1].values is not None:
            glued[len(kept) - 1] = glued.get(len(kept) - 1, "") + "  " + cell
        else:
            kept.append(col)
    for i, tail in glued.items():
        host = kept[i]
        host.padded_of = dict(zip(host.padded_of, map(str.__add__, host.padded_of.values(), repeat(tail)),
                                  strict=True))
    return kept


def write_table(table: ReportTable, out: TextIO | None = None) -> None:
    """The text table of ``table`` on ``out`` (standard output)."""
    out = out if out is not None else sys.stdout
    rows: list[Sequence[Any]] = list(table.rows) + ([table.total] if table.total is not None else [])
    values = list(zip(*rows, strict=True)) if rows else [() for _ in table.columns]
    memos: dict[ColKind, dict[Any, str]] = {}
    columns: list[_Column] = []
    for c, vals in zip(table.columns, values, strict=True):
        right = c.align is Align.RIGHT
        same = next((col for col in columns if col.values is not None and col.kind is c.kind
                     and col.right == right and col.values == vals), None)
        twin = same.twin(c.header) if same is not None else None
        columns.append(twin if twin is not None else _Column(c.header, c.kind, vals, right, memos))
    rule = "  ".join("-" * c.width for c in columns)
    out.write(f"{table.title}  {table.subtitle}\n")
    out.write("  ".join(c.pad(c.header) for c in columns).rstrip() + "\n" + rule + "\n")
    joined = _fold_constants(columns) if rows else columns
    strip = bool(joined) and joined[-1].trailing_space()  # figures end in a digit or %: nothing to strip
    for start in range(0, len(rows), CHUNK_ROWS):
        stop = min(len(rows), start + CHUNK_ROWS)
        lines = list(map("  ".join, zip(*[c.padded(start, stop) for c in joined], strict=True)))
        if strip:
            lines = list(map(str.rstrip, lines))
        if table.total is not None and table.rows and stop == len(rows):
            lines.insert(len(lines) - 1, rule)  # above the total
        out.write("\n".join(lines) + "\n")
    if table.notes:
        out.write("\n".join(table.notes) + "\n")

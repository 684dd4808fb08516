"""Column widths of the reports table from every row (issue 15: a year's profit by product, 99 000
rows, on screen in under a second).

``QTableView.resizeColumnsToContents`` asks the model for ~8 roles of every cell of a sample of
1 000 rows (its resize precision): 150 000 Python ``data()`` calls, 0.6 s of the 1.7 s the tab took
— and whatever lies past the sample was cut, the bold total row at the bottom included. Here each
column's widest texts are found among ALL rows by C-level passes over the raw values, and only
those are measured: with the view's font, plus the cell's margins as the view's own delegate sizes
a cell of that column; the total row by the view itself (it is bold). As Qt does it, a column is
its widest cell plus the grid line, never narrower than its header.

The rows are read once, a chunk at a time, while their cells are in the CPU cache (a pass per
column over 99 000 rows fetched every row again): a monotonic figure column keeps each chunk's
largest and smallest value, a text column its values and their set, any other column its set. The
texts measured are exactly those the ranking below chose when it weighed every distinct text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from heapq import nlargest
from itertools import chain, compress, islice, repeat
from math import ceil
from operator import add, countOf, eq, is_not, itemgetter, le, lt
from typing import Any

from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QTableView

from jxc_desktop.services.reporting.dto import ColKind, ReportTable, format_value

# Kinds whose text only grows with the value's magnitude on each side of zero (a sign, digits with
# thousands separators, a fixed number of decimals): the longest text is the largest or the smallest
# value's. A quantity drops its trailing zeros (1.125 is longer than 10); a date is not a number.
_MONOTONIC = frozenset((ColKind.MONEY, ColKind.INT, ColKind.PCT, ColKind.PCT1, ColKind.TIMES))
TEXT_LENGTHS = 8  # a text column's longest lengths whose texts are measured
MEASURED = 200  # at most this many distinct texts measured per column
_CHUNK = 2048  # rows read at a time: a chunk's cells stay in the CPU cache while its columns are cut
_not_blank = partial(is_not, None)


class _Extremes:
    """A figure column of a monotonic kind: its largest and smallest value, and whether a blank
    (None) is among them — all its widest text can be. Fed a chunk of its values at a time."""

    def __init__(self) -> None:
        self.highs: list[Any] = []
        self.lows: list[Any] = []
        self.blank = False
        self.few = True  # few distinct values so far: a set of a chunk is cheaper than two passes

    def add(self, values: list[Any]) -> None:
        first = values[0]
        if values[-1] == first and values.count(first) == len(values):  # one value (zeros): no ordering
            distinct = {first}
        elif self.few:
            distinct = set(values)
            self.few = len(distinct) * 4 <= len(values)
        else:
            try:
                high = max(values)
            except TypeError:  # a blank does not compare with a figure
                if None not in values:
                    raise
                self.blank = True
                values = list(filter(_not_blank, values))  # not all blank: that is one value
                high = max(values)
            self.highs.append(high)
            self.lows.append(min(values))
            return
        if None in distinct:
            self.blank = True
            distinct.discard(None)
        if distinct:
            self.highs.append(max(distinct))
            self.lows.append(min(distinct))

    def texts(self, kind: ColKind) -> list[str]:
        texts = [format_value(kind, None)] if self.blank else []  # "—" may outgrow small figures
        if self.highs:
            texts += [format_value(kind, max(self.highs)), format_value(kind, min(self.lows))]
        return texts


def _scan(rows: Sequence[Sequence[Any]], adders: list[Callable[[list[Any]], Any]]) -> None:
    """Give each column's adder its values, a chunk of rows at a time (C-level: each chunk
    flattened once and cut into strided slices)."""
    width = len(adders)
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start:start + _CHUNK]
        if countOf(map(len, chunk), width) != len(chunk):  # not one value per column: by index,
            for c, add in enumerate(adders):  # all rows (adding the rows done again changes nothing)
                add(list(map(itemgetter(c), rows)))
            return
        flat = list(chain.from_iterable(chunk))
        for c, add in enumerate(adders):
            add(flat[c::width])


def _at_least(texts: list[str], lens: list[int], least: int) -> list[str]:
    """The texts of ``least`` characters or more, in their order (chosen by position: the others
    are not even touched)."""
    return [texts[i] for i in compress(range(len(lens)), map(le, repeat(least), lens))]


def _bmp(text: str) -> bool:
    """No character outside the Basic Multilingual Plane (UTF-16 would need two units for one)."""
    return len(text.encode("utf-16-le")) == 2 * len(text)


class _Texts:
    """A text column: its values, in their order and as a set (whose order decides the texts kept
    of a crowded length), and what its chunks told while they were in the cache: all strings,
    all ASCII, all in the BMP."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self.distinct: set[Any] = set()
        self.strings = self.ascii = self.bmp = True

    def add(self, values: list[Any]) -> None:
        self.values += values
        self.distinct.update(values)
        if self.strings:
            try:
                joined = "".join(values)
            except TypeError:  # a blank (None)
                self.strings = False
                return
            self.ascii = self.ascii and joined.isascii()
            self.bmp = self.bmp and (self.ascii or _bmp(joined))

    def texts(self) -> list[str]:
        """The distinct texts among the longest, weighed as UTF-8 bytes plus characters (a CJK
        character 4, a Latin letter 2 — about as they draw), so either script can win; the font
        then measures them (same weight, other glyphs: several are kept). Those of the heaviest
        weights until MEASURED are reached (at most TEXT_LENGTHS weights); of the lightest of these
        (a crowd), the first in the set's order.

        Only texts that can rank are weighed: at least MEASURED distinct texts weigh ``least`` or
        more, so the lightest weight kept is no less, and a text of fewer than ``least`` / (the most
        a character weighs: 2 in ASCII, 4 in the BMP, else 5) characters weighs less."""
        values: list[str]  # the texts, repeats and all (or the distinct ones)
        if self.strings:
            values, ordered, ascii, bmp = self.values, self.distinct, self.ascii, self.bmp
        else:  # a blank reads "": the formatted texts' set is the order
            values = list({format_value(ColKind.TEXT, v) for v in self.distinct})
            joined = "".join(values)
            ordered, ascii, bmp = values, joined.isascii(), _bmp(joined)

        def weights(texts: list[str]) -> list[int]:  # an ASCII text's UTF-8 bytes are its length
            lens = list(map(len, texts))
            return list(map(add, lens, lens)) if ascii else list(map(add, map(len, map(str.encode, texts)), lens))

        if len(ordered) * 2 <= len(values):  # many repeats (categories): rank the distinct texts
            values = list(ordered)
        lens = list(map(len, values))
        if ascii:  # the longest length alone may fill the measure (a column of codes)
            longest = max(lens)
            first = list(islice(compress(ordered, map(eq, repeat(longest), map(len, ordered))), MEASURED))
            if len(first) == MEASURED:
                return first
        top = set(_at_least(values, lens, nlargest(MEASURED, lens)[-1]))  # of the longest values
        if len(top) < MEASURED and len(values) > len(ordered):  # repeats among them: of the texts
            values = list(ordered)
            lens = list(map(len, values))
            top = set(_at_least(values, lens, nlargest(MEASURED, lens)[-1]))
        # fewer than MEASURED distinct texts among the longest: all of them rank
        least = nlargest(MEASURED, weights(list(top)))[-1] if len(top) >= MEASURED else 0
        ranked = list(dict.fromkeys(_at_least(values, lens, ceil(least / (2 if ascii else 4 if bmp else 5)))))
        keys = weights(ranked)  # every text weighing ``least`` or more: the heaviest weights are exact
        floor, taken = 0, 0
        for key, count in sorted(Counter(keys).items(), reverse=True)[:TEXT_LENGTHS]:
            floor, taken = key, taken + count
            if taken >= MEASURED:
                break
        longer = list(compress(ranked, map(lt, repeat(floor), keys)))  # fewer than MEASURED
        crowd = list(compress(ranked, map(eq, repeat(floor), keys)))
        kept = MEASURED - len(longer)
        if len(crowd) > kept:  # the first of the crowd in the set's order
            members = set(crowd)
            crowd = list(islice(filter(members.__contains__, ordered), kept))
        return longer + crowd


def _figure_texts(kind: ColKind, distinct: set[Any]) -> list[str]:
    """The longest texts of a figure column that is not monotonic, from its distinct values."""
    texts = []
    if None in distinct:  # a blank reads "—", which may outgrow a column of small figures
        texts.append(format_value(kind, None))
        distinct = distinct - {None}
    if not distinct:
        return texts
    shown = [format_value(kind, v) for v in distinct]  # quantities, dates: few distinct values
    longest = max(map(len, shown))
    return texts + sorted({t for t in shown if len(t) >= longest - 1})[:MEASURED]


def fit_columns(view: QTableView, table: ReportTable) -> None:
    """Size every column of ``view`` (showing ``table`` as set, total row last) to its widest cell
    over all rows and at least its header — what resizeColumnsToContents does over a sample."""
    model = view.model()
    header = view.horizontalHeader()
    grid = 1 if view.showGrid() else 0
    metrics = QFontMetricsF(view.font())

    def advance(text: str) -> int:  # as the delegate lays a line out: its width rounded up
        return ceil(metrics.horizontalAdvance(text))

    n = len(table.rows)
    found: list[_Extremes | _Texts | set[Any]] = [
        _Extremes() if col.kind in _MONOTONIC else _Texts() if col.kind is ColKind.TEXT else set()
        for col in table.columns]
    if n:
        _scan(table.rows, [f.update if isinstance(f, set) else f.add for f in found])
    for c, col in enumerate(table.columns):
        widths = []
        if n:
            # the delegate's margins around a cell's text: its size hint less the text's advance
            first = model.index(0, c)
            margin = view.sizeHintForIndex(first).width() - advance(str(first.data() or ""))
            f = found[c]
            if isinstance(f, _Extremes):
                texts = f.texts(col.kind)
            else:
                texts = f.texts() if isinstance(f, _Texts) else _figure_texts(col.kind, f)
            widths = [advance(t) + margin for t in texts]
        if table.total is not None:
            widths.append(view.sizeHintForIndex(model.index(n, c)).width())  # drawn bold
        content = max(widths) + grid if widths else 0  # an empty table without a total: the header alone
        header.resizeSection(c, max(content, header.sectionSizeHint(c)))

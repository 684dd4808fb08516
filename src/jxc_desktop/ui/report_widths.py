"""Column widths of the reports table from every row (issue 15: a year's profit by product, 99 000
rows, on screen in under a second).

``QTableView.resizeColumnsToContents`` asks the model for ~8 roles of every cell of a sample of
1 000 rows (its resize precision): 150 000 Python ``data()`` calls, 0.6 s of the 1.7 s the tab took
— and whatever lies past the sample was cut, the bold total row at the bottom included. Here each
column's widest texts are found among ALL rows by C-level passes over the raw values, and only
those are measured: with the view's font, plus the cell's margins as the view's own delegate sizes
a cell of that column; the total row by the view itself (it is bold). As Qt does it, a column is
its widest cell plus the grid line, never narrower than its header.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, islice
from math import ceil
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


def _wide_texts(values: Sequence[Any]) -> list[str]:
    """The distinct texts of a text column among the longest: counted as UTF-8 bytes plus
    characters (a CJK character 4, a Latin letter 2 — about as they draw), so either script can
    win; the font then measures them (same length, other glyphs: several are kept)."""
    try:
        distinct = list(set(values))  # a category's name once, not once per row
        if not "".join(distinct).isascii():
            keys = list(map(int.__add__, map(len, map(str.encode, distinct)), map(len, distinct)))
        else:
            keys = list(map(len, distinct))
    except TypeError:  # a cell that is not a string (None): as the table shows it
        return _wide_texts([format_value(ColKind.TEXT, v) for v in values])
    longest: list[str] = []
    for length in sorted(set(keys), reverse=True)[:TEXT_LENGTHS]:  # a column holds few distinct lengths
        # lazily: a column of codes, all of one length, stops after MEASURED of them
        longest += islice(compress(distinct, map(length.__eq__, keys)), MEASURED - len(longest))
        if len(longest) >= MEASURED:
            break
    return longest


def _figure_texts(kind: ColKind, values: Sequence[Any]) -> list[str]:
    """The longest texts a figure column shows."""
    if not values:
        return []
    if kind in _MONOTONIC:
        try:  # no scan for blanks first: a column seldom holds one
            return [format_value(kind, max(values)), format_value(kind, min(values))]
        except TypeError:  # a blank (None) among the figures: it reads "—"
            present = [v for v in values if v is not None]
            return [format_value(kind, None)] + (_figure_texts(kind, present) if present else [])
    shown = [format_value(kind, v) for v in set(values)]  # quantities, dates: few distinct values
    longest = max(map(len, shown))
    return sorted({t for t in shown if len(t) >= longest - 1})[:MEASURED]


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
    columns = list(zip(*table.rows, strict=True)) if n else [() for _ in table.columns]
    for c, (col, values) in enumerate(zip(table.columns, columns, strict=True)):
        widths = []
        if n:
            # the delegate's margins around a cell's text: its size hint less the text's advance
            first = model.index(0, c)
            margin = view.sizeHintForIndex(first).width() - advance(str(first.data() or ""))
            texts = _wide_texts(values) if col.kind is ColKind.TEXT else _figure_texts(col.kind, values)
            widths = [advance(t) + margin for t in texts]
        if table.total is not None:
            widths.append(view.sizeHintForIndex(model.index(n, c)).width())  # drawn bold
        content = max(widths, default=0) + grid if widths else 0
        header.resizeSection(c, max(content, header.sectionSizeHint(c)))

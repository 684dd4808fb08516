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

from collections import Counter
from itertools import compress, islice
from math import ceil
from operator import itemgetter
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


def _wide_texts(distinct: set[Any]) -> list[str]:
    """The texts of a text column (its distinct values) among the longest: counted as UTF-8 bytes
    plus characters (a CJK character 4, a Latin letter 2 — about as they draw), so either script
    can win; the font then measures them (same length, other glyphs: several are kept)."""
    texts = list(distinct)
    try:
        joined = "".join(texts)
    except TypeError:  # a blank (None) among the texts: it reads ""
        texts = list({format_value(ColKind.TEXT, v) for v in distinct})
        joined = "".join(texts)
    if joined.isascii():
        keys = list(map(len, texts))
    else:
        keys = list(map(int.__add__, map(len, map(str.encode, texts)), map(len, texts)))
    # the shortest length still measured: the longest lengths until MEASURED texts are reached
    floor, taken = 0, 0
    for length, count in sorted(Counter(keys).items(), reverse=True)[:TEXT_LENGTHS]:
        floor, taken = length, taken + count
        if taken >= MEASURED:
            break
    longer = list(compress(texts, map(floor.__lt__, keys)))  # fewer than MEASURED
    # lazily: a column of codes, all of one length, stops after MEASURED of them
    return longer + list(islice(compress(texts, map(floor.__eq__, keys)), MEASURED - len(longer)))


def _figure_texts(kind: ColKind, distinct: set[Any]) -> list[str]:
    """The longest texts of a figure column, from its distinct values."""
    texts = []
    if None in distinct:  # a blank reads "—", which may outgrow a column of small figures
        texts.append(format_value(kind, None))
        distinct = distinct - {None}
    if not distinct:
        return texts
    if kind in _MONOTONIC:
        return texts + [format_value(kind, max(distinct)), format_value(kind, min(distinct))]
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
    for c, col in enumerate(table.columns):
        widths = []
        if n:
            # the delegate's margins around a cell's text: its size hint less the text's advance
            first = model.index(0, c)
            margin = view.sizeHintForIndex(first).width() - advance(str(first.data() or ""))
            distinct = set(map(itemgetter(c), table.rows))  # C-level, and far fewer values than rows
            texts = _wide_texts(distinct) if col.kind is ColKind.TEXT else _figure_texts(col.kind, distinct)
            widths = [advance(t) + margin for t in texts]
        if table.total is not None:
            widths.append(view.sizeHintForIndex(model.index(n, c)).width())  # drawn bold
        content = max(widths) + grid if widths else 0  # an empty table without a total: the header alone
        header.resizeSection(c, max(content, header.sectionSizeHint(c)))

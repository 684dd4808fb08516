"""The reports table's columns are as wide as their widest cell over ALL rows (ui/report_widths.py),
not over the 1 000-row sample resizeColumnsToContents reads: a long name far down the list and the
bold total row at the bottom are not cut; a small table gets exactly Qt's widths."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtWidgets import QTableView

from jxc_desktop.services.reporting.dto import ColKind, Column, ReportTable, format_value
from jxc_desktop.ui import report_widths
from jxc_desktop.ui.models.report_table import ReportTableModel
from jxc_desktop.ui.report_widths import fit_columns

COLUMNS = (Column("code", "Code", ColKind.TEXT), Column("label", "Product", ColKind.TEXT),
           Column("category", "Category", ColKind.TEXT), Column("qty", "Qty", ColKind.QTY),
           Column("net_sales", "Net sales", ColKind.MONEY), Column("margin_bp", "Margin", ColKind.PCT),
           Column("sale_count", "Sales count", ColKind.INT), Column("days", "Days", ColKind.TIMES))


def table(rows: list[tuple[object, ...]], total: tuple[object, ...] | None) -> ReportTable:
    return ReportTable("profit", "Profit summary", "2026-01-01 – 2026-12-31", COLUMNS, tuple(rows), total)


def shop_rows(n: int) -> list[tuple[object, ...]]:
    cats = ("饮料", "零食", None, "Household & Garden")
    return [(f"{i:06d}", f"商品{i}", cats[i % 4], 1000 * (i % 50) + (125 if i % 7 == 0 else 0),
             (i * 7919) % 100_000 - 3_000, None if i % 11 == 0 else (i * 37) % 9_000 - 900, i % 300, i % 450)
            for i in range(n)]


@pytest.fixture
def view(qtbot) -> QTableView:  # type: ignore[no-untyped-def]
    v = QTableView()
    v.setModel(ReportTableModel(v))
    v.resize(900, 400)
    qtbot.addWidget(v)
    v.show()
    return v


def widths(view: QTableView) -> list[int]:
    return [view.columnWidth(c) for c in range(view.model().columnCount())]


def fits(view: QTableView, row: int, col: int) -> bool:
    grid = 1 if view.showGrid() else 0
    return view.sizeHintForIndex(view.model().index(row, col)).width() + grid <= view.columnWidth(col)


@pytest.mark.parametrize("total", [True, False])
def test_a_small_table_gets_qts_own_widths(view: QTableView, total: bool) -> None:
    rows = shop_rows(300)
    rows[17] = ("X1", "Nescafé Gold Blend 200 g jar (refill)", "Coffee", 3_500, -1_234_567, -12_345, 12_345, 99_999)
    t = table(rows, ("Total", "", "", 9_999_125, 98_765_432, 2_345, 40_000, None) if total else None)
    model = view.model()
    assert isinstance(model, ReportTableModel)
    model.set_table(t)
    view.resizeColumnsToContents()
    by_qt = widths(view)
    for c in range(len(COLUMNS)):
        view.setColumnWidth(c, 5)
    fit_columns(view, t)
    assert widths(view) == by_qt


def test_a_long_name_far_down_and_the_total_are_not_cut(view: QTableView) -> None:
    rows = shop_rows(5_000)
    far = 4_321  # past the 1 000 rows resizeColumnsToContents reads
    rows[far] = (rows[far][0], "康师傅蜜桃味冰红茶家庭装 1.5L×6 瓶（限时特惠）", "节日礼盒与季节性商品",
                 1_234_567_125, 7, 9_999, 1, 3)
    total = ("Total", "", "", 9_876_543_210, 12_345_678_901, -9_999, 1_234_567, 45_678)
    t = table(rows, total)
    model = view.model()
    assert isinstance(model, ReportTableModel)
    model.set_table(t)
    view.resizeColumnsToContents()
    assert not fits(view, far, 1) and not fits(view, len(rows), 4)  # Qt's sample cuts both
    fit_columns(view, t)
    for c in range(len(COLUMNS)):
        assert fits(view, far, c), COLUMNS[c].key
        assert fits(view, len(rows), c), COLUMNS[c].key  # the bold total
    for r in (0, 1, 77, 2_500, 4_999):  # and every other row still fits
        assert all(fits(view, r, c) for c in range(len(COLUMNS)))


def test_an_empty_table_is_as_wide_as_its_headers(view: QTableView) -> None:
    t = table([], None)
    model = view.model()
    assert isinstance(model, ReportTableModel)
    model.set_table(t)
    fit_columns(view, t)
    header = view.horizontalHeader()
    assert widths(view) == [header.sectionSizeHint(c) for c in range(len(COLUMNS))]


# ---------------------------------------------------------------- every row, read a chunk at a time
# Qt's own measure of every row (resize precision -1: no sample) is the truth wherever the widest
# text is one the ranking keeps; the tables span several of report_widths' chunks of rows.

ROWS = 3 * report_widths._CHUNK + 123


def qt_all_rows(view: QTableView, t: ReportTable) -> list[int]:
    model = view.model()
    assert isinstance(model, ReportTableModel)
    model.set_table(t)
    view.horizontalHeader().setResizeContentsPrecision(-1)
    view.resizeColumnsToContents()
    by_qt = widths(view)
    for c in range(model.columnCount()):
        view.setColumnWidth(c, 5)
    fit_columns(view, t)
    return by_qt


def figures_table() -> ReportTable:
    chunk, far = report_widths._CHUNK, 2 * report_widths._CHUNK + 700
    cols = (Column("money", "M", ColKind.MONEY), Column("margin", "P", ColKind.PCT),
            Column("zeros", "Z", ColKind.INT), Column("same", "S", ColKind.INT),
            Column("blank", "B", ColKind.TIMES), Column("change", "C", ColKind.PCT1), Column("qty", "Q", ColKind.QTY))
    rows = []
    for i in range(ROWS):
        rows.append([
            (i * 7919) % 100_000 - 3_000,
            None if i % 97 == 0 else (i * 37) % 9_000 - 900,  # blanks in every chunk
            0,
            7,
            None,
            i % 5 - 2 if i < chunk else (i * 131) % 2_000 - 1_000,  # few values, then many
            1000 * (i % 50) + (125 if i % 7 == 0 else 0),
        ])
    rows[far][0] = -98_765_432_109  # the widest of each column is far down, in a chunk
    rows[far + 1][1] = -987_654  # with a blank (the chunk's figures are compared without it)
    rows[far + 2][1] = None
    rows[chunk + 900][2] = 1_234_567  # amid zeros: the chunk starts and ends with 0
    rows[far][5] = -99_999  # past the chunk of few values
    return ReportTable("profit", "t", "s", cols, tuple(map(tuple, rows)), None)


@pytest.mark.parametrize("total", [True, False])
def test_figures_far_down_and_blanks_are_measured_as_qt_measures_every_row(view: QTableView, total: bool) -> None:
    t = figures_table()
    if total:
        t = ReportTable(t.report, t.title, t.subtitle, t.columns, t.rows, (1, 2, 3, 7, None, -4, 5_000))
    by_qt = qt_all_rows(view, t)
    assert widths(view) == by_qt
    narrow = ReportTable(t.report, t.title, t.subtitle, t.columns, t.rows[:report_widths._CHUNK], t.total)
    assert qt_all_rows(view, narrow)[:3] < by_qt[:3]  # the far values are what made them wide


NARROW = "il1 .,;:!|"  # a Latin text of these draws far narrower than its length says


def narrow_name(i: int, length: int) -> str:
    return "".join(NARROW[(i // 10**k) % len(NARROW)] for k in range(length))


def repeated_longest() -> list[object]:
    values: list[object] = [narrow_name(i % 10, 30) if i % 12 == 0 else narrow_name(i, 20) for i in range(ROWS)]
    values[ROWS - 3] = "康师傅冰红茶家庭装礼盒装"
    return values


def texts_table(*columns: list[object]) -> ReportTable:
    cols = tuple(Column(f"t{c}", "T", ColKind.TEXT) for c in range(len(columns)))
    return ReportTable("profit", "t", "s", cols, tuple(zip(*columns, strict=True)), None)


def test_a_short_cjk_name_outranks_longer_latin_ones_and_a_long_latin_name_cjk_ones(view: QTableView) -> None:
    cjk_wins = [narrow_name(i, 20) for i in range(ROWS)]  # 20 characters, weigh 40
    cjk_wins[ROWS - 5] = "康师傅冰红茶家庭装礼盒"  # 11 characters, weigh 44: widest, outside the longest
    latin_wins = [f"饮料零食{i:06d}" for i in range(ROWS)]  # weigh 28
    latin_wins[ROWS - 7] = "Household & Garden Supplies Co."  # weighs 62
    # ten long narrow names over and over among thousands of lighter ones: not MEASURED distinct
    # texts among the longest values, yet the widest (a CJK name, weighs 48) still ranks
    repeats = repeated_longest()
    # codes of one length with a few longer ones far down; and codes of one length alone
    codes = [f"{i:06d}" for i in range(ROWS)]
    longer = [*codes[:-3], "10000001", "10000002", "10000003"]
    t = texts_table(cjk_wins, latin_wins, repeats, longer, codes)
    by_qt = qt_all_rows(view, t)
    assert widths(view) == by_qt
    model = view.model()
    for col, row in ((0, ROWS - 5), (1, ROWS - 7), (2, ROWS - 3), (3, ROWS - 1)):  # they made it wide
        assert view.columnWidth(col) == view.sizeHintForIndex(model.index(row, col)).width() + 1


def test_blanks_and_numbers_in_a_text_column_read_as_shown(view: QTableView) -> None:
    cats = ("饮料", None, "Household & Garden", "零食")
    blanks_among = [cats[i % 4] for i in range(ROWS)]
    all_blank: list[object] = [None] * ROWS
    numbers = [None if i % 5 == 0 else (i * 7_919 if i % 2 else f"第{i}号") for i in range(ROWS)]
    one_text = ["同一个名字"] * ROWS
    t = texts_table(blanks_among, all_blank, numbers, one_text)
    by_qt = qt_all_rows(view, t)
    assert widths(view) == by_qt
    assert view.columnWidth(1) == view.horizontalHeader().sectionSizeHint(1)  # blanks read ""


# ---------------------------------------------------------------- the texts a column measures
# The ranking, as plainly as it can be said: every distinct text weighed (UTF-8 bytes plus
# characters), the heaviest weights until MEASURED texts (at most TEXT_LENGTHS weights), and of the
# lightest of these the first in the order of a set of the values. fit_columns measures the same.


def by_the_rule(values: list[object]) -> set[str]:
    distinct = set(values)
    texts = list(distinct)
    if not all(isinstance(v, str) for v in texts):
        texts = list({format_value(ColKind.TEXT, v) for v in distinct})

    def weight(text: str) -> int:
        return len(text.encode()) + len(text)

    floor, taken = 0, 0
    for w, count in sorted(Counter(map(weight, texts)).items(), reverse=True)[: report_widths.TEXT_LENGTHS]:
        floor, taken = w, taken + count
        if taken >= report_widths.MEASURED:
            break
    longer = [x for x in texts if weight(x) > floor]
    return {*longer, *[x for x in texts if weight(x) == floor][: report_widths.MEASURED - len(longer)]}


def measured(values: list[object]) -> set[str]:
    texts = report_widths._Texts()
    report_widths._scan([(v,) for v in values], [texts.add])
    chosen = texts.texts()
    assert len(chosen) == len(set(chosen))
    return set(chosen)


def columns_to_rank() -> dict[str, list[object]]:
    n = ROWS
    crowd = [f"{'饮料零食'[i % 4]}{'奶茶'[i % 2]}{i % 10_000:04d}" for i in range(n)]  # thousands weigh 20
    astral = [f"商品{i:05d}" for i in range(n)]  # weigh 18
    for k in range(0, 60, 3):  # 4 UTF-8 bytes a character: 4 of them weigh 20 — more than 18
        astral[k * 50] = "𠀀𠀁𠀂𠀃"[k % 4] * 4
    top = {k: [f"A{i:07d}" if i < k else f"{i:06d}" for i in range(n)] for k in (199, 200, 201)}
    return {
        "crowd": crowd,
        "crowd and longer": [*crowd[:-30], *[f"{c}长" for c in crowd[-30:]]],
        "astral": astral,
        "codes": [f"{(i * 7_919) % 1_000_003:07d}" for i in range(n)],
        "199 longest codes": top[199], "200 longest codes": top[200], "201 longest codes": top[201],
        "repeats": [narrow_name(i % 10, 30) if i % 3 else f"名{i}" for i in range(n)],
        "repeated longest": repeated_longest(),
        "blanks": [None if i % 3 == 0 else f"类{i % 700}" for i in range(n)],
        "numbers": [i if i % 2 else f"n{i}" for i in range(n)],
        "few": [("a", "bb", "长的名字")[i % 3] for i in range(n)],
        "short": ["x", "长"],
        "all blank": [None] * n,
        "one": ["同"] * n,
    }


@pytest.mark.parametrize("name", list(columns_to_rank()))
def test_a_column_measures_the_texts_the_ranking_picks(name: str) -> None:
    values = columns_to_rank()[name]
    assert measured(values) == by_the_rule(values)


def test_a_row_with_a_value_past_its_columns_is_read_by_column_as_before(view: QTableView) -> None:
    rows = shop_rows(ROWS)
    model = view.model()
    assert isinstance(model, ReportTableModel)
    t = table(rows, None)
    model.set_table(t)
    fit_columns(view, t)
    even = widths(view)
    rows[report_widths._CHUNK + 5] = (*rows[report_widths._CHUNK + 5], "an extra value the view never shows")
    t = table(rows, None)
    model.set_table(t)
    fit_columns(view, t)
    assert widths(view) == even  # not shifted into the next row's cells
    rows[ROWS - 2] = rows[ROWS - 2][:-1]
    with pytest.raises(IndexError):  # a row short of a value is a bug of the report
        fit_columns(view, table(rows, None))

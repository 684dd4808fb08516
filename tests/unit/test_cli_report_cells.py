"""``jxc report``'s text table (cli/text_table.py) formats a column by C-level calls, each distinct
figure once, and pads by one scan where no wide character is present: the cells and the table must
read exactly as format_value and the per-cell width rule give them."""

from __future__ import annotations

import io
import random

import pytest

from jxc_desktop.cli import text_table
from jxc_desktop.services.reporting.dto import ColKind, Column, ReportTable, format_value

VALUES = [0, 1, -1, 99, 100, -100, 123456789, -5, None, 10**12, 7, 0, True, 1250, -1250, -999, 1001, 10**17,
          -(10**16) - 1, 2**50 - 1, -(2**50) + 1, 2**50, 123456, -123456]


@pytest.mark.parametrize("kind", [k for k in ColKind if k is not ColKind.DATE])
def test_column_cells_are_format_value(kind: ColKind) -> None:
    assert text_table.cells(kind, VALUES) == [format_value(kind, v) for v in VALUES]


def test_text_cells() -> None:
    values = ["a", None, 3, "可口可乐"]
    assert text_table.cells(ColKind.TEXT, values) == [format_value(ColKind.TEXT, v) for v in values]


def _by_cell(table: ReportTable) -> str:
    """The table as the per-cell rule writes it (the layout before issue 15's column pass)."""
    cells = [[c.header for c in table.columns]]
    rows = list(table.rows) + ([table.total] if table.total is not None else [])
    cells += [[format_value(c.kind, v) for c, v in zip(table.columns, r, strict=True)] for r in rows]
    widths = [max(map(text_table._width, col)) for col in zip(*cells, strict=True)]
    rule = "  ".join("-" * w for w in widths)
    last = len(cells) - 2 if table.total is not None else -1
    out = [f"{table.title}  {table.subtitle}"]
    for n, r in enumerate(cells):
        parts = [" " * (w - text_table._width(t)) + t if c.align.value == "right" else t + " " * (w - text_table._width(t))
                 for t, w, c in zip(r, widths, table.columns, strict=True)]
        out.append("  ".join(parts).rstrip())
        if n == 0 or n == last:
            out.append(rule)
    return "\n".join(out + list(table.notes)) + "\n"


COLUMNS = (Column("code", "Code", ColKind.TEXT), Column("name", "名称", ColKind.TEXT),
           Column("qty", "Qty", ColKind.QTY), Column("net", "Net sales", ColKind.MONEY),
           Column("m", "Margin", ColKind.PCT))
ROWS = (("A1", "可口可乐 330ml", 1500, 123456, 2345), ("B22", "plain", -250, -5, None),
        ("C333", "Ｆｕｌｌ width", 0, 0, -1), ("D\x004", "한글 ¥ é – 😀", 1, 1, 1))


def test_widths_of_a_column() -> None:
    texts = ["", "abc", "可口可乐 330ml", "Ｆｕｌｌ", "한글 ¥ é – 😀", "a\x00b"]
    assert text_table._widths(texts) == list(map(text_table._width, texts))
    assert text_table._widths(texts[:-1]) == list(map(text_table._width, texts[:-1]))
    # only wide 3-byte characters besides ASCII (a shop's names): counted from the UTF-8 lengths
    wide = ["", "abc", "可口可乐 330ml", "Ｆｕｌｌ", "한글", "a\x00b中", "・「」"]
    assert text_table._all_wide_3_bytes("".join(wide)) and not text_table._all_wide_3_bytes("é中")
    assert text_table._widths(wide) == list(map(text_table._width, wide)) == [0, 3, 14, 8, 4, 5, 6]


@pytest.mark.parametrize(("rows", "total", "notes"), [
    (ROWS, ("total", "Total", 1250, 123451, 999), ("a note",)),
    (ROWS, None, ()),
    ((), ("total", "Total", 0, 0, None), ()),
    ((), None, ("nothing",)),
    (tuple((f"X{i}", "ascii only", i, i * 3, i) for i in range(50)), ("t", "T", 1, 2, 3), ()),
    # money and percentages of every size on both sides of zero (widths taken from the extremes)
    (tuple((f"N{i}", "名" * (i % 3), i, (-1) ** i * 10 ** i + i, (-1) ** (i // 2) * 7 ** i) for i in range(14)),
     ("t", "合计", 0, -3, 10 ** 5), ()),
])
@pytest.mark.parametrize("per_write", [1, 2, 4, 5000])  # streamed a few lines at a time: the same text
def test_table_reads_as_cell_by_cell(rows: tuple, total: tuple | None, notes: tuple[str, ...], per_write: int,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    table = ReportTable("profit", "Profit", "2026-01-01 – 2026-01-31", COLUMNS, rows, total, notes=notes)
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr(text_table, "CHUNK_ROWS", per_write)
    text_table.write_table(table)
    assert out.getvalue() == _by_cell(table)


@pytest.mark.parametrize("kind", [ColKind.MONEY, ColKind.QTY, ColKind.PCT, ColKind.INT])
def test_random_plain_ints_read_as_format_value(kind: ColKind) -> None:
    """Figures of every size up to 2**50 and beyond, signs and zeros, through the memo."""
    rng = random.Random(15)
    values = [rng.choice((1, -1)) * rng.randrange(10 ** rng.randrange(1, 16)) for _ in range(20000)]
    values += [2**50 - 1, -(2**50) + 1, 999_999_999_999_995, 5, -5, 0, 1000, -1000]
    assert text_table.cells(kind, values) == [format_value(kind, v) for v in values]
    positive = [abs(v) for v in values]
    assert text_table.cells(kind, positive) == [format_value(kind, v) for v in positive]


def test_a_memo_shared_by_columns_keeps_each_kind_apart() -> None:
    memo: dict = {}
    assert text_table.cells(ColKind.MONEY, [1, True, 5], memo) == ["¥0.01", "¥0.01", "¥0.05"]
    assert text_table.cells(ColKind.MONEY, [True, 5, None, 7], memo) == ["¥0.01", "¥0.05", "", "¥0.07"]


def test_long_tables_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows written a few at a time (the rule above the total in the last chunk, a chunk holding
    only the total), a text column of a few names many times (padded from its distinct names)."""
    monkeypatch.setattr(text_table, "CHUNK_ROWS", 3)
    names = ("饮料", "snacks", "日用品", "")
    for n in (0, 1, 2, 3, 5, 6, 8):
        rows = tuple((f"C{i}", names[i % 4], i * 250, (-1) ** i * i * 1234, None if i % 3 else i)
                     for i in range(n * 4))
        for total in (("total", "合计", 1, 2, 3), None):
            table = ReportTable("profit", "利润", "2026-01-01 – 2026-01-31", COLUMNS, rows, total)
            out = io.StringIO()
            monkeypatch.setattr("sys.stdout", out)
            text_table.write_table(table)
            assert out.getvalue() == _by_cell(table)


def test_a_last_column_of_empty_cells_leaves_no_trailing_spaces(monkeypatch: pytest.MonkeyPatch) -> None:
    cols = (Column("name", "名称", ColKind.TEXT), Column("net", "Net", ColKind.MONEY))
    table = ReportTable("profit", "P", "", cols, (("可乐", None), ("x", 5), ("雪碧汽水", None)), ("T", None))
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    text_table.write_table(table)
    assert out.getvalue() == _by_cell(table)
    assert not any(line.endswith(" ") for line in out.getvalue().splitlines()[1:])  # (the title line as it was)


CONSTANT_COLUMNS = (Column("c0", "Gain", ColKind.MONEY), Column("code", "Code", ColKind.TEXT),
                    Column("name", "名称", ColKind.TEXT), Column("c1", "Count losses", ColKind.MONEY),
                    Column("net", "Net sales", ColKind.MONEY), Column("c2", "Fix", ColKind.MONEY),
                    Column("c3", "Difference", ColKind.MONEY), Column("m", "Margin", ColKind.PCT),
                    Column("c4", "Shop", ColKind.TEXT))


@pytest.mark.parametrize("per_write", [1, 3, 5000])
@pytest.mark.parametrize("last", ["", "总店", None])
def test_columns_of_one_value_glued_to_their_neighbours(last: str | None, per_write: int,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Columns whose every cell reads the same (first, after a text column of many names, two in a
    row, last and left-aligned, blank) are joined to the cells before them once: the same text."""
    monkeypatch.setattr(text_table, "CHUNK_ROWS", per_write)
    rows = tuple((0, f"C{i}", f"名{i}", 0, i * 1250, None, 0, (i * 37) % 500 or None, last) for i in range(7))
    for total in ((0, "合计", "", 0, 99, None, 0, 1, last), None):
        table = ReportTable("profit", "利润", "2026", CONSTANT_COLUMNS, rows, total, notes=("n",))
        out = io.StringIO()
        monkeypatch.setattr("sys.stdout", out)
        text_table.write_table(table)
        assert out.getvalue() == _by_cell(table)
    every_cell_alike = ReportTable("profit", "P", "", CONSTANT_COLUMNS[3:7], ((0, 5, None, 0),) * 4, (0, 5, None, 0))
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    text_table.write_table(every_cell_alike)
    assert out.getvalue() == _by_cell(every_cell_alike)


def test_the_cjk_ideographs_are_wide_and_3_bytes() -> None:
    """What _beyond_cjk() lets through without the character-by-character check."""
    ideographs = "".join(map(chr, range(0x4E00, 0xA000)))
    assert all(text_table._extra(ch) for ch in ideographs) and len(ideographs.encode()) == 3 * len(ideographs)
    assert text_table._all_wide_3_bytes("可口可乐 330ml") and not text_table._all_wide_3_bytes("可口é")
    assert text_table._all_wide_3_bytes("・可") and not text_table._all_wide_3_bytes("😀可")


@pytest.mark.parametrize("per_write", [2, 5000])
def test_columns_of_the_same_values_under_other_headers(per_write: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Gross profit, profit after count and net profit alike (no counts or corrections), under
    headers narrower, as wide as and wider than the cells, beside a column that differs by one row."""
    monkeypatch.setattr(text_table, "CHUNK_ROWS", per_write)
    gp = [(-1) ** i * i * 98765 for i in range(9)]
    other = [*gp[:-1], 1]
    cols = (Column("name", "名称", ColKind.TEXT), Column("gp", "GP", ColKind.MONEY),
            Column("pac", "Profit after count", ColKind.MONEY), Column("np", "Net", ColKind.MONEY),
            Column("o", "Other", ColKind.MONEY), Column("q", "Qty", ColKind.QTY), Column("np2", "净利润", ColKind.MONEY))
    rows = tuple((f"品{i}", g, g, g, o, g, g) for i, (g, o) in enumerate(zip(gp, other, strict=True)))
    table = ReportTable("profit", "利润", "2026", cols, rows, ("合计", 5, 5, 5, 6, 5, 5))
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    text_table.write_table(table)
    assert out.getvalue() == _by_cell(table)


def test_a_column_of_one_value_only_when_every_cell_has_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first, middle and last cells alike do not make a column of one value: a cell between
    them that differs stays in the table."""
    assert text_table._one_value([0, 0, 0]) and not text_table._one_value([])
    assert not text_table._one_value([0, 5, 0, 0, 0]) and not text_table._one_value([0, 0, None])
    cols = (Column("name", "名称", ColKind.TEXT), Column("gain", "Gain", ColKind.MONEY), Column("m", "M", ColKind.PCT))
    rows = tuple((f"品{i}", 12345 if i == 3 else 0, 0) for i in range(9))
    table = ReportTable("profit", "利润", "2026", cols, rows, ("合计", 0, 0))  # first, middle, last: 0
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    text_table.write_table(table)
    assert out.getvalue() == _by_cell(table) and "¥123.45" in out.getvalue()


def test_may_hold_a_wide_character_from_u1100_on() -> None:
    for text in ("", "abc", "é¥—", "\u10ff", "\u1100", "a\u1100", "可乐", "\U0010ffff", "😀", "\u0800x"):
        assert (text_table._wide_widths([text, "x"]) is not None) == any(ord(ch) >= 0x1100 for ch in text), text

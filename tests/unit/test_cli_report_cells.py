"""``jxc report``'s text table formats each column in one pass (cli/report.py ``_texts``) and pads
it by one scan where no wide character is present: the cells and the table must read exactly as
format_value and the per-cell width rule give them."""

from __future__ import annotations

import io

import pytest

from jxc_desktop.cli import report as report_cli
from jxc_desktop.services.reporting.dto import ColKind, Column, ReportTable, format_value

VALUES = [0, 1, -1, 99, 100, -100, 123456789, -5, None, 10**12, 7, 0, True]


@pytest.mark.parametrize("kind", [k for k in ColKind if k is not ColKind.DATE])
def test_column_cells_are_format_value(kind: ColKind) -> None:
    assert report_cli._texts(kind, VALUES) == [format_value(kind, v) for v in VALUES]


def test_text_cells() -> None:
    values = ["a", None, 3, "可口可乐"]
    assert report_cli._texts(ColKind.TEXT, values) == [format_value(ColKind.TEXT, v) for v in values]


def _by_cell(table: ReportTable) -> str:
    """The table as the per-cell rule writes it (the layout before issue 15's column pass)."""
    cells = [[c.header for c in table.columns]]
    rows = list(table.rows) + ([table.total] if table.total is not None else [])
    cells += [[format_value(c.kind, v) for c, v in zip(table.columns, r, strict=True)] for r in rows]
    widths = [max(map(report_cli._width, col)) for col in zip(*cells, strict=True)]
    rule = "  ".join("-" * w for w in widths)
    last = len(cells) - 2 if table.total is not None else -1
    out = [f"{table.title}  {table.subtitle}"]
    for n, r in enumerate(cells):
        parts = [" " * (w - report_cli._width(t)) + t if c.align.value == "right" else t + " " * (w - report_cli._width(t))
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
    assert report_cli._widths(texts) == list(map(report_cli._width, texts))
    assert report_cli._widths(texts[:-1]) == list(map(report_cli._width, texts[:-1]))


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
    monkeypatch.setattr(report_cli, "LINES_PER_WRITE", per_write)
    report_cli.print_table(table)
    assert out.getvalue() == _by_cell(table)

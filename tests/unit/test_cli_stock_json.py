"""``jxc stock --json`` writes its rows by a template (cli/stock.py): the bytes must be what
``json.dumps(rows, ensure_ascii=False, indent=1)`` gives, whatever the names hold."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest

from jxc_desktop.cli import stock as stock_cli
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.stock.stock_view import StockLine

ODD = ['plain', '可口可乐 330ml', 'quote " back \\ slash', 'tab\tnew\nline', '\x00\x1f ctl', '😀 emoji', '']


def _lines(n: int) -> list[StockLine]:
    return [StockLine(i, f"P{i:05d}", ODD[(i + 3) % len(ODD)], ODD[i % len(ODD)], (i - 3) * 1250, i * 7, -i * 11)
            for i in range(n)]


def _expected(lines: list[StockLine]) -> str:
    rows = [{"code": r.code, "barcode": r.barcode, "name": r.name, "qty": r.qty, "qty_units": format_qty(r.qty),
             "avg_cost": r.avg_cost, "value": r.value} for r in lines]
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


class _View:
    def __init__(self, pages: list[list[StockLine]]) -> None:
        self.pages = pages

    def iter_plain_lines(self, query: object, **_kw: object) -> object:
        return iter([[tuple(r) for r in page] for page in self.pages])  # the driver's plain tuples


def _context(pages: list[list[StockLine]]) -> SimpleNamespace:
    """A context whose file takes the full path (the stock view's pages)."""
    services = SimpleNamespace(stock_view=_View(pages))
    return SimpleNamespace(services=services, stream=lambda _plain, full: full(services))


@pytest.mark.parametrize("sizes", [[], [1], [7], [3, 4, 2], [5, 0, 5]])
def test_streamed_json_is_json_dumps(sizes: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines(sum(sizes))
    pages, at = [], 0
    for n in sizes:
        pages.append(lines[at:at + n])
        at += n
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    ctx = _context(pages)
    args = SimpleNamespace(expiring=None, low=False, json=True)
    assert stock_cli.cmd_stock(args, ctx) == 0  # type: ignore[arg-type]
    assert out.getvalue() == _expected(lines)


def test_text_rows() -> None:
    line = _lines(3)[1]
    assert stock_cli._text_chunk([tuple(line)], stock_cli._QtyText()) == \
        f"P00001\t{line.barcode}\t{line.name}\t{format_qty(line.qty)}\t7\t-11\n"


def test_text_rows_written_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines(9)  # repeated and negative quantities: the looked-up text is format_qty's
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    ctx = _context([lines[:4], lines[4:]])
    assert stock_cli.cmd_stock(SimpleNamespace(expiring=None, low=False, json=False), ctx) == 0  # type: ignore[arg-type]
    assert out.getvalue() == "code\tbarcode\tname\tqty\tavg_cost_fen\tvalue_fen\n" + "".join(
        f"{r.code}\t{r.barcode}\t{r.name}\t{format_qty(r.qty)}\t{r.avg_cost}\t{r.value}\n" for r in lines)

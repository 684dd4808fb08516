"""``jxc report ...``: the reports of the 报表 tab as text tables, JSON or PDF/xlsx files.

The sub-commands, their groupings and sorts come from the report catalogue
(services.reporting.catalogue), the one list the reports tab shows too.
JSON amounts are integer fen (``net_sales``, ``cogs``, ``gross_profit`` ...), quantities integer
thousandths, margins integer basis points (``margin_bp``, plus ``margin_pct`` for reading).
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date
from functools import lru_cache
from typing import Any

from jxc_desktop.cli import forecast as forecast_cli
from jxc_desktop.cli import json_text
from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.clock import local_today, parse_day
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.periods import Period, format_bp, period_for
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.domain.trend import tenths_as_pct
from jxc_desktop.services.reporting import catalogue
from jxc_desktop.services.reporting.compare import Comparison
from jxc_desktop.services.reporting.dto import (
    Align,
    ColKind,
    Rank,
    ReportKind,
    ReportRequest,
    ReportSpec,
    ReportTable,
    Span,
    format_value,
)
from jxc_desktop.services.reporting.tables import Report

MAX_N = 100000  # --top/--bottom


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("report", help="reports: profit, purchases, stock value, turnover, slow movers, expiry")
    rs = p.add_subparsers(dest="report", metavar="REPORT")
    rs.required = True
    for spec in catalogue.REPORTS:
        q = rs.add_parser(spec.command, help=spec.help.replace("%", "%%"))  # argparse %-formats help
        _add_options(q, spec)
        q.set_defaults(func=cmd_report, spec=spec)
    forecast_cli.add_report(rs)


def _add_options(q: argparse.ArgumentParser, spec: ReportSpec) -> None:
    """The flags of one report, from what the catalogue says it takes."""
    if spec.span is Span.PERIOD:
        q.add_argument("--from", dest="first", metavar="YYYY-MM-DD", help="first day (default: 1st of this month)")
        q.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="last day (default: today)")
        q.add_argument("--period", choices=list(catalogue.NAMED_PERIODS), help="a named period instead of --from/--to")
    q.add_argument("--json", action="store_true", help="print JSON (amounts in fen)")
    q.add_argument("--pdf", metavar="FILE", help="also write an A4 PDF")
    q.add_argument("--xlsx", metavar="FILE", help="also write an Excel file")
    if spec.span is Span.END_OF_DAY:
        q.add_argument("--at", metavar="YYYY-MM-DD", help="the day (default: today)")
    if spec.groupings and spec.cli_by:
        q.add_argument("--by", choices=[g.key for g in spec.groupings], default=spec.default_by)
    sorts = [s.key for s in catalogue.sort_choices()]
    if spec.always_ranked:  # ``best``: the top n products, always
        q.add_argument("--top", type=int, default=catalogue.RANK_N, metavar="N")
        q.add_argument("--sort", choices=sorts, default=catalogue.DEFAULT_SORT)
    elif spec.ranked:
        q.add_argument("--top", type=int, metavar="N", help="product/category: only the N best rows")
        q.add_argument("--bottom", type=int, metavar="N", help="product/category: only the N worst rows")
        q.add_argument("--sort", choices=sorts, default=catalogue.DEFAULT_SORT, help="figure that --top/--bottom rank by")
    if spec.days is not None:
        if spec.days.default is None:
            q.add_argument("--days", type=int, metavar="N", help="warning days (default: the setting)")
        else:
            q.add_argument("--days", type=int, default=spec.days.default, metavar="N")
    if spec.compare_figure:
        q.add_argument("--compare", action="store_true",
                       help="add the previous period (环比) and the same period last year (同比) with the change in %%")
    if spec.span is Span.TODAY:
        q.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)


# ---------------------------------------------------------------- helpers


def _period(args: argparse.Namespace) -> Period:
    today = local_today()
    if args.period:
        if args.first or args.last:
            raise ValidationError("Give either --period or --from/--to, not both")
        return period_for(args.period, today)
    first = parse_day(args.first) if args.first else today.replace(day=1)
    last = parse_day(args.last) if args.last else today
    return Period(first, last)


def _day(text: str | None) -> date:
    return parse_day(text) if text else local_today()


def _record(row: Any) -> dict[str, Any]:
    data = row._asdict() if hasattr(row, "_asdict") else asdict(row)
    if "margin_bp" in data:
        bp = data["margin_bp"]
        data["margin_pct"] = None if bp is None else bp / 100
    return data


@lru_cache(maxsize=4096)
def _extra(ch: str) -> int:
    """The second column a wide (CJK) character takes in a terminal."""
    return 1 if unicodedata.east_asian_width(ch) in "WF" else 0


def _width(text: str) -> int:
    if text.isascii():  # figures and codes: one column a character (100 000-row tables measure fast)
        return len(text)
    return len(text) + sum(map(_extra, text))  # each wide character's extra column, cached


class _Doubled(dict[int, str | int]):
    """A str.translate table: a wide (CJK) character to itself twice, any other to itself, each
    filled in when first met — so a column's widths are lengths of one translated text."""

    def __missing__(self, code: int) -> str | int:
        ch = chr(code)
        value: str | int = ch * 2 if _extra(ch) else code
        self[code] = value
        return value


_DOUBLED = _Doubled()


def _widths(texts: list[str]) -> list[int]:
    """``_width`` of every cell, in one translate and split of the joined column."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a cell holds the separator: cell by cell
        return list(map(_width, texts))
    return list(map(len, joined.translate(_DOUBLED).split("\x00")))


def _texts(kind: ColKind, values: Sequence[Any]) -> list[str]:
    """A column's cells as format_value writes them. Money, quantities and percentages of plain
    ints take a short path without the per-cell dispatch (100 000 rows × 20 columns: seconds)."""
    fallback = format_value
    if kind is ColKind.MONEY:  # format_fen inlined for the common non-negative int (0: returns, counts ...)
        return ["¥0.00" if v == 0 and type(v) is int else f"¥{v // 100:,}.{v % 100:02d}"
                if type(v) is int and v > 0 else fallback(kind, v) for v in values]
    if kind is ColKind.TEXT:
        return [v if type(v) is str else fallback(kind, v) for v in values]
    if kind is ColKind.QTY:
        return [format_qty(v) if type(v) is int else fallback(kind, v) for v in values]
    if kind is ColKind.PCT:
        return [format_bp(v) if type(v) is int else fallback(kind, v) for v in values]
    if kind is ColKind.INT:
        return [f"{v:,}" if type(v) is int else fallback(kind, v) for v in values]
    return [fallback(kind, v) for v in values]


def _cell_widths(texts: list[str]) -> list[int] | None:
    """Each cell's width in terminal columns; None when no cell holds a wide (CJK) character
    (then a cell's width is its length)."""
    joined = "".join(texts)
    if not joined or max(joined) < "\u1100":
        return None
    return _widths(texts)


_BY_EXTREMES = (ColKind.MONEY, ColKind.INT, ColKind.PCT)


def _widest(kind: ColKind, values: list[Any]) -> tuple[int, list[int] | None]:
    """The widest cell of a column's values, and each cell's width when the column holds wide
    characters. Money, counts and percentages of plain ints read longer only as the number grows
    away from zero on either side, so the largest and the smallest value give the width without
    formatting every cell (the lines format them again as they are written)."""
    if kind in _BY_EXTREMES and values and all(type(v) is int for v in values):
        return max(map(len, _texts(kind, [max(values), min(values)]))), None
    texts = _texts(kind, values)
    each = _cell_widths(texts)
    return max(each) if each is not None else max(map(len, texts), default=0), each


def _pad(texts: list[str], w: int, right: bool, each: list[int] | None = None) -> list[str]:
    """Cells padded to ``w`` terminal columns (the column's width over the whole table); ``each``:
    the cells' own widths when already measured."""
    if each is None:
        each = _cell_widths(texts)
    if each is None:
        return [t.rjust(w) for t in texts] if right else [t.ljust(w) for t in texts]
    if right:
        return [" " * (w - n) + t for t, n in zip(texts, each, strict=True)]
    return [t + " " * (w - n) for t, n in zip(texts, each, strict=True)]


LINES_PER_WRITE = 5000


def print_table(table: ReportTable) -> None:
    """The text table, streamed: each column's width is measured first (one column at a time),
    then the lines are formatted, padded and written a few thousand at a time. Holding every
    padded cell of 100 000 rows × 19 columns at once took 230 MB (issue 15)."""
    rows = list(table.rows) + ([table.total] if table.total is not None else [])
    widths: list[int] = []
    measured: list[list[int] | None] = []  # the text columns' cell widths, kept for the lines
    for i, c in enumerate(table.columns):
        w, each = _widest(c.kind, [r[i] for r in rows])
        widths.append(max(w, max(_widths([c.header]))))
        measured.append(each)
    out = sys.stdout
    out.write(f"{table.title}  {table.subtitle}\n")
    rule = "  ".join("-" * w for w in widths)
    header = "  ".join(_pad([c.header], w, c.align is Align.RIGHT)[0]
                       for c, w in zip(table.columns, widths, strict=True)).rstrip()
    out.write(header + "\n" + rule + "\n")
    body = len(table.rows)
    for start in range(0, len(rows), LINES_PER_WRITE):
        chunk = rows[start:start + LINES_PER_WRITE]
        stop = start + len(chunk)
        padded = [_pad(_texts(c.kind, [r[i] for r in chunk]), w, c.align is Align.RIGHT,
                       None if each is None else each[start:stop])
                  for i, (c, w, each) in enumerate(zip(table.columns, widths, measured, strict=True))]
        lines = ["  ".join(r).rstrip() for r in zip(*padded, strict=True)]
        if table.total is not None and body and stop > body:  # the rule above the total
            lines.insert(body - start, rule)
        out.write("\n".join(lines) + "\n")
    if table.notes:
        out.write("\n".join(table.notes) + "\n")


def _emit(args: argparse.Namespace, ctx: CliContext, table: ReportTable,
          payload: Callable[[], dict[str, Any]]) -> int:
    """Write the files asked for, then the JSON (``payload`` is built only then) or the text table."""
    shop = ctx.services.reports.shop_name()
    if args.pdf:
        # ReportLab loads only for a PDF, openpyxl only for an xlsx (start-up speed)
        from jxc_desktop.reports.report_pdf import write_pdf

        write_pdf(table, args.pdf, shop=shop)
    if args.xlsx:
        from jxc_desktop.services.reporting.xlsx_export import write_xlsx

        write_xlsx(table, args.xlsx, shop=shop)
    if args.json:
        json_text.write(payload(), sys.stdout)  # dates as ISO text
    else:
        print_table(table)
        for f in (args.pdf, args.xlsx):
            if f:
                print(f"-> {f}")
    return 0


def _check_n(n: int) -> None:
    if not 1 <= n <= MAX_N:
        raise ValidationError("N must be a whole number from {lo} to {hi}", lo=1, hi=MAX_N)


def _rank(args: argparse.Namespace, spec: ReportSpec) -> tuple[Rank, int]:
    if spec.always_ranked:
        _check_n(args.top)
        return Rank.TOP, args.top
    top, bottom = getattr(args, "top", None), getattr(args, "bottom", None)
    if top is not None and bottom is not None:
        raise ValidationError("Give either --top or --bottom, not both")
    n = top if top is not None else bottom
    if n is not None:
        _check_n(n)
    if n is not None and not spec.can_rank(args.by):
        raise ValidationError("--top/--bottom need --by product or --by category")
    if top is not None:
        return Rank.TOP, top
    if bottom is not None:
        return Rank.BOTTOM, bottom
    return Rank.ALL, catalogue.RANK_N


def _request(args: argparse.Namespace, spec: ReportSpec) -> ReportRequest:
    """The command line's flags as the request the tab would make."""
    if spec.span is Span.PERIOD:
        period = _period(args)
    else:
        day = _day(args.at if spec.span is Span.END_OF_DAY else args.today)
        period = Period(day, day)
    rank, n = _rank(args, spec) if spec.ranked else (Rank.ALL, catalogue.RANK_N)
    days = getattr(args, "days", None)
    return ReportRequest(spec.kind, period, by=getattr(args, "by", ""), rank=rank, n=n,
                         sort=getattr(args, "sort", catalogue.DEFAULT_SORT),
                         days=days if days is not None else 30,
                         warning_days=days if spec.kind is ReportKind.EXPIRY else None,
                         today=period.last if spec.span is Span.TODAY else None,
                         compare=bool(getattr(args, "compare", False)))


# ---------------------------------------------------------------- JSON

# The fields before "rows" and "total", per report (the JSON contract of each command).
_HEAD: dict[ReportKind, Callable[[ReportRequest, Any], dict[str, Any]]] = {
    ReportKind.PROFIT: lambda req, rep: {"by": str(rep.by)},
    ReportKind.BEST: lambda req, rep: {"by": str(rep.by), "sort": req.sort},
    ReportKind.PAYMENTS: lambda req, rep: {"by": rep.by},
    ReportKind.HOURS: lambda req, rep: {"by": rep.by},
    ReportKind.CASHIERS: lambda req, rep: {"by": rep.by},
    ReportKind.SHIFTS: lambda req, rep: {},
    ReportKind.MEMBERS: lambda req, rep: {"member_share_pct": rep.share_pct, "points_outstanding": rep.owed.points,
                                          "stored_value_outstanding": rep.owed.stored_value},
    ReportKind.PROMOTIONS: lambda req, rep: {},
    ReportKind.PURCHASES: lambda req, rep: {"by": str(rep.by)},
    ReportKind.STOCK_VALUE: lambda req, rep: {"at": rep.at, "by": str(rep.by)},
    ReportKind.TURNOVER: lambda req, rep: {"days": req.period.days},
    ReportKind.SLOW: lambda req, rep: {"today": rep.today, "days": rep.days},
    ReportKind.EXPIRY: lambda req, rep: {"today": rep.today, "warning_days": rep.warning_days},
    ReportKind.SELL_THROUGH: lambda req, rep: {"by": rep.by},
    ReportKind.BROKEN_SIZES: lambda req, rep: {"today": rep.today},
    ReportKind.SEASON: lambda req, rep: {"by": str(rep.by), "last_year_from": rep.last_year.first,
                                         "last_year_to": rep.last_year.last, "months": list(rep.months)},
    ReportKind.COVER: lambda req, rep: {"by": str(rep.by), "days": req.period.days},
    ReportKind.ABC: lambda req, rep: {"by": str(rep.by), "a_pct": rep.a_pct, "b_pct": rep.b_pct,
                                      "classes": {c: {"count": rep.counts[c], "value": rep.values[c]} for c in "ABC"}},
}


def _season_record(months: tuple[str, ...], product: bool) -> Callable[[Any], dict[str, Any]]:
    """A season row: its net sales per month keyed ``YYYY-MM`` (fen), yoy_pct with one decimal."""
    def record(r: Any) -> dict[str, Any]:
        head = {"key": r.key, "name": r.label} | ({"category": r.category} if product else {})
        return head | {"months": dict(zip(months, r.months, strict=True)), "total": r.total,
                       "last_year_total": r.last_year_total, "yoy_pct": tenths_as_pct(r.yoy_tenths)}
    return record


def _abc_record(r: Any) -> dict[str, Any]:
    """An ABC row: shares in % with two decimals (from basis points, rounded once)."""
    return {"code": r.code, "name": r.name, "category": r.category, "value": r.value,
            "share": r.share_bp / 100, "cum_share": r.cum_share_bp / 100, "class": r.cls}


def _payload(spec: ReportSpec, req: ReportRequest, rep: Report, cmp: Comparison | None = None) -> dict[str, Any]:
    head: dict[str, Any] = {}
    if spec.span is Span.PERIOD:
        head = {"from": req.period.first, "to": req.period.last}
    head |= _HEAD[spec.kind](req, rep)
    if spec.kind is ReportKind.SEASON:
        record = _season_record(rep.months, str(rep.by) == "product")  # type: ignore[union-attr]
        return head | {"rows": [record(r) for r in rep.rows], "total": record(rep.total)}
    if spec.kind is ReportKind.ABC:
        return head | {"rows": [_abc_record(r) for r in rep.rows], "total": {"value": rep.total}}
    if req.rank is Rank.ALL:
        rows = list(rep.rows)
    else:  # the same rows the table shows: ranked by the chosen figure
        rows = rep.ranked(req.sort, req.n, bottom=req.rank is Rank.BOTTOM)  # type: ignore[union-attr]
    if cmp is None:
        return head | {"rows": [_record(r) for r in rows], "total": _record(rep.total)}
    # --compare: each row and the total carry prev, prev_pct, last_year, yoy_pct of the figure
    f = cmp.figure
    head["compare"] = {"figure": f, "prev_from": cmp.prev_period.first, "prev_to": cmp.prev_period.last,
                       "last_year_from": cmp.last_year_period.first, "last_year_to": cmp.last_year_period.last}
    total = rep.total  # type: ignore[union-attr]
    return head | {"rows": [_record(r) | cmp.record(r.key, getattr(r, f)) for r in rows],
                   "total": _record(total) | dict(zip(("prev", "prev_pct", "last_year", "yoy_pct"),
                                                      _pcts(cmp.total_cells(getattr(total, f))), strict=True))}


def _pcts(cells: tuple[int, int | None, int, int | None]) -> tuple[Any, ...]:
    p, pp, y, yp = cells
    return p, tenths_as_pct(pp), y, tenths_as_pct(yp)


# ---------------------------------------------------------------- the command


def cmd_report(args: argparse.Namespace, ctx: CliContext) -> int:
    """Every ``jxc report`` sub-command: the catalogue entry names the report."""
    spec: ReportSpec = args.spec
    req = _request(args, spec)
    built = ctx.services.reports.run(req)
    return _emit(args, ctx, built.table, lambda: _payload(spec, req, built.report, built.comparison))

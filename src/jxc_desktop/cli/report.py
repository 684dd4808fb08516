"""``jxc report ...``: the reports of the 报表 tab as text tables, JSON or PDF/xlsx files.

The sub-commands, their groupings and sorts come from the report catalogue
(services.reporting.catalogue), the one list the reports tab shows too.
JSON amounts are integer fen (``net_sales``, ``cogs``, ``gross_profit`` ...), quantities integer
thousandths, margins integer basis points (``margin_bp``, plus ``margin_pct`` for reading).
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from itertools import repeat
from typing import TYPE_CHECKING, Any

from jxc_desktop.cli import forecast as forecast_cli
from jxc_desktop.cli import json_text
from jxc_desktop.cli.context import CliContext
from jxc_desktop.cli.text_table import write_table
from jxc_desktop.domain.clock import local_today, parse_day
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.periods import Period, period_for
from jxc_desktop.domain.trend import tenths_as_pct
from jxc_desktop.gc_pause import gc_paused
from jxc_desktop.services.reporting import catalogue
from jxc_desktop.services.reporting.dto import (
    Rank,
    ReportKind,
    ReportRequest,
    ReportSpec,
    ReportTable,
    Span,
)

if TYPE_CHECKING:
    from jxc_desktop.db.text_reads import Rows
    from jxc_desktop.services.reporting.compare import Comparison
    from jxc_desktop.services.reporting.tables import Built, Report

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


def _records(rows: list[Any]) -> list[dict[str, Any]]:
    """``_record`` of each row; rows of one named-tuple type (a year's 100 000 products) become
    dicts by C-level maps, the same as ``_asdict``."""
    fields = getattr(rows[0], "_fields", None) if rows else None
    if fields is None or set(map(type, rows)) != {type(rows[0])}:
        return [_record(r) for r in rows]
    data = list(map(dict, map(zip, repeat(fields), rows)))
    if "margin_bp" in fields:
        for d in data:
            bp = d["margin_bp"]
            d["margin_pct"] = None if bp is None else bp / 100
    return data


def _emit(args: argparse.Namespace, shop_name: Callable[[], str], table: ReportTable,
          payload: Callable[[], dict[str, Any]]) -> int:
    """Write the files asked for, then the JSON (``payload`` is built only then) or the text table."""
    shop = shop_name() if args.pdf or args.xlsx else ""
    if args.pdf:
        # ReportLab loads only for a PDF, openpyxl only for an xlsx (start-up speed)
        from jxc_desktop.reports.report_pdf import write_pdf

        write_pdf(table, args.pdf, shop=shop)
    if args.xlsx:
        from jxc_desktop.services.reporting.xlsx_export import write_xlsx

        write_xlsx(table, args.xlsx, shop=shop)
    with gc_paused():  # 100 000 rows' dicts or cells: nothing the cyclic collector could free
        if args.json:
            json_text.write(payload(), sys.stdout)  # dates as ISO text
        else:
            write_table(table, sys.stdout)
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
        return head | {"rows": _records(rows), "total": _record(rep.total)}
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


# Reports written as SQL text both drivers run (services/reporting/plain_reads.py): on a file at
# head ``jxc`` reads them with sqlite3 alone (CliContext.read), without SQLAlchemy, the models or the hub.
_PLAIN_KINDS = frozenset((ReportKind.PROFIT, ReportKind.BEST, ReportKind.PAYMENTS, ReportKind.HOURS,
                          ReportKind.CASHIERS, ReportKind.PURCHASES, ReportKind.STOCK_VALUE, ReportKind.TURNOVER,
                          ReportKind.SLOW, ReportKind.EXPIRY, ReportKind.COVER, ReportKind.SHIFTS,
                          ReportKind.MEMBERS, ReportKind.SELL_THROUGH, ReportKind.BROKEN_SIZES, ReportKind.SEASON,
                          ReportKind.ABC, ReportKind.PROMOTIONS))


def _plain_run(rows: Rows, req: ReportRequest) -> tuple[Built, Callable[[], str]]:
    """The report and its table as ReportsService.run builds them, and the shop's name, from one
    read with sqlite3 alone."""
    from jxc_desktop.services.reporting.plain_reads import PlainReports
    from jxc_desktop.services.reporting.tables import build
    from jxc_desktop.services.shop.stored_settings import stored_int, stored_setting

    with gc_paused():  # (expiry's warning days, the ABC thresholds: shop-wide settings, read as get_int reads them)
        built = build(PlainReports(rows, lambda key: stored_int(rows, key)), req)
        # The report lives until the command ends: frozen (as the open's objects, context.py;
        # CliContext.close thaws them), else the collector walks its 100 000 rows once it is on
        # again (~80 ms of a year by product).
        gc.freeze()
    shop = stored_setting(rows, "shop_name") or ""  # (the setting's default: "")
    return built, lambda: shop


def cmd_report(args: argparse.Namespace, ctx: CliContext) -> int:
    """Every ``jxc report`` sub-command: the catalogue entry names the report."""
    spec: ReportSpec = args.spec
    req = _request(args, spec)
    if spec.kind in _PLAIN_KINDS:
        built, shop_name = ctx.read(lambda rows: _plain_run(rows, req),
                                    lambda services: (services.reports.run(req), services.reports.shop_name))
    else:
        built = ctx.services.reports.run(req)
        shop_name = ctx.services.reports.shop_name
    return _emit(args, shop_name, built.table, lambda: _payload(spec, req, built.report, built.comparison))

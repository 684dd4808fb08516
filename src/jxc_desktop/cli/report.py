"""``jxc report ...``: the reports of the 报表 tab as text tables, JSON or PDF/xlsx files.

JSON amounts are integer fen (``net_sales``, ``cogs``, ``gross_profit`` ...), quantities integer
thousandths, margins integer basis points (``margin_bp``, plus ``margin_pct`` for reading).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from dataclasses import asdict
from datetime import date
from typing import Any

from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.clock import local_today, parse_day
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.periods import Grouping, Period, PeriodKind, period_for
from jxc_desktop.reports.report_pdf import write_pdf
from jxc_desktop.services.reporting.tables import Rank as RankKind
from jxc_desktop.services.reporting.tables import (
    ReportTable,
    expiry_table,
    format_value,
    profit_table,
    purchase_table,
    sales_split_table,
    slow_table,
    stock_value_table,
    turnover_table,
)
from jxc_desktop.services.reporting.xlsx_export import write_xlsx

PROFIT_BY = [str(g) for g in Grouping]
SORTS = ["net_sales", "gross_profit", "qty", "sales", "cogs", "margin_bp", "sale_count", "count_loss",
         "profit_after_count", "returns", "discounts"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("report", help="reports: profit, purchases, stock value, turnover, slow movers, expiry")
    rs = p.add_subparsers(dest="report", metavar="REPORT")
    rs.required = True

    def common(q: argparse.ArgumentParser, *, period: bool = True) -> None:
        if period:
            q.add_argument("--from", dest="first", metavar="YYYY-MM-DD", help="first day (default: 1st of this month)")
            q.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="last day (default: today)")
            q.add_argument("--period", choices=[str(k) for k in PeriodKind if k is not PeriodKind.CUSTOM],
                           help="a named period instead of --from/--to")
        q.add_argument("--json", action="store_true", help="print JSON (amounts in fen)")
        q.add_argument("--pdf", metavar="FILE", help="also write an A4 PDF")
        q.add_argument("--xlsx", metavar="FILE", help="also write an Excel file")

    q = rs.add_parser("profit", help="profit summary (利润汇总)")
    common(q)
    q.add_argument("--by", choices=PROFIT_BY, default="day")
    q.add_argument("--top", type=int, metavar="N", help="product/category: only the N best rows")
    q.add_argument("--bottom", type=int, metavar="N", help="product/category: only the N worst rows")
    q.add_argument("--sort", choices=SORTS, default="net_sales", help="figure that --top/--bottom rank by")
    q.set_defaults(func=cmd_profit)

    q = rs.add_parser("best", help="best sellers (products ranked by a figure)")
    common(q)
    q.add_argument("--top", type=int, default=20, metavar="N")
    q.add_argument("--sort", choices=SORTS, default="net_sales")
    q.set_defaults(func=cmd_best)

    for name, helptext in (("payments", "sales by payment method"), ("hours", "sales by hour of day")):
        q = rs.add_parser(name, help=helptext)
        common(q)
        q.set_defaults(func=cmd_split, split=name)

    q = rs.add_parser("purchases", help="purchase summary by supplier or product")
    common(q)
    q.add_argument("--by", choices=["supplier", "product"], default="supplier")
    q.set_defaults(func=cmd_purchases)

    q = rs.add_parser("stock-value", help="stock value at the end of a day (from the ledger)")
    common(q, period=False)
    q.add_argument("--at", metavar="YYYY-MM-DD", help="the day (default: today)")
    q.add_argument("--by", choices=["category", "product"], default="category")
    q.set_defaults(func=cmd_stock_value)

    q = rs.add_parser("turnover", help="stock flow and turnover per category")
    common(q)
    q.set_defaults(func=cmd_turnover)

    q = rs.add_parser("slow", help="slow movers: stock and no sale for N days")
    common(q, period=False)
    q.add_argument("--days", type=int, default=30, metavar="N")
    q.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    q.set_defaults(func=cmd_slow)

    q = rs.add_parser("expiry", help="batches expired or expiring within the warning days")
    common(q, period=False)
    q.add_argument("--days", type=int, metavar="N", help="warning days (default: the setting)")
    q.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    q.set_defaults(func=cmd_expiry)


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


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


def _record(row: Any) -> dict[str, Any]:
    data = row._asdict() if hasattr(row, "_asdict") else asdict(row)
    if "margin_bp" in data:
        bp = data["margin_bp"]
        data["margin_pct"] = None if bp is None else bp / 100
    return data


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def print_table(table: ReportTable) -> None:
    cells = [[c.header for c in table.columns]]
    rows = list(table.rows) + ([table.total] if table.total is not None else [])
    cells += [[format_value(c.kind, v) for c, v in zip(table.columns, r, strict=True)] for r in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(table.columns))]
    numeric = [c.kind != "text" for c in table.columns]
    print(f"{table.title}  {table.subtitle}")
    for n, r in enumerate(cells):
        parts = []
        for text, w, num in zip(r, widths, numeric, strict=True):
            pad = " " * (w - _width(text))
            parts.append(pad + text if num else text + pad)
        print("  ".join(parts).rstrip())
        if n == 0 or (table.total is not None and n == len(cells) - 2):
            print("  ".join("-" * w for w in widths))
    for note in table.notes:
        print(note)


def _emit(args: argparse.Namespace, ctx: CliContext, table: ReportTable, payload: dict[str, Any]) -> int:
    shop = ctx.services.reports.shop_name()
    if args.pdf:
        write_pdf(table, args.pdf, shop=shop)
    if args.xlsx:
        write_xlsx(table, args.xlsx, shop=shop)
    if args.json:
        json.dump(_jsonable(payload), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print_table(table)
        for f in (args.pdf, args.xlsx):
            if f:
                print(f"-> {f}")
    return 0


def _rank(args: argparse.Namespace) -> tuple[RankKind, int]:
    top, bottom = getattr(args, "top", None), getattr(args, "bottom", None)
    if top is not None and bottom is not None:
        raise ValidationError("Give either --top or --bottom, not both")
    n = top if top is not None else bottom
    if n is not None and not 1 <= n <= 100000:
        raise ValidationError("N must be a whole number from {lo} to {hi}", lo=1, hi=100000)
    if top is not None:
        return RankKind.TOP, top
    if bottom is not None:
        return RankKind.BOTTOM, bottom
    return RankKind.ALL, 20


# ---------------------------------------------------------------- commands


def cmd_profit(args: argparse.Namespace, ctx: CliContext) -> int:
    period = _period(args)
    rep = ctx.services.reports.profit(period, args.by)
    rank, n = _rank(args)
    if rank is not RankKind.ALL and args.by in ("day", "week", "month"):
        raise ValidationError("--top/--bottom need --by product or --by category")
    rows = list(rep.rows) if rank is RankKind.ALL else rep.ranked(args.sort, n, bottom=rank is RankKind.BOTTOM)
    table = profit_table(rep, rank=rank, n=n, sort=args.sort)
    payload = {"from": period.first, "to": period.last, "by": str(rep.by),
               "rows": [_record(r) for r in rows], "total": _record(rep.total)}
    return _emit(args, ctx, table, payload)


def cmd_best(args: argparse.Namespace, ctx: CliContext) -> int:
    period = _period(args)
    if not 1 <= args.top <= 100000:
        raise ValidationError("N must be a whole number from {lo} to {hi}", lo=1, hi=100000)
    rep = ctx.services.reports.profit(period, "product")
    table = profit_table(rep, rank=RankKind.TOP, n=args.top, sort=args.sort, title="Best sellers")
    payload = {"from": period.first, "to": period.last, "by": "product", "sort": args.sort,
               "rows": [_record(r) for r in rep.ranked(args.sort, args.top)], "total": _record(rep.total)}
    return _emit(args, ctx, table, payload)


def cmd_split(args: argparse.Namespace, ctx: CliContext) -> int:
    period = _period(args)
    svc = ctx.services.reports
    rep = svc.payments(period) if args.split == "payments" else svc.hours(period)
    payload = {"from": period.first, "to": period.last, "by": rep.by,
               "rows": [_record(r) for r in rep.rows], "total": _record(rep.total)}
    return _emit(args, ctx, sales_split_table(rep), payload)


def cmd_purchases(args: argparse.Namespace, ctx: CliContext) -> int:
    period = _period(args)
    rep = ctx.services.reports.purchases(period, args.by)
    payload = {"from": period.first, "to": period.last, "by": str(rep.by),
               "rows": [_record(r) for r in rep.rows], "total": _record(rep.total)}
    return _emit(args, ctx, purchase_table(rep), payload)


def cmd_stock_value(args: argparse.Namespace, ctx: CliContext) -> int:
    rep = ctx.services.reports.stock_value(_day(args.at), args.by)
    payload = {"at": rep.at, "by": str(rep.by), "rows": [_record(r) for r in rep.rows], "total": _record(rep.total)}
    return _emit(args, ctx, stock_value_table(rep), payload)


def cmd_turnover(args: argparse.Namespace, ctx: CliContext) -> int:
    period = _period(args)
    rep = ctx.services.reports.turnover(period)
    payload = {"from": period.first, "to": period.last, "days": period.days,
               "rows": [_record(r) for r in rep.rows], "total": _record(rep.total)}
    return _emit(args, ctx, turnover_table(rep), payload)


def cmd_slow(args: argparse.Namespace, ctx: CliContext) -> int:
    rep = ctx.services.reports.slow_movers(args.days, today=_day(args.today))
    payload = {"today": rep.today, "days": rep.days, "rows": [_record(r) for r in rep.rows],
               "total": _record(rep.total)}
    return _emit(args, ctx, slow_table(rep), payload)


def cmd_expiry(args: argparse.Namespace, ctx: CliContext) -> int:
    rep = ctx.services.reports.expiry(today=_day(args.today), warning_days=args.days)
    payload = {"today": rep.today, "warning_days": rep.warning_days, "rows": [_record(r) for r in rep.rows],
               "total": _record(rep.total)}
    return _emit(args, ctx, expiry_table(rep), payload)

"""``jxc reorder`` (补货建议 by the flat or the seasonal rule) and ``jxc report forecast CODE``
(one product's forecast with last year's same weeks).

JSON quantities are integer thousandths (``suggested_qty``, ``forecast_qty``), indexes and factors
integer thousandths too (``season_permille`` 1000 = an average week).

Both read on sqlite3 alone when the file allows it (issue 15): the services' own SQL text, the
settings as stored (none of them is kept per till); else through the services.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from jxc_desktop.cli import json_text
from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.clock import local_today, parse_day
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.i18n import _

if TYPE_CHECKING:
    from jxc_desktop.db.text_reads import Rows
    from jxc_desktop.services.hub import Services
    from jxc_desktop.services.purchasing.dto import ProductForecast, ReorderGroup

REORDER_HELP = "reorder suggestions (补货建议) by the flat 28-day rule or the seasonal forecast"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("reorder", help=REORDER_HELP)
    p.add_argument("--rule", choices=("flat", "season"), default="flat",
                   help="flat: 28-day average (default); season: forecast over lead time + cover, with safety stock")
    p.add_argument("--cover", type=int, metavar="DAYS", help="days of cover (default: the setting)")
    p.add_argument("--json", action="store_true", help="print JSON (quantities in thousandths)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_reorder)


def add_report(rs: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``jxc report forecast``: added to ``jxc report``'s sub-commands by cli/report.py."""
    q = rs.add_parser("forecast", help="one product's expected sales for the coming weeks, with last year's")
    q.add_argument("code", metavar="CODE", help="product code")
    q.add_argument("--weeks", type=int, default=8, metavar="N", help="weeks ahead, 1-26 (default 8)")
    q.add_argument("--json", action="store_true", help="print JSON (quantities in thousandths)")
    q.add_argument("--today", metavar="YYYY-MM-DD", help=argparse.SUPPRESS)
    q.set_defaults(func=cmd_forecast)


def _today(args: argparse.Namespace) -> date:
    return parse_day(args.today) if args.today else local_today()


def cmd_reorder(args: argparse.Namespace, ctx: CliContext) -> int:
    # here, not at the top: ``jxc report`` registers this module's forecast sub-command (issue 15)
    from jxc_desktop.services.purchasing.reorder import suggestions
    from jxc_desktop.services.purchasing.reorder_reason import reason
    from jxc_desktop.services.shop.stored_settings import stored_int

    today = _today(args)

    def plain(rows: Rows) -> list[ReorderGroup]:
        return suggestions(rows, today=today, setting=lambda key: stored_int(rows, key), cover_days=args.cover,
                           rule=args.rule)

    def full(services: Services) -> list[ReorderGroup]:
        return services.reorder.suggest(today=today, cover_days=args.cover, rule=args.rule)

    groups = ctx.read(plain, full)
    rows = [(g.supplier_name, ln) for g in groups for ln in g.lines]
    if args.json:
        # "product" (the name) and "suggested_qty", "supplier", "reason": the fields issue 20 names
        json_text.write([{"product": ln.name, "code": ln.code, "name": ln.name, "supplier": sup, "unit": ln.unit,
                         "suggested_qty": ln.suggested_qty, "stock_qty": ln.stock_qty, "pack": ln.pack,
                         "rule": ln.rule, "forecast_qty": ln.forecast_qty, "lead_days": ln.lead_days,
                         "cover_days": ln.cover_days, "safety_qty": ln.safety_qty,
                         "season_permille": ln.season_permille, "reason": reason(ln)} for sup, ln in rows],
                       sys.stdout)
        return 0
    for sup, ln in rows:
        print(f"{ln.code}\t{ln.name}\t{sup or '-'}\t{format_qty(ln.suggested_qty)}\t{reason(ln)}")
    return 0


def cmd_forecast(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.purchasing.forecasts import product_forecast

    today = _today(args)

    def plain(rows: Rows) -> ProductForecast:
        return product_forecast(rows, args.code, today=today, weeks=args.weeks)

    def full(services: Services) -> ProductForecast:
        return services.forecasts.product(args.code, today=today, weeks=args.weeks)

    f = ctx.read(plain, full)
    if args.json:
        json_text.write({
            "code": f.code, "name": f.name, "unit": f.unit, "today": f.today, "source": f.source,
            "level_qty": f.level_qty, "trend_permille": f.trend_permille, "spread_qty": f.spread_qty,
            "weekday_permille": list(f.weekday_permille),
            "weeks": [{"start": w.start, "qty": w.qty, "last_year_qty": w.last_year_qty,
                       "season_permille": w.season_permille} for w in f.weeks],
            "daily": list(f.daily),
            "months": [{"month": m, "qty": q} for m, q in f.months]}, sys.stdout)
        return 0
    print(f"{f.code}\t{f.name}\t{f.unit}")
    print(_("Season index from: {source}; level {level} a week; trend {trend}% a week").format(
        source=f.source, level=format_qty(f.level_qty), trend=f"{f.trend_permille / 10:+.1f}"))
    for w in f.weeks:
        print(f"{w.start.isoformat()}\t{format_qty(w.qty)}\t{format_qty(w.last_year_qty)}\t{w.season_permille / 1000:.2f}")
    return 0

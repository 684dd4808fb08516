"""jxc styles list|grid|sell-through|broken|pdf: styles (款号) by colour and size from the command line.

Each only reads: on a file at head they run the catalogue's SQL text on sqlite3 alone
(style_list.py, style_figures.py; issue 15), ``pdf`` its shop line by settings_seen too, else the
same text through the services."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from jxc_desktop.cli import json_text
from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.clock import local_today, parse_day, utcnow
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.domain.variants import format_rate
from jxc_desktop.i18n import _
from jxc_desktop.services.catalog.dto import StyleGridDTO

if TYPE_CHECKING:
    from jxc_desktop.db.text_reads import Rows
    from jxc_desktop.services.hub import Services

LEVELS = ("style", "colour", "size", "cell")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("styles", help="styles (款号) by colour × size: list, grid, sell-through, broken sizes")
    ssub = p.add_subparsers(dest="styles_command", metavar="ACTION", parser_class=type(p))
    ssub.required = True

    q = ssub.add_parser("list", help="every style: code, name, season, colours, sizes, variants, stock")
    q.add_argument("--json", action="store_true", help="print a JSON list")
    q.set_defaults(func=cmd_list)

    q = ssub.add_parser("grid", help="a style's stock (or with --sold its sales) by colour × size")
    q.add_argument("code", metavar="CODE", help="the style code (款号)")
    q.add_argument("--sold", action="store_true", help="net quantity sold over --from/--to instead of stock")
    _period_args(q)
    q.add_argument("--json", action="store_true", help="print a JSON object with one entry per cell")
    q.set_defaults(func=cmd_grid)

    q = ssub.add_parser("sell-through", help="sales and sell-through (售罄率 = sold ÷ (sold + on hand at the "
                                             "end)) over a period, by style, colour, size or cell")
    q.add_argument("--by", choices=LEVELS, default="style", help="grouping (default style)")
    q.add_argument("--style", metavar="CODE", help="only this style")
    _period_args(q)
    q.add_argument("--json", action="store_true", help="print a JSON list")
    q.set_defaults(func=cmd_sell_through)

    q = ssub.add_parser("broken", help="broken sizes (断码): colours with some sizes sold out, others left")
    q.add_argument("--json", action="store_true", help="print a JSON list")
    q.set_defaults(func=cmd_broken)

    q = ssub.add_parser("pdf", help="write the stock grids of every style (or of --style) as an A4 PDF")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--style", metavar="CODE", action="append", help="only this style; may be repeated")
    q.set_defaults(func=cmd_pdf)


def _period_args(q: argparse.ArgumentParser) -> None:
    q.add_argument("--from", dest="first", metavar="YYYY-MM-DD", help="first day (default: 1st of this month)")
    q.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="last day (default: today)")


def _period(args: argparse.Namespace) -> tuple[date, date]:
    today = local_today()
    first = parse_day(args.first) if args.first else today.replace(day=1)
    last = parse_day(args.last) if args.last else today
    return first, last


def cmd_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.catalog.style_list import list_styles  # (here: jxc --help loads no sqlite3)

    rows = ctx.read(list_styles, lambda services: services.styles.list_styles())
    if args.json:
        json_text.write([{"code": r.code, "name": r.name, "category": r.category, "season": r.season,
                          "year": r.year, "brand": r.brand, "sale_price": r.sale_price, "colours": r.colours,
                          "sizes": r.sizes, "variants": r.variants, "stock_qty": r.stock_qty,
                          "active": r.active} for r in rows], sys.stdout)
        return 0
    print("code\tname\tseason\tbrand\tcolours\tsizes\tvariants\tstock")
    for r in rows:
        season = " ".join(p for p in (str(r.year) if r.year else "", r.season) if p)
        print(f"{r.code}\t{r.name}\t{season}\t{r.brand}\t{r.colours}\t{r.sizes}\t{r.variants}\t"
              f"{format_qty(r.stock_qty)}")
    return 0


def _grid_json(g: StyleGridDTO) -> dict[str, object]:
    s, grid = g.style, g.grid
    names = dict(s.colours)
    return {
        "code": s.code, "name": s.name, "what": g.title.lower(),
        "colours": [{"code": c, "name": n} for c, n in s.colours], "sizes": list(s.sizes),
        "cells": [{"colour_code": v.colour_code, "colour": names.get(v.colour_code, v.colour), "size": v.size,
                   "product_code": v.code, "barcode": v.barcode, "active": v.active,
                   "qty": grid.qty(v.colour_code, v.size)} for v in s.variants],
        "total": grid.total,
    }


def cmd_grid(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.catalog.style_figures import sales_grid_in, stock_grid_in

    if args.sold:
        first, last = _period(args)
        g = ctx.read(lambda rows: sales_grid_in(rows, args.code, first, last),
                     lambda services: services.style_grids.sales_grid(args.code, first, last))
    else:
        g = ctx.read(lambda rows: stock_grid_in(rows, args.code),
                     lambda services: services.style_grids.stock_grid(args.code))
    if args.json:
        json_text.write(_grid_json(g), sys.stdout)
        return 0
    grid = g.grid
    print(f"{g.style.code}\t{g.style.name}\t{_(g.title)}")
    print("\t".join([_("Colour"), *grid.sizes, _("Total")]))
    for c in grid.colours:
        cells = ["-" if (c.code, s) in grid.inactive else format_qty(grid.qty(c.code, s)) for s in grid.sizes]
        print("\t".join([f"{c.name}({c.code})", *cells, format_qty(grid.row_total(c.code))]))
    print("\t".join([_("Total"), *(format_qty(grid.column_total(s)) for s in grid.sizes), format_qty(grid.total)]))
    return 0


def cmd_sell_through(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.catalog.style_figures import sell_through_in

    first, last = _period(args)
    rows = ctx.read(lambda found: sell_through_in(found, first, last, level=args.by, style_code=args.style),
                    lambda services: services.style_grids.sell_through(first, last, level=args.by,
                                                                       style_code=args.style))
    if args.json:
        json_text.write([{"style": r.style_code, "name": r.style_name, "colour": r.colour, "size": r.size,
                          "sold": r.sold, "amount": r.amount, "on_hand": r.on_hand, "sell_through_bp": r.rate_bp}
                         for r in rows], sys.stdout)
        return 0
    print("style\tname\tcolour\tsize\tsold\tamount_fen\ton_hand\tsell_through")
    for r in rows:
        print(f"{r.style_code}\t{r.style_name}\t{r.colour}\t{r.size}\t{format_qty(r.sold)}\t{r.amount}\t"
              f"{format_qty(r.on_hand)}\t{format_rate(r.rate_bp)}")
    return 0


def cmd_broken(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.catalog.style_figures import broken_sizes_in

    rows = ctx.read(broken_sizes_in, lambda services: services.style_grids.broken_sizes())
    if args.json:
        json_text.write([{"style": r.style_code, "name": r.style_name, "season": r.season, "colour": r.colour,
                          "missing": list(r.missing), "remaining": list(r.remaining), "on_hand": r.on_hand}
                         for r in rows], sys.stdout)
        return 0
    print("style\tname\tcolour\tsold_out\tremaining\ton_hand")
    for r in rows:
        print(f"{r.style_code}\t{r.style_name}\t{r.colour}\t{' '.join(r.missing)}\t{' '.join(r.remaining)}\t"
              f"{format_qty(r.on_hand)}")
    return 0


def cmd_pdf(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.reports.style_grid import style_grid_pdf  # ReportLab only when a PDF is asked for
    from jxc_desktop.services.catalog.style_figures import stock_grid_in
    from jxc_desktop.services.catalog.style_list import list_styles
    from jxc_desktop.services.shop.stored_settings import settings_seen

    def plain(rows: Rows) -> tuple[list[StyleGridDTO], str]:
        codes = args.style or [r.code for r in list_styles(rows) if r.active]
        return [stock_grid_in(rows, code) for code in codes], settings_seen(rows, ("shop_name",))["shop_name"]

    def full(services: Services) -> tuple[list[StyleGridDTO], str]:
        codes = args.style or [r.code for r in services.styles.list_styles() if r.active]
        return [services.style_grids.stock_grid(code) for code in codes], services.settings.get("shop_name")

    # The styles' SQL text, on sqlite3 alone when the file allows (issue 15).
    grids, shop = ctx.read(plain, full)
    style_grid_pdf(grids, args.file, shop=shop, printed_at=utcnow())
    print(_("{n} styles written to {path}").format(n=len(grids), path=args.file))
    return 0

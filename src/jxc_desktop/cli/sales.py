"""jxc sales list|summary|import and jxc receipt: a day's sales and returns, its totals (日结), sales from a
file, any receipt as PDF."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.clock import local_today, parse_day
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty

if TYPE_CHECKING:
    from jxc_desktop.db.text_reads import Rows
    from jxc_desktop.services.sales.dto import DaySummary


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sales = sub.add_parser("sales", help="sales and customer returns (收银)")
    ssub = sales.add_subparsers(dest="sales_command", metavar="ACTION")
    ssub.required = True
    p = ssub.add_parser("list", help="a day's sales and returns: number, time, items, amount, payment methods")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the local day (default: today)")
    p.add_argument("--json", action="store_true", help="a JSON list (amounts in fen, qty in thousandths)")
    p.add_argument("--summary", action="store_true", help="also print the day's totals (日结)")
    p.set_defaults(func=cmd_sales_list)

    p = ssub.add_parser("summary", help="a day's totals (日结): sales, returns, takings by payment method")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the local day (default: today)")
    p.add_argument("--json", action="store_true", help="JSON (amounts in fen)")
    p.add_argument("--pdf", metavar="FILE", help="also write the end-of-day slip on receipt paper")
    p.add_argument("--width", type=int, choices=(58, 80), help="paper width in mm (default: the setting)")
    p.set_defaults(func=cmd_sales_summary)

    p = ssub.add_parser("import", help="sales not rung up at this till (an online shop's orders, handwritten "
                                       "notes) from csv/xlsx: time, barcode or code, qty, unit price, payment "
                                       "[, order]; all or nothing")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--post", action="store_true",
                   help="post the sales (without it the file is only checked and the sales listed)")
    p.add_argument("--yes", action="store_true",
                   help="with --post: post even when stock would go below zero (the warn policy's question)")
    p.add_argument("--json", action="store_true", help="a JSON list of the sales (amounts in fen)")
    p.set_defaults(func=cmd_sales_import)

    p = sub.add_parser("receipt", help="write the receipt of a sale or return as PDF")
    p.add_argument("number", metavar="NUMBER", help="receipt number, e.g. XS20261125-0001 or TH20261125-0001")
    p.add_argument("--pdf", metavar="FILE", required=True)
    p.add_argument("--width", type=int, choices=(58, 80), help="paper width in mm (default: the setting)")
    p.set_defaults(func=cmd_receipt)


def cmd_sales_list(args: argparse.Namespace, ctx: CliContext) -> int:
    day = parse_day(args.date) if args.date else local_today()
    from jxc_desktop.services.sales.day_list import list_day

    rows = ctx.read(lambda found: list_day(found, day), lambda services: services.checkout.list_day(day))
    rows.reverse()  # oldest first reads like a journal
    if args.json:
        out = [{"number": r.number, "kind": r.kind, "time": r.created_at.astimezone().isoformat(timespec="seconds"),
                "lines": r.lines, "qty": r.item_qty, "amount": r.total, "methods": list(r.methods)} for r in rows]
        if args.summary:
            s = _day_summary(ctx, day)
            print(json.dumps({"day": day.isoformat(), "rows": out, "summary": {
                "sales_count": s.sales_count, "sales_total": s.sales_total, "returns_count": s.returns_count,
                "returns_total": s.returns_total, "net_total": s.net_total, "by_method": s.by_method}},
                ensure_ascii=False, indent=1))
        else:
            print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print("number\tkind\ttime\titems\tamount\tmethods")
    for r in rows:
        amount = -r.total if r.kind == "return" else r.total  # negated: a return of 0.00 is not -0.00
        print(f"{r.number}\t{r.kind}\t{r.created_at.astimezone():%H:%M:%S}\t{format_qty(r.item_qty)}\t"
              f"{format_fen(amount, symbol=False)}\t{','.join(r.methods)}")
    if args.summary:
        s = _day_summary(ctx, day)
        methods = ", ".join(f"{m} {format_fen(v, symbol=False)}" for m, v in s.by_method.items())
        print(f"# {day}: {s.sales_count} sales {format_fen(s.sales_total, symbol=False)}, "
              f"{s.returns_count} returns {format_fen(s.returns_total, symbol=False)}, "
              f"net {format_fen(s.net_total, symbol=False)} ({methods})")
    return 0


def _day_summary(ctx: CliContext, day: date) -> DaySummary:
    """The day's totals as the checkout service gives them: on sqlite3 alone when the file allows
    (the same SQL text: the sales package's, the day's shifts and members' top-ups from theirs)."""
    from jxc_desktop.services.members.topup_sums import topups_by_method
    from jxc_desktop.services.sales.day_figures import day_figures
    from jxc_desktop.services.staff.dto import DayShifts
    from jxc_desktop.services.staff.shift_figures import shifts_of_day

    def plain(rows: Rows) -> DaySummary:
        return day_figures(rows, day, DayShifts(tuple(shifts_of_day(rows, day))), topups_by_method(rows, day, day))

    return ctx.read(plain, lambda services: services.checkout.day_summary(day))


def cmd_sales_summary(args: argparse.Namespace, ctx: CliContext) -> int:
    day = parse_day(args.date) if args.date else local_today()
    s = _day_summary(ctx, day)
    if args.pdf:
        from jxc_desktop.reports.receipt import day_summary_pdf  # reportlab loads only for a PDF
        from jxc_desktop.services.sales.sale_receipt import SHOP_INFO_KEYS, shop_info_of
        from jxc_desktop.services.shop.stored_settings import settings_seen

        shop = ctx.read(lambda rows: shop_info_of(settings_seen(rows, SHOP_INFO_KEYS)),
                        lambda services: services.checkout.shop_info())
        _write(Path(args.pdf).expanduser(), day_summary_pdf(s, shop, args.width))
    if args.json:
        print(json.dumps({"day": day.isoformat(), "sales_count": s.sales_count, "sales_total": s.sales_total,
                          "returns_count": s.returns_count, "returns_total": s.returns_total,
                          "net_total": s.net_total, "discount_total": s.discount_total,
                          "by_method": s.by_method}, ensure_ascii=False, indent=1))
        return 0
    print(f"day\t{day}")
    print(f"sales\t{s.sales_count}\t{format_fen(s.sales_total, symbol=False)}")
    print(f"returns\t{s.returns_count}\t{format_fen(s.returns_total, symbol=False)}")
    print(f"net\t\t{format_fen(s.net_total, symbol=False)}")
    for method, amount in s.by_method.items():
        print(f"{method}\t\t{format_fen(amount, symbol=False)}")
    return 0


def _write(target: Path, data: bytes) -> None:
    if target.is_dir():
        raise ValidationError("{path} is a folder; give a file name", path=str(target))
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise ValidationError("Cannot write {path}: {reason}", path=str(target), reason=exc.strerror or str(exc)) from exc


def cmd_receipt(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.reports.receipt import receipt_pdf  # reportlab loads only for a PDF
    from jxc_desktop.services.sales.sale_receipt import SHOP_INFO_KEYS, sale_by_number, shop_info_of
    from jxc_desktop.services.shop.stored_settings import settings_seen

    target = Path(args.pdf).expanduser()
    if target.is_dir():
        raise ValidationError("{path} is a folder; give a file name", path=str(target))
    # The checkout service's SQL text, on sqlite3 alone when the file allows (issue 15).
    sale, shop = ctx.read(
        lambda rows: (sale_by_number(rows, args.number), shop_info_of(settings_seen(rows, SHOP_INFO_KEYS))),
        lambda services: (services.checkout.get_sale(args.number), services.checkout.shop_info()))
    _write(target, receipt_pdf(sale, shop, args.width))
    print(f"{sale.number} -> {target}")
    return 0


def cmd_sales_import(args: argparse.Namespace, ctx: CliContext) -> int:
    # Imported when the command runs, so `jxc --help` does not load the file readers.
    from jxc_desktop.domain.errors import InsufficientStockError
    from jxc_desktop.i18n import _
    from jxc_desktop.services.catalog.api import ImportRejected
    from jxc_desktop.services.sales.sales_import import import_sales

    try:
        result = import_sales(ctx.services.db, args.file, post=args.post, confirmed=args.yes)
    except ImportRejected as exc:
        print(f"jxc: {exc.message}", file=sys.stderr)
        for err in exc.errors:
            print(f"  row {err.row}: {err.reason}", file=sys.stderr)
        return 2
    except InsufficientStockError as exc:
        print(f"jxc: {exc.message}", file=sys.stderr)
        if exc.needs_confirmation:
            print(_("Nothing was posted. Add --yes to post anyway."), file=sys.stderr)
        return 2
    sales = result.sales
    total = sum(s.total for s in sales)
    if args.json:
        print(json.dumps([{"number": s.number, "order": s.order, "time": s.at.astimezone().isoformat(timespec="seconds"),
                           "lines": s.lines, "amount": s.total, "method": s.method} for s in sales],
                         ensure_ascii=False, indent=1))
    elif args.post:
        for s in sales:
            print(s.number)
    else:
        print("order\ttime\tlines\tamount\tmethod")
        for s in sales:
            print(f"{s.order or '-'}\t{s.at.astimezone():%Y-%m-%d %H:%M}\t{s.lines}\t"
                  f"{format_fen(s.total, symbol=False)}\t{s.method}")
    verb = "posted" if args.post else "checked, nothing posted (add --post)"
    print(f"{verb}: {len(sales)} sales, {format_fen(total)}", file=sys.stderr)
    for c in result.counted_after:
        print(f"note: {c.product} was counted in {c.count} at {c.at.astimezone():%Y-%m-%d %H:%M}, after its sale in "
              "this file; that count already saw the goods gone — look at its difference", file=sys.stderr)
    return 0

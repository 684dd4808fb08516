"""jxc sales list|summary and jxc receipt: a day's sales and returns, its totals (日结), any receipt as PDF."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.clock import local_today, parse_day
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.domain.quantity import format_qty


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

    p = sub.add_parser("receipt", help="write the receipt of a sale or return as PDF")
    p.add_argument("number", metavar="NUMBER", help="receipt number, e.g. XS20261125-0001 or TH20261125-0001")
    p.add_argument("--pdf", metavar="FILE", required=True)
    p.add_argument("--width", type=int, choices=(58, 80), help="paper width in mm (default: the setting)")
    p.set_defaults(func=cmd_receipt)


def cmd_sales_list(args: argparse.Namespace, ctx: CliContext) -> int:
    day = parse_day(args.date) if args.date else local_today()
    rows = ctx.services.checkout.list_day(day)
    rows.reverse()  # oldest first reads like a journal
    if args.json:
        out = [{"number": r.number, "kind": r.kind, "time": r.created_at.astimezone().isoformat(timespec="seconds"),
                "lines": r.lines, "qty": r.item_qty, "amount": r.total, "methods": list(r.methods)} for r in rows]
        if args.summary:
            s = ctx.services.checkout.day_summary(day)
            print(json.dumps({"day": day.isoformat(), "rows": out, "summary": {
                "sales_count": s.sales_count, "sales_total": s.sales_total, "returns_count": s.returns_count,
                "returns_total": s.returns_total, "net_total": s.net_total, "by_method": s.by_method}},
                ensure_ascii=False, indent=1))
        else:
            print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print("number\tkind\ttime\titems\tamount\tmethods")
    for r in rows:
        sign = "-" if r.kind == "return" else ""
        print(f"{r.number}\t{r.kind}\t{r.created_at.astimezone():%H:%M:%S}\t{format_qty(r.item_qty)}\t"
              f"{sign}{format_fen(r.total, symbol=False)}\t{','.join(r.methods)}")
    if args.summary:
        s = ctx.services.checkout.day_summary(day)
        methods = ", ".join(f"{m} {format_fen(v, symbol=False)}" for m, v in s.by_method.items())
        print(f"# {day}: {s.sales_count} sales {format_fen(s.sales_total, symbol=False)}, "
              f"{s.returns_count} returns {format_fen(s.returns_total, symbol=False)}, "
              f"net {format_fen(s.net_total, symbol=False)} ({methods})")
    return 0


def cmd_sales_summary(args: argparse.Namespace, ctx: CliContext) -> int:
    day = parse_day(args.date) if args.date else local_today()
    s = ctx.services.checkout.day_summary(day)
    if args.pdf:
        from jxc_desktop.reports.receipt import day_summary_pdf  # reportlab loads only for a PDF

        _write(Path(args.pdf).expanduser(), day_summary_pdf(s, ctx.services.checkout.shop_info(), args.width))
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

    target = Path(args.pdf).expanduser()
    if target.is_dir():
        raise ValidationError("{path} is a folder; give a file name", path=str(target))
    sale = ctx.services.checkout.get_sale(args.number)
    _write(target, receipt_pdf(sale, ctx.services.checkout.shop_info(), args.width))
    print(f"{sale.number} -> {target}")
    return 0

"""jxc demo, jxc check, jxc products export/import."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from jxc_desktop.cli.context import CliContext
from jxc_desktop.i18n import _


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("demo", help="fill an empty database with a demo shop (products, stock, history)")
    p.add_argument("--products", type=int, default=300, metavar="N", help="number of products (default 300)")
    p.add_argument("--days", type=int, default=30, metavar="D", help="days of history (default 30)")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (same seed, same shop)")
    p.add_argument("--today", metavar="DATE", default=None,
                   help="the day the demo shop opens on, YYYY-MM-DD (default: today); its history is the "
                        "D days before it. The same --seed and --today give the same shop")
    p.set_defaults(func=cmd_demo, creates_shop=True)

    p = sub.add_parser("check", help="check the file (SQLite integrity) and the stock ledger; exit 1 on problems")
    p.add_argument("--json", action="store_true", help="print a JSON object with 'ok' and 'problems'")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("products", help="export or import the product list (.xlsx or .csv)")
    psub = p.add_subparsers(dest="products_command", metavar="ACTION", parser_class=type(p))
    psub.required = True
    e = psub.add_parser("export", help="write every product to FILE (.xlsx or .csv, Chinese header row)")
    e.add_argument("file", metavar="FILE")
    e.set_defaults(func=cmd_export)
    i = psub.add_parser("import", help="add and update products from FILE; all or nothing")
    i.add_argument("file", metavar="FILE")
    i.add_argument("--create-categories", action="store_true",
                   help="create categories the file names that do not exist yet (default: reject the rows)")
    i.add_argument("--dry-run", action="store_true", help="check the whole file and report, but write nothing")
    i.set_defaults(func=cmd_import)


def cmd_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.db.fileprobe import FileState
    from jxc_desktop.db.migrate import create_beside, probe
    from jxc_desktop.demo.shop import DemoResult, fill_demo
    from jxc_desktop.domain.clock import parse_day

    today = parse_day(args.today) if args.today is not None else None
    if probe(ctx.path).state in (FileState.MISSING, FileState.EMPTY):
        # A new shop: built complete beside the file and put in place in one rename, so a kill or a
        # full disk leaves no half-filled demo behind (the next `jxc demo` simply runs again).
        def build(new: Path) -> DemoResult:
            from jxc_desktop.db.uow import Database
            from jxc_desktop.services.hub import Services

            services = Services(Database.for_file(new))
            try:
                return fill_demo(services, products=args.products, days=args.days, seed=args.seed, today=today)
            finally:
                services.db.dispose()

        result = create_beside(ctx.path, build)
    else:
        result = fill_demo(ctx.services, products=args.products, days=args.days, seed=args.seed, today=today)
    print(_("Demo shop created: {products} products, {suppliers} suppliers, {days} days of history from {first}")
          .format(products=result.products, suppliers=result.suppliers, days=result.days,
                  first=result.first_day.isoformat()))
    return 0


def cmd_check(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.safety.books_check import check_path

    # Read-only: the file as it is — not created, migrated, switched to WAL or checkpointed.
    report = check_path(ctx.path)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for note in report.notes:
            print(note)
        for p in report.problems:
            where = f" [{p.where}]" if p.where else ""
            print(f"{p.kind}{where}: {p.detail}")
        if report.ok:
            print(_("OK: {products} products, {moves} stock moves, the books reconcile")
                  .format(products=report.products, moves=report.moves))
        else:
            print(_("{count} problems found").format(count=len(report.problems)))
    return 0 if report.ok else 1


def cmd_export(args: argparse.Namespace, ctx: CliContext) -> int:
    n = ctx.services.product_io.export_products(args.file)
    print(_("{count} products written to {path}").format(count=n, path=args.file))
    return 0


def cmd_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.catalog.product_files import ImportRejected

    try:
        result = ctx.services.product_io.import_products(args.file, create_categories=args.create_categories,
                                                         dry_run=args.dry_run)
    except ImportRejected as exc:
        print(f"jxc: {exc.message}", file=sys.stderr)
        for err in exc.errors:
            print(_("Row {row}: {reason}").format(row=err.row, reason=err.reason), file=sys.stderr)
        return 2
    text = _("File is fine, nothing written: {created} new, {updated} to update") if args.dry_run \
        else _("Imported: {created} new, {updated} updated")
    print(text.format(created=result.created, updated=result.updated))
    return 0

"""jxc demo, jxc check, jxc products export/import/search."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.i18n import _


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("demo", help="fill an empty database with a demo shop (products, stock, history)")
    p.add_argument("--products", type=int, default=None, metavar="N",
                   help="number of products (default 300); with --kind clothing the number of styles (default 36)")
    p.add_argument("--days", type=int, default=None, metavar="D",
                   help="days of history (default 30; with --kind clothing 365)")
    p.add_argument("--kind", choices=("store", "clothing"), default="store",
                   help="store: a convenience store (default); clothing: a clothing shop whose styles come in "
                        "colours and sizes")
    p.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (same seed, same shop)")
    p.add_argument("--today", metavar="DATE", default=None,
                   help="the day the demo shop opens on, YYYY-MM-DD (default: today); its history is the "
                        "D days before it. The same --seed and --today give the same shop")
    p.set_defaults(func=cmd_demo, creates_shop=True)

    p = sub.add_parser("check", help="check the file (SQLite integrity) and the stock ledger; exit 1 on problems")
    p.add_argument("--json", action="store_true", help="print a JSON object with 'ok' and 'problems'")
    p.add_argument("--full", action="store_true",
                   help="SQLite's full integrity_check and foreign_key_check (every index against its table; "
                        "seconds per 100 MB) and the balance chain move by move, instead of quick_check and "
                        "the chain's checksums")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("products", help="export, import or search the product list")
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
    f = psub.add_parser(
        "search", help="the products TEXT finds, best first, as the scan line ranks them",
        description="Print the active products TEXT matches, ranked as the checkout's scan line does: exact "
                    "barcode, product code (exact, then prefix), pinyin initials (助记码) or full pinyin (全拼) "
                    "starting with TEXT, either holding it, then names holding it. Text output: a header and one "
                    "tab-separated line per product: code, barcode, name, pinyin, sale_price_fen.",
        epilog="--json prints a JSON list, best match first, of objects with the fields: code (货号), barcode (the "
               "product's first single-unit barcode, \"\" if none), name, pinyin (助记码), pinyin_full (全拼), "
               "sale_price (fen). Exit 0, also when nothing matches (an empty list).")
    f.add_argument("text", metavar="TEXT")
    f.add_argument("--limit", type=int, default=20, metavar="N", help="at most N products (1-500, default 20)")
    f.add_argument("--json", action="store_true", help="a JSON list instead of tab-separated text (money in fen)")
    f.set_defaults(func=cmd_search)
    b = psub.add_parser("barcode", help="give products without a barcode an in-store EAN-13 code (店内码)",
                        description="Give each product named (codes, comma separated) that has no barcode a new "
                                    "EAN-13 code in the in-store range 20-29, avoiding the prefixes of the scale "
                                    "label rules. Prints code and new barcode, tab-separated, one line per product.")
    b.add_argument("--generate", required=True, metavar="CODES", help="product codes, comma separated")
    b.set_defaults(func=cmd_barcode)


def cmd_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.db.fileprobe import FileState
    from jxc_desktop.db.migrate import create_beside, probe
    from jxc_desktop.demo.clothing import fill_clothing_demo
    from jxc_desktop.demo.shop import DemoResult, fill_demo
    from jxc_desktop.domain.clock import parse_day
    from jxc_desktop.services.hub import Services

    today = parse_day(args.today) if args.today is not None else None
    clothing = args.kind == "clothing"
    if args.products is None:
        args.products = 36 if clothing else 300
    if args.days is None:
        args.days = 365 if clothing else 30

    def fill(services: Services) -> DemoResult:
        if clothing:
            return fill_clothing_demo(services, styles=args.products, days=args.days, seed=args.seed, today=today)
        return fill_demo(services, products=args.products, days=args.days, seed=args.seed, today=today)

    if ctx.server is None and probe(ctx.path).state in (FileState.MISSING, FileState.EMPTY):
        # A new shop: built complete beside the file and put in place in one rename, so a kill or a
        # full disk leaves no half-filled demo behind (the next `jxc demo` simply runs again).
        def build(new: Path) -> DemoResult:
            from jxc_desktop.db.uow import Database

            services = Services(Database.building(new))
            try:
                return fill(services)
            finally:
                services.db.dispose()

        result = create_beside(ctx.path, build)
    else:
        result = fill(ctx.services)
    print(_("Demo shop created: {products} products, {suppliers} suppliers, {days} days of history from {first}")
          .format(products=result.products, suppliers=result.suppliers, days=result.days,
                  first=result.first_day.isoformat()))
    return 0


def cmd_check(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.safety.books_check import check_path, check_server

    # Read-only: the file as it is — not created, migrated, switched to WAL or checkpointed (on a
    # server: sessions the server keeps read-only, nothing migrated). A file at head is read with
    # sqlite3 alone (the profit cross-check through the reports' plain reader), else as before.
    if ctx.server:
        report = check_server(ctx.server, full=args.full)
    else:
        from jxc_desktop.services.reporting.plain_reads import PlainReports

        report = check_path(ctx.path, full=args.full, plain_reports=PlainReports)
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


def _primary_barcode(barcodes: tuple[tuple[str, int], ...]) -> str:
    """The first barcode of one unit (a case barcode only when there is no other), as `jxc stock`."""
    ordered = sorted(enumerate(barcodes), key=lambda item: (item[1][1], item[0]))
    return ordered[0][1][0] if ordered else ""


def cmd_search(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.catalog.search_text import search

    if not 1 <= args.limit <= 500:
        raise ValidationError("--limit must be from 1 to 500")
    found = ctx.read(lambda rows: search(rows, args.text, limit=args.limit),
                     lambda services: services.catalog.search(args.text, limit=args.limit))
    rows = [{"code": p.code, "barcode": _primary_barcode(p.barcodes), "name": p.name, "pinyin": p.pinyin,
             "pinyin_full": p.pinyin_full, "sale_price": p.sale_price} for p in found]
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    print("code\tbarcode\tname\tpinyin\tsale_price_fen")
    for r in rows:
        print(f"{r['code']}\t{r['barcode']}\t{r['name']}\t{r['pinyin']}\t{r['sale_price']}")
    return 0


def cmd_barcode(args: argparse.Namespace, ctx: CliContext) -> int:
    codes = [c.strip() for c in args.generate.replace("，", ",").split(",") if c.strip()]
    if not codes:
        raise ValidationError("Name at least one product code")
    ids = []
    for code in codes:
        product = ctx.services.catalog.get_by_code(code)
        if product is None:
            raise ValidationError("No product with code {code}", code=code[:40])
        ids.append(product.id)
    made = ctx.services.labels.generate_store_barcodes(ids)
    for m in made:
        print(f"{m.code}\t{m.barcode}")
    print(_("{count} in-store barcodes made; {kept} products already had one")
          .format(count=len(made), kept=len(ids) - len(made)), file=sys.stderr)
    return 0

"""jxc suppliers list|add and jxc purchase import|pdf|list: purchasing from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.domain.money import format_fen
from jxc_desktop.i18n import _

if TYPE_CHECKING:
    from jxc_desktop.db.text_reads import Rows
    from jxc_desktop.reports.purchase_note import Shop
    from jxc_desktop.services.hub import Services
    from jxc_desktop.services.purchasing.dto import Note, NoteSummary, SupplierDTO

SHOP_KEYS = ("shop_name", "shop_address", "shop_phone")  # what a printed note's head shows (Shop.from_settings)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sup = sub.add_parser("suppliers", help="suppliers (供应商): list, add")
    ssub = sup.add_subparsers(dest="suppliers_command", metavar="ACTION")
    ssub.required = True
    p = ssub.add_parser("list", help="name, phone and last purchase date of every supplier")
    p.add_argument("--json", action="store_true", help="a JSON list instead of tab-separated text")
    p.set_defaults(func=cmd_suppliers_list)
    p = ssub.add_parser("add", help="add a supplier")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--contact", default="")
    p.add_argument("--phone", default="")
    p.add_argument("--address", default="")
    p.add_argument("--lead-time", metavar="DAYS", type=int, default=0,
                   help="days from order to delivery (the seasonal reorder rule; 0: not known)")
    p.add_argument("--terms", metavar="DAYS", type=int, default=0, help="payment terms in days (0 = cash)")
    p.set_defaults(func=cmd_suppliers_add)

    pur = sub.add_parser("purchase", help="purchase notes (进货): import a delivery note, print, list")
    psub = pur.add_subparsers(dest="purchase_command", metavar="ACTION")
    psub.required = True
    p = psub.add_parser("import", help="a delivery note's lines from csv/xlsx (barcode, qty, unit cost"
                                       "[, batch, expiry]) as a draft note; prints its number")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--supplier", metavar="NAME", required=True, help="an existing supplier")
    p.add_argument("--post", action="store_true", help="post the note (入库) instead of keeping a draft")
    p.add_argument("--yes", action="store_true",
                   help="with --post: post even when a line needs confirming (an expiry date already past)")
    paid = p.add_mutually_exclusive_group()
    paid.add_argument("--paid", dest="paid_now", action="store_const", const=True,
                      help="with --post: paid on delivery (default: as the supplier's terms say)")
    paid.add_argument("--on-account", dest="paid_now", action="store_const", const=False,
                      help="with --post: owed to the supplier until paid (jxc pay)")
    p.set_defaults(func=cmd_purchase_import)
    p = psub.add_parser("pdf", help="write a purchase or return note as an A4 PDF")
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("--pdf", metavar="FILE", required=True)
    p.set_defaults(func=cmd_purchase_pdf)
    p = psub.add_parser("list", help="posted and reversed notes, newest first")
    p.add_argument("--supplier", metavar="NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_purchase_list)


def _supplier_id(ctx: CliContext, name: str) -> int:
    sup = ctx.services.suppliers.find_by_name(name)
    if sup is None:
        raise _unknown_supplier(name)
    return sup.id


def _unknown_supplier(name: str) -> NotFoundError:
    return NotFoundError("Unknown supplier {name}: add it first (jxc suppliers add)", name=name[:100])


def cmd_suppliers_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.purchasing.supplier_list import list_suppliers

    rows = ctx.read(list_suppliers, lambda services: services.suppliers.list())
    if args.json:
        print(json.dumps([{"name": s.name, "phone": s.phone, "contact": s.contact, "active": s.active,
                           "last_purchase_date": s.last_purchase_date.isoformat() if s.last_purchase_date else None,
                           "lead_time_days": s.lead_time_days, "terms_days": s.terms_days}
                          for s in rows], ensure_ascii=False, indent=1))
        return 0
    for s in rows:
        last = s.last_purchase_date.isoformat() if s.last_purchase_date else "-"
        print(f"{s.name}\t{s.phone or '-'}\t{last}" + ("" if s.active else "\tinactive"))
    return 0


def cmd_suppliers_add(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.purchasing.dto import SupplierInput

    sup = ctx.services.suppliers.add(SupplierInput(args.name, contact=args.contact, phone=args.phone,
                                                   address=args.address, lead_time_days=args.lead_time,
                                                   terms_days=args.terms))
    print(sup.name)
    return 0


def cmd_purchase_import(args: argparse.Namespace, ctx: CliContext) -> int:
    # The import path (files, the product file rules) loads only for an import: issue 15, the
    # other commands of this group start without it.
    from jxc_desktop.services.catalog.product_files import ImportRejected
    from jxc_desktop.services.purchasing.delivery_import import import_delivery
    from jxc_desktop.services.purchasing.dto import ConfirmationNeeded

    sid = _supplier_id(ctx, args.supplier)
    try:
        note = import_delivery(ctx.services.db, args.file, sid, post=args.post, confirmed=args.yes,
                               paid_now=args.paid_now)
    except ConfirmationNeeded as exc:
        print(f"jxc: {exc.message}", file=sys.stderr)
        print(_("Nothing was posted. Add --yes to post anyway."), file=sys.stderr)
        return 2
    except ImportRejected as exc:
        print(f"jxc: {exc.message}", file=sys.stderr)
        for err in exc.errors:
            print(f"  row {err.row}: {err.reason}", file=sys.stderr)
        return 2
    if note.is_draft:
        print(note.number)
        print(f"draft saved: {len(note.lines)} lines, {format_fen(note.total)}; post it in the purchase tab",
              file=sys.stderr)
    else:
        print(note.number)
        print(f"posted: {len(note.lines)} lines, {format_fen(note.total)}", file=sys.stderr)
    return 0


def cmd_purchase_pdf(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.reports.purchase_note import Shop, render  # reportlab loads only for a PDF
    from jxc_desktop.services.purchasing.note_detail import note_by_number, supplier_by_id
    from jxc_desktop.services.shop.stored_settings import settings_seen

    def plain(found: Rows) -> tuple[Note, SupplierDTO | None, Shop]:
        note = note_by_number(found, args.number)
        supplier = supplier_by_id(found, note.supplier_id) if note.supplier_id else None
        return note, supplier, Shop.from_settings(settings_seen(found, SHOP_KEYS))

    def full(services: Services) -> tuple[Note, SupplierDTO | None, Shop]:
        note = services.purchasing.get_by_number(args.number)
        supplier = services.suppliers.get(note.supplier_id) if note.supplier_id else None
        return note, supplier, Shop.from_settings(services.settings.all())

    # The services' SQL text, on sqlite3 alone when the file allows (issue 15).
    note, supplier, shop = ctx.read(plain, full)
    path = render(args.pdf, note, shop=shop, supplier=supplier)
    print(path)
    return 0


def cmd_purchase_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.services.purchasing.note_list import note_history
    from jxc_desktop.services.purchasing.supplier_list import suppliers_named

    def plain(found: Rows) -> list[NoteSummary]:
        sid = None
        if args.supplier:
            named = suppliers_named(found, args.supplier)
            if not named:
                raise _unknown_supplier(args.supplier)
            sid = named[0]
        return note_history(found, supplier_id=sid)

    rows = ctx.read(plain, lambda services: services.purchasing.history(
        supplier_id=_supplier_id(ctx, args.supplier) if args.supplier else None))
    if args.json:
        print(json.dumps([{"number": r.number, "kind": r.kind, "status": r.status, "supplier": r.supplier_name,
                           "date": r.doc_date.isoformat(), "total_fen": r.total, "lines": r.line_count}
                          for r in rows], ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        print(f"{r.number}\t{r.doc_date.isoformat()}\t{r.kind}\t{r.status}\t{r.supplier_name}\t{format_fen(r.total)}")
    return 0

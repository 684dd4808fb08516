"""jxc labels: price tags and barcode labels as PDF, for products, a purchase note or price changes."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from jxc_desktop.cli.context import CliContext
from jxc_desktop.domain.clock import day_start_utc, parse_day
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.i18n import _

if TYPE_CHECKING:
    from jxc_desktop.db.text_reads import Rows
    from jxc_desktop.services.catalog.dto import LabelItem
    from jxc_desktop.services.hub import Services

FORMAT_NAMES = ("40x30", "50x30", "60x40", "a4-3x8", "a4-4x10")  # reports/labels.py FORMATS


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "labels", help="price tags and barcode labels (价签、条码标签) as PDF",
        description="Write price tags or barcode labels to a PDF: for products (codes or barcodes, comma "
                    "separated), for the lines of a posted purchase note (price tags: one per line; barcode "
                    "labels: one per unit received), or for the products whose sale price changed from DATE on. "
                    "Thermal formats (40x30, 50x30, 60x40 mm) have one label per page; a4-3x8 and a4-4x10 are "
                    "sheets of 24 and 40 labels. Prints how many labels were written; exit 2 when there is "
                    "nothing to print.")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--products", metavar="CODES", help="product codes or barcodes, comma separated")
    which.add_argument("--purchase", metavar="NUMBER", help="a posted purchase note, e.g. JH20261125-0001")
    which.add_argument("--changed-since", metavar="DATE", help="products whose sale price changed from DATE on")
    p.add_argument("--format", required=True, choices=FORMAT_NAMES, help="label size or sheet")
    p.add_argument("--kind", choices=("price", "barcode"), default="price",
                   help="price tags (default) or barcode labels")
    p.add_argument("--pdf", required=True, metavar="FILE", help="the PDF file to write")
    p.set_defaults(func=cmd_labels)


def split_codes(text: str) -> list[str]:
    codes = [c.strip() for c in text.replace("，", ",").split(",") if c.strip()]
    if not codes:
        raise ValidationError("Name at least one product code")
    return codes


def cmd_labels(args: argparse.Namespace, ctx: CliContext) -> int:
    from jxc_desktop.reports.labels import label_count, labels_pdf  # reportlab loads only here

    per_unit = args.kind == "barcode"

    def plain(rows: Rows) -> list[LabelItem]:
        from jxc_desktop.services.catalog import label_items

        if args.products is not None:
            return label_items.for_codes(rows, split_codes(args.products))
        if args.purchase is not None:
            from jxc_desktop.services.purchasing.note_detail import note_by_number

            return label_items.items_for(rows, label_items.purchase_wanted(note_by_number(rows, args.purchase),
                                                                           per_unit))
        from jxc_desktop.services.safety.audit_list import entries_since
        from jxc_desktop.services.safety.audit_rows import PRICE_CHANGE

        since = day_start_utc(parse_day(args.changed_since))
        return label_items.changed_items(rows, entries_since(rows, PRICE_CHANGE, since))

    def full(services: Services) -> list[LabelItem]:
        service = services.labels
        if args.products is not None:
            return service.for_codes(split_codes(args.products))
        if args.purchase is not None:
            return service.for_purchase(args.purchase, per_unit=per_unit)
        return service.changed_since(parse_day(args.changed_since))

    # The label service's SQL text, on sqlite3 alone when the file allows (issue 15).
    items = ctx.read(plain, full)
    if not items:
        raise ValidationError("No products to print labels for")
    target = Path(args.pdf)
    labels_pdf(items, args.format, args.kind, target)
    print(_("{count} labels written to {path}").format(count=label_count(items), path=target))
    return 0

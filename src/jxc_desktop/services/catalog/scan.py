"""One scan rule: what a scanned or typed text names in the catalogue, for every tab.

The text is read by the grammar in domain/scan.py; this looks the readings up, in order: a barcode
(the one barcode → product query of the program, :func:`barcode_hit`), a scale label by the shop's
rules, a product code in full, and else the ranked search (search.py). Checkout, purchase and count
all call it, so the same input means the same thing in each.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from jxc_desktop.db.models import Barcode, Product
from jxc_desktop.domain.errors import JxcError, NotFoundError, ValidationError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.scale_barcode import item_code_candidates, parse_rules
from jxc_desktop.domain.scan import maybe_scale, qty_for_amount, read_scan
from jxc_desktop.services.catalog.dto import ScanKind, ScanResult
from jxc_desktop.services.catalog.product_input import to_dto
from jxc_desktop.services.catalog.search import search_products
from jxc_desktop.services.shop.api import get_setting

PICK_LIMIT = 20  # candidates a scan line shows


def barcode_hit(session: Session, code: str) -> tuple[Product, int] | None:
    """(product, whole units per scan) of a barcode as stored, or None."""
    row = session.execute(
        select(Product, Barcode.multiplier).join(Barcode, Barcode.product_id == Product.id)
        .where(Barcode.code == code)
        .options(selectinload(Product.barcodes), joinedload(Product.category))  # no lazy loads
    ).first()
    return None if row is None else (row[0], row[1])


def _scale_product(session: Session, item: str) -> Product | None:
    # An active product first when an old, deactivated one had the same item code.
    return session.scalar(select(Product).where(Product.code.in_(item_code_candidates(item)))
                          .options(selectinload(Product.barcodes), joinedload(Product.category))
                          .order_by(Product.active.desc()).limit(1))


def resolve_in(session: Session, raw: str, *, limit: int = PICK_LIMIT) -> ScanResult:
    """What ``raw`` names (see ScanResult). ``limit`` candidates at most; 0 searches not at all."""
    rules = parse_rules(get_setting(session, "scale_barcode_rules")) if maybe_scale(raw) else []
    scan = read_scan(raw, rules)
    text = scan.text
    if not scan.usable:
        return ScanResult(text, ScanKind.NONE, problem=NotFoundError("Unknown barcode {code}", code=text))
    if scan.barcode:
        hit = barcode_hit(session, text)
        if hit is not None:
            return ScanResult(text, ScanKind.BARCODE, to_dto(hit[0]), hit[1] * MILLI, barcode=text)
    if scan.scale is not None:
        product = _scale_product(session, scan.scale.item)
        if product is None:
            return ScanResult(text, ScanKind.NONE, problem=NotFoundError(
                "Scale label {code}: no product with item code {item}", code=text, item=scan.scale.item))
        dto = to_dto(product)
        if scan.scale.weight is not None:
            return ScanResult(text, ScanKind.SCALE, dto, scan.scale.weight, barcode=text)
        amount = scan.scale.amount or 0
        try:
            qty = qty_for_amount(amount, product.sale_price, product.name)
        except JxcError as exc:
            return ScanResult(text, ScanKind.NONE, problem=exc)
        return ScanResult(text, ScanKind.SCALE, dto, qty, amount=amount, barcode=text)
    product = session.scalar(select(Product).where(Product.code == text)
                             .options(selectinload(Product.barcodes), joinedload(Product.category)))
    if product is not None:
        return ScanResult(text, ScanKind.CODE, to_dto(product), MILLI)
    if scan.bad_check_digit:
        return ScanResult(text, ScanKind.NONE, problem=ValidationError(
            "Barcode {code} has a wrong check digit", code=text))
    if not scan.searchable or limit <= 0:  # a scanned code that is not ours: do not guess
        return ScanResult(text, ScanKind.NONE, problem=NotFoundError("Unknown barcode {code}", code=text),
                          new_barcode=scan.new_barcode)
    found = tuple(search_products(session, text, limit=limit))
    problem = None if found else NotFoundError("Nothing found for {text}", text=text)
    return ScanResult(text, ScanKind.SEARCH, candidates=found, problem=problem)

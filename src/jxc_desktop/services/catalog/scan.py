"""One scan rule: what a scanned or typed text names in the catalogue, for every tab.

The text is read by the grammar in domain/scan.py; this looks the readings up, in order: a barcode
(the barcode → product query of the program: :func:`barcode_hit` for callers that want the row,
``_barcode_dto`` for the scan's DTO), a scale label by the shop's rules, a product code in full, and
else the ranked search (search.py). Checkout, purchase and count all call it, so the same input means
the same thing in each.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from jxc_desktop.db.models import Barcode, Category, Product
from jxc_desktop.domain.errors import JxcError, NotFoundError, ValidationError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.scale_barcode import item_code_candidates, parse_rules
from jxc_desktop.domain.scan import maybe_scale, qty_for_amount, read_scan
from jxc_desktop.services.catalog.dto import ProductDTO, ScanKind, ScanResult
from jxc_desktop.services.catalog.pinyin import full_of_key
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


# The till's hot path reads a product as plain columns, not as an ORM object with its barcodes
# select-in loaded and its category joined (twice the statements and the object machinery per scan);
# the DTO is field for field what product_input.to_dto makes of the loaded row.
_DTO_COLUMNS = (Product.id, Product.code, Product.name, Product.pinyin, Product.spec, Product.unit,
                Product.category_id, Category.name, Product.sale_price, Product.ref_cost, Product.last_cost,
                Product.min_stock, Product.max_stock, Product.shelf_life_days, Product.tracks_batches,
                Product.active, Product.stock_qty, Product.stock_value, Product.avg_cost,
                Product.pinyin_manual, Product.pinyin_key)


def _dto_select(*extra: Any) -> Any:
    return (select(*_DTO_COLUMNS, *extra).select_from(Product)
            .outerjoin(Category, Category.id == Product.category_id))


def _dto(row: Any, barcodes: tuple[tuple[str, int], ...]) -> ProductDTO:
    (pid, code, name, pinyin, spec, unit, category_id, category, sale_price, ref_cost, last_cost, min_stock,
     max_stock, shelf_life_days, tracks_batches, active, stock_qty, stock_value, avg_cost, pinyin_manual,
     key) = row[:len(_DTO_COLUMNS)]
    return ProductDTO(
        id=pid, code=code, name=name, pinyin=pinyin, spec=spec, unit=unit, category_id=category_id,
        category=category or "", sale_price=sale_price, ref_cost=ref_cost, last_cost=last_cost,
        min_stock=min_stock, max_stock=max_stock, shelf_life_days=shelf_life_days,
        tracks_batches=tracks_batches, active=active, stock_qty=stock_qty, stock_value=stock_value,
        avg_cost=avg_cost, barcodes=barcodes, pinyin_manual=pinyin_manual, pinyin_full=full_of_key(key))


# Built once: making a 24-column select per scan costs as much as running it.
@cache
def _statement(which: str) -> Any:
    if which == "barcodes":  # in the order the relationship loads them (barcode id, by its index)
        return (select(Barcode.code, Barcode.multiplier).where(Barcode.product_id == bindparam("pid"))
                .order_by(Barcode.id))
    if which == "barcode":
        own = aliased(Barcode)  # every barcode of the product the scanned barcode names
        return (_dto_select(Barcode.multiplier, own.code, own.multiplier)
                .join(Barcode, Barcode.product_id == Product.id).join(own, own.product_id == Product.id)
                .where(Barcode.code == bindparam("code")).order_by(own.id))
    return _dto_select().where(Product.code == bindparam("code"))  # "code"


def _dto_of(session: Session, row: Any) -> ProductDTO:
    return _dto(row, tuple((c, m) for c, m in session.execute(_statement("barcodes"), {"pid": row[0]})))


def _barcode_dto(session: Session, code: str) -> tuple[ProductDTO, int] | None:
    """barcode_hit as a DTO in one statement: (product, whole units per scan) of a barcode as
    stored, or None."""
    rows = session.execute(_statement("barcode"), {"code": code}).all()
    if not rows:
        return None
    return _dto(rows[0], tuple((r[-2], r[-1]) for r in rows)), rows[0][-3]


def _scale_product(session: Session, item: str) -> ProductDTO | None:
    # An active product first when an old, deactivated one had the same item code.
    row = session.execute(_dto_select().where(Product.code.in_(item_code_candidates(item)))
                          .order_by(Product.active.desc()).limit(1)).first()
    return None if row is None else _dto_of(session, row)


def _code_product(session: Session, code: str) -> ProductDTO | None:
    row = session.execute(_statement("code"), {"code": code}).first()
    return None if row is None else _dto_of(session, row)


def resolve_in(session: Session, raw: str, *, limit: int = PICK_LIMIT) -> ScanResult:
    """What ``raw`` names (see ScanResult). ``limit`` candidates at most; 0 searches not at all."""
    rules = parse_rules(get_setting(session, "scale_barcode_rules")) if maybe_scale(raw) else []
    scan = read_scan(raw, rules)
    text = scan.text
    if not scan.usable:
        return ScanResult(text, ScanKind.NONE, problem=NotFoundError("Unknown barcode {code}", code=text))
    if scan.barcode:
        hit = _barcode_dto(session, text)
        if hit is not None:
            return ScanResult(text, ScanKind.BARCODE, hit[0], hit[1] * MILLI, barcode=text)
    if scan.scale is not None:
        product = _scale_product(session, scan.scale.item)
        if product is None:
            return ScanResult(text, ScanKind.NONE, problem=NotFoundError(
                "Scale label {code}: no product with item code {item}", code=text, item=scan.scale.item))
        if scan.scale.weight is not None:
            return ScanResult(text, ScanKind.SCALE, product, scan.scale.weight, barcode=text)
        amount = scan.scale.amount or 0
        try:
            qty = qty_for_amount(amount, product.sale_price, product.name)
        except JxcError as exc:
            return ScanResult(text, ScanKind.NONE, problem=exc)
        return ScanResult(text, ScanKind.SCALE, product, qty, amount=amount, barcode=text)
    product = _code_product(session, text)
    if product is not None:
        return ScanResult(text, ScanKind.CODE, product, MILLI)
    if scan.bad_check_digit:
        return ScanResult(text, ScanKind.NONE, problem=ValidationError(
            "Barcode {code} has a wrong check digit", code=text))
    if not scan.searchable or limit <= 0:  # a scanned code that is not ours: do not guess
        return ScanResult(text, ScanKind.NONE, problem=NotFoundError("Unknown barcode {code}", code=text),
                          new_barcode=scan.new_barcode)
    found = tuple(search_products(session, text, limit=limit))
    problem = None if found else NotFoundError("Nothing found for {text}", text=text)
    return ScanResult(text, ScanKind.SEARCH, candidates=found, problem=problem)

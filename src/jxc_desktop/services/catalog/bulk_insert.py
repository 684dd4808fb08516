"""Writing many products at once: the bulk writer the import, `jxc demo` and
benchmarks/make_db.py share — products, barcodes and opening stock through the ledger, many per
transaction, categories resolved from a cache."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Barcode, Batch, Category, Product
from jxc_desktop.domain.barcode import normalize_barcode
from jxc_desktop.domain.costing import value_of
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.product_rules import ProductInput, validate_product
from jxc_desktop.services.catalog.product_input import apply_input, next_code
from jxc_desktop.services.stock import api as ledger


@dataclass(frozen=True)
class Opening:
    """Opening stock for a new product: thousandths at a unit cost (fen), optionally one batch."""

    qty: int
    unit_cost: int
    batch_no: str = ""
    expiry: date | None = None
    production: date | None = None


def _code_counter(session: Session, reserved: Collection[str] = ()) -> Iterator[str]:
    """Free numeric codes after the highest numeric one (same rule as catalog.next_code),
    skipping ``reserved`` ones (codes an import file gives to products not written yet)."""
    n = int(next_code(session))
    taken = set(session.scalars(select(Product.code))) | set(reserved)
    while True:
        code = f"{n:06d}"
        if code not in taken:
            taken.add(code)
            yield code
        n += 1


class CategoryCache:
    """Category rows by name for a bulk write (one query instead of one per product)."""

    def __init__(self, session: Session, *, create: bool) -> None:
        self.session = session
        self.create = create
        self.by_name = {c.name: c for c in session.scalars(select(Category))}

    def get(self, name: str) -> Category | None:
        if not name:
            return None
        cat = self.by_name.get(name)
        if cat is None:
            if not self.create:
                raise ValidationError("Unknown category {name}", name=name)
            cat = Category(name=name)
            self.session.add(cat)
            self.session.flush()
            self.by_name[name] = cat
        return cat


def apply_cached(session: Session, product: Product, data: ProductInput, cats: CategoryCache) -> None:
    """``catalog.apply_input`` with the category resolved from the cache."""
    cat = cats.get(data.category)
    apply_input(session, product, replace(data, category=""))
    product.category_id = cat.id if cat else None
    product.category = cat


def _check_new_barcodes(session: Session, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValidationError("Barcode {code} is listed twice", code=code)
        seen.add(code)
    for start in range(0, len(codes), 900):
        taken = session.scalars(select(Barcode.code).where(Barcode.code.in_(codes[start:start + 900]))).first()
        if taken is not None:
            raise ValidationError("Barcode {code} already belongs to product {other}", code=taken, other="?")


def insert_products(session: Session, items: Sequence[tuple[ProductInput, Opening | None]], *,
                    at: datetime | None = None, create_categories: bool = True,
                    validated: bool = False, reserved_codes: Collection[str] = ()) -> list[Product]:
    """Create many products in the caller's write unit of work; opening stock goes through the
    ledger (into a batch for batch-tracked products). Raises ValidationError on the first bad one."""
    codes: Iterator[str] | None = None
    products: list[Product] = []
    if not validated:
        inputs = [validate_product(replace(data, barcodes=tuple(
            (normalize_barcode(c), int(m)) for c, m in data.barcodes))) for data, _o in items]
        _check_new_barcodes(session, [c for data in inputs for c, _m in data.barcodes])
    else:
        inputs = [data for data, _o in items]
    cats = CategoryCache(session, create=create_categories)
    for data in inputs:
        cats.get(data.category)  # creates missing categories now, before products join the session
    with session.no_autoflush:
        for data in inputs:
            code = data.code
            if not code:
                codes = codes or _code_counter(session, reserved_codes)
                code = next(codes)
            product = Product(code=code, stock_qty=0, stock_value=0, avg_cost=data.ref_cost, pinyin="",
                              pinyin_manual=False, active=True, tracks_batches=False)
            session.add(product)
            apply_cached(session, product, data, cats)
            product.avg_cost = data.ref_cost
            products.append(product)
    session.flush()
    openings: list[tuple[Product, Opening, Batch | None]] = []
    for product, (_data, opening) in zip(products, items, strict=True):
        if opening is None or opening.qty <= 0:
            continue
        batch = None
        if product.tracks_batches:
            batch = Batch(product_id=product.id, batch_no=opening.batch_no or "期初",
                          expiry_date=opening.expiry, production_date=opening.production, qty=0)
            session.add(batch)
        openings.append((product, opening, batch))
    session.flush()  # the batches' ids, in the order added
    # One ledger write for all the openings (the moves receive() would write, in this order). New
    # products have no batch below zero to make up: nothing to settle.
    ledger.write_many(session, [
        ledger.PlannedMove(product.id, opening.qty, MoveKind.OPENING, ledger.DocRef("opening", product.id, "期初"),
                           batch_id=batch.id if batch is not None else None,
                           value=value_of(opening.qty, opening.unit_cost))
        for product, opening, batch in openings], at=at, settle=False)
    return products

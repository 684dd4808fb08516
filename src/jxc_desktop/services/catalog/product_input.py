"""Writing a product row from validated input: codes, categories, barcodes and pinyin resolved here.
Shared by the one-product service (products.py) and the bulk writer (bulk_insert.py)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.dialect import all_digits
from jxc_desktop.db.models import Barcode, Category, Product
from jxc_desktop.domain.barcode import normalize_barcode
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.catalog.dto import ProductDTO
from jxc_desktop.services.catalog.pinyin import full_of_key, pinyin_initials, pinyin_key

OPENING_BATCH = "期初"


def to_dto(p: Product) -> ProductDTO:
    return ProductDTO(
        id=p.id, code=p.code, name=p.name, pinyin=p.pinyin, spec=p.spec, unit=p.unit,
        category_id=p.category_id, category=p.category.name if p.category else "",
        sale_price=p.sale_price, ref_cost=p.ref_cost, last_cost=p.last_cost, min_stock=p.min_stock,
        max_stock=p.max_stock, shelf_life_days=p.shelf_life_days, tracks_batches=p.tracks_batches,
        active=p.active, stock_qty=p.stock_qty, stock_value=p.stock_value, avg_cost=p.avg_cost,
        barcodes=tuple((b.code, b.multiplier) for b in p.barcodes), pinyin_manual=p.pinyin_manual,
        pinyin_full=full_of_key(p.pinyin_key),
    )


def get_product(session: Session, product_id: int) -> Product:
    """The product row, or NotFoundError (the one message every service gives for a bad id)."""
    product = session.get(Product, product_id)
    if product is None:
        raise NotFoundError("Product {id} does not exist", id=product_id)
    return product


def get_category(session: Session, category_id: int) -> Category:
    cat = session.get(Category, category_id)
    if cat is None:
        raise NotFoundError("Category {id} does not exist", id=category_id)
    return cat


def category_by_name(session: Session, name: str, *, create: bool = False) -> Category | None:
    if not name:
        return None
    cat = session.scalar(select(Category).where(Category.name == name))
    if cat is None:
        if not create:
            raise ValidationError("Unknown category {name}", name=name)
        cat = Category(name=name)
        session.add(cat)
        session.flush()
    return cat


def next_code(session: Session) -> str:
    """The next free numeric product code (货号), six digits or more."""
    highest = session.scalar(
        select(Product.code).where(all_digits(Product.code))
        .order_by(func.length(Product.code).desc(), Product.code.desc()).limit(1)
    )
    n = int(highest or 0) + 1
    code = f"{n:06d}"
    while session.scalar(select(Product.id).where(Product.code == code)) is not None:
        n += 1
        code = f"{n:06d}"
    return code


def check_barcodes_free(session: Session, barcodes: tuple[tuple[str, int], ...], product_id: int | None) -> None:
    for code, _mult in barcodes:
        owner = session.scalar(select(Barcode.product_id).where(Barcode.code == code))
        if owner is not None and owner != product_id:
            other = session.get(Product, owner)
            raise ValidationError("Barcode {code} already belongs to {name}", code=code,
                                  name=other.name if other else "?")


def normalize_barcodes(barcodes: tuple[tuple[str, int], ...]) -> tuple[tuple[str, int], ...]:
    return tuple((normalize_barcode(c), int(m)) for c, m in barcodes)


def apply_input(session: Session, product: Product, data: ProductInput, *, create_category: bool = False) -> None:
    """Copy validated input onto a product row (code, barcodes and category resolved here)."""
    product.name = data.name
    product.spec = data.spec
    product.unit = data.unit
    cat = category_by_name(session, data.category, create=create_category)
    product.category_id = cat.id if cat else None
    product.category = cat
    product.sale_price = data.sale_price
    product.ref_cost = data.ref_cost
    product.min_stock = data.min_stock
    product.max_stock = data.max_stock
    product.shelf_life_days = data.shelf_life_days
    if product.tracks_batches != data.tracks_batches and product.id is not None and product.stock_qty:
        raise ValidationError("Batch tracking can be changed only while the product has no stock")
    product.tracks_batches = data.tracks_batches
    if data.pinyin is not None and data.pinyin != pinyin_initials(data.name):
        product.pinyin, product.pinyin_manual = data.pinyin, True
    elif data.pinyin is not None or not product.pinyin_manual or product.pinyin == "":
        product.pinyin, product.pinyin_manual = pinyin_initials(data.name), False
    product.pinyin_key = pinyin_key(data.name, product.pinyin)
    wanted = dict(data.barcodes)
    for bc in list(product.barcodes):
        if bc.code not in wanted:
            product.barcodes.remove(bc)
        else:
            bc.multiplier = wanted.pop(bc.code)
    for code, mult in wanted.items():
        product.barcodes.append(Barcode(code=code, multiplier=mult))


def product_by_code(session: Session, code: str) -> Product | None:
    """The product with this 货号, exactly (imports name products by code)."""
    return session.scalar(select(Product).where(Product.code == code.strip()))

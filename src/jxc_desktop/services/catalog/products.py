"""The product catalog: products, barcodes, categories, pinyin initials and the search the
checkout and purchase screens use."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Integer, Select, String, bindparam, func, select, union
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from jxc_desktop.db.models import (
    Barcode,
    Batch,
    Category,
    Product,
    PurchaseLine,
    SaleLine,
    StockCountLine,
    StockMove,
)
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.barcode import normalize_barcode
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.money import MAX_FEN
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.product_rules import ProductInput, clean_text, validate_product
from jxc_desktop.domain.quantity import MAX_QTY
from jxc_desktop.services.safety import audit
from jxc_desktop.services.sales import api as held_sales  # product_is_held: the public face of sales
from jxc_desktop.services.stock import ledger


@dataclass(frozen=True)
class ProductDTO:
    id: int
    code: str
    name: str
    pinyin: str
    spec: str
    unit: str
    category_id: int | None
    category: str
    sale_price: int
    ref_cost: int
    last_cost: int
    min_stock: int
    max_stock: int
    shelf_life_days: int | None
    tracks_batches: bool
    active: bool
    stock_qty: int
    stock_value: int
    avg_cost: int
    barcodes: tuple[tuple[str, int], ...]
    pinyin_manual: bool = False


@dataclass(frozen=True)
class ScanHit:
    """A product found by its barcode; ``multiplier`` whole units per scan (a case = 12)."""

    product: ProductDTO
    barcode: str
    multiplier: int


@dataclass(frozen=True)
class CategoryDTO:
    id: int
    name: str
    parent_id: int | None


@lru_cache(maxsize=4096)  # pure; saving a product computes it twice (compare, then assign)
def pinyin_initials(name: str) -> str:
    """助记码: the first letter of each character's pinyin; letters and digits kept as they are."""
    # Imported on first use: loading pypinyin's dictionaries takes ~0.4 s, kept off the start-up path.
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: list(s))
    out = "".join(p[:1] if len(p) == 1 or not p.isascii() else p for p in parts)
    return "".join(c for c in out.lower() if c.isalnum())[:120]


def to_dto(p: Product) -> ProductDTO:
    return ProductDTO(
        id=p.id, code=p.code, name=p.name, pinyin=p.pinyin, spec=p.spec, unit=p.unit,
        category_id=p.category_id, category=p.category.name if p.category else "",
        sale_price=p.sale_price, ref_cost=p.ref_cost, last_cost=p.last_cost, min_stock=p.min_stock,
        max_stock=p.max_stock, shelf_life_days=p.shelf_life_days, tracks_batches=p.tracks_batches,
        active=p.active, stock_qty=p.stock_qty, stock_value=p.stock_value, avg_cost=p.avg_cost,
        barcodes=tuple((b.code, b.multiplier) for b in p.barcodes), pinyin_manual=p.pinyin_manual,
    )


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
        select(Product.code).where(Product.code.op("GLOB")("[0-9]*"), Product.code.op("NOT GLOB")("*[^0-9]*"))
        .order_by(func.length(Product.code).desc(), Product.code.desc()).limit(1)
    )
    n = int(highest or 0) + 1
    code = f"{n:06d}"
    while session.scalar(select(Product.id).where(Product.code == code)) is not None:
        n += 1
        code = f"{n:06d}"
    return code


def _check_barcodes_free(session: Session, barcodes: tuple[tuple[str, int], ...], product_id: int | None) -> None:
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
    wanted = dict(data.barcodes)
    for bc in list(product.barcodes):
        if bc.code not in wanted:
            product.barcodes.remove(bc)
        else:
            bc.multiplier = wanted.pop(bc.code)
    for code, mult in wanted.items():
        product.barcodes.append(Barcode(code=code, multiplier=mult))


# ---------------------------------------------------------------------- table listing
# The products tab shows 100 000 products: it fetches the ordered id list of the current filter
# once (a few hundred KB) and then the rows of the visible window by id, a page at a time.


@dataclass(frozen=True)
class ProductRow:
    """One line of the products table (no barcodes list, no ORM: cheap to build by the thousand)."""

    id: int
    code: str
    name: str
    pinyin: str
    spec: str
    unit: str
    category: str
    sale_price: int
    ref_cost: int
    avg_cost: int
    stock_qty: int
    stock_value: int
    min_stock: int
    active: bool
    barcode: str  # the first barcode, "" if none


SORT_KEYS = ("code", "name", "pinyin", "spec", "unit", "category", "sale_price", "ref_cost",
             "avg_cost", "stock_qty", "stock_value", "barcode", "active")


def like_pattern(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def has_latin(text: str) -> bool:
    return any("a" <= c.lower() <= "z" for c in text)


def matching_ids(*, pinyin: bool, latin: bool):  # type: ignore[no-untyped-def]
    """Ids whose pinyin initials or code start with the text, whose name holds it, or with that
    barcode; bound parameters ``text``/``text_hi``/``low``/``low_hi``/``pattern`` (see list_params).

    A UNION of index-only lookups: the name substring scans the small covering name index instead of
    the wide product rows, which keeps search-as-you-type well under 30 ms at 100 000 products.
    """
    m = aliased(Product)
    text = bindparam("text", type_=String)
    contains = (m.name.like(bindparam("pattern", type_=String), escape="\\") if latin
                else func.instr(m.name, text) > 0)
    parts = [select(m.id).where(contains),
             select(m.id).where(m.code >= text, m.code < bindparam("text_hi", type_=String)),
             select(Barcode.product_id).where(Barcode.code == text)]
    if pinyin:
        parts.append(select(m.id).where(m.pinyin >= bindparam("low", type_=String),
                                        m.pinyin < bindparam("low_hi", type_=String)))
    return union(*parts)


def list_params(text: str) -> dict[str, str]:
    low = text.lower()
    return {"text": text, "text_hi": text + "\uffff", "low": low, "low_hi": low + "\uffff",
            "pattern": like_pattern(text)}


@lru_cache(maxsize=128)
def list_query(filtered: bool, pinyin: bool, latin: bool, include_inactive: bool, sort: str,
               descending: bool) -> Select:  # type: ignore[type-arg]
    """The id query of one table shape, built once (building and compiling it costs ~10 ms)."""
    q = select(Product.id)
    if filtered:
        q = q.where(Product.id.in_(matching_ids(pinyin=pinyin, latin=latin)))
    if not include_inactive:
        q = q.where(Product.id.not_in(inactive_ids()))
    if sort == "category":
        key = select(Category.name).where(Category.id == Product.category_id).scalar_subquery()
    elif sort == "barcode":
        key = select(func.min(Barcode.code)).where(Barcode.product_id == Product.id).scalar_subquery()
    else:
        key = getattr(Product, sort)
    return q.order_by(key.desc() if descending else key.asc(),
                      Product.id.desc() if descending else Product.id.asc())


@lru_cache(maxsize=16)
def search_steps(active_only: bool, pinyin: bool, latin: bool) -> tuple[Select, ...]:  # type: ignore[type-arg]
    """The id queries of search(), in order, built once: exact barcode, exact code, pinyin prefix,
    code prefix, name substring. Bound parameters as list_params() plus ``lim``."""
    text, lim = bindparam("text", type_=String), bindparam("lim", type_=Integer)

    def active(q: Select) -> Select:  # type: ignore[type-arg]
        return q.where(Product.active.is_(True)) if active_only else q

    steps = [active(select(Product.id).join(Barcode).where(Barcode.code == text)),
             active(select(Product.id).where(Product.code == text))]
    if pinyin:
        # Range scans on the pinyin and code indexes: prefix match without LIKE's collation trap.
        steps.append(active(select(Product.id).where(Product.pinyin >= bindparam("low", type_=String),
                                                     Product.pinyin < bindparam("low_hi", type_=String))
                            .order_by(Product.pinyin, Product.id)))
        steps.append(active(select(Product.id).where(Product.code >= text,
                                                     Product.code < bindparam("text_hi", type_=String))
                            .order_by(Product.code)))
    # Name substring: scan, filter and order on the (name, id) index alone, never the rows.
    m = aliased(Product)
    contains = (m.name.like(bindparam("pattern", type_=String), escape="\\") if latin
                else func.instr(m.name, text) > 0)
    by_name = select(m.id).where(contains)
    if active_only:
        by_name = by_name.where(m.id.not_in(inactive_ids()))
    steps.append(by_name.order_by(func.length(m.name), m.id))
    return tuple(q.limit(lim) for q in steps)


@lru_cache(maxsize=128)
def _sqlite_sql(query: Select) -> tuple[str, tuple[str, ...], dict[str, object]]:  # type: ignore[type-arg]
    """SQL text, parameter order and the constants' values (e.g. the 0 in ``instr(...) > 0``)."""
    from sqlalchemy.dialects import sqlite

    compiled = query.compile(dialect=sqlite.dialect())
    return str(compiled), tuple(compiled.positiontup or ()), dict(compiled.params)


def _ids(session: Session, query, params: dict[str, object]) -> list[int]:  # type: ignore[no-untyped-def]
    """Run an id-only query. On SQLite the driver cursor is read directly: for 100 000 ids that
    halves the time SQLAlchemy's per-row result processing would take (nothing to convert)."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return list(conn.execute(query, params).scalars())
    sql, names, constants = _sqlite_sql(query)
    values = {**constants, **params}
    cursor = conn.connection.driver_connection.execute(sql, [values[n] for n in names])  # type: ignore[union-attr]
    return [row[0] for row in cursor]


def inactive_ids():  # type: ignore[no-untyped-def]
    """Few rows, found on the active index; ``NOT IN`` it keeps scans on covering indexes."""
    m = aliased(Product)
    return select(m.id).where(m.active.is_(False))


OPENING_BATCH = "期初"


def get_product(session: Session, product_id: int) -> Product:
    """The product row, or NotFoundError (the one message every service gives for a bad id)."""
    product = session.get(Product, product_id)
    if product is None:
        raise NotFoundError("Product {id} does not exist", id=product_id)
    return product


def _category(session: Session, category_id: int) -> Category:
    cat = session.get(Category, category_id)
    if cat is None:
        raise NotFoundError("Category {id} does not exist", id=category_id)
    return cat


@dataclass(frozen=True)
class CatalogService:
    db: Database

    # ------------------------------------------------------------------ products
    def create_product(self, data: ProductInput, *, create_category: bool = False,
                       opening_qty: int = 0, opening_cost: int | None = None,
                       at: datetime | None = None) -> ProductDTO:
        """Create a product; optional opening stock (thousandths) at ``opening_cost`` fen per unit."""
        data = validate_product(replace(data, barcodes=normalize_barcodes(data.barcodes)))
        if not isinstance(opening_qty, int) or isinstance(opening_qty, bool):
            raise ValidationError("Opening stock must be a whole number of thousandths")
        if opening_qty < 0:
            raise ValidationError("Opening stock must not be negative")
        if opening_qty > MAX_QTY:
            raise ValidationError("Opening stock is too large")
        if opening_cost is not None and (not isinstance(opening_cost, int) or isinstance(opening_cost, bool)
                                         or not 0 <= opening_cost <= MAX_FEN):
            raise ValidationError("Opening cost is not a valid amount")
        with self.db.write() as uow:
            s = uow.session
            code = data.code or next_code(s)
            if s.scalar(select(Product.id).where(Product.code == code)) is not None:
                raise ValidationError("Code {code} is already used by another product", code=code)
            _check_barcodes_free(s, data.barcodes, None)
            product = Product(code=code, stock_qty=0, stock_value=0, avg_cost=data.ref_cost,
                              pinyin="", pinyin_manual=False, active=True, tracks_batches=False)
            s.add(product)
            apply_input(s, product, data, create_category=create_category)
            product.avg_cost = data.ref_cost
            s.flush()
            if opening_qty:
                cost = data.ref_cost if opening_cost is None else opening_cost
                from jxc_desktop.domain.costing import value_of

                # A batch-tracked product keeps every unit in a batch: opening stock gets its own.
                batch = None
                if product.tracks_batches:
                    batch = Batch(product_id=product.id, batch_no=OPENING_BATCH, qty=0)
                    s.add(batch)
                    s.flush()
                ledger.receive(s, product, opening_qty, MoveKind.OPENING,
                               ledger.DocRef("opening", product.id, "期初"),
                               value=value_of(opening_qty, cost), batch=batch, at=at)
            dto = to_dto(product)
            uow.commit()
        return dto

    def update_product(self, product_id: int, data: ProductInput) -> ProductDTO:
        data = validate_product(replace(data, barcodes=normalize_barcodes(data.barcodes)))
        with self.db.write() as uow:
            s = uow.session
            product = get_product(s, product_id)
            if data.code and data.code != product.code:
                if s.scalar(select(Product.id).where(Product.code == data.code)) is not None:
                    raise ValidationError("Code {code} is already used by another product", code=data.code)
                product.code = data.code
            _check_barcodes_free(s, data.barcodes, product_id)
            prices = {"sale_price": product.sale_price, "ref_cost": product.ref_cost}
            apply_input(s, product, data)
            after = {"sale_price": product.sale_price, "ref_cost": product.ref_cost}
            if after != prices:  # the audit trail keeps every price change (services/safety/audit.py)
                audit.record(s, audit.PRICE_CHANGE, document=product.code, before=prices, after=after,
                             detail=product.name)
            s.flush()
            dto = to_dto(product)
            uow.commit()
        return dto

    def set_active(self, product_id: int, active: bool) -> ProductDTO:
        """Deactivate (hidden from sale and search) or bring back. Products are never deleted."""
        with self.db.write() as uow:
            product = get_product(uow.session, product_id)
            product.active = active
            dto = to_dto(product)
            uow.commit()
        return dto

    def delete_unused(self, product_id: int) -> None:
        """Delete a product that never moved (a typo); anything with history is only deactivated."""
        with self.db.write() as uow:
            s = uow.session
            product = get_product(s, product_id)
            used = (
                s.scalar(select(StockMove.id).where(StockMove.product_id == product_id).limit(1))
                or s.scalar(select(PurchaseLine.id).where(PurchaseLine.product_id == product_id).limit(1))
                or s.scalar(select(StockCountLine.id).where(StockCountLine.product_id == product_id).limit(1))
                or s.scalar(select(SaleLine.id).where(SaleLine.product_id == product_id).limit(1))
                or held_sales.product_is_held(s, product_id)
            )
            if used:
                raise ValidationError("{name} has stock history; deactivate it instead", name=product.name)
            s.delete(product)
            uow.commit()

    def get(self, product_id: int) -> ProductDTO:
        with self.db.read() as uow:
            product = get_product(uow.session, product_id)
            return to_dto(product)

    def get_by_code(self, code: str) -> ProductDTO | None:
        with self.db.read() as uow:
            product = uow.session.scalar(select(Product).where(Product.code == code.strip()))
            return to_dto(product) if product else None

    def count(self, *, active_only: bool = False) -> int:
        with self.db.read() as uow:
            q = select(func.count(Product.id))
            if active_only:
                q = q.where(Product.active.is_(True))
            return int(uow.session.scalar(q) or 0)

    # ------------------------------------------------------------------ lookup
    def find_by_barcode(self, code: str) -> ScanHit | None:
        """Exact barcode (the scanner path); None when unknown."""
        code = code.strip()
        if not code:
            return None
        with self.db.read() as uow:
            row = uow.session.execute(
                select(Barcode.multiplier, Product).join(Product, Product.id == Barcode.product_id)
                .where(Barcode.code == code)
                .options(selectinload(Product.barcodes), joinedload(Product.category))  # no lazy loads
            ).first()
            if row is None:
                return None
            return ScanHit(to_dto(row[1]), code, row[0])

    def search(self, text: str, *, limit: int = 50, active_only: bool = True) -> list[ProductDTO]:
        """Exact barcode, then exact code, then pinyin-initials prefix, then code prefix, then name
        substring (shortest names first). Ids are found on indexes; only the hits are loaded."""
        text = clean_text(text, "Search", 120).strip()
        if not text:
            return []
        low = text.lower()
        params: dict[str, object] = {**list_params(text), "lim": limit}
        ids: list[int] = []
        with self.db.read() as uow:
            s = uow.session
            for step in search_steps(active_only, low.isascii() and low.isalnum(), has_latin(text)):
                for pid in _ids(s, step, params):
                    if pid not in ids:
                        ids.append(pid)
                if len(ids) >= limit:
                    break
            ids = ids[:limit]
            if not ids:
                return []
            found = {p.id: p for p in s.scalars(
                select(Product).where(Product.id.in_(ids))
                .options(selectinload(Product.barcodes), joinedload(Product.category)))}
            return [to_dto(found[i]) for i in ids if i in found]

    # ------------------------------------------------------------------ categories
    def categories(self) -> list[CategoryDTO]:
        with self.db.read() as uow:
            return [CategoryDTO(c.id, c.name, c.parent_id)
                    for c in uow.session.scalars(select(Category).order_by(Category.sort, Category.name))]

    def create_category(self, name: str, parent_id: int | None = None) -> CategoryDTO:
        name = clean_text(name, "Category", 60, required=True)
        with self.db.write() as uow:
            s = uow.session
            if s.scalar(select(Category.id).where(Category.name == name)) is not None:
                raise ValidationError("Category {name} already exists", name=name)
            if parent_id is not None and s.get(Category, parent_id) is None:
                raise NotFoundError("Category {id} does not exist", id=parent_id)
            cat = Category(name=name, parent_id=parent_id)
            s.add(cat)
            s.flush()
            dto = CategoryDTO(cat.id, cat.name, cat.parent_id)
            uow.commit()
        return dto

    # ------------------------------------------------------------------ table listing
    def list_ids(self, text: str = "", *, include_inactive: bool = False,
                  sort: str = "code", descending: bool = False) -> list[int]:
        """Ids of the products matching ``text`` (all when empty), in table order."""
        if sort not in SORT_KEYS:
            raise ValidationError("Cannot sort by {key}", key=sort)
        text = clean_text(text, "Search", 120).strip()
        low = text.lower()
        q = list_query(bool(text), bool(text) and low.isascii() and low.isalnum(), has_latin(text),
                       include_inactive, sort, descending)
        with self.db.read() as uow:
            return _ids(uow.session, q, list_params(text))

    def rows(self, ids: list[int]) -> list[ProductRow]:
        """The table rows of ``ids``, in the order given (ids that vanished are skipped)."""
        if not ids:
            return []
        found: dict[int, ProductRow] = {}
        with self.db.read() as uow:
            s = uow.session
            first_barcode: dict[int, str] = {}
            for pid, code in s.execute(select(Barcode.product_id, Barcode.code)
                                       .where(Barcode.product_id.in_(ids)).order_by(Barcode.id.desc())):
                first_barcode[pid] = code  # descending, so the earliest barcode wins
            q = (select(Product.id, Product.code, Product.name, Product.pinyin, Product.spec, Product.unit,
                        Category.name, Product.sale_price, Product.ref_cost, Product.avg_cost,
                        Product.stock_qty, Product.stock_value, Product.min_stock, Product.active)
                 .outerjoin(Category, Category.id == Product.category_id).where(Product.id.in_(ids)))
            for r in s.execute(q):
                found[r[0]] = ProductRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7], r[8], r[9],
                                         r[10], r[11], r[12], bool(r[13]), first_barcode.get(r[0], ""))
        return [found[i] for i in ids if i in found]

    def rename_category(self, category_id: int, name: str) -> CategoryDTO:
        name = clean_text(name, "Category", 60, required=True)
        with self.db.write() as uow:
            s = uow.session
            cat = _category(s, category_id)
            other = s.scalar(select(Category.id).where(Category.name == name))
            if other is not None and other != category_id:
                raise ValidationError("Category {name} already exists", name=name)
            cat.name = name
            dto = CategoryDTO(cat.id, cat.name, cat.parent_id)
            uow.commit()
        return dto

    def delete_category(self, category_id: int) -> None:
        """Delete an unused category; one that still holds products or sub-categories is refused."""
        with self.db.write() as uow:
            s = uow.session
            cat = _category(s, category_id)
            used = s.scalar(select(func.count(Product.id)).where(Product.category_id == category_id)) or 0
            if used:
                raise ValidationError("Category {name} still holds {count} products", name=cat.name, count=used)
            if s.scalar(select(Category.id).where(Category.parent_id == category_id).limit(1)) is not None:
                raise ValidationError("Category {name} has sub-categories", name=cat.name)
            s.delete(cat)
            uow.commit()

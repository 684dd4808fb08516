"""The product catalogue service: products, categories, barcodes, the search and the scan rule.

The pieces live beside it: dto.py (what crosses package lines), pinyin.py (助记码 and 全拼),
product_input.py (a product row from validated input), search_text.py (the ranked search, SQL
text), search.py (the table's ids),
scan.py (what a scanned text names), product_files.py (import/export).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import func, select

from jxc_desktop.db.models import Batch, Category, Product, PurchaseLine, SaleLine, StockCountLine, StockMove
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.costing import value_of
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.money import MAX_FEN
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.product_rules import ProductInput, clean_text, validate_product
from jxc_desktop.domain.quantity import MAX_QTY
from jxc_desktop.services.catalog import search_text
from jxc_desktop.services.catalog.dto import (
    CategoryDTO,
    FirstScreen,
    ProductDTO,
    ProductRow,
    ScanHit,
    ScanResult,
)
from jxc_desktop.services.catalog.kept_reads import KeptReads
from jxc_desktop.services.catalog.pinyin import pinyin_initials
from jxc_desktop.services.catalog.product_input import (
    OPENING_BATCH,
    apply_input,
    check_barcodes_free,
    get_category,
    get_product,
    next_code,
    normalize_barcodes,
    to_dto,
)
from jxc_desktop.services.catalog.scan import PICK_LIMIT, barcode_hit, resolve_in
from jxc_desktop.services.catalog.search import SORT_KEYS, table_ids, table_rows
from jxc_desktop.services.catalog.table_walk import (
    WALK_STEPS,
    Stopped,
    first_screen,
    table_ids_unless,
    warm_queries,
)
from jxc_desktop.services.safety import api as audit
from jxc_desktop.services.sales import api as held_sales  # product_is_held: the public face of sales
from jxc_desktop.services.stock import api as ledger

# Names other modules have imported from here since before the catalogue was split.
__all__ = ["CatalogService", "CategoryDTO", "ProductDTO", "ProductRow", "ScanHit", "apply_input", "get_product",
           "next_code", "pinyin_initials", "to_dto"]


@dataclass(frozen=True)
class CatalogService:
    db: Database
    _kept: KeptReads = field(init=False, repr=False, compare=False)  # the products table's connection

    def __post_init__(self) -> None:
        object.__setattr__(self, "_kept", KeptReads(self.db))

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
            check_barcodes_free(s, data.barcodes, None)
            product = Product(code=code, stock_qty=0, stock_value=0, avg_cost=data.ref_cost,
                              pinyin="", pinyin_manual=False, active=True, tracks_batches=False)
            s.add(product)
            apply_input(s, product, data, create_category=create_category)
            product.avg_cost = data.ref_cost
            s.flush()
            if opening_qty:
                cost = data.ref_cost if opening_cost is None else opening_cost
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
            check_barcodes_free(s, data.barcodes, product_id)
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
            hit = barcode_hit(uow.session, code)
            return None if hit is None else ScanHit(to_dto(hit[0]), code, hit[1])

    def search(self, text: str, *, limit: int = 50, active_only: bool = True) -> list[ProductDTO]:
        """Ranked: exact barcode, code (exact, then prefix), pinyin prefix (助记码, 全拼), pinyin
        inside, name substring (shortest names first). See search.py."""
        with self.db.read() as uow:
            return search_text.search(SessionRows(uow.session), text, limit=limit, active_only=active_only)

    def resolve_scan(self, text: str, *, limit: int = PICK_LIMIT) -> ScanResult:
        """What a scanned or typed text names: a product with its quantity (barcode, pack barcode,
        scale label, product code) or the ranked candidates of a search (scan.py)."""
        text = clean_text(text, "Search", 120)
        with self.db.read() as uow:
            return resolve_in(uow.session, text, limit=limit)

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
    # The products tab shows 100 000 products: it fetches the ordered id list of the current filter
    # once (a few hundred KB) and then the rows of the visible window by id, a page at a time.
    def list_ids(self, text: str = "", *, include_inactive: bool = False,
                 sort: str = "code", descending: bool = False) -> list[int]:
        """Ids of the products matching ``text`` (all when empty), in table order."""
        if sort not in SORT_KEYS:
            raise ValidationError("Cannot sort by {key}", key=sort)
        text = clean_text(text, "Search", 120).strip()
        with self.db.read() as uow:
            return table_ids(uow.session, text, include_inactive=include_inactive, sort=sort,
                             descending=descending)

    def first_screen(self, text: str = "", *, include_inactive: bool = False, sort: str = "code",
                     descending: bool = False, first: int = 60, rows: int = 0,
                     steps: int | None = WALK_STEPS, before: tuple[str, int] | None = None) -> FirstScreen:
        """For a table that must show its first screen at once: the ids of list_ids() — all of them,
        or (sorted by code, when they are many: a walk of ``steps`` SQLite steps finds ``first``)
        only its first ``first`` ids, ``complete`` False — and the rows of the first ``rows`` ids,
        read in the same visit to the file (table_walk.py). ``before``: (text, number of matches)
        of the whole list shown before, when there was one: a text narrowing few matches skips the walk."""
        if sort not in SORT_KEYS:
            raise ValidationError("Cannot sort by {key}", key=sort)
        text = clean_text(text, "Search", 120).strip()
        with self._kept.read() as uow:
            ids, complete, got = first_screen(uow.session, text, include_inactive=include_inactive, sort=sort,
                                              descending=descending, first=first, steps=steps, rows=rows,
                                              before=before if before is None else (before[0].strip(), before[1]))
            return FirstScreen(ids, complete, got)

    def list_ids_unless(self, stop: Callable[[], bool], text: str = "", *, include_inactive: bool = False,
                        sort: str = "code", descending: bool = False) -> list[int] | None:
        """list_ids(), or None once ``stop()`` is true: for a reader off the GUI thread whose answer
        a newer filter has made stale (SQLite stops the statement where it is)."""
        if sort not in SORT_KEYS:
            raise ValidationError("Cannot sort by {key}", key=sort)
        text = clean_text(text, "Search", 120).strip()
        try:
            with self.db.read() as uow:
                return table_ids_unless(uow.session, text, include_inactive=include_inactive, sort=sort,
                                        descending=descending, stop=stop)
        except Stopped:
            return None

    def warm_table_queries(self, *, include_inactive: bool = False, descending: bool = False) -> Iterator[None]:
        """Prepare the products table's filter queries of every kind of text, a few milliseconds a
        step (table_walk.warm_queries): run a step at a time while the table is idle, and the first
        key typed of each kind is as quick as the next. Reads nothing from the file."""
        return warm_queries(self.db.engine.dialect.name, include_inactive=include_inactive, descending=descending)

    def rows(self, ids: list[int]) -> list[ProductRow]:
        """The table rows of ``ids``, in the order given (ids that vanished are skipped)."""
        if not ids:
            return []
        with self._kept.read() as uow:
            return table_rows(uow.session, ids)

    def keep_reading(self, keep: bool) -> None:
        """``True`` (the products table, from a key typed until a pause): first_screen() and rows()
        share one read-only connection instead of opening the file each time (~1-2 ms a key);
        ``False``: it is closed (services/catalog/kept_reads.py). Calls pair up."""
        if keep:
            self._kept.hold()
        else:
            self._kept.release()

    def rename_category(self, category_id: int, name: str) -> CategoryDTO:
        name = clean_text(name, "Category", 60, required=True)
        with self.db.write() as uow:
            s = uow.session
            cat = get_category(s, category_id)
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
            cat = get_category(s, category_id)
            used = s.scalar(select(func.count(Product.id)).where(Product.category_id == category_id)) or 0
            if used:
                raise ValidationError("Category {name} still holds {count} products", name=cat.name, count=used)
            if s.scalar(select(Category.id).where(Category.parent_id == category_id).limit(1)) is not None:
                raise ValidationError("Category {name} has sub-categories", name=cat.name)
            s.delete(cat)
            uow.commit()

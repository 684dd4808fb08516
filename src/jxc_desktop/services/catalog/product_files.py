"""Product list import and export (xlsx / csv) with a Chinese header row, the same columns both ways.

Import adds new products and updates existing ones, matched by 货号 (code) when the row has one,
else by any of its barcodes — the way owners change prices in bulk. It is all or nothing: every
row is checked first (fields, check digits, barcodes owned by other products or repeated in the
file, unknown categories…) and any bad row rejects the whole file with ``ImportRejected``, whose
``errors`` lists every bad row; nothing is written. A column missing from the file, and an empty
cell, leave that field of an existing product as it was (so a file with just 货号 and 售价 changes
prices only, and a row with an empty 条码 keeps the product's barcodes); ``(清空)`` / ``(clear)``
in a cell empties the field on purpose. Numbers with a comma follow ``tabular.NumberColumn``;
cells the reader cannot trust (formula without a saved result, merged cells) are bad rows. Every
sale price or purchase price an import changes is written to the audit trail (``price_change``,
old and new values in fen, as the product dialog writes it), in the import's transaction.

``insert_products`` is the bulk writer the import, ``jxc demo`` and benchmarks/make_db.py share:
products, barcodes and opening stock through the ledger, many per transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from jxc_desktop.db.models import Barcode, Batch, Category, Product
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.barcode import normalize_barcode
from jxc_desktop.domain.costing import value_of
from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.money import parse_yuan
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.product_rules import ProductInput, validate_product
from jxc_desktop.domain.quantity import format_qty, parse_qty
from jxc_desktop.files import tabular
from jxc_desktop.i18n import _
from jxc_desktop.services.catalog.product_input import apply_input, next_code
from jxc_desktop.services.safety import audit
from jxc_desktop.services.stock import ledger

Progress = Callable[[int, int], bool | None]
CHUNK = 2000  # rows checked and written per step of an import

# (header as written, field). The order is the file's column order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("货号", "code"),
    ("名称", "name"),
    ("助记码", "pinyin"),
    ("规格", "spec"),
    ("单位", "unit"),
    ("分类", "category"),
    ("售价", "sale_price"),
    ("进价", "ref_cost"),
    ("条码", "barcodes"),
    ("最低库存", "min_stock"),
    ("最高库存", "max_stock"),
    ("保质期天数", "shelf_life_days"),
    ("批次管理", "tracks_batches"),
    ("状态", "active"),
)
HEADERS = tuple(h for h, _ in COLUMNS)
# Other spellings owners' files use for the same columns (English, other Chinese terms).
ALIASES: dict[str, str] = {
    "code": "code", "编码": "code", "商品编码": "code", "自编码": "code",
    "name": "name", "商品名称": "name", "品名": "name",
    "pinyin": "pinyin", "拼音码": "pinyin",
    "spec": "spec", "规格型号": "spec",
    "unit": "unit",
    "category": "category", "类别": "category", "商品分类": "category",
    "sale_price": "sale_price", "price": "sale_price", "零售价": "sale_price", "销售价": "sale_price",
    "ref_cost": "ref_cost", "cost": "ref_cost", "进货价": "ref_cost", "采购价": "ref_cost",
    "barcode": "barcodes", "barcodes": "barcodes", "商品条码": "barcodes",
    "min_stock": "min_stock", "库存下限": "min_stock",
    "max_stock": "max_stock", "库存上限": "max_stock",
    "shelf_life_days": "shelf_life_days", "保质期": "shelf_life_days",
    "tracks_batches": "tracks_batches", "批次": "tracks_batches",
    "active": "active", "status": "active",
}
YES = {"是", "1", "y", "yes", "true", "√", "启用", "active", "在售"}
NO = {"否", "0", "n", "no", "false", "", "停用", "inactive", "停售"}
_SPLIT_BARCODES = re.compile(r"[;；,，、\s]+")
_PACK = re.compile(r"^(.+?)\s*[*×]\s*(\d+)$")  # not x: in-store codes may hold letters
_PACK_SPACES = re.compile(r"\s*([*×])\s*")  # "6901234567892 * 12" is one barcode with its pack size
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
# A cell that empties its field on purpose (an empty cell leaves an existing product's field alone).
CLEAR_MARKERS = frozenset({"(清空)", "（清空）", "(clear)"})
# What a cleared field becomes; fields not listed cannot be cleared (a product needs them).
CLEARED: dict[str, Any] = {"pinyin": None, "spec": "", "unit": "", "category": "", "barcodes": (),
                           "min_stock": 0, "max_stock": 0, "shelf_life_days": None}
# Field names as messages show them (translated through the error's ``field``).
FIELD_NAMES = {"code": "Code", "name": "Name", "pinyin": "Pinyin initials", "spec": "Spec", "unit": "Unit",
               "category": "Category", "sale_price": "Sale price", "ref_cost": "Purchase price",
               "barcodes": "Barcodes", "min_stock": "Minimum stock", "max_stock": "Maximum stock",
               "shelf_life_days": "Shelf life (days)", "tracks_batches": "Batch tracking", "active": "Status"}
NUMERIC = frozenset({"sale_price", "ref_cost", "min_stock", "max_stock"})
# Every header this import understands, for telling GBK from Big5 in a short csv.
VOCABULARY = frozenset(HEADERS) | frozenset(ALIASES)


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it (the header is row 1)
    reason: str


class ImportRejected(ValidationError):
    """The file has bad rows; ``errors`` lists each. Nothing was written."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__("{count} rows of the file are wrong; nothing was imported", count=len(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


@dataclass(frozen=True)
class Opening:
    """Opening stock for a new product: thousandths at a unit cost (fen), optionally one batch."""

    qty: int
    unit_cost: int
    batch_no: str = ""
    expiry: date | None = None
    production: date | None = None


# ---------------------------------------------------------------- bulk writer


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
    for product, (_data, opening) in zip(products, items, strict=True):
        if opening is None or opening.qty <= 0:
            continue
        batch = None
        if product.tracks_batches:
            batch = Batch(product_id=product.id, batch_no=opening.batch_no or "期初",
                          expiry_date=opening.expiry, production_date=opening.production, qty=0)
            session.add(batch)
            session.flush()
        ledger.receive(session, product, opening.qty, MoveKind.OPENING,
                       ledger.DocRef("opening", product.id, "期初"),
                       value=value_of(opening.qty, opening.unit_cost), batch=batch, at=at)
    session.flush()
    return products


# ---------------------------------------------------------------- export


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def product_row(p: Product) -> list[Any]:
    return [
        p.code, p.name, p.pinyin, p.spec, p.unit, p.category.name if p.category else "",
        _yuan(p.sale_price), _yuan(p.ref_cost),
        ";".join(b.code if b.multiplier == 1 else f"{b.code}*{b.multiplier}"
                 for b in sorted(p.barcodes, key=lambda b: (b.multiplier, b.id))),
        Decimal(format_qty(p.min_stock)), Decimal(format_qty(p.max_stock)),
        p.shelf_life_days if p.shelf_life_days else "",
        "是" if p.tracks_batches else "否", "启用" if p.active else "停用",
    ]


# ---------------------------------------------------------------- parsing one row


def _parse_barcodes(text: str) -> tuple[tuple[str, int], ...]:
    out: list[tuple[str, int]] = []
    for part in _SPLIT_BARCODES.split(_PACK_SPACES.sub(r"\1", text.strip())):
        if not part:
            continue
        if _SCIENTIFIC.match(part):
            # Excel shows long digit strings as 6.90123E+12 and saves them so in csv: digits lost.
            raise ValidationError("Barcode {code} was turned into a number by a spreadsheet; "
                                  "save the file as .xlsx or format the column as text", code=part)
        m = _PACK.match(part)
        code, mult = (m.group(1), int(m.group(2))) if m else (part, 1)
        out.append((normalize_barcode(code), mult))
    return tuple(out)


def _flag(text: str, what: str) -> bool:
    low = text.strip().lower()
    if low in YES:
        return True
    if low in NO:
        return False
    raise ValidationError("{field}: '{value}' is not yes/no (是/否)", field=what, value=text[:20])


def _parse_field(key: str, text: str) -> Any:
    if key in ("code", "name", "pinyin", "spec", "unit", "category"):
        return text
    if key == "sale_price":
        return parse_yuan(text or "0", field="Sale price")
    if key == "ref_cost":
        return parse_yuan(text or "0", field="Purchase price")
    if key == "barcodes":
        return _parse_barcodes(text)
    if key in ("min_stock", "max_stock"):
        return parse_qty(text or "0", field="Minimum stock" if key == "min_stock" else "Maximum stock",
                         allow_zero=True)
    if key == "shelf_life_days":
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            raise ValidationError("Shelf life '{value}' is not a whole number of days", value=text[:20])
        return int(text)
    if key == "tracks_batches":
        return _flag(text, "Batch tracking")
    if key == "active":
        return _flag(text or "启用", "Status")
    raise KeyError(key)  # pragma: no cover - COLUMNS and this function agree


def column_map(headers: Sequence[str]) -> dict[str, str]:
    """header -> field for the headers this import understands (others are ignored)."""
    known = {h: f for h, f in COLUMNS} | ALIASES
    mapped: dict[str, str] = {}
    for h in headers:
        field = known.get(h) or known.get(h.lower())
        if field and field not in mapped.values():
            mapped[h] = field
    return mapped


@dataclass
class _Plan:
    row: int
    fields: dict[str, Any]  # the row's non-empty cells, parsed
    cleared: frozenset[str] = frozenset()  # fields the row empties on purpose (CLEAR_MARKERS)
    product_id: int | None = None  # None: a new product
    data: ProductInput | None = None


def _parse_row(r: tabular.TableRow, cols: dict[str, str], numbers: dict[str, tabular.NumberColumn],
               bad: Callable[[int, str], None]) -> _Plan:
    """The row's cells as fields: empty cells are left out, clear markers listed, problems reported."""
    fields: dict[str, Any] = {}
    cleared: set[str] = set()
    for header, key in cols.items():
        try:
            text = r.cell(header)
            if not text:
                continue
            if text.strip().lower() in CLEAR_MARKERS:
                if key not in CLEARED:
                    raise ValidationError("{field} cannot be cleared", field=FIELD_NAMES[key])
                cleared.add(key)
                continue
            if header in numbers:
                text = numbers[header].text(text, FIELD_NAMES[key])
            fields[key] = _parse_field(key, text)
        except JxcError as exc:
            bad(r.row, exc.message)
    return _Plan(r.row, fields, frozenset(cleared))


# ---------------------------------------------------------------- the service


@dataclass(frozen=True)
class ProductIOService:
    db: Database

    def export_products(self, path: Path | str, progress: Progress | None = None) -> int:
        """Write every product (active and not) to ``path`` (.xlsx or .csv); returns the count."""
        path = Path(path)
        tabular.check_suffix(path)
        with self.db.read() as uow:
            s = uow.session
            total = len(s.scalars(select(Product.id)).all())

            def rows() -> Iterator[list[Any]]:
                query = (select(Product).options(selectinload(Product.barcodes), selectinload(Product.category))
                         .order_by(Product.code).execution_options(yield_per=2000))
                for p in s.scalars(query):
                    yield product_row(p)

            return tabular.write_table(path, HEADERS, rows(), total=total, progress=progress,
                                       text_columns=(0, 2, 8))

    def import_products(self, path: Path | str, progress: Progress | None = None, *,
                        create_categories: bool = False, dry_run: bool = False) -> ImportResult:
        """Import a product file, all or nothing (see the module doc). ``progress(done, total)``
        returning False cancels (``tabular.Cancelled``) with nothing written. ``dry_run`` checks
        and counts everything, then rolls back."""
        headers, rows = tabular.read_table(path, vocabulary=VOCABULARY)
        file_name = Path(path).name
        cols = column_map(headers)
        if not ({"code", "name", "barcodes"} & set(cols.values())):
            raise ValidationError("The header row has none of the columns 货号, 名称, 条码")
        total = 2 * len(rows)
        errors: dict[int, list[str]] = {}

        def bad(row: int, reason: str) -> None:
            errors.setdefault(row, []).append(reason)

        numbers = {header: tabular.NumberColumn(r.get(header, "") for r in rows)
                   for header, key in cols.items() if key in NUMERIC}
        plans: list[_Plan] = []
        for i, r in enumerate(rows, start=1):
            plans.append(_parse_row(r, cols, numbers, bad))
            if i % 500 == 0:
                self._tick(progress, i, total)
        if not rows:
            raise ValidationError("The file has a header row but no products")
        n_rows = len(rows)
        del rows  # the parsed plans hold everything now
        self._in_file_duplicates(plans, bad)

        with self.db.write() as uow:
            s = uow.session
            code_ids = dict(s.execute(select(Product.code, Product.id)).all())
            barcode_owner = dict(s.execute(select(Barcode.code, Barcode.product_id)).all())
            categories = set(s.scalars(select(Category.name)))
            code_of = {pid: code for code, pid in code_ids.items()}
            for plan in plans:
                self._match(plan, code_ids, barcode_owner, code_of, bad)
                cat = plan.fields.get("category")
                if cat and cat not in categories and not create_categories:
                    bad(plan.row, ValidationError("Unknown category {name}", name=cat).message)
            # Chunk by chunk: check the rows, and while the file is still clean write them (the
            # transaction commits only at the end, so a bad row later still leaves nothing). Only a
            # chunk of ORM objects is alive at a time: 100 000 updates stay within a few hundred MB.
            reserved = {p.fields["code"] for p in plans if p.fields.get("code")}
            cats = CategoryCache(s, create=create_categories)
            created = updated = 0
            done = n_rows
            for start in range(0, len(plans), CHUNK):
                chunk = plans[start:start + CHUNK]
                existing = self._load(s, [p.product_id for p in chunk if p.product_id is not None])
                for plan in chunk:
                    if plan.row not in errors:
                        try:
                            plan.data = self._input(plan, existing.get(plan.product_id or -1))
                        except JxcError as exc:
                            bad(plan.row, exc.message)
                if errors:
                    continue  # keep checking the rest to list every bad row; write no more
                new_items: list[tuple[ProductInput, Opening | None]] = []
                new_active: list[bool] = []
                for plan in chunk:
                    assert plan.data is not None
                    if plan.product_id is None:
                        new_items.append((plan.data, None))
                        new_active.append(plan.fields.get("active", True))
                        continue
                    product = existing[plan.product_id]
                    prices = {"sale_price": product.sale_price, "ref_cost": product.ref_cost}
                    try:
                        apply_cached(s, product, plan.data, cats)
                    except JxcError as exc:
                        bad(plan.row, exc.message)
                        continue
                    after = {"sale_price": product.sale_price, "ref_cost": product.ref_cost}
                    if after != prices:  # as the product dialog does (catalog.update_product)
                        audit.record(s, audit.PRICE_CHANGE, document=product.code, before=prices, after=after,
                                     detail=_("{name}, imported from {file}").format(name=product.name,
                                                                                   file=file_name))
                    if "active" in plan.fields:
                        product.active = plan.fields["active"]
                    updated += 1
                made = insert_products(s, new_items, create_categories=create_categories, validated=True,
                                       reserved_codes=reserved) if new_items else []
                for product, active in zip(made, new_active, strict=True):
                    product.active = active
                created += len(made)
                s.flush()
                for obj in [*existing.values(), *made]:
                    s.expunge(obj)
                for plan in chunk:
                    plan.data = None
                done += len(chunk)
                self._tick(progress, done, total)
            if errors:
                raise ImportRejected([RowError(row, "; ".join(reasons)) for row, reasons in sorted(errors.items())])
            self._tick(progress, total, total)
            if not dry_run:
                uow.commit()
        return ImportResult(created, updated)

    # -------------------------------------------------------------- import steps
    @staticmethod
    def _tick(progress: Progress | None, done: int, total: int) -> None:
        if progress is not None and progress(done, total) is False:
            raise tabular.Cancelled()

    @staticmethod
    def _in_file_duplicates(plans: list[_Plan], bad: Callable[[int, str], None]) -> None:
        first_code: dict[str, int] = {}
        first_barcode: dict[str, int] = {}
        for plan in plans:
            code = plan.fields.get("code", "")
            if code:
                if code in first_code:
                    bad(plan.row, ValidationError("Code {code} repeats row {other}", code=code,
                                                  other=first_code[code]).message)
                else:
                    first_code[code] = plan.row
            for bc, _m in plan.fields.get("barcodes", ()):
                if bc in first_barcode and first_barcode[bc] != plan.row:
                    bad(plan.row, ValidationError("Barcode {code} repeats row {other}", code=bc,
                                                  other=first_barcode[bc]).message)
                else:
                    first_barcode.setdefault(bc, plan.row)

    @staticmethod
    def _match(plan: _Plan, code_ids: dict[str, int], barcode_owner: dict[str, int], codes: dict[int, str],
               bad: Callable[[int, str], None]) -> None:
        """By code when the row has one (else it is new), otherwise by its barcodes."""
        code = plan.fields.get("code", "")
        barcodes = plan.fields.get("barcodes", ())
        if code:
            plan.product_id = code_ids.get(code)
        else:
            owners = {barcode_owner[bc] for bc, _m in barcodes if bc in barcode_owner}
            if len(owners) > 1:
                bad(plan.row, ValidationError("Its barcodes belong to different products ({codes})",
                                              codes=", ".join(sorted(codes[o] for o in owners))).message)
                return
            plan.product_id = owners.pop() if owners else None
        for bc, _m in barcodes:
            owner = barcode_owner.get(bc)
            if owner is not None and owner != plan.product_id:
                bad(plan.row, ValidationError("Barcode {code} already belongs to product {other}",
                                              code=bc, other=codes[owner]).message)

    @staticmethod
    def _load(s: Session, ids: list[int]) -> dict[int, Product]:
        found: dict[int, Product] = {}
        for start in range(0, len(ids), 900):
            for p in s.scalars(select(Product).where(Product.id.in_(ids[start:start + 900]))
                               .options(selectinload(Product.barcodes), selectinload(Product.category))):
                found[p.id] = p
        return found

    @staticmethod
    def _input(plan: _Plan, current: Product | None) -> ProductInput:
        """The full input for a row: the product's present values overlaid with the file's columns."""
        f = plan.fields
        if current is None:
            if not f.get("name"):
                raise ValidationError("{field} is required", field="Name")
            base = ProductInput(name=f["name"])
        else:
            base = ProductInput(
                name=current.name, code=current.code, spec=current.spec, unit=current.unit,
                category=current.category.name if current.category else "", sale_price=current.sale_price,
                ref_cost=current.ref_cost, min_stock=current.min_stock, max_stock=current.max_stock,
                shelf_life_days=current.shelf_life_days, tracks_batches=current.tracks_batches,
                pinyin=None, barcodes=tuple((b.code, b.multiplier) for b in current.barcodes))
        overlay = {k: v for k, v in f.items() if k != "active"}
        overlay.update({k: CLEARED[k] for k in plan.cleared})
        data = validate_product(replace(base, **overlay))
        if current is not None and current.stock_qty and data.tracks_batches != current.tracks_batches:
            raise ValidationError("Batch tracking can be changed only while the product has no stock")
        return data

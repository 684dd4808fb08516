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

The file's columns and row parsing are in product_file_format.py; the bulk writer the import,
``jxc demo`` and benchmarks/make_db.py share is bulk_insert.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from jxc_desktop.db.models import Barcode, Category, Product, Style
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.product_rules import ProductInput, validate_product
from jxc_desktop.files import tabular
from jxc_desktop.i18n import _
from jxc_desktop.services.catalog import style_import
from jxc_desktop.services.catalog.bulk_insert import CategoryCache, Opening, apply_cached, insert_products
from jxc_desktop.services.catalog.product_file_format import (
    CLEARED,
    EXPORT_FIELDS,
    HEADERS,
    NUMBER_FORMATS,
    NUMERIC,
    STYLE_KEYS,
    TEXT_COLUMNS,
    VOCABULARY,
    WIDTHS,
    ImportRejected,
    Plan,
    RowError,
    column_map,
    export_row,
    parse_row,
)
from jxc_desktop.services.safety import api as audit

# Names other modules import from here (the file format and the bulk writer moved beside it).
__all__ = ["HEADERS", "ImportRejected", "ImportResult", "Opening", "ProductIOService", "RowError",
           "insert_products"]

Progress = Callable[[int, int], bool | None]
CHUNK = 2000  # rows checked and written per step of an import
EXPORT_CHUNK = 2000  # products read per keyset step of an export


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


# ---------------------------------------------------------------- the service


@dataclass(frozen=True)
class ProductIOService:
    db: Database

    def export_products(self, path: Path | str, progress: Progress | None = None) -> int:
        """Write every product (active and not) to ``path`` (.xlsx or .csv), in code order;
        returns the count. Read by keyset (``code > last ORDER BY code LIMIT n``) as plain rows,
        one chunk at a time, and streamed to the file: time and memory stay linear in products."""
        path = Path(path)
        tabular.check_suffix(path)
        with self.db.read() as uow:
            conn = uow.session.connection()
            total = conn.execute(select(func.count()).select_from(Product)).scalar_one()
            categories = dict(conn.execute(select(Category.id, Category.name)).all())
            styles = dict(conn.execute(select(Style.id, Style.code)).all())

            def rows() -> Iterator[list[Any]]:
                last = ""
                while True:
                    chunk = conn.execute(select(*EXPORT_FIELDS).where(Product.code > last)
                                         .order_by(Product.code).limit(EXPORT_CHUNK)).all()
                    if not chunk:
                        return
                    ids = [r.id for r in chunk]
                    codes: dict[int, list[str]] = {}
                    for pid, code, mult in conn.execute(
                            select(Barcode.product_id, Barcode.code, Barcode.multiplier)
                            .where(Barcode.product_id.in_(ids))
                            .order_by(Barcode.product_id, Barcode.multiplier, Barcode.id)):
                        codes.setdefault(pid, []).append(code if mult == 1 else f"{code}*{mult}")
                    for r in chunk:
                        yield export_row(r, categories.get(r.category_id, ""), ";".join(codes.get(r.id, ())),
                                         styles.get(r.style_id, "") if r.style_id is not None else "")
                    last = chunk[-1].code

            return tabular.write_table(path, HEADERS, rows(), total=total, progress=progress,
                                       text_columns=TEXT_COLUMNS, number_formats=NUMBER_FORMATS,
                                       widths=WIDTHS)

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
        plans: list[Plan] = []
        for i, r in enumerate(rows, start=1):
            plans.append(parse_row(r, cols, numbers, bad))
            if i % 500 == 0:
                self._tick(progress, i, total)
        if not rows:
            raise ValidationError("The file has a header row but no products")
        n_rows = len(rows)
        del rows  # the parsed plans hold everything now
        self._in_file_duplicates(plans, bad)

        with self.db.write() as uow:
            s = uow.session
            styles = style_import.prepare(s, plans, bad)  # before matching: variant rows get their codes
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
            if not errors and styles:
                style_import.attach(s, styles, bad)
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
    def _in_file_duplicates(plans: list[Plan], bad: Callable[[int, str], None]) -> None:
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
    def _match(plan: Plan, code_ids: dict[str, int], barcode_owner: dict[str, int], codes: dict[int, str],
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
    def _input(plan: Plan, current: Product | None) -> ProductInput:
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
        overlay = {k: v for k, v in f.items() if k != "active" and k not in STYLE_KEYS}
        overlay.update({k: CLEARED[k] for k in plan.cleared})
        data = validate_product(replace(base, **overlay))
        if current is not None and current.stock_qty and data.tracks_batches != current.tracks_batches:
            raise ValidationError("Batch tracking can be changed only while the product has no stock")
        return data

"""Styles (款号) and their colour × size variants: create a style with its grid, add a colour or a
size later, switch a combination off, read a style back.

Each colour × size is an ordinary product (code ``<style>-<colour code>-<size>``, see
domain/variants.py) carrying ``style_id``, ``colour_code``, ``colour`` and ``size``: the ledger,
purchases, counts, the till and the reports handle it as they handle any product. The grids of
quantities over a style (stock, sales, sell-through) are in style_grid.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Barcode, Product, Style, StyleColour, StyleSize
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.money import MAX_FEN
from jxc_desktop.domain.product_rules import ProductInput, clean_text, validate_product
from jxc_desktop.domain.variants import (
    SEASONS,
    Colour,
    check_colour,
    check_dimensions,
    check_size,
    check_style_code,
    variant_code,
)
from jxc_desktop.services.catalog.dto import StyleDTO, StyleInput, StyleRow, VariantDTO, VariantNames
from jxc_desktop.services.catalog.product_input import (
    apply_input,
    category_by_name,
    check_barcodes_free,
    normalize_barcodes,
)
from jxc_desktop.services.catalog.style_list import list_styles


def _checked(data: StyleInput) -> tuple[StyleInput, list[Colour], list[str]]:
    code = check_style_code(data.code)
    name = clean_text(data.name, "Name", 100, required=True)
    colours = [check_colour(c, n) for c, n in data.colours]
    sizes = [check_size(s) for s in data.sizes]
    check_dimensions(colours, sizes)
    season = clean_text(data.season, "Season", 16)
    if season and season not in SEASONS:
        raise ValidationError("Season must be one of {seasons}", seasons=" ".join(SEASONS))
    if data.year is not None and not 2000 <= data.year <= 2100:
        raise ValidationError("Year {year} is not a plausible year", year=data.year)
    for price in (data.sale_price, data.ref_cost):
        if not isinstance(price, int) or isinstance(price, bool) or not 0 <= price <= MAX_FEN:
            raise ValidationError("Price is not a valid amount")
    for _colour, _size, barcode in data.barcodes:
        if not barcode.strip():
            raise ValidationError("A barcode of the grid is empty")
    cleaned = StyleInput(code=code, name=name, colours=tuple((c.code, c.name) for c in colours),
                         sizes=tuple(sizes), category=clean_text(data.category, "Category", 60), season=season,
                         year=data.year, brand=clean_text(data.brand, "Brand", 60),
                         unit=clean_text(data.unit, "Unit", 16) or "件", sale_price=data.sale_price,
                         ref_cost=data.ref_cost, size_group=clean_text(data.size_group, "Size group", 40),
                         barcodes=data.barcodes)
    return cleaned, colours, sizes


def get_style(session: Session, style_id: int) -> Style:
    style = session.get(Style, style_id)
    if style is None:
        raise NotFoundError("Style {id} does not exist", id=style_id)
    return style


def style_by_code(session: Session, code: str) -> Style:
    style = session.scalar(select(Style).where(Style.code == code.strip()))
    if style is None:
        raise NotFoundError("No style with code {code}", code=code.strip())
    return style


def add_variant(session: Session, style: Style, colour: Colour, size: str, barcode: str = "") -> Product:
    """The product of one colour × size: the style's name with its colour and size (what the till
    and the receipt show), its category, unit and prices; the colour and size in their own columns."""
    code = variant_code(style.code, colour.code, size)
    if session.scalar(select(Product.id).where(Product.code == code)) is not None:
        raise ValidationError("Code {code} is already used by another product", code=code)
    barcodes = normalize_barcodes(((barcode, 1),)) if barcode.strip() else ()
    check_barcodes_free(session, barcodes, None)
    data = validate_product(ProductInput(
        name=f"{style.name} {colour.name} {size}", code=code, unit=style.unit,
        category=style.category_name, sale_price=style.sale_price, ref_cost=style.ref_cost, barcodes=barcodes))
    product = Product(code=code, stock_qty=0, stock_value=0, avg_cost=style.ref_cost, pinyin="",
                      pinyin_manual=False, active=True, tracks_batches=False, style_id=style.id,
                      colour_code=colour.code, colour=colour.name, size=size)
    session.add(product)
    apply_input(session, product, data)
    return product


def _colours(session: Session, style_id: int) -> list[StyleColour]:
    return list(session.scalars(select(StyleColour).where(StyleColour.style_id == style_id)
                                .order_by(StyleColour.sort, StyleColour.id)))


def _sizes(session: Session, style_id: int) -> list[StyleSize]:
    return list(session.scalars(select(StyleSize).where(StyleSize.style_id == style_id)
                                .order_by(StyleSize.sort, StyleSize.id)))


def style_dto(session: Session, style: Style) -> StyleDTO:
    return style_dtos(session, [style])[0]


def style_dtos(session: Session, styles: list[Style], *, barcodes: bool = True) -> list[StyleDTO]:
    """The styles with their colours, sizes and variants, in a few queries for all of them (the
    reports read hundreds of styles at once; they need no barcodes: ``barcodes=False``)."""
    out = []
    for start in range(0, len(styles), 500):
        chunk = styles[start:start + 500]
        ids = [st.id for st in chunk]
        colours: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
        for sid, code, name in session.execute(
                select(StyleColour.style_id, StyleColour.code, StyleColour.name)
                .where(StyleColour.style_id.in_(ids)).order_by(StyleColour.sort, StyleColour.id)):
            colours[sid].append((code, name))
        sizes: dict[int, list[str]] = {i: [] for i in ids}
        for sid, size in session.execute(select(StyleSize.style_id, StyleSize.size)
                                         .where(StyleSize.style_id.in_(ids)).order_by(StyleSize.sort, StyleSize.id)):
            sizes[sid].append(size)
        first_barcode = dict(session.execute(
            select(Barcode.product_id, func.min(Barcode.code)).join(Product, Product.id == Barcode.product_id)
            .where(Product.style_id.in_(ids)).group_by(Barcode.product_id)).all()) if barcodes else {}
        variants: dict[int, list[VariantDTO]] = {i: [] for i in ids}
        for p in session.execute(select(Product.id, Product.code, Product.colour_code, Product.colour, Product.size,
                                        Product.active, Product.sale_price, Product.stock_qty, Product.style_id)
                                 .where(Product.style_id.in_(ids))):
            variants[p.style_id].append(VariantDTO(p.id, p.code, p.colour_code or "", p.colour or "", p.size or "",
                                                   p.active, first_barcode.get(p.id, ""), p.sale_price, p.stock_qty))
        for st in chunk:
            rank_c = {c: i for i, (c, _n) in enumerate(colours[st.id])}
            rank_s = {sz: i for i, sz in enumerate(sizes[st.id])}
            ordered = sorted(variants[st.id], key=lambda v: (rank_c.get(v.colour_code, 999), rank_s.get(v.size, 999)))
            out.append(StyleDTO(
                id=st.id, code=st.code, name=st.name, category=st.category_name, season=st.season, year=st.year,
                brand=st.brand, unit=st.unit, sale_price=st.sale_price, ref_cost=st.ref_cost,
                size_group=st.size_group, active=st.active, colours=tuple(colours[st.id]),
                sizes=tuple(sizes[st.id]), variants=tuple(ordered)))
    return out


def create_style_in(session: Session, data: StyleInput, *, create_category: bool = False) -> Style:
    """Write a style, its colours and sizes and one product per combination (inside a transaction)."""
    data, colours, sizes = _checked(data)
    if session.scalar(select(Style.id).where(Style.code == data.code)) is not None:
        raise ValidationError("Style {code} already exists", code=data.code)
    cat = category_by_name(session, data.category, create=create_category)
    style = Style(code=data.code, name=data.name, category_id=cat.id if cat else None, season=data.season,
                  year=data.year, brand=data.brand, unit=data.unit, sale_price=data.sale_price,
                  ref_cost=data.ref_cost, size_group=data.size_group, active=True)
    session.add(style)
    session.flush()
    for i, colour in enumerate(colours):
        session.add(StyleColour(style_id=style.id, code=colour.code, name=colour.name, sort=i))
    for i, size in enumerate(sizes):
        session.add(StyleSize(style_id=style.id, size=size, sort=i))
    barcodes = {(c, s): b for c, s, b in data.barcodes}
    unknown = set(barcodes) - {(c.code, s) for c in colours for s in sizes}
    if unknown:
        colour, size = sorted(unknown)[0]
        raise ValidationError("Barcode given for {colour}/{size}, which is not in the grid", colour=colour,
                              size=size)
    for colour in colours:
        for size in sizes:
            add_variant(session, style, colour, size, barcodes.get((colour.code, size), ""))
    session.flush()
    return style


def variant_names(session: Session, product_id: int) -> VariantNames | None:
    """The colour and size of a variant product, None for a product that is not one."""
    row = session.execute(select(Product.style_id, Product.colour_code, Product.colour, Product.size, Style.code)
                          .join(Style, Style.id == Product.style_id).where(Product.id == product_id)).first()
    if row is None:
        return None
    return VariantNames(product_id, row[4], row[1] or "", row[2] or "", row[3] or "")


def variant_names_of(session: Session, product_ids: list[int]) -> dict[int, VariantNames]:
    """``variant_names`` of many products in a few reads (a sheet of labels); products that are no
    variant are left out."""
    out: dict[int, VariantNames] = {}
    for start in range(0, len(product_ids), 900):
        for pid, colour_code, colour, size, code in session.execute(
                select(Product.id, Product.colour_code, Product.colour, Product.size, Style.code)
                .join(Style, Style.id == Product.style_id).where(Product.id.in_(product_ids[start:start + 900]))):
            out[pid] = VariantNames(pid, code, colour_code or "", colour or "", size or "")
    return out


@dataclass(frozen=True)
class StyleService:
    db: Database

    def create_style(self, data: StyleInput, *, create_category: bool = False) -> StyleDTO:
        """A style with its whole grid in one transaction: all of it, or nothing on bad input."""
        with self.db.write() as uow:
            style = create_style_in(uow.session, data, create_category=create_category)
            dto = style_dto(uow.session, style)
            uow.commit()
        return dto

    def add_colour(self, style_id: int, code: str, name: str) -> StyleDTO:
        """A new colour row: one new product per size of the style."""
        colour = check_colour(code, name)
        with self.db.write() as uow:
            s = uow.session
            style = get_style(s, style_id)
            colours = _colours(s, style_id)
            if any(c.code.upper() == colour.code.upper() for c in colours):
                raise ValidationError("Colour code {code} is given twice", code=colour.code)
            s.add(StyleColour(style_id=style_id, code=colour.code, name=colour.name, sort=len(colours)))
            for size in _sizes(s, style_id):
                add_variant(s, style, colour, size.size)
            s.flush()
            dto = style_dto(s, style)
            uow.commit()
        return dto

    def add_size(self, style_id: int, size: str) -> StyleDTO:
        """A new size column: one new product per colour of the style."""
        size = check_size(size)
        with self.db.write() as uow:
            s = uow.session
            style = get_style(s, style_id)
            sizes = _sizes(s, style_id)
            if any(x.size == size for x in sizes):
                raise ValidationError("Size {size} is given twice", size=size)
            s.add(StyleSize(style_id=style_id, size=size, sort=len(sizes)))
            for colour in _colours(s, style_id):
                add_variant(s, style, Colour(colour.code, colour.name), size)
            s.flush()
            dto = style_dto(s, style)
            uow.commit()
        return dto

    def set_variant_active(self, style_id: int, colour_code: str, size: str, active: bool) -> StyleDTO:
        """Switch one combination off (not made in that colour and size) or back on; its product is
        deactivated like any product, its history kept."""
        with self.db.write() as uow:
            s = uow.session
            style = get_style(s, style_id)
            product = s.scalar(select(Product).where(Product.style_id == style_id,
                                                     Product.colour_code == colour_code, Product.size == size))
            if product is None:
                raise NotFoundError("Style {code} has no {colour}/{size}", code=style.code, colour=colour_code,
                                    size=size)
            product.active = active
            s.flush()
            dto = style_dto(s, style)
            uow.commit()
        return dto

    def get(self, style_id: int) -> StyleDTO:
        with self.db.read() as uow:
            return style_dto(uow.session, get_style(uow.session, style_id))

    def by_code(self, code: str) -> StyleDTO:
        with self.db.read() as uow:
            return style_dto(uow.session, style_by_code(uow.session, code))

    def style_of_product(self, product_id: int) -> StyleDTO | None:
        """The style a product is a variant of (the grid key on a purchase or count line)."""
        with self.db.read() as uow:
            style_id = uow.session.scalar(select(Product.style_id).where(Product.id == product_id))
            return None if style_id is None else style_dto(uow.session, get_style(uow.session, style_id))

    def variant_names(self, product_id: int) -> VariantNames | None:
        with self.db.read() as uow:
            return variant_names(uow.session, product_id)

    def list_styles(self, text: str = "") -> list[StyleRow]:
        """Every style (code order), optionally those whose code or name holds ``text``."""
        text = clean_text(text, "Search", 60).strip()
        with self.db.read() as uow:
            return list_styles(SessionRows(uow.session), text)

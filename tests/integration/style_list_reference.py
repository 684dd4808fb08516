"""The SQLAlchemy reads of the styles list and of a style's stock and sales grid before session 17
made them SQL text (catalog/style_list.py, style_figures.py stock_grid_in and sales_grid_in), kept
word for word as the reference the text must equal (test_style_list_reference.py). A style's
colours, sizes, variants and first barcodes are read by catalog/styles.style_dto, the reading the
style writes still return, unchanged; the sold quantities by the sell-through reference's ORM read
(style_sales_reference._sold, as before session 16)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Product, Style
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.services.catalog.dto import StyleGridDTO, StyleRow
from jxc_desktop.services.catalog.style_figures import grid_of
from jxc_desktop.services.catalog.styles import style_by_code, style_dto
from tests.integration.style_sales_reference import _sold as sold


def list_styles(s: Session, text: str = "") -> list[StyleRow]:
    """Every style (code order), optionally those whose code or name holds ``text``."""
    text = clean_text(text, "Search", 60).strip()
    counts = {r[0]: r[1:] for r in s.execute(
        select(Product.style_id, func.count(Product.id), func.coalesce(func.sum(Product.stock_qty), 0),
               func.count(func.distinct(Product.colour_code)), func.count(func.distinct(Product.size)))
        .where(Product.style_id.is_not(None)).group_by(Product.style_id))}
    q = select(Style).order_by(Style.code)
    if text:
        # autoescape: %, _ and the escape character typed match themselves (session 18; the text
        # read matches literally since then)
        q = q.where(Style.code.contains(text, autoescape=True) | Style.name.contains(text, autoescape=True))
    rows = []
    for st in s.scalars(q):
        n, stock, colours, sizes = counts.get(st.id, (0, 0, 0, 0))
        rows.append(StyleRow(st.id, st.code, st.name, st.category_name, st.season, st.year, st.brand,
                             st.sale_price, colours, sizes, n, int(stock), st.active))
    return rows


def stock_grid(session: Session, code: str) -> StyleGridDTO:
    """A style's stock on hand now, colour × size (inactive cells marked)."""
    dto = style_dto(session, style_by_code(session, code))
    return grid_of(dto, {v.product_id: v.stock_qty for v in dto.variants})


def sales_grid(session: Session, code: str, first: date, last: date) -> StyleGridDTO:
    """A style's net quantity sold over the period, colour × size."""
    style = style_by_code(session, code)
    dto = style_dto(session, style)
    got = sold(session, first, last, style.id)
    return grid_of(dto, {pid: qty for pid, (qty, _amount) in got.items()}, "Sold")

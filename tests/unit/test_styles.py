"""Styles and their colour × size variants on a real SQLite file: the grid, adding a colour and a
size, switching a cell off, stock and sell-through by colour and size, broken sizes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from jxc_desktop.db.models import Product
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.catalog import api as catalog_api
from jxc_desktop.services.catalog.dto import StyleInput
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.sales.dto import Tender

COLOURS = (("BK", "黑色"), ("WH", "白色"))
SIZES = ("S", "M", "L")


def _style(services, code: str = "T2601", **kw):  # type: ignore[no-untyped-def]
    barcodes = tuple((col, size, with_check_digit(f"69{i:010d}"))
                     for i, (col, size) in enumerate(((c, s) for c, _ in COLOURS for s in SIZES), start=1))
    data = StyleInput(code=code, name="纯棉圆领T恤", colours=COLOURS, sizes=SIZES, category="上衣",
                      season="夏", year=2026, brand="简素", sale_price=9900, ref_cost=4000,
                      size_group="S-XXL", barcodes=barcodes, **kw)
    return services.styles.create_style(data, create_category=True)


def test_create_style_makes_one_product_per_cell(services, db) -> None:  # type: ignore[no-untyped-def]
    style = _style(services)
    assert [v.code for v in style.variants] == [f"T2601-{col}-{s}" for col, _ in COLOURS for s in SIZES]
    assert all(v.sale_price == 9900 and v.active and v.barcode for v in style.variants)
    product = services.catalog.get(style.variant("WH", "M").product_id)
    assert product.name == "纯棉圆领T恤 白色 M" and product.spec == "" and product.category == "上衣"
    with db.read() as uow:
        names = catalog_api.variant_names(uow.session, product.id)
        row = uow.session.get(Product, product.id)
        assert (row.style_id, row.colour_code, row.colour, row.size) == (style.id, "WH", "白色", "M")
    assert names is not None and (names.colour, names.size, names.style_code) == ("白色", "M", "T2601")
    assert services.styles.variant_names(product.id) == names
    with db.read() as uow:
        many = catalog_api.variant_names_of(uow.session, [v.product_id for v in style.variants] + [10**6])
    assert len(many) == 6 and many[product.id] == names
    # a product that is no variant has none
    plain = services.catalog.create_product(ProductInput(name="袜子"))
    assert services.styles.variant_names(plain.id) is None


def test_bad_styles_write_nothing(services, db) -> None:  # type: ignore[no-untyped-def]
    _style(services)
    with pytest.raises(ValidationError, match="already exists"):
        _style(services)
    for kw, msg in (({"colours": ()}, "at least one colour"), ({"sizes": ()}, "at least one size"),
                    ({"colours": (("BK", "黑"), ("bk", "黑2"))}, "given twice"),
                    ({"sizes": ("S", "S")}, "given twice"), ({"code": "T 1"}, "letters and digits"),
                    ({"sizes": ("S-M",)}, "letters or digits"), ({"season": "雨季"}, "Season")):
        data = StyleInput(**{"code": "X1", "name": "裤", "colours": COLOURS, "sizes": SIZES, **kw})
        with pytest.raises(ValidationError, match=msg):
            services.styles.create_style(data)
    assert [r.code for r in services.styles.list_styles()] == ["T2601"]
    with db.read() as uow:
        assert len(uow.session.scalars(select(Product)).all()) == 6


def test_add_colour_size_and_switch_a_cell_off(services) -> None:  # type: ignore[no-untyped-def]
    style = _style(services)
    style = services.styles.add_colour(style.id, "NV", "藏青")
    style = services.styles.add_size(style.id, "XL")
    assert style.colours[-1] == ("NV", "藏青") and style.sizes == ("S", "M", "L", "XL")
    assert len(style.variants) == 12 and style.variant("NV", "XL") is not None
    with pytest.raises(ValidationError, match="given twice"):
        services.styles.add_size(style.id, "M")
    style = services.styles.set_variant_active(style.id, "NV", "S", False)
    assert not style.variant("NV", "S").active
    grid = services.style_grids.stock_grid("T2601").grid
    assert ("NV", "S") in grid.inactive
    rows = services.styles.list_styles()
    assert (rows[0].colours, rows[0].sizes, rows[0].variants) == (3, 4, 12)


def test_receive_sell_by_scan_and_sell_through(services, db) -> None:  # type: ignore[no-untyped-def]
    style = _style(services)
    lines = tuple(LineInput(v.product_id, qty * MILLI, 4000) for v, qty in
                  zip(style.variants, (2, 3, 1, 2, 2, 0), strict=True) if qty)
    supplier = services.suppliers.add(SupplierInput(name="简素服饰"))
    services.purchasing.post(NoteInput(supplier.id, lines))
    grid = services.style_grids.stock_grid("T2601").grid
    assert grid.row_total("BK") == 6 * MILLI and grid.column_total("M") == 5 * MILLI and grid.total == 10 * MILLI
    # sell by scanning the variants' barcodes: black S twice, white L is not stocked
    cart = Cart()
    for code in (style.variant("BK", "S").barcode, style.variant("BK", "S").barcode, style.variant("WH", "M").barcode):
        cart, _ = c.add(cart, services.checkout.line_for_scan(code))
    services.checkout.post_sale(cart, [Tender("cash", 3 * 9900)])
    grid = services.style_grids.stock_grid("T2601").grid
    assert grid.qty("BK", "S") == 0 and grid.qty("WH", "M") == MILLI
    today = local_today()
    rows = services.style_grids.sell_through(today - timedelta(days=6), today, level="style")
    assert [(r.sold, r.on_hand, r.rate_bp) for r in rows] == [(3 * MILLI, 7 * MILLI, 3000)]
    by_colour = services.style_grids.sell_through(today, today, level="colour")
    assert [(r.colour, r.sold, r.on_hand, r.rate_bp) for r in by_colour] == [
        ("黑色", 2 * MILLI, 4 * MILLI, 3333), ("白色", MILLI, 3 * MILLI, 2500)]
    by_size = services.style_grids.sell_through(today, today, level="size", style_code="T2601")
    assert [(r.size, r.rate_bp) for r in by_size] == [("S", 5000), ("M", 2000), ("L", 0)]
    # a period that ended before today's sale: nothing sold, and on hand is the stock of then
    before = services.style_grids.sell_through(today - timedelta(days=3), today - timedelta(days=1))
    assert [(r.sold, r.on_hand, r.rate_bp) for r in before] == [(0, 0, None)]
    sold = services.style_grids.sales_grid("T2601", today, today).grid
    assert sold.qty("BK", "S") == 2 * MILLI and sold.total == 3 * MILLI
    # 断码: black has S sold out while M and L remain; white never had L (0) while S and M remain
    broken = services.style_grids.broken_sizes()
    assert [(b.colour, b.missing, b.remaining) for b in broken] == [
        ("黑色", ("S",), ("M", "L")), ("白色", ("L",), ("S", "M"))]


def test_list_search_takes_like_characters_literally(services) -> None:  # type: ignore[no-untyped-def]
    """%, _ and \\ typed in the search match themselves (LIKE … ESCAPE), on SQLite and the server alike."""
    for code, name in (("A1", "T恤 100%棉"), ("B2", "卫衣 a_b"), ("C3", "裤 c\\d"), ("D4", "纯棉圆领T恤")):
        services.styles.create_style(StyleInput(code=code, name=name, colours=COLOURS[:1], sizes=SIZES[:1]))

    def found(text: str) -> list[str]:
        return [r.code for r in services.styles.list_styles(text)]

    assert found("") == ["A1", "B2", "C3", "D4"]
    assert (found("%"), found("_"), found("\\")) == (["A1"], ["B2"], ["C3"])
    assert (found("100%"), found("a_b"), found("c\\d"), found("0%棉")) == (["A1"], ["B2"], ["C3"], ["A1"])
    assert (found("a%b"), found("1_0"), found("_1"), found("%%")) == ([], [], [], [])
    assert (found("T恤"), found("B2")) == (["A1", "D4"], ["B2"])  # plain text still matches inside name or code

"""The catalog's table listing (ordered ids + rows by id), search order and category management."""

from __future__ import annotations

import pytest

from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.product_rules import ProductInput


def test_list_ids_filters_and_orders(services, make_product) -> None:  # type: ignore[no-untyped-def]
    tea = make_product("统一绿茶", 300, 200, 0, barcode="6901234567892")
    red = make_product("统一冰红茶", 350, 200, 0)
    ml = make_product("农夫山泉550ml", 200, 100, 0)
    lowercase = make_product("LED灯泡", 1500, 900, 0)
    cat = services.catalog
    assert cat.list_ids() == [tea.id, red.id, ml.id, lowercase.id]  # by code
    assert cat.list_ids(sort="sale_price", descending=True) == [lowercase.id, red.id, tea.id, ml.id]
    assert cat.list_ids("ty") == [tea.id, red.id]  # pinyin prefix
    assert cat.list_ids("TY") == [tea.id, red.id]
    assert cat.list_ids("红茶") == [red.id]  # name substring (Chinese)
    assert cat.list_ids("ML") == [ml.id]  # name substring, case-insensitive for Latin letters
    assert cat.list_ids("led") == [lowercase.id]
    assert cat.list_ids("6901234567892") == [tea.id]  # exact barcode
    assert cat.list_ids(tea.code[:5]) == [tea.id, red.id, ml.id, lowercase.id]  # code prefix
    assert cat.list_ids("%") == [] and cat.list_ids("_") == []  # LIKE wildcards are literal
    cat.set_active(red.id, False)
    assert cat.list_ids("ty") == [tea.id]
    assert cat.list_ids("ty", include_inactive=True) == [tea.id, red.id]
    with pytest.raises(ValidationError):
        cat.list_ids(sort="name; drop table product")


def test_rows_keep_the_order_given(services, make_product) -> None:  # type: ignore[no-untyped-def]
    a = make_product("甲", 100, 50, 2, barcode="6901234567892", category="饮料")
    b = make_product("乙", 200, 50, 0, barcode="")
    rows = services.catalog.rows([b.id, a.id, 999_999])
    assert [r.id for r in rows] == [b.id, a.id]
    assert rows[1].barcode == "6901234567892" and rows[1].category == "饮料" and rows[1].stock_qty == 2000
    assert rows[0].barcode == "" and rows[0].category == ""
    assert services.catalog.rows([]) == []


def test_rows_say_what_the_product_says(services, make_product) -> None:  # type: ignore[no-untyped-def]
    """Every column of a table row, read the table's way, against the product read the form's way."""
    cat = services.catalog
    pack = with_check_digit("690000000001")
    made = [cat.create_product(ProductInput(name="康师傅红烧牛肉面", sale_price=450, ref_cost=300, spec="5连包",
                                            min_stock=9000, category="方便面",
                                            barcodes=(("6901234567892", 1), (pack, 5))),
                               create_category=True, opening_qty=3000, opening_cost=300),
            make_product("散装大米", 300, 200, 0, barcode="", unit="千克"),
            make_product("停售的绿茶", 300, 200, 1)]
    cat.set_active(made[2].id, False)
    ids = [p.id for p in reversed(made)] * 2
    rows = cat.rows(ids)
    assert [r.id for r in rows] == ids
    for row in rows:
        p = cat.get(row.id)
        assert (row.code, row.name, row.pinyin, row.spec, row.unit, row.category, row.sale_price, row.ref_cost,
                row.avg_cost, row.stock_qty, row.stock_value, row.min_stock, row.active) == (
            p.code, p.name, p.pinyin, p.spec, p.unit, p.category, p.sale_price, p.ref_cost, p.avg_cost,
            p.stock_qty, p.stock_value, p.min_stock, p.active)
        assert row.barcode == (p.barcodes[0][0] if p.barcodes else "")
        assert type(row.active) is bool and type(row.stock_qty) is int
    assert rows[0].active is False and rows[2].barcode == "6901234567892" and rows[2].category == "方便面"


def test_search_order_and_inactive(services, make_product) -> None:  # type: ignore[no-untyped-def]
    long_name = make_product("可口可乐零度无糖大瓶装", 500, 300, 0)
    short = make_product("可口可乐", 300, 200, 0)
    by_code = make_product("别的商品", 100, 50, 0, barcode="6901234567892")
    assert [p.id for p in services.catalog.search("可乐")] == [short.id, long_name.id]  # shorter first
    assert [p.id for p in services.catalog.search("kkkl")] == [short.id, long_name.id]  # pinyin order
    assert [p.id for p in services.catalog.search("6901234567892")] == [by_code.id]
    services.catalog.set_active(short.id, False)
    assert [p.id for p in services.catalog.search("可乐")] == [long_name.id]
    assert {p.id for p in services.catalog.search("可乐", active_only=False)} == {short.id, long_name.id}
    assert len(services.catalog.search("可", limit=1)) == 1


def test_category_rename_and_delete(services) -> None:  # type: ignore[no-untyped-def]
    cat = services.catalog
    drinks = cat.create_category("饮料")
    snacks = cat.create_category("零食")
    with pytest.raises(ValidationError):
        cat.rename_category(snacks.id, "饮料")
    assert cat.rename_category(snacks.id, "休闲零食").name == "休闲零食"
    cat.create_product(ProductInput(name="可乐", category="饮料"))
    with pytest.raises(ValidationError, match="still holds 1 products"):
        cat.delete_category(drinks.id)
    cat.delete_category(snacks.id)
    assert [c.name for c in cat.categories()] == ["饮料"]
    with pytest.raises(NotFoundError):
        cat.delete_category(snacks.id)


def test_one_letter_lists_by_prefix_two_letters_anywhere(services, make_product) -> None:  # type: ignore[no-untyped-def]
    # One letter inside a 助记码 matches most of a shop (every "…号"), so the products table lists
    # one letter by prefix (助记码 or 全拼) or by the name holding it; from two letters, anywhere.
    wahaha = make_product(name="娃哈哈")  # whh / wahaha
    hongcha = make_product(name="红茶")  # hc / hongcha
    vc = make_product(name="维生素C")  # wssc
    cat = services.catalog
    assert cat.list_ids("h") == [hongcha.id]
    assert cat.list_ids("c") == [vc.id]  # the name holds the letter
    assert cat.list_ids("w") == [wahaha.id, vc.id]
    assert cat.list_ids("hh") == [wahaha.id]  # two letters: inside the 助记码 too
    assert cat.list_ids("haha") == [wahaha.id]  # inside the full pinyin from three letters

"""The catalog service on a real SQLite file: products, barcodes, pinyin, search, categories."""

from __future__ import annotations

import pytest

from jxc_desktop.domain.barcode import with_check_digit
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.catalog.products import pinyin_initials
from jxc_desktop.services.hub import Services
from jxc_desktop.services.stock import ledger

EAN = [with_check_digit(f"69012345678{i}") for i in range(10)]


def test_pinyin_initials() -> None:
    assert pinyin_initials("可口可乐") == "kkkl"
    assert pinyin_initials("农夫山泉 550ml") == "nfsq550ml"
    assert pinyin_initials("Coca-Cola 可乐") == "cocacolakl"


def test_create_assigns_code_pinyin_and_opening_stock(services: Services) -> None:
    p = services.catalog.create_product(
        ProductInput(name="农夫山泉", sale_price=200, ref_cost=120, category="饮料", barcodes=((EAN[0], 1),)),
        create_category=True, opening_qty=24_000, opening_cost=110)
    assert p.code == "000001" and p.pinyin == "nfsq" and p.category == "饮料"
    assert (p.stock_qty, p.stock_value, p.avg_cost) == (24_000, 2640, 110)
    q = services.catalog.create_product(ProductInput(name="怡宝"))
    assert q.code == "000002"
    with services.db.read() as uow:
        assert ledger.reconcile(uow.session) == []


@pytest.mark.parametrize("barcodes, message", [
    (((EAN[0][:-1] + str((int(EAN[0][-1]) + 1) % 10), 1),), "check digit"),
    ((("69012 3", 1),), "characters"),
    (((EAN[1], 1), (EAN[1], 12)), "twice"),
    (((EAN[1], 0),), "Pack size"),
])
def test_bad_barcodes_are_refused(services: Services, barcodes: tuple, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        services.catalog.create_product(ProductInput(name="测试", barcodes=barcodes))
    assert services.catalog.count() == 0


def test_in_store_codes_are_allowed_and_duplicates_refused(services: Services) -> None:
    a = services.catalog.create_product(ProductInput(name="散装糖果", barcodes=(("2000123", 1), (EAN[2], 1))))
    assert services.catalog.find_by_barcode("2000123").product.id == a.id  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="already belongs"):
        services.catalog.create_product(ProductInput(name="另一个", barcodes=((EAN[2], 1),)))
    with pytest.raises(ValidationError, match="already used"):
        services.catalog.create_product(ProductInput(name="同货号", code=a.code))


def test_case_barcode_scans_with_its_multiplier(services: Services) -> None:
    p = services.catalog.create_product(ProductInput(name="可乐", barcodes=((EAN[0], 1), (EAN[1], 24))))
    unit, case = services.catalog.find_by_barcode(EAN[0]), services.catalog.find_by_barcode(f" {EAN[1]} ")
    assert unit is not None and case is not None
    assert (unit.product.id, unit.multiplier) == (p.id, 1)
    assert (case.product.id, case.multiplier) == (p.id, 24)
    assert services.catalog.find_by_barcode(EAN[5]) is None
    assert services.catalog.find_by_barcode("") is None


def test_pinyin_follows_renames_unless_typed_by_hand(services: Services) -> None:
    p = services.catalog.create_product(ProductInput(name="可口可乐"))
    p = services.catalog.update_product(p.id, ProductInput(name="百事可乐"))
    assert p.pinyin == "bskl" and not p.pinyin_manual
    p = services.catalog.update_product(p.id, ProductInput(name="百事可乐", pinyin="PEPSI"))
    assert p.pinyin == "pepsi" and p.pinyin_manual
    p = services.catalog.update_product(p.id, ProductInput(name="百事可乐 无糖"))
    assert p.pinyin == "pepsi"  # kept: the owner typed it


def test_update_moves_barcodes_and_refuses_one_of_another_product(services: Services) -> None:
    a = services.catalog.create_product(ProductInput(name="甲", barcodes=((EAN[0], 1),)))
    b = services.catalog.create_product(ProductInput(name="乙", barcodes=((EAN[1], 1),)))
    a = services.catalog.update_product(a.id, ProductInput(name="甲", barcodes=((EAN[2], 1), (EAN[3], 6))))
    assert set(a.barcodes) == {(EAN[2], 1), (EAN[3], 6)}
    assert services.catalog.find_by_barcode(EAN[0]) is None
    with pytest.raises(ValidationError, match="already belongs"):
        services.catalog.update_product(b.id, ProductInput(name="乙", barcodes=((EAN[2], 1),)))
    assert services.catalog.get(b.id).barcodes == ((EAN[1], 1),)


def test_validation_messages(services: Services) -> None:
    for data, message in [
        (ProductInput(name="  "), "Name is required"),
        (ProductInput(name="x" * 121), "longer than"),
        (ProductInput(name="坏\x07名"), "control characters"),
        (ProductInput(name="负", sale_price=-1), "negative"),
        (ProductInput(name="库存", min_stock=5000, max_stock=1000), "above maximum"),
        (ProductInput(name="货号", code="有 空格"), "Code"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.catalog.create_product(data)
    with pytest.raises(NotFoundError):
        services.catalog.update_product(999, ProductInput(name="无"))


def test_search_order_barcode_code_pinyin_name(services: Services) -> None:
    a = services.catalog.create_product(ProductInput(name="可口可乐", code="KK01", barcodes=((EAN[0], 1),)))
    b = services.catalog.create_product(ProductInput(name="可乐糖"))
    c = services.catalog.create_product(ProductInput(name="百事可乐"))
    assert [p.id for p in services.catalog.search(EAN[0])] == [a.id]
    assert [p.id for p in services.catalog.search("KK01")][0] == a.id
    assert [p.id for p in services.catalog.search("kk")] == [a.id]
    assert [p.id for p in services.catalog.search("KL")][0] == b.id  # pinyin prefix, case-insensitive
    assert {p.id for p in services.catalog.search("可乐")} == {a.id, b.id, c.id}
    assert services.catalog.search("可乐")[0].id == b.id  # shorter names first
    assert services.catalog.search("%") == [] and services.catalog.search("   ") == []


def test_deactivated_products_leave_search_and_history_blocks_delete(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("旧商品", 100, 50, 3)
    services.catalog.set_active(p.id, False)
    assert services.catalog.search("旧商品") == []
    assert [x.id for x in services.catalog.search("旧商品", active_only=False)] == [p.id]
    with pytest.raises(ValidationError, match="history"):
        services.catalog.delete_unused(p.id)
    fresh = make_product("打错的", 100, 50, 0)
    services.catalog.delete_unused(fresh.id)
    with pytest.raises(NotFoundError):
        services.catalog.get(fresh.id)


def test_categories(services: Services) -> None:
    food = services.catalog.create_category("食品")
    snack = services.catalog.create_category("零食", parent_id=food.id)
    assert {(c.name, c.parent_id) for c in services.catalog.categories()} == {("食品", None), ("零食", food.id)}
    with pytest.raises(ValidationError, match="already exists"):
        services.catalog.create_category("零食")
    with pytest.raises(ValidationError, match="Unknown category"):
        services.catalog.create_product(ProductInput(name="薯片", category="不存在"))
    services.catalog.create_product(ProductInput(name="薯片", category="零食"))
    with pytest.raises(ValidationError, match="still holds"):
        services.catalog.delete_category(snack.id)
    with pytest.raises(ValidationError, match="sub-categories"):
        services.catalog.delete_category(food.id)


def test_product_in_a_held_cart_is_not_deleted(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain.cart import Cart, CartLine

    held = make_product("挂单里的", 300, 200, 0)
    other = make_product("别的", 300, 200, 0)
    services.held_sales.hold(Cart((CartLine(product_id=held.id, name=held.name, unit_price=300, qty=1000),)))
    with pytest.raises(ValidationError, match="history"):
        services.catalog.delete_unused(held.id)
    services.catalog.delete_unused(other.id)  # never sold, bought, counted or held
    with pytest.raises(NotFoundError):
        services.catalog.get(other.id)

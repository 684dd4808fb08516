"""What goes on the labels (services/catalog/labels.py): picked products, a purchase note's lines, and
the products whose sale price changed since a day (read back from the audit trail)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.services.catalog.label_items import copies_for_line
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput


def _input(services: Services, product_id: int) -> ProductInput:
    p = services.catalog.get(product_id)
    return ProductInput(name=p.name, code=p.code, spec=p.spec, unit=p.unit, category=p.category,
                        sale_price=p.sale_price, ref_cost=p.ref_cost, barcodes=p.barcodes)


def test_items_for_products_in_order_with_copies(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    a = make_product("康师傅红烧牛肉面", 450, spec="110g", unit="桶")
    b = make_product("散装花生", 1290, barcode="")
    items = services.labels.for_products([(b.id, 3), (a.id, 1)])
    assert [(i.product_id, i.copies) for i in items] == [(b.id, 3), (a.id, 1)]
    first, second = items
    assert second.name == "康师傅红烧牛肉面" and second.spec == "110g" and second.unit == "桶"
    assert second.price == 450 and second.barcode == a.barcodes[0][0]
    assert first.barcode == ""  # no barcode: the label prints the product code as CODE128
    # No member price, origin, colour or size exist yet: the slots stay empty.
    assert first.member_price is None and first.origin == "" and first.colour is None and first.size is None


def test_a_case_barcode_is_not_printed_on_a_unit_label(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("矿泉水", 200, barcode="")
    services.catalog.update_product(p.id, replace(_input(services, p.id),
                                                  barcodes=(("6901234567892", 12), ("6920000000005", 1))))
    assert services.labels.for_products([(p.id, 1)])[0].barcode == "6920000000005"


def test_bad_choices(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("商品")
    with pytest.raises(NotFoundError):
        services.labels.for_products([(999, 1)])
    with pytest.raises(ValidationError):
        services.labels.for_products([(p.id, 0)])
    with pytest.raises(ValidationError):
        services.labels.for_products([])
    with pytest.raises(NotFoundError):
        services.labels.for_codes(["NOPE"])
    assert services.labels.for_codes([p.code, p.barcodes[0][0]])[1].product_id == p.id


def test_purchase_note_lines(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    rice = make_product("大米 5kg", 3500, barcode="")
    nuts = make_product("称重花生", 1990, unit="kg")
    sup = services.suppliers.add(SupplierInput(name="粮油批发"))
    note = services.purchasing.post(NoteInput(sup.id, (LineInput(rice.id, 10_000, 2800),
                                                      LineInput(nuts.id, 2_500, 1200))))
    per_line = services.labels.for_purchase(note.number)
    assert [(i.product_id, i.copies) for i in per_line] == [(rice.id, 1), (nuts.id, 1)]
    per_unit = services.labels.for_purchase(note.number.lower(), per_unit=True)
    assert [(i.product_id, i.copies) for i in per_unit] == [(rice.id, 10), (nuts.id, 3)]  # 2.5 kg: 3
    with pytest.raises(NotFoundError):
        services.labels.for_purchase("CG19990101-0001")
    draft = services.purchasing.save_draft(NoteInput(sup.id, (LineInput(rice.id, 1000, 2800),)))
    with pytest.raises(ValidationError, match="posted purchase note"):
        services.labels.for_purchase(draft.number)


def test_copies_for_line() -> None:
    assert copies_for_line(1, True) == 1 and copies_for_line(1000, True) == 1
    assert copies_for_line(1001, True) == 2 and copies_for_line(24_000, False) == 1


def test_price_changes_since_a_day(services: Services, make_product, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JXC_NOW", "2026-06-15T12:00")  # mid-day: the changes and "today" one day at any hour
    cola = make_product("可乐", 300)
    chips = make_product("薯片", 650)
    water = make_product("矿泉水", 200)
    make_product("没改价的", 100)
    services.catalog.update_product(cola.id, replace(_input(services, cola.id), sale_price=350))
    services.catalog.update_product(chips.id, replace(_input(services, chips.id), ref_cost=400))  # cost only
    services.catalog.update_product(water.id, replace(_input(services, water.id), sale_price=250))
    services.catalog.update_product(cola.id, replace(_input(services, cola.id), sale_price=380))  # again
    today = local_today()
    items = services.labels.changed_since(today)
    assert [(i.product_id, i.price) for i in items] == [(cola.id, 380), (water.id, 250)]
    assert services.labels.changed_since(today + timedelta(days=1)) == []


def test_a_till_discount_is_not_a_price_change(services: Services, make_product, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JXC_NOW", "2026-06-15T12:00")
    from jxc_desktop.services.safety.audit import PRICE_CHANGE

    make_product("可乐", 300)
    services.audit.record(PRICE_CHANGE, document="XS20261201-0001", after={"discount": 50})
    assert services.labels.changed_since(local_today()) == []

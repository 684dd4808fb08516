"""Suppliers: add, edit, deactivate, period totals and last purchase date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jxc_desktop.domain.clock import local_day
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.services.purchasing.dto import (
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
    SupplierInput,
)

AT = datetime(2026, 11, 10, 4, 0, tzinfo=UTC)


def test_add_edit_deactivate(services) -> None:
    sup = services.suppliers.add(SupplierInput("  统一食品  ", contact="王经理", phone="138 0000 0000"))
    assert (sup.name, sup.active, sup.last_purchase_date) == ("统一食品", True, None)
    with pytest.raises(ValidationError, match="already exists"):
        services.suppliers.add(SupplierInput("统一食品"))
    with pytest.raises(ValidationError, match="required"):
        services.suppliers.add(SupplierInput("   "))
    with pytest.raises(ValidationError, match="Phone"):
        services.suppliers.add(SupplierInput("坏电话", phone="abc"))
    other = services.suppliers.add(SupplierInput("可口可乐"))
    with pytest.raises(ValidationError, match="already exists"):
        services.suppliers.edit(other.id, SupplierInput("统一食品"))
    edited = services.suppliers.edit(sup.id, SupplierInput("统一食品", address="杭州"))
    assert edited.address == "杭州" and edited.contact == ""
    services.suppliers.set_active(other.id, False)
    assert [s.name for s in services.suppliers.list(active_only=True)] == ["统一食品"]
    assert [s.name for s in services.suppliers.list()] == ["统一食品", "可口可乐"]
    assert [s.name for s in services.suppliers.list(text="tysp")] == ["统一食品"]
    assert [s.name for s in services.suppliers.list(text="可口")] == ["可口可乐"]
    assert services.suppliers.find_by_name("统一食品").id == sup.id
    assert services.suppliers.find_by_name("不存在") is None
    with pytest.raises(NotFoundError):
        services.suppliers.get(9999)


def test_deactivated_supplier_cannot_receive(services, make_product) -> None:
    sup = services.suppliers.add(SupplierInput("旧供应商"))
    services.suppliers.set_active(sup.id, False)
    p = make_product()
    with pytest.raises(ValidationError, match="deactivated"):
        services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 1000, 100),)), at=AT)


def test_purchases_in_period_and_last_date(services, make_product) -> None:
    sup = services.suppliers.add(SupplierInput("农夫山泉"))
    idle = services.suppliers.add(SupplierInput("闲置供应商"))
    p = make_product("水", 200, 100)
    first = services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 10_000, 100),)), at=AT)
    services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 10_000, 120),)), at=AT + timedelta(days=5))
    late = services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 1_000, 999),)), at=AT + timedelta(days=6))
    services.purchasing.reverse(late.id, at=AT + timedelta(days=6))  # reversed: not counted
    services.purchasing.post_return(ReturnInput(None, (ReturnLineInput(p.id, 2_000, first.lines[0].id),),
                                                origin_id=first.id), at=AT + timedelta(days=5))
    rows = {r.name: r for r in services.suppliers.purchases_in_period(local_day(AT), local_day(AT) + timedelta(5))}
    r = rows["农夫山泉"]
    assert (r.purchase_count, r.purchase_total, r.return_count, r.return_total) == (2, 2200, 1, 220)
    assert r.net == 1980 and r.last_purchase_date == local_day(AT) + timedelta(days=5)
    assert rows["闲置供应商"].purchase_count == 0 and rows["闲置供应商"].last_purchase_date is None
    only_first = services.suppliers.purchases_in_period(local_day(AT), local_day(AT))
    assert next(x for x in only_first if x.supplier_id == sup.id).purchase_total == 1000
    assert services.suppliers.get(idle.id).last_purchase_date is None
    with pytest.raises(ValidationError):
        services.suppliers.purchases_in_period(local_day(AT), local_day(AT) - timedelta(1))

"""The member directory on a real SQLite file: levels seeded once, members added by phone or card,
found by card, phone and its last 4 digits, bad input refused with nothing written, the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from jxc_desktop.db.models import AuditLog, Customer, MemberLevel
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.services.accounts.dto import CustomerInput
from jxc_desktop.services.members.dto import LevelInput, MemberInput


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def test_levels_are_seeded_once_when_first_listed(services, db) -> None:  # type: ignore[no-untyped-def]
    assert _count(db, MemberLevel) == 0
    levels = services.members.levels()
    assert [(lv.name, lv.price_pct, lv.points_pct) for lv in levels] == [
        ("普通", 100, 100), ("银卡", 95, 100), ("金卡", 90, 150)]
    assert services.members.levels() == levels and _count(db, MemberLevel) == 3
    assert services.members.seed_levels() is False


def test_level_edit_refuses_a_taken_name_and_the_last_active(services) -> None:  # type: ignore[no-untyped-def]
    services.members.levels()
    vip = services.members.add_level(LevelInput("钻石卡", 85, 200, 3))
    with pytest.raises(ValidationError, match="already exists"):
        services.members.add_level(LevelInput("钻石卡"))
    with pytest.raises(ValidationError, match="1 to 100"):
        services.members.update_level(vip.id, LevelInput("钻石卡", 0))
    changed = services.members.update_level(vip.id, LevelInput("钻石卡", 80, 200, 3))
    assert changed.price_pct == 80


def test_add_by_phone_makes_a_name_and_finds_by_tail(services, db) -> None:  # type: ignore[no-untyped-def]
    a = services.members.add(MemberInput(phone="138 0013 1234"))
    b = services.members.add(MemberInput(phone="13900001234", name="李四", level="金卡", birthday=date(1990, 5, 1)))
    c = services.members.add(MemberInput(phone="13700005678", card="vip-001"))
    assert (a.name, a.phone, a.level, a.points, a.stored_value) == ("会员 1234", "13800131234", "普通", 0, 0)
    assert a.joined_on is not None and b.level == "金卡" and b.price_pct == 90 and c.card == "VIP-001"
    # the last 4 digits: a pick list of both; the full phone or the card: the one member
    assert {m.id for m in services.members.find("1234")} == {a.id, b.id}
    assert [m.id for m in services.members.find("13900001234")] == [b.id]
    assert [m.id for m in services.members.find("VIP-001")] == [c.id]
    assert [m.id for m in services.members.find("李四")] == [b.id]
    assert services.members.find("0000") == []
    assert services.members.by_key("vip-001").id == c.id and services.members.by_key("13800131234").id == a.id
    with pytest.raises(NotFoundError, match="No member with phone or card 1234"):
        services.members.by_key("1234")
    # a second member with only a phone ending in 1234 gets a name of its own
    d = services.members.add(MemberInput(card="X1234"))
    assert d.name == "会员 1234 (2)"
    with db.read() as uow:
        actions = list(uow.session.scalars(select(AuditLog.action).where(AuditLog.action == "member_added")))
    assert len(actions) == 4


def test_bad_members_write_nothing(services, db) -> None:  # type: ignore[no-untyped-def]
    services.members.add(MemberInput(phone="13800001111", card="C1"))
    services.customers.add(CustomerInput("王五", phone="13800002222"))
    before = _count(db, Customer)
    bad = [
        (MemberInput(phone="13800001111"), "already used by another member"),
        (MemberInput(phone="138-0000-1111"), "already used by another member"),
        (MemberInput(card="c1"), "card C1 is already used"),
        (MemberInput(card="13800001111"), "another member's phone"),
        (MemberInput(phone="C1X"), "3 to 20 digits"),
        (MemberInput(), "phone number or a card number"),
        (MemberInput(phone="13800003333", name="王五"), "already exists"),
        (MemberInput(phone="13800003333", level="黑卡"), "No member level 黑卡"),
        (MemberInput(card="卡 1"), "letters, digits"),
    ]
    for data, message in bad:
        with pytest.raises((ValidationError, NotFoundError), match=message):
            services.members.add(data)
    assert _count(db, Customer) == before
    # a non-member customer's phone is not a member's: a member may have it
    assert services.members.add(MemberInput(phone="13800002222")).phone == "13800002222"


def test_edit_keeps_balances_and_is_audited(services, db) -> None:  # type: ignore[no-untyped-def]
    m = services.members.add(MemberInput(phone="13800001111"))
    other = services.members.add(MemberInput(phone="13800002222"))
    with pytest.raises(ValidationError, match="already used"):
        services.members.update(m.id, MemberInput(phone="13800002222"))
    changed = services.members.update(m.id, MemberInput(phone="13800001111", card="A9", name="张三", level="银卡"))
    assert (changed.name, changed.card, changed.level, changed.joined_on) == ("张三", "A9", "银卡", m.joined_on)
    assert services.members.get(m.id) == changed
    assert services.members.set_active(other.id, False).active is False
    assert [x.id for x in services.members.find("2222")] == []
    with db.read() as uow:
        before, after = uow.session.execute(select(AuditLog.before, AuditLog.after)
                                            .where(AuditLog.action == "member_changed")).one()
    assert "银卡" in after and "普通" in before
    levels = {lv.name: lv.members for lv in services.members.levels()}
    assert levels == {"普通": 1, "银卡": 1, "金卡": 0}


def test_a_member_with_sales_is_not_deleted(services, make_product) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain import cart as c
    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.domain.errors import StateError
    from jxc_desktop.services.sales.dto import Tender

    cola = make_product("可乐", 350, 200, 10)
    m = services.members.add(MemberInput(phone="13800001111"))
    cart = services.members.cart_for_member(c.add(Cart(), services.checkout.line_for_product(cola.id))[0], m.id)
    services.checkout.post_sale(cart, [Tender("cash", 350)])
    with pytest.raises(StateError, match="cannot be deleted"):
        services.customers.delete(m.id)
    assert services.members.get(m.id).name == m.name

"""Member reports on a real SQLite file: visits, sales less returns and the member-price saving per
member, top members first, the members' share of all sales, a reversed-day boundary, and what the
shop owes its members; the same through the report catalogue (tab, jxc report, PDF, xlsx)."""

from __future__ import annotations

from datetime import timedelta

from jxc_desktop.db.models import Customer
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_day, utcnow
from jxc_desktop.domain.periods import Period
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.services.reporting.dto import ReportKind, ReportRequest
from jxc_desktop.services.reporting.tables import build
from jxc_desktop.services.sales.dto import ReturnItem, Tender


def _sell(services, product_id: int, qty: int, member_id: int | None, *, at=None):  # type: ignore[no-untyped-def]
    cart, _ = c.add(Cart(), services.checkout.line_for_product(product_id, qty))
    if member_id is not None:
        cart = services.members.cart_for_member(cart, member_id)
    total = services.checkout.price(cart).total
    return services.checkout.post_sale(cart, [Tender("cash", total)], at=at)


def test_member_sales_top_members_share_and_liabilities(services, db, make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 1000, 500, 100)
    gold = services.members.add(MemberInput(phone="13800001111", name="金卡甲", level="金卡"))  # 90折
    plain = services.members.add(MemberInput(phone="13800002222", name="普通乙"))  # 100: retail
    now = utcnow()
    old = _sell(services, cola.id, 5000, gold.id, at=now - timedelta(days=40))  # before the period
    first = _sell(services, cola.id, 2000, gold.id, at=now)  # 18.00, saved 2.00
    _sell(services, cola.id, 1000, gold.id, at=now)  # 9.00, saved 1.00
    _sell(services, cola.id, 3000, plain.id, at=now)  # 30.00 at retail
    _sell(services, cola.id, 4000, None, at=now)  # 40.00, no member
    services.checkout.post_return(first.number, [ReturnItem(first.lines[0].id, 1000)], at=now)  # −9.00, −1.00 saved
    assert old.member_id == gold.id

    today = local_day(now)
    rep = services.members.sales(today, today)
    assert [(r.name, r.visits, r.sales, r.saved) for r in rep.rows] == [("普通乙", 1, 3000, 0), ("金卡甲", 2, 1800, 200)]
    assert (rep.visits, rep.sales, rep.saved) == (3, 4800, 200)
    assert rep.member_share_pct == 55  # 48.00 of 87.00
    assert [r.name for r in services.members.sales(today, today, top=1).rows] == ["普通乙"]
    summary = services.members.summary(gold.id)
    assert (summary.visits, summary.spent, summary.last_visit) == (3, 4500 + 1800 + 900 - 900, today)

    plain_points = services.member_money.balances(plain.id)[0]  # what 30 yuan at retail earned (mem-money)
    assert plain_points > 0
    with db.write() as uow:  # the gold member's balances set outright
        uow.session.get(Customer, gold.id).points = 120
        uow.session.get(Customer, gold.id).stored_value = 5000
        uow.commit()
    owed = services.members.liabilities()
    assert (owed.members, owed.points, owed.stored_value, owed.members_with_points) == (2, 120 + plain_points, 5000, 2)

    built = build(services.reports, ReportRequest(ReportKind.MEMBERS, Period(today, today)))
    table = built.table
    assert [row[0] for row in table.rows] == ["普通乙", "金卡甲"]
    assert table.total == ("Total", "", "", 3, 4800, 200, None)
    assert "55%" in table.notes[0] and f"{120 + plain_points} points" in table.notes[1] and "¥50.00" in table.notes[1]

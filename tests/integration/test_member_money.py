"""Members' money through the services on a real file: stored value and points as tenders, points
earned per line, a return of one line taking back and giving back the shares, top-ups with bonus
(numbered, in the shift's drawer, not in the profit report), the owner's adjustments in the audit
trail, and bad input refused with nothing written."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from jxc_desktop.db.models import AuditLog, CashMove, Customer, MemberLevel, PointsMove, Sale, StoredValueMove
from jxc_desktop.domain.cart import Cart, CartLine
from jxc_desktop.domain.errors import NotFoundError, StateError, ValidationError
from jxc_desktop.domain.periods import Grouping, Period
from jxc_desktop.services.members.money_dto import StoredValueNeedsOwner
from jxc_desktop.services.safety.books_check import run_check
from jxc_desktop.services.sales.dto import ReturnItem, Tender

AT = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # noon in the shop
DAY = date(2026, 3, 2)


def member(db, name: str = "张三", *, points_pct: int = 100, phone: str = "13800001234") -> int:  # type: ignore[no-untyped-def]
    """A member straight into the tables (the directory is mem-core's; this file tests the money)."""
    with db.write() as uow:
        s = uow.session
        level = s.scalar(select(MemberLevel).where(MemberLevel.points_pct == points_pct))
        if level is None:
            level = MemberLevel(name=f"L{points_pct}", price_pct=100, points_pct=points_pct)
            s.add(level)
            s.flush()
        c = Customer(name=name, phone=phone, member_level_id=level.id, joined_on=DAY)
        s.add(c)
        s.flush()
        cid = c.id
        uow.commit()
    return cid


def cart(*lines: tuple[int, int, int]) -> Cart:
    """(product id, unit price fen, units)"""
    return Cart(tuple(CartLine(pid, f"p{pid}", price, qty * 1000) for pid, price, qty in lines))


def counts(db) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with db.read() as uow:
        s = uow.session
        return (s.scalar(select(func.count()).select_from(Sale)) or 0,
                s.scalar(select(func.count()).select_from(PointsMove)) or 0,
                s.scalar(select(func.count()).select_from(StoredValueMove)) or 0)


def test_sale_pays_with_stored_value_and_points_and_earns(db, services, make_product) -> None:  # type: ignore[no-untyped-def]
    a, b = make_product("大米", 5000, 3000, qty=20), make_product("食用油", 3000, 2000, qty=20)
    mid = member(db, points_pct=150)
    top = services.member_money.topup(mid, 10000, bonus=1000, method="wechat", at=AT)
    assert top.number == "CZ20260302-0001" and top.stored_value == 11000
    services.member_money.adjust_points(mid, 500, "开卡送积分")
    # 2 × 50 + 1 × 30 = 130 yuan: 60 stored value, 5 yuan in points (500 points), 65 cash
    sale = services.checkout.post_sale(cart((a.id, 5000, 2), (b.id, 3000, 1)),
                                       [Tender("stored_value", 6000), Tender("points", 500), Tender("cash", 7000)],
                                       at=AT, member_id=mid)
    assert {p.method: p.amount for p in sale.payments} == {"cash": 6500, "stored_value": 6000, "points": 500}
    points, value = services.member_money.balances(mid)
    # earned on 130 − 5 yuan paid in points = 125 yuan × 1 × 150 % = 187 points (rounded down)
    assert value == 11000 - 6000
    assert points == 500 - 500 + 187
    ledger = services.member_money.points_ledger(mid)
    assert [(m.kind, m.points) for m in ledger] == [("adjust", 500), ("redeem", -500), ("earn", 187)]
    assert ledger[-1].balance == points and ledger[-1].sale == sale.number
    with db.read() as uow:
        line_points = uow.session.execute(text(
            "SELECT points FROM sale_line WHERE sale_id = (SELECT id FROM sale WHERE number = :n) ORDER BY line_no"),
            {"n": sale.number}).scalars().all()
        assert sum(line_points) == 187 and line_points[0] > line_points[1]
        assert uow.session.scalar(select(Sale.member_id).where(Sale.number == sale.number)) == mid
    assert [p for p in run_check(db).problems if p.kind == "members"] == []


def test_return_of_one_line_then_the_rest_gives_every_share_back(db, services, make_product) -> None:  # type: ignore[no-untyped-def]
    a, b = make_product("大米", 3333, 2000, qty=20), make_product("酱油", 1111, 500, qty=20)
    mid = member(db)
    services.member_money.topup(mid, 20000, at=AT, method="alipay")
    services.member_money.adjust_points(mid, 1000, "补录")
    sale = services.checkout.post_sale(cart((a.id, 3333, 3), (b.id, 1111, 1)),
                                       [Tender("stored_value", 7001), Tender("points", 333), Tender("cash", 3777)],
                                       at=AT, member_id=mid)
    points_after_sale, value_after_sale = services.member_money.balances(mid)
    assert value_after_sale == 20000 - 7001
    # return one of the three rice bags: a third of that line's points, the line's share of the money
    first = services.checkout.post_return(sale.number, [ReturnItem(sale.lines[0].id, 1000)],
                                          at=AT + timedelta(hours=1))
    paid = {p.method: p.amount for p in first.payments}
    assert first.total == 3333 and sum(paid.values()) == 3333
    assert paid["stored_value"] == round(7001 * 3333 / 11110) and paid["points"] == round(333 * 3333 / 11110)
    pts, val = services.member_money.balances(mid)
    assert val == value_after_sale + paid["stored_value"]
    with db.read() as uow:
        earned = uow.session.execute(text("SELECT points FROM sale_line WHERE sale_id = "
                                          "(SELECT id FROM sale WHERE number = :n) ORDER BY line_no"),
                                     {"n": sale.number}).scalars().all()
    assert pts == points_after_sale - round(earned[0] / 3) + paid["points"]  # rate 100: 1 point a fen
    # the rest of the sale comes back: every balance is where it was before the sale
    rest = services.checkout.post_return(sale.number, [ReturnItem(sale.lines[0].id, 2000),
                                                       ReturnItem(sale.lines[1].id, 1000)],
                                         at=AT + timedelta(hours=2))
    assert rest.total == 11110 - 3333
    assert services.member_money.balances(mid) == (1000, 20000)
    assert [p for p in run_check(db).problems if p.kind == "members"] == []


def test_more_than_the_balances_is_refused_with_nothing_written(db, services, make_product) -> None:  # type: ignore[no-untyped-def]
    a = make_product("大米", 5000, 3000, qty=20)
    mid = member(db)
    services.member_money.topup(mid, 1000, at=AT)
    before = counts(db)
    with pytest.raises(ValidationError, match="stored value is ¥10.00"):
        services.checkout.post_sale(cart((a.id, 5000, 1)), [Tender("stored_value", 2000), Tender("cash", 3000)],
                                    at=AT, member_id=mid)
    with pytest.raises(ValidationError, match="holds 0 points"):
        services.checkout.post_sale(cart((a.id, 5000, 1)), [Tender("points", 100), Tender("cash", 4900)],
                                    at=AT, member_id=mid)
    with pytest.raises(ValidationError, match="Choose the member"):
        services.checkout.post_sale(cart((a.id, 5000, 1)), [Tender("stored_value", 100), Tender("cash", 4900)],
                                    at=AT)
    assert counts(db) == before and services.member_money.balances(mid) == (0, 1000)


def test_stored_value_above_the_limit_needs_the_owner(db, services, make_product) -> None:  # type: ignore[no-untyped-def]
    a = make_product("茅台", 100000, 80000, qty=5)
    mid = member(db)
    services.settings.update({"member_sv_pin_limit": "500"})
    services.member_money.topup(mid, 200000, at=AT)
    with pytest.raises(StoredValueNeedsOwner) as exc:
        services.checkout.post_sale(cart((a.id, 100000, 1)), [Tender("stored_value", 100000)], at=AT, member_id=mid)
    assert exc.value.needs_owner
    assert services.member_money.balances(mid)[1] == 200000
    services.checkout.post_sale(cart((a.id, 100000, 1)), [Tender("stored_value", 100000)], at=AT, member_id=mid,
                                member_override=True, approved_by="老板")
    assert services.member_money.balances(mid)[1] == 100000


def test_no_points_on_promoted_lines_unless_the_setting_says(db, services) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.services.members.sale_money import sale_money_in

    mid = member(db)
    for setting, expected in (("0", [100, 0]), ("1", [100, 50])):
        services.settings.update({"member_points_on_promoted": setting})
        with db.write() as uow:  # rolled back: only the figures are wanted
            shares = sale_money_in(uow.session, mid, sale_id=None, number="X", at=AT, day=DAY, total=15000,  # type: ignore[arg-type]
                                   lines=[(10000, False), (5000, True)], stored_value=0, points_fen=0)
        assert shares == expected


def test_a_special_price_line_earns_nothing_but_a_threshold_share_still_earns(db, services, make_product) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: no points "on lines already at a special price"; a 满减 only lowers what is paid."""
    from jxc_desktop.domain.promotion_rules import Kind
    from jxc_desktop.services.promotions.dto import PromotionInput

    a = make_product("大米", 5000, 3000, qty=20)
    b = make_product("花生油", 3000, 2000, qty=20)
    start = datetime(2026, 3, 1)  # local wall clock; AT is noon of 2 March
    services.promotions.add(PromotionInput("花生油特价", Kind.SPECIAL_PRICE, start, products=((b.id, 2500),)))
    services.promotions.add(PromotionInput("满50减5", Kind.THRESHOLD, start, threshold=5000, reduction=500))
    mid = member(db)
    for setting, points in (("0", 45), ("1", 70)):
        services.settings.update({"member_points_on_promoted": setting})
        sale = services.checkout.post_sale(cart((a.id, 5000, 1), (b.id, 3000, 1)), [Tender("cash", 7000)],
                                           at=AT, member_id=mid)
        # the oil at ¥25 (special price, line-level); the rice alone reaches ¥50: ¥5 off it
        assert sale.total == 7000 and [ln.promo_discount for ln in sale.lines] == [500, 500]
        # setting off: the rice's ¥45 paid earns, the special-price oil nothing; on: all ¥70
        assert sale.points_earned == points
    assert services.member_money.balances(mid)[0] == 45 + 70
    assert [p for p in run_check(db).problems if p.kind == "members"] == []


def test_topup_in_cash_goes_into_the_shift_drawer_not_the_profit(db, services, make_product) -> None:  # type: ignore[no-untyped-def]
    mid = member(db)
    pid = services.staff.add("小王", "01", "1234").id
    services.settings.update({"use_shifts": "1"})
    with pytest.raises(StateError):
        services.member_money.topup(mid, 10000, at=AT)
    shift = services.shifts.open(pid, 5000, at=AT)
    sid = shift.id
    r = services.member_money.topup(mid, 10000, bonus=1000, at=AT + timedelta(minutes=5), shift_id=sid, person_id=pid)
    assert r.stored_value == 11000
    with db.read() as uow:
        moves = uow.session.scalars(select(CashMove).where(CashMove.shift_id == sid)).all()
        assert [(m.amount, m.reason) for m in moves] == [(10000, f"储值充值 {r.number}")]
    assert services.shifts.get(sid).expected == 15000
    profit = services.reports.profit(Period(DAY, DAY), Grouping.DAY)
    assert sum(getattr(row, "revenue", 0) for row in profit.rows) == 0
    liab = services.member_money.figures(DAY, DAY)
    assert (liab.stored_value, liab.topups, liab.bonus, liab.spent) == (11000, 10000, 1000, 0)


def test_bad_topups_and_adjustments(db, services) -> None:  # type: ignore[no-untyped-def]
    mid = member(db)
    with pytest.raises(ValidationError, match="more than zero"):
        services.member_money.topup(mid, 0, at=AT)
    with pytest.raises(ValidationError):
        services.member_money.topup(mid, 100, method="credit", at=AT)
    with pytest.raises(NotFoundError):
        services.member_money.topup(mid + 99, 100, at=AT)
    with pytest.raises(ValidationError, match="Say why"):
        services.member_money.adjust_stored_value(mid, 500, "")
    with pytest.raises(ValidationError, match="cannot be paid"):
        services.member_money.adjust_stored_value(mid, -500, "错充")
    assert counts(db)[1:] == (0, 0)
    assert services.member_money.adjust_stored_value(mid, 500, "补差", actor="老板") == 500
    assert services.member_money.adjust_points(mid, -0 + 7, "活动") == 7
    with db.read() as uow:
        actions = uow.session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
        assert "stored_value_adjust" in actions and "points_adjust" in actions


def test_check_finds_tampered_ledgers(db, services, make_product) -> None:  # type: ignore[no-untyped-def]
    a = make_product("大米", 5000, 3000, qty=20)
    mid = member(db)
    services.member_money.topup(mid, 10000, at=AT)
    sale = services.checkout.post_sale(cart((a.id, 5000, 1)), [Tender("stored_value", 5000)], at=AT, member_id=mid)
    assert [p for p in run_check(db).problems if p.kind == "members"] == []
    with db.write() as uow:
        uow.session.execute(text("UPDATE customer SET points = points + 7, stored_value = stored_value + 100"))
        uow.session.execute(text("UPDATE payment SET amount = amount + 1 WHERE method = 'stored_value'"))
        uow.session.execute(text("UPDATE sale_line SET points = points + 1"))
        uow.commit()
    found = [(p.where, p.detail, p.document) for p in run_check(db).problems if p.kind == "members"]
    assert any("points" in d and w == f"member:{mid}" for w, d, _n in found)
    assert any("stored value 5100" in d for _w, d, _n in found)
    assert any(n == sale.number and "stored value" in d for _w, d, n in found)
    assert any(n == sale.number and "lines' points 51 but the points moves are 50" in d for _w, d, n in found)


def test_cash_book_takes_topups_as_money_and_stored_value_as_none(db, services, make_product) -> None:  # type: ignore[no-untyped-def]
    a = make_product("大米", 5000, 3000, qty=20)
    mid = member(db)
    services.member_money.topup(mid, 10000, bonus=500, method="wechat", at=AT)
    services.checkout.post_sale(cart((a.id, 5000, 1)), [Tender("stored_value", 3000), Tender("cash", 2000)],
                                at=AT, member_id=mid)
    book = services.accounts.cash_book(DAY, DAY)
    rows = {r.method: r for r in book.rows}
    assert set(rows) == {"cash", "wechat"}  # stored value paid is no money taken
    assert (rows["cash"].sales, rows["cash"].net) == (2000, 2000)
    assert (rows["wechat"].sales, rows["wechat"].topups, rows["wechat"].net) == (0, 10000, 10000)
    assert book.stored_value == 10000 + 500 - 3000
    assert services.accounts.cash_book(DAY - timedelta(days=1), DAY - timedelta(days=1)).stored_value == 0


def test_bulk_posting_takes_and_earns_as_the_till_does(db, services, make_product) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from jxc_desktop.services.sales.bulk_post import post_sales_bulk

    a = make_product("大米", 5000, 3000, qty=20)
    mid = member(db)
    services.member_money.topup(mid, 10000, at=AT)
    services.member_money.adjust_points(mid, 300, "补录")
    sales = [(replace(cart((a.id, 5000, 1)), member_id=mid), [Tender("stored_value", 3000), Tender("points", 300),
                                                              Tender("cash", 1700)], AT + timedelta(minutes=i))
             for i in range(2)]
    with pytest.raises(ValidationError, match="holds 47 points"):  # the second sale finds only the 47 earned
        post_sales_bulk(db, sales)
    assert services.member_money.balances(mid) == (300, 10000)  # the batch rolled back whole
    assert post_sales_bulk(db, sales[:1]) == 1
    assert services.member_money.balances(mid) == (300 - 300 + 47, 7000)  # 50 − 3 yuan paid in points
    assert [p for p in run_check(db).problems if p.kind == "members"] == []


def test_day_slip_keeps_member_money_apart_from_takings(db, services, make_product) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.reports.receipt_lines import day_summary_lines

    a = make_product("大米", 5000, 3000, qty=20)
    mid = member(db)
    services.member_money.topup(mid, 10000, bonus=1000, method="wechat", at=AT)
    services.checkout.post_sale(cart((a.id, 5000, 1)), [Tender("stored_value", 3000), Tender("cash", 2000)],
                                at=AT, member_id=mid)
    summary = services.checkout.day_summary(DAY)
    assert (summary.sales_total, summary.takings, summary.member_paid) == (5000, 2000, 3000)
    assert summary.taken_by_method() == {"cash": 2000} and summary.topups == {"wechat": 10000}
    texts = [(ln.text, ln.right) for ln in day_summary_lines(summary, services.checkout.shop_info())]
    assert ("Total takings", "¥20.00") in texts and ("Stored value and points (not taken)", "¥30.00") in texts
    assert ("  WeChat", "¥100.00") in texts

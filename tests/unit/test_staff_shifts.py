"""Staff and shifts on a real file: people and their own PIN locks, one open shift per till, the
figures of a shift (cash expected = float + cash takings − cash refunds ± cash moves), the close by
denomination, the day summary adding its shifts, and the audit trail naming who did it."""

from __future__ import annotations

import pytest

from jxc_desktop.domain.cart import Cart, CartLine
from jxc_desktop.domain.errors import NotFoundError, PermissionDeniedError, StateError, ValidationError
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.dto import ReturnItem


def _cart(product_id: int, name: str, price: int, qty: int = 1000) -> Cart:
    return Cart((CartLine(product_id, name, price, qty, price),))


def test_people_sign_in_with_their_own_lock(services: Services) -> None:
    staff = services.staff
    assert not staff.has_cashiers() and staff.owner_name() == "owner"
    with pytest.raises(ValidationError, match="needs a PIN"):
        staff.add("王芳", "1")
    wang = staff.add("王芳", "1", "1234")
    li = staff.add("李强", "2", "5678")
    staff.add("张老板", "9", role="owner")
    assert staff.has_cashiers() and staff.owner_name() == "张老板"
    assert [p.name for p in staff.list()] == ["张老板", "王芳", "李强"]
    with pytest.raises(ValidationError, match="taken"):
        staff.add("赵六", "1", "1111")
    assert staff.sign_in("1", "1234").id == wang.id
    for left in (4, 3, 2, 1):
        with pytest.raises(PermissionDeniedError, match=f"{left} tries left"):
            staff.sign_in("1", "0000")
    with pytest.raises(PermissionDeniedError, match="locked"):
        staff.sign_in("1", "0000")
    with pytest.raises(PermissionDeniedError, match="locked"):
        staff.sign_in("1", "1234")  # even the right PIN, during the lock
    assert staff.sign_in("2", "5678").id == li.id  # the other cashier is not locked
    staff.reset_pin("王芳", "4321")  # the owner resets it: the lock goes too
    assert staff.sign_in("1", "4321").id == wang.id
    with pytest.raises(PermissionDeniedError):
        staff.sign_in_by_name("王芳")  # only with "no PIN for cashiers"
    services.settings.update({"cashier_no_pin": "1"})
    assert staff.sign_in_by_name("王芳").id == wang.id
    # the owner signs in with the owner PIN (none set yet: no PIN asked)
    assert staff.sign_in("9", "").role == "owner"
    services.pin.set_pin("8888")
    with pytest.raises(PermissionDeniedError, match="Wrong PIN"):
        staff.sign_in("9", "1234")
    assert staff.sign_in("9", "8888").role == "owner"
    actions = {(e.action, e.actor) for e in services.audit.query()}
    assert ("sign_in_locked", "王芳") in actions and ("staff_added", "张老板") in actions


def test_a_shift_counts_its_cash_to_the_fen(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", price=350, qty=100)
    wang = services.staff.add("王芳", "1", "1234")
    li = services.staff.add("李强", "2", "5678")
    services.settings.update({"use_shifts": "1"})
    with pytest.raises(StateError, match="Open a shift"):
        services.checkout.post_sale(_cart(cola.id, "可乐", 350), [Tender("cash", 350)])
    shift = services.shifts.open(wang.id, 20000)
    with pytest.raises(StateError, match="open shift already"):
        services.shifts.open(li.id, 10000)
    s1 = services.checkout.post_sale(_cart(cola.id, "可乐", 350, 3000), [Tender("cash", 2000)],
                                     cashier_id=wang.id, shift_id=shift.id)  # 10.50, change 9.50
    services.checkout.post_sale(_cart(cola.id, "可乐", 350), [Tender("wechat", 350)], cashier_id=wang.id,
                                shift_id=shift.id)
    services.checkout.post_return(s1.number, [ReturnItem(s1.lines[0].id, 1000)], method="cash",
                                  cashier_id=wang.id, shift_id=shift.id, approved_by="张老板")
    services.shifts.cash_move(shift.id, -3000, "付送货费", person_id=wang.id)
    with pytest.raises(ValidationError, match="holds only"):
        services.shifts.cash_move(shift.id, -999999, "too much", person_id=wang.id)
    now = services.shifts.current()
    assert now is not None and now.id == shift.id
    # 200.00 + 10.50 − 3.50 − 30.00 = 177.00
    assert (now.cash_sales, now.cash_refunds, now.cash_out, now.expected) == (1050, 350, 3000, 17700)
    assert now.by_method == {"cash": 700, "wechat": 350}
    with pytest.raises(ValidationError, match="add up to"):
        services.shifts.close(shift.id, counted=17600, pieces={10000: 1, 5000: 1, 2000: 1})
    closed = services.shifts.close(shift.id, pieces={10000: 1, 5000: 1, 2000: 1, 500: 1, 100: 1},
                                   float_left=10000)
    assert (closed.expected, closed.counted, closed.over_short, closed.taken_out) == (17700, 17600, -100, 7600)
    with pytest.raises(StateError, match="closed"):
        services.checkout.post_sale(_cart(cola.id, "可乐", 350), [Tender("cash", 350)], shift_id=shift.id)
    assert services.shifts.last_float_left() == 10000
    second = services.shifts.open(li.id, 10000)
    services.checkout.post_sale(_cart(cola.id, "可乐", 350), [Tender("cash", 350)], cashier_id=li.id,
                                shift_id=second.id)
    services.shifts.close(second.id, counted=10350)
    day = services.checkout.day_summary()
    assert [s.id for s in day.shifts.shifts] == [shift.id, second.id]
    assert (day.shifts.expected, day.shifts.counted, day.shifts.over_short) == (17700 + 10350, 17600 + 10350, -100)
    refund = [e for e in services.audit.query(action="refund")][0]
    assert refund.actor == "张老板"
    with pytest.raises(NotFoundError):
        services.shifts.get(9999)


def test_no_cashiers_no_shifts_sells_as_before(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", price=350, qty=10)
    sale = services.checkout.post_sale(_cart(cola.id, "可乐", 350), [Tender("cash", 350)])
    assert sale.total == 350 and services.shifts.current() is None
    assert services.checkout.day_summary().shifts.shifts == ()


def test_the_demo_has_cashiers_and_shifts(services: Services, fill_as_demo) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from jxc_desktop.demo import shop as demo
    from jxc_desktop.services.safety.books_check import run_check

    fill_as_demo(lambda shop: demo.fill_demo(shop, products=40, days=6, seed=3, today=date(2027, 3, 8)))
    assert [p.name for p in services.staff.list()] == ["王芳", "李强"]
    shifts = services.shifts.list(date(2027, 3, 1), date(2027, 3, 7))
    assert len(shifts) >= 6 and all(s.status == "closed" and s.counted is not None for s in shifts)
    assert {s.cashier for s in shifts} <= {"王芳", "李强"}
    day = services.checkout.day_summary(date(2027, 3, 5))
    assert day.shifts.shifts and sum(s.sales_total for s in day.shifts.shifts) == day.sales_total
    assert run_check(services.db).ok


def test_the_books_check_proves_each_shift_s_cash(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from jxc_desktop.services.safety.books_check import run_check

    cola = make_product("可乐", price=350, qty=10)
    wang = services.staff.add("王芳", "1", "1234")
    shift = services.shifts.open(wang.id, 10000)
    sale = services.checkout.post_sale(_cart(cola.id, "可乐", 350), [Tender("cash", 500)], cashier_id=wang.id,
                                       shift_id=shift.id)
    services.shifts.cash_move(shift.id, 2000, "换零钱", person_id=wang.id)
    services.shifts.close(shift.id, counted=12350)
    assert run_check(services.db).ok
    with services.db.write() as uow:  # a sale moved into the closed shift by hand: its cash no longer adds up
        uow.session.execute(text("UPDATE payment SET amount = amount + 100 WHERE sale_id = :id"), {"id": sale.id})
        uow.commit()
    problems = [p for p in run_check(services.db).problems if p.kind == "cash"]
    assert [p.where for p in problems] == [f"shift {shift.id}"] and "¥123.50" in problems[0].detail

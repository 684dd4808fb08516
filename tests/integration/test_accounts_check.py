"""jxc check proves the accounts: for each party documents less allocations = balance, no
allocation above its document, allocations within one party, entries agree with their documents."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from jxc_desktop.services.safety.books_check import run_check
from tests.unit.accounts_fixtures import customer, deliver, noon, sell, supplier

D1 = date(2026, 3, 2)


def _shop(services, make_product):  # type: ignore[no-untyped-def]
    p = make_product("可乐", 300, 200, qty=50)
    s1, s2 = supplier(services, "甲", 30), supplier(services, "乙", 0)
    deliver(services, s1, D1, [(p.id, 10, 1000)])
    deliver(services, s2, D1, [(p.id, 5, 1000)])
    services.accounts.pay(s1, 4000, day=D1, at=noon(D1))
    cid = customer(services, "饭店")
    sell(services, p, 3, D1, customer_id=cid)
    services.accounts.collect(cid, 500, day=D1, at=noon(D1))


def _accounts(db) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{p.where} {p.detail}" for p in run_check(db).problems if p.kind == "accounts"]


def test_sound_accounts_prove(db, services, make_product) -> None:  # type: ignore[no-untyped-def]
    _shop(services, make_product)
    assert _accounts(db) == []


def test_tampered_accounts_are_found(db, services, make_product) -> None:  # type: ignore[no-untyped-def]
    _shop(services, make_product)
    with db.write() as uow:
        s = uow.session
        s.execute(text("UPDATE allocation SET amount = amount + 100000 WHERE id = 1"))
        uow.commit()
    found = _accounts(db)
    assert any("exceeds its amount" in f for f in found)
    with db.write() as uow:
        s = uow.session
        s.execute(text("UPDATE allocation SET amount = amount - 100000 WHERE id = 1"))
        # a collection of the customer settling the supplier's note
        debit = s.execute(text("SELECT id FROM account_entry WHERE kind = 'purchase' LIMIT 1")).scalar_one()
        credit = s.execute(text("SELECT id FROM account_entry WHERE kind = 'collect'")).scalar_one()
        s.execute(text("UPDATE allocation SET debit_id = :d WHERE credit_id = :c"), {"d": debit, "c": credit})
        s.execute(text("UPDATE money_doc SET amount = 1 WHERE kind = 'pay' AND note = ''"))
        uow.commit()
    found = _accounts(db)
    assert any("between two parties" in f for f in found)
    assert any(f.startswith("money_doc") for f in found)
    assert any("documents less allocations" in f for f in found)

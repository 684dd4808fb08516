"""The reads written as SQL text in session 14 (a day's sales, the audit search, the purchase
history, the staff list, the sales by payment method, hour and cashier) give exactly what the
SQLAlchemy queries they replaced gave (plain_reads_reference.py), on SQLite and PostgreSQL, in four
time zones around a daylight-saving change: the days' edges to the microsecond, split payments,
returns, cashiers, a note of no supplier, LIKE's own characters typed. On PostgreSQL the session
speaks another zone than the program, so a bound time that lost its zone would read other rows."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Person, Purchase
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import (
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
    SupplierInput,
)
from jxc_desktop.services.purchasing.note_list import note_history
from jxc_desktop.services.purchasing.supplier_list import suppliers_named
from jxc_desktop.services.reporting.sales import by_cashier, by_hour, by_payment
from jxc_desktop.services.safety import audit
from jxc_desktop.services.safety.audit_list import query_entries
from jxc_desktop.services.sales.day_list import list_day
from jxc_desktop.services.sales.dto import ReturnItem
from jxc_desktop.services.staff.staff_list import list_people
from tests.integration import plain_reads_reference as ref

BASE = datetime(2026, 3, 27, 9, 0, tzinfo=UTC)  # Berlin and Europe switch to summer time on 29 March
SESSION_ZONE = "Pacific/Auckland"  # what the PostgreSQL session is told: neither UTC nor the program's zone


def other_session_zone(s: Session) -> None:
    """On PostgreSQL tell the session SESSION_ZONE (for its transaction), so that a time bound
    without its zone reads other rows; SQLite has no session zone."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text(f"SET LOCAL TIME ZONE '{SESSION_ZONE}'"))


@contextmanager
def read_in_other_zone(services: Services) -> Iterator[tuple[Session, SessionRows]]:
    """A read transaction, its session told the other zone (other_session_zone), and its Rows:
    what the new SQL text runs on beside the reference's ORM queries."""
    with services.db.read() as uow:
        other_session_zone(uow.session)
        yield uow.session, SessionRows(uow.session)


@pytest.fixture(params=["UTC", "Asia/Shanghai", "Europe/Berlin", "America/New_York"])
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def fill(services: Services) -> tuple[int, list[str]]:
    """A week of sales on each local day's edges (−1 µs, 0, +90 min, last µs, next day's 0), paid two
    ways, by nobody, two cashiers and one whose login number sorts after its zero-padded twin; a
    return each day; notes over four days, a return to the supplier, a reversal and a note of no
    supplier; audit entries on a day's edges with LIKE's characters; locks held and long over."""
    co = services.checkout
    cola = services.catalog.create_product(ProductInput(name="可乐", sale_price=300), opening_qty=5_000_000,
                                           opening_cost=150)
    people = {name: services.staff.add(name, number, "" if number == "9" else "1234",
                                       role="owner" if number == "9" else "cashier").id
              for name, number in (("张老板", "9"), ("王芳", "1"), ("李强", "12"), ("赵六", "3"), ("Bob", "01"))}
    day = BASE.astimezone().date()
    for k in range(-2, 5):
        start, end = day_start_utc(day + timedelta(days=k)), day_start_utc(day + timedelta(days=k + 1))
        sold = []
        for i, when in enumerate((start - timedelta(microseconds=1), start, start + timedelta(minutes=90),
                                  end - timedelta(microseconds=1), end)):
            sold.append(co.post_sale(Cart((co.line_for_product(cola.id, (i + 1) * 1000),)),
                                     [Tender("wechat", 100 * (i + 1)), Tender("cash", 200 * (i + 1))],
                                     confirmed=True, at=when, cashier_id=people.get(("", "王芳", "李强", "Bob", "")[i])))
        co.post_return(sold[2].number, [ReturnItem(sold[2].lines[0].id, 1000)], method="cash",
                       at=end - timedelta(hours=1))
    acme = services.suppliers.add(SupplierInput("Acme 食品")).id
    other = services.suppliers.add(SupplierInput("长沙金达")).id
    late = BASE + timedelta(days=4)
    notes = [services.purchasing.post(NoteInput(acme if i % 2 else other, (LineInput(cola.id, 1000, 140),),
                                                doc_date=day + timedelta(days=i - 1)), at=late) for i in range(4)]
    services.purchasing.post_return(ReturnInput(acme, (ReturnLineInput(cola.id, 500),), doc_date=day), at=late)
    services.purchasing.reverse(notes[1].id, at=late, confirmed=True)
    services.staff.set_active("赵六", False)
    start = day_start_utc(day)
    with services.db.write() as uow:
        s = uow.session
        for i, when in enumerate((start - timedelta(microseconds=1), start, start + timedelta(microseconds=1))):
            audit.record(s, audit.SETTINGS, document=f"d{i}_%\\x", detail="Price 价格", at=when, actor="王芳")
        s.execute(update(Person).where(Person.name == "王芳").values(locked_until=datetime(2999, 1, 1, tzinfo=UTC)))
        s.execute(update(Person).where(Person.name == "李强").values(locked_until=datetime(2000, 1, 1, tzinfo=UTC)))
        s.execute(update(Purchase).where(Purchase.id == notes[3].id).values(supplier_id=None))
        uow.commit()
    return acme, [n.number for n in notes]


def test_the_text_reads_what_the_orm_read(services: Services, zone: str) -> None:
    acme, numbers = fill(services)
    day = BASE.astimezone().date()
    start = day_start_utc(day)
    now = BASE + timedelta(days=30)  # fixed: between the lock long over (2000) and the one held (2999)
    with read_in_other_zone(services) as (s, rows):
        for k in range(-3, 6):
            d = day + timedelta(days=k)
            assert list_day(rows, d) == ref.list_day(s, d), d
        # its first µs, +90 min, its last µs and a return; the day before's "next day's 0" and the
        # day after's "−1 µs" fall on its edges too
        assert len(list_day(rows, day)) == 6
        for kw in ({}, {"text": "_%"}, {"text": "\\"}, {"text": "price"}, {"text": "价格"}, {"text": "王芳"},
                   {"since": start}, {"until": start}, {"since": start, "until": start + timedelta(microseconds=1)},
                   {"action": audit.SETTINGS, "limit": 2}):
            assert query_entries(rows, **kw) == ref.audit_query(s, **kw), kw  # type: ignore[arg-type]
        assert [e.document for e in query_entries(rows, since=start, until=start + timedelta(microseconds=1))] == [
            "d1_%\\x"]
        for kw in ({}, {"supplier_id": acme}, {"first": day, "last": day}, {"first": day + timedelta(days=1)},
                   {"text": numbers[2][-6:].lower()}, {"text": "_"}, {"kinds": ()}, {"kinds": ("return",)},
                   {"statuses": ("draft",)}, {"statuses": ("reversed",)}, {"limit": 1}):
            assert note_history(rows, **kw) == ref.history(s, **kw), kw  # type: ignore[arg-type]
        assert suppliers_named(rows, " ACME  食品") == [acme] and suppliers_named(rows, "Acme") == []
        for every in (False, True):
            assert list_people(rows, now, include_inactive=every) == ref.staff(s, now, include_inactive=every)
        for period in (Period(day, day), Period(day - timedelta(days=2), day + timedelta(days=4)),
                       Period(day + timedelta(days=5), day + timedelta(days=6))):
            assert by_payment(rows, period) == ref.by_payment(s, period), period
            assert by_hour(rows, period) == ref.by_hour(s, period), period
            assert by_cashier(rows, period) == ref.by_cashier(s, period), period
        week = Period(day - timedelta(days=2), day + timedelta(days=4))
        paid = {r.key: (r.sale_count, r.return_count) for r in by_payment(rows, week).rows}
        # 35 sales made, less the first (the day before the week) and the last (the day after):
        # a sale paid two ways counts once in each way
        assert paid == {"cash": (33, 7), "wechat": (33, 0)}
        assert [r.label for r in by_cashier(rows, week).rows] == ["(nobody signed in)", "Bob", "李强", "王芳"]
        assert sum(r.sale_count for r in by_hour(rows, week).rows) == 33

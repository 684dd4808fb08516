"""Balances, aging (往来, 账龄), the statement (对账单) and the cash book (资金流水) written as SQL
text in session 16 give exactly what the SQLAlchemy queries they replaced gave (accounts_reference.py), on SQLite and PostgreSQL, for
suppliers and customers at days on every bucket's edge: notes with and without terms, a return
credit, payments allocated oldest first and by hand, an allocation undone, a prepayment, a credit
dated after the day looked at, a party settled to zero; statements over periods before, across
and after the entries; and `jxc accounts` and `jxc statement` show the same on sqlite3 alone as on
the full path, refusals included. The cash book in four time zones: till sales on a local day's
first and last microsecond and just outside it, paid several ways, on account and with stored value,
a return, top-ups, supplier payments, collections and a voided sale."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.services.accounts import balances
from jxc_desktop.services.accounts.cash_book import cash_book
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER
from jxc_desktop.services.accounts.statement import statement
from jxc_desktop.services.hub import Services
from tests.integration import accounts_reference as ref
from tests.integration.test_cli_plain_reads import filled_file, same_as_full_path
from tests.integration.test_plain_reads_reference import read_in_other_zone, zone  # noqa: F401  (the fixture)
from tests.unit.accounts_fixtures import customer, deliver, sell, send_back, supplier

D0 = date(2026, 1, 5)
# every bucket's edges from the notes' due days (D0 + terms), and days before anything
DAYS = [D0 - timedelta(days=1), D0, *(D0 + timedelta(days=10 + k) for k in (0, 1, 30, 31, 60, 61, 90, 91)),
        D0 + timedelta(days=200)]


def fill(services: Services) -> None:
    from jxc_desktop.domain.product_rules import ProductInput

    rice = services.catalog.create_product(ProductInput(name="大米", sale_price=6000), opening_qty=500_000,
                                           opening_cost=3000)
    grain = supplier(services, "粮油公司", 10)
    cash_only = supplier(services, "Acme 食品", 0)
    settled = supplier(services, "已结清", 30)
    notes = [deliver(services, grain, D0 + timedelta(days=d), [(rice.id, 1 + d % 3, 2500 + d)]) for d in (0, 15, 40, 70)]
    deliver(services, cash_only, D0 + timedelta(days=3), [(rice.id, 2, 2600)])
    deliver(services, settled, D0, [(rice.id, 1, 2000)])
    send_back(services, notes[1], D0 + timedelta(days=20), 1)  # a return: its credit set against its note
    services.accounts.pay(grain, 2000, day=D0 + timedelta(days=31))  # oldest first, part of the first
    services.accounts.pay(settled, 2000, day=D0 + timedelta(days=5))
    services.accounts.pay(cash_only, 9000, day=D0 + timedelta(days=60), prepay_ok=True)  # more than owed
    inn = customer(services, "饭店")
    shop = customer(services, "小卖部")
    s1 = sell(services, services.catalog.get(rice.id), 2, D0 + timedelta(days=1), customer_id=inn)
    sell(services, services.catalog.get(rice.id), 1, D0 + timedelta(days=50), customer_id=inn)
    sell(services, services.catalog.get(rice.id), 3, D0 + timedelta(days=2), customer_id=shop, credit=7000)
    r = services.accounts.collect(inn, 5000, day=D0 + timedelta(days=40))
    assert r.allocated == 5000
    (credit,) = [a for a in services.accounts.allocations(
        next(d.entry_id for d in services.accounts.open_documents(CUSTOMER, inn) if d.number == s1.number))]
    services.accounts.unallocate([credit.id])  # undone: the collection is unapplied again
    later = services.accounts.collect(shop, 1000, day=D0 + timedelta(days=95))  # dated after most days
    assert later.allocated == 1000


def test_the_text_reads_what_the_orm_read(services: Services) -> None:
    fill(services)
    with services.db.read() as uow:
        s = uow.session
        rows = SessionRows(s)
        seen = []
        for party in (SUPPLIER, CUSTOMER):
            for at in DAYS:
                new_b, old_b = balances.balances(rows, party, at), ref.balances(s, party, at)
                assert new_b == old_b, (party, at)
                assert balances.aging(rows, party, at) == ref.aging(s, party, at), (party, at)
                seen.append(new_b)
    # what the comparison covered: rows on both sides, overdue amounts and credits left unapplied
    assert any(b.rows for b in seen[:len(DAYS)]) and any(b.rows for b in seen[len(DAYS):])
    assert any(r.overdue for b in seen for r in b.rows)
    assert any(r.balance < 0 for b in seen for r in b.rows)  # the prepayment
    late = [a for party in (SUPPLIER, CUSTOMER) for a in [services.accounts.aging(party, DAYS[-1])]]
    assert all(any(r.unapplied for r in a.rows) for a in late)


def test_the_statement_text_reads_what_the_orm_read(services: Services) -> None:
    fill(services)
    services.settings.update({"shop_name": "老王便利店"})
    periods = [(DAYS[0], DAYS[0]), (DAYS[1], DAYS[1]), (DAYS[1], DAYS[5]), (DAYS[3], DAYS[-1]),
               (DAYS[-1], DAYS[-1] + timedelta(days=30))]
    seen = []
    with services.db.read() as uow:
        s = uow.session
        rows = SessionRows(s)
        for party in (SUPPLIER, CUSTOMER):
            for pid in range(1, 5):
                for first, last in periods:
                    try:
                        old = ref.statement(s, party, pid, first, last)
                    except NotFoundError as exc:
                        with pytest.raises(NotFoundError) as new_exc:
                            statement(rows, party, pid, first, last, "老王便利店")
                        assert new_exc.value.message == exc.message
                        continue
                    new = statement(rows, party, pid, first, last, "老王便利店")
                    assert new == old, (party, pid, first, last)
                    seen.append(new)
        with pytest.raises(ValidationError):
            statement(rows, SUPPLIER, 1, DAYS[2], DAYS[1], "")
    assert services.accounts.statement(SUPPLIER, 1, DAYS[3], DAYS[-1]) in seen  # the service runs the same text
    assert any(st.opening and st.rows for st in seen) and all(st.shop_name == "老王便利店" for st in seen)
    assert {r.kind for st in seen for r in st.rows} >= {"purchase", "purchase_return", "pay", "sale", "collect"}


@pytest.fixture
def shop(db_path: Path) -> Path:
    return filled_file(db_path, fill)


@pytest.mark.parametrize("args", [[side, *more, "--at", at.isoformat()]
                                  for side in ("payable", "receivable")
                                  for more in ([], ["--json"], ["--aging"], ["--aging", "--json"])
                                  for at in (DAYS[-1],)]
                         + [["cashbook", "--from", DAYS[1].isoformat(), "--to", DAYS[-1].isoformat(), *more]
                            for more in ([], ["--json"])], ids=" ".join)
def test_jxc_accounts_without_sqlalchemy_shows_what_the_full_path_shows(
        shop: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    full = same_as_full_path(shop, ["accounts", *args], capsys)
    assert full[0] == 0 and ("饭店" in full[1] or "粮油公司" in full[1] or "cash" in full[1]), full


SPAN = ["--from", DAYS[1].isoformat(), "--to", DAYS[-1].isoformat()]


@pytest.mark.parametrize("args", [["--supplier", "粮油公司", *SPAN], ["--supplier", "acme 食品", *SPAN, "--json"],
                                  ["--customer", "饭店", *SPAN], ["--customer", "小卖部", *SPAN, "--json"],
                                  ["--customer", "nobody", *SPAN], ["--supplier", "粮油公司", "--from", "2026-13-01",
                                                                    "--to", "2026-01-01"],
                                  ["--supplier", "粮油公司", "--from", DAYS[3].isoformat(), "--to", DAYS[1].isoformat()]],
                         ids=" ".join)
def test_jxc_statement_without_sqlalchemy_shows_what_the_full_path_shows(
        shop: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    full = same_as_full_path(shop, ["statement", *args], capsys)
    assert full[1].strip() or full[2].strip(), full  # a statement or a refusal, never nothing


def _till_day(services: Services) -> date:
    """Cash sales on the local day D0 + 100's first and last microsecond and just outside it, paid
    several ways; a return; a voided sale; a member's top-ups and a sale paid with stored value."""
    from datetime import datetime, time

    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.domain.tender import Tender
    from jxc_desktop.services.members.dto import MemberInput
    from jxc_desktop.services.sales.dto import ReturnItem

    day = D0 + timedelta(days=100)
    start = datetime.combine(day, time()).astimezone()
    nxt = datetime.combine(day + timedelta(days=1), time()).astimezone()
    co = services.checkout
    (rice,) = [p for p in services.catalog.search("大米")]

    def sell(units: int, when: datetime, *tenders: Tender, **kw: object):  # type: ignore[no-untyped-def]
        return co.post_sale(Cart((co.line_for_product(rice.id, units * 1000),)), list(tenders), confirmed=True,
                            at=when, **kw)

    sell(1, start - timedelta(microseconds=1), Tender("cash", 6000))
    first = sell(2, start, Tender("wechat", 4000), Tender("cash", 8000))
    sell(1, nxt - timedelta(microseconds=1), Tender("alipay", 6000))
    sell(1, nxt, Tender("card", 6000))
    co.post_return(first.number, [ReturnItem(first.lines[0].id, 1000)], method="cash", at=start + timedelta(hours=12))
    gone = sell(1, start + timedelta(hours=3), Tender("cash", 6000))
    with services.db.write() as uow:  # a voided sale (reversed) is no money of the day
        uow.session.execute(text("UPDATE sale SET status = 'reversed' WHERE id = :id"), {"id": gone.id})
        uow.commit()
    member = services.members.add(MemberInput(card="M-1", name="陈建国"), at=start)
    services.member_money.topup(member.id, 20_000, method="wechat", at=start + timedelta(hours=1))
    services.member_money.topup(member.id, 5_000, method="cash", at=nxt + timedelta(hours=1))
    sell(1, start + timedelta(hours=2), Tender("stored_value", 6000), member_id=member.id)
    return day


def test_the_cash_book_text_reads_what_the_orm_read(services: Services, zone: str) -> None:  # noqa: F811
    fill(services)
    day = _till_day(services)
    periods = [(day, day), (day - timedelta(days=1), day), (day, day + timedelta(days=1)), (DAYS[0], DAYS[-1]),
               (D0 + timedelta(days=31), D0 + timedelta(days=60))]
    seen = []
    with read_in_other_zone(services) as (s, rows):
        for first, last in periods:
            new = cash_book(rows, first, last)
            assert new == ref.cash_book(s, first, last), (first, last)
            seen.append(new)
        with pytest.raises(ValidationError):
            cash_book(rows, day, day - timedelta(days=1))
    assert services.accounts.cash_book(day, day) == seen[0]  # the service runs the same text
    methods = {r.method: r for r in seen[0].rows}
    assert set(methods) >= {"cash", "wechat", "alipay"} and "card" not in methods and "stored_value" not in methods
    assert methods["cash"].refunds > 0 and methods["wechat"].topups == 20_000 and seen[0].stored_value > 0
    assert any(r.collections for r in seen[3].rows) and any(r.payments for r in seen[3].rows)

"""``jxc pin status``, ``jxc staff list``, ``jxc audit``, ``jxc sales list|summary``, ``jxc shifts list``, ``jxc purchase list`` and
``jxc report payments|hours|cashiers|purchases|stock-value|turnover|slow|expiry|cover|shifts|members|sell-through|
broken-sizes|season|abc|promotions`` on a file at head read it with sqlite3 alone (issue 15: a command's fixed cost under 0.3 s): the same output as the full
path, and the same rows as the services give on their sessions — a local day's edges, locks that
hold or have run out, the audit search's filters with LIKE's own characters typed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jxc_desktop.db.text_reads import PlainReads
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.note_list import note_history
from jxc_desktop.services.purchasing.supplier_list import suppliers_named
from jxc_desktop.services.reporting.plain_reads import PlainReports
from jxc_desktop.services.safety import audit
from jxc_desktop.services.safety.audit_list import query_entries
from jxc_desktop.services.safety.pin import PinService
from jxc_desktop.services.safety.pin_state import FAILS_KEY, LOCKED_KEY, pin_status
from jxc_desktop.services.sales.day_list import list_day
from jxc_desktop.services.shop.stored_settings import stored_setting
from jxc_desktop.services.staff.people import StaffService
from jxc_desktop.services.staff.staff_list import list_people
from tests.integration.test_cli_plain_reads import filled_once, full_path_output, jxc_process

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = AT.astimezone().date()  # the local day of AT (the test runs in any time zone)
START = day_start_utc(DAY)
NEXT = day_start_utc(DAY + timedelta(days=1))
# What each command shows; none of them asks for the PIN while no PIN is set.
COMMANDS = [["pin", "status"], ["staff", "list"], ["staff", "list", "--all"], ["staff", "list", "--json"],
            ["audit"], ["audit", "--readable", "--who"], ["audit", "--action", "settings"],
            ["audit", "--text", "_%"], ["audit", "--text", "王芳", "--limit", "1"],
            ["audit", "--since", DAY.isoformat()],
            ["sales", "list", "--date", DAY.isoformat()], ["sales", "list", "--date", DAY.isoformat(), "--json"],
            ["sales", "list", "--date", (DAY - timedelta(days=1)).isoformat()],
            ["sales", "list", "--date", (DAY + timedelta(days=1)).isoformat()],
            ["sales", "summary", "--date", DAY.isoformat()], ["sales", "summary", "--date", DAY.isoformat(), "--json"],
            ["sales", "summary", "--date", (DAY + timedelta(days=1)).isoformat()],
            ["sales", "list", "--date", DAY.isoformat(), "--summary"],
            ["sales", "list", "--date", DAY.isoformat(), "--summary", "--json"],
            ["shifts", "list", "--date", DAY.isoformat()], ["shifts", "list", "--date", DAY.isoformat(), "--json"],
            ["purchase", "list"], ["purchase", "list", "--json"], ["purchase", "list", "--supplier", "acme 食品"],
            *([*r, "--from", (DAY - timedelta(days=1)).isoformat(), "--to", (DAY + timedelta(days=1)).isoformat(), *more]
              for r in (["report", "payments"], ["report", "hours"], ["report", "cashiers"])
              for more in ([], ["--json"], *([["--json", "--compare"]] if r[1] != "cashiers" else []))),
            *(["report", "purchases", "--from", (DAY - timedelta(days=3)).isoformat(), "--to",
               (DAY + timedelta(days=1)).isoformat(), *more] for more in ([], ["--json"], ["--by", "product"],
                                                                         ["--by", "product", "--json"])),
            # the stock reports: a past day and one after every move (the cached positions), the
            # expiry warning days from the stored setting (12) or given
            *(["report", "stock-value", "--at", (DAY + timedelta(days=k)).isoformat(), *more]
              for k in (-1, 0, 5) for more in ([], ["--by", "product", "--json"])),
            ["report", "stock-value", "--at", DAY.isoformat(), "--json"],
            *(["report", "turnover", "--from", (DAY - timedelta(days=3)).isoformat(), "--to",
               (DAY + timedelta(days=1)).isoformat(), *more]
              for more in ([], ["--json"], ["--by", "month"], ["--by", "month", "--json"], ["--by", "category_month"],
                           ["--by", "category_month", "--json"])),
            *(["report", "slow", "--today", (DAY + timedelta(days=k)).isoformat(), *more]
              for k in (-1, 0, 40) for more in ([], ["--days", "1", "--json"])),
            *(["report", "expiry", "--today", DAY.isoformat(), *more] for more in ([], ["--json"], ["--days", "30", "--json"])),
            *(["report", "cover", "--from", (DAY - timedelta(days=1)).isoformat(), "--to", DAY.isoformat(), *more]
              for more in ([], ["--json"], ["--by", "category"], ["--by", "category", "--json"])),
            *(["report", "shifts", *span, *more] for span in (["--from", (DAY - timedelta(days=1)).isoformat(), "--to",
                                                              (DAY + timedelta(days=1)).isoformat()],
                                                             ["--from", DAY.isoformat(), "--to", DAY.isoformat()])
              for more in ([], ["--json"])),
            *(["report", "members", "--from", first.isoformat(), "--to", (DAY + timedelta(days=1)).isoformat(), *more]
              for first in (DAY - timedelta(days=2), DAY) for more in ([], ["--json"])),
            # a month and more: the promoted sales 20 days before, the same days last year (同比)
            *(["report", kind, "--from", (DAY - timedelta(days=40)).isoformat(), "--to", DAY.isoformat(), *more]
              for kind, bys in (("season", ("category", "product")), ("abc", ("sales", "profit")), ("promotions", ()))
              for more in ([], ["--json"], *(["--by", by, *j] for by in bys for j in ([], ["--json"]))))]
# The purchase list's rows are the purchasing package's dataclasses (services/purchasing/dto.py).
NEEDS_DTO = {"jxc_desktop.services.purchasing.dto"}


def fill(services: Services, path: Path) -> None:
    """Sales on the local day's first and last microsecond and just outside it, a split payment, a
    return refunded; cashiers locked for ever, locked until long ago, inactive; audit entries
    before and on the day, one holding LIKE's own characters."""
    from jxc_desktop.domain.product_rules import ProductInput
    from jxc_desktop.services.members.dto import MemberInput
    from jxc_desktop.services.purchasing.dto import (
        LineInput,
        NoteInput,
        ReturnInput,
        ReturnLineInput,
        SupplierInput,
    )
    from jxc_desktop.services.sales.dto import ReturnItem

    co = services.checkout
    cola = services.catalog.create_product(ProductInput(name="可乐", sale_price=300), opening_qty=50_000,
                                           opening_cost=150)

    people = {name: services.staff.add(name, number, "" if number == "9" else "1234",
                                       role="owner" if number == "9" else "cashier").id
              for name, number in (("张老板", "9"), ("王芳", "1"), ("李强", "12"), ("赵六", "3"))}

    def sell(units: int, when: datetime, *tenders: Tender, by: str = ""):  # type: ignore[no-untyped-def]
        return co.post_sale(Cart((co.line_for_product(cola.id, units * 1000),)),
                            list(tenders) or [Tender("cash", units * 300)], confirmed=True, at=when,
                            cashier_id=people.get(by))

    sell(1, START - timedelta(microseconds=1))  # the day before
    first = sell(2, START, Tender("wechat", 400), Tender("cash", 200))
    sell(3, START + timedelta(hours=11, minutes=7), by="王芳")
    co.post_return(first.number, [ReturnItem(first.lines[0].id, 1000)], method="cash",
                   at=START + timedelta(hours=12))
    sell(4, NEXT - timedelta(microseconds=1), Tender("alipay", 1200))
    sell(5, NEXT)  # the day after
    acme = services.suppliers.add(SupplierInput("Acme 食品")).id
    other = services.suppliers.add(SupplierInput("长沙金达")).id
    services.purchasing.post(NoteInput(acme, (LineInput(cola.id, 2000, 140),), doc_date=DAY), at=AT)
    bought = services.purchasing.post(NoteInput(other, (LineInput(cola.id, 1000, 150), LineInput(cola.id, 500, 150)),
                                                doc_date=DAY + timedelta(days=1)), at=NEXT + timedelta(hours=1))
    services.purchasing.post_return(ReturnInput(acme, (ReturnLineInput(cola.id, 1000),), doc_date=DAY), at=AT)
    services.purchasing.reverse(bought.id, at=NEXT + timedelta(hours=2), confirmed=True)
    services.purchasing.save_draft(NoteInput(acme, (LineInput(cola.id, 3000, 140),)))  # never listed
    gone = services.suppliers.add(SupplierInput("旧供应商")).id
    old = services.purchasing.post(NoteInput(gone, (LineInput(cola.id, 1000, 150),), doc_date=DAY - timedelta(days=3)),
                                   at=AT)  # its supplier cleared below: a note of no supplier
    # a shift on the day with a sale, money paid out and a top-up, closed 1.00 short; one opened on its last µs
    shift = services.shifts.open(people["王芳"], 20000, at=START + timedelta(hours=13), till="A")
    co.post_sale(Cart((co.line_for_product(cola.id, 1000),)), [Tender("cash", 300)], confirmed=True,
                 at=START + timedelta(hours=14), cashier_id=people["王芳"], shift_id=shift.id)
    services.shifts.cash_move(shift.id, -500, "送货费", person_id=people["王芳"], at=START + timedelta(hours=14, minutes=30))
    member = services.members.add(MemberInput(card="M-1", name="陈建国"), at=START)
    services.member_money.topup(member.id, 5000, method="wechat", at=START + timedelta(hours=15))
    # two days before: a member's sale at her level's price (the member sales report's only row)
    cart = services.members.cart_for_member(Cart((co.line_for_product(cola.id, 2000),)), member.id)
    co.post_sale(cart, [Tender("cash", co.price(cart).total)], confirmed=True, at=START - timedelta(days=2))
    services.shifts.close(shift.id, counted=20000 + 300 - 500 - 100, at=START + timedelta(hours=16))
    services.shifts.open(people["李强"], 0, at=NEXT - timedelta(microseconds=1), till="B")
    services.staff.set_active("赵六", False)
    promoted(services)
    with services.db.write() as uow:
        s = uow.session
        audit.record(s, audit.SETTINGS, document="打折_%", before={"价格": 120}, after={"价格": 99}, at=START,
                     actor="王芳")
        audit.record(s, audit.PRICE_CHANGE, document="可乐", detail="改价", at=START - timedelta(seconds=1))
        audit.record(s, audit.SETTINGS, document="shop", detail="100% off_x", at=NEXT)
        uow.commit()
    services.db.dispose()
    con = sqlite3.connect(path)
    with con:  # one lock that holds (year 2999), one long over (2000): set as stored, no clock involved
        con.execute("UPDATE person SET locked_until = '2999-01-01 00:00:00.000000' WHERE name = '王芳'")
        con.execute("UPDATE person SET locked_until = '2000-01-01 00:00:00.000000' WHERE name = '李强'")
        con.execute("INSERT INTO setting (key, value) VALUES (:k, '2')", {"k": FAILS_KEY})
        con.execute("UPDATE purchase SET supplier_id = NULL WHERE id = ?", (old.id,))
        con.execute("INSERT INTO setting (key, value) VALUES ('expiry_warning_days', '12')")
        con.executemany("INSERT INTO batch (product_id, batch_no, expiry_date, qty) VALUES (?, ?, ?, ?)",
                        [(cola.id, f"B{k}", (DAY + timedelta(days=k)).isoformat(), 1000) for k in (-2, 0, 10, 20)])
    con.close()


def promoted(services: Services) -> None:
    """Two promoted products sold 20 days before DAY (one of no category, a line returned) and a
    year before it, outside every other command's days."""
    from jxc_desktop.domain.product_rules import ProductInput
    from jxc_desktop.domain.promotion_rules import Kind
    from jxc_desktop.services.promotions.dto import PromotionInput
    from jxc_desktop.services.sales.dto import ReturnItem

    co = services.checkout
    tea = services.catalog.create_product(ProductInput(name="绿茶", sale_price=400, category="饮料"),
                                          create_category=True, opening_qty=50_000, opening_cost=200)
    sugar = services.catalog.create_product(ProductInput(name="白糖", sale_price=1000), opening_qty=50_000,
                                            opening_cost=600)
    wide = (datetime(2025, 1, 1), datetime(2026, 12, 31, 23, 0))  # local times, as the form gives them
    services.promotions.add(PromotionInput("绿茶特价", Kind.SPECIAL_PRICE, *wide, products=((tea.id, 350),)))
    services.promotions.add(PromotionInput("白糖买2付1", Kind.BUY_N_PAY_M, *wide, products=((sugar.id, None),),
                                           n=2, m=1))
    for back, units in ((20, 4), (365, 2)):
        at = day_start_utc(DAY - timedelta(days=back)) + timedelta(hours=10)
        sale = co.post_sale(Cart((co.line_for_product(tea.id, units * 1000), co.line_for_product(sugar.id, 2000))),
                            [Tender("cash", 10**6)], confirmed=True, at=at)
    co.post_return(sale.number, [ReturnItem(sale.lines[0].id, 1000)], at=at + timedelta(hours=1))


@pytest.fixture
def shop(db_path: Path) -> Path:
    def build(path: Path) -> None:
        services = Services(Database.for_file(path))
        fill(services, path)
        services.db.dispose()

    return filled_once(db_path, build, key=fill)


# The styles' reports on a small clothing demo: each grouping, a period's end inside the history, the
# files (their path under the test's folder), the JSON.
STYLE_COMMANDS = [*(["report", "sell-through", "--from", (DAY - timedelta(days=20)).isoformat(), "--to",
                     (DAY - timedelta(days=3)).isoformat(), "--by", by, *more]
                    for by in ("style", "colour", "size", "cell") for more in ([], ["--json"])),
                  ["report", "sell-through", "--from", DAY.isoformat(), "--to", DAY.isoformat(), "--xlsx", "{tmp}/s.xlsx",
                   "--pdf", "{tmp}/s.pdf"],
                  *(["report", "broken-sizes", "--today", DAY.isoformat(), *more]
                    for more in ([], ["--json"], ["--pdf", "{tmp}/b.pdf"]))]


@pytest.fixture
def clothing(db_path: Path) -> Path:
    from jxc_desktop.demo.clothing import fill_clothing_demo

    def build(path: Path) -> None:
        builder = Database.building(path)
        try:
            fill_clothing_demo(Services(builder), styles=4, days=30, today=DAY)
        finally:
            builder.dispose()

    return filled_once(db_path, build, key=fill_clothing_demo)


@pytest.mark.parametrize("args", STYLE_COMMANDS, ids=" ".join)
def test_the_styles_reports_without_sqlalchemy_as_the_full_path(clothing: Path, args: list[str], tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    plain = jxc_process("--db", str(clothing), *args)
    assert plain["sqlalchemy"] is False and plain["plain"] is True, plain
    # (the PDF and xlsx writers need their tempfile and hashes: not a read's concern)
    assert plain["unneeded"] == [] or {"--pdf", "--xlsx"} & set(args), plain
    full = full_path_output(clothing, args, capsys)
    assert (plain["rc"], plain["out"], plain["err"]) == full
    assert full[0] == 0 and len(full[1].splitlines()) > 3, full  # rows, not just the heading and total


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_read_without_sqlalchemy_and_shown_as_the_full_path_shows(shop: Path, args: list[str],
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    plain = jxc_process("--db", str(shop), *args)
    assert plain["sqlalchemy"] is False and plain["plain"] is True, plain
    assert set(plain["unneeded"]) <= (NEEDS_DTO if args[0] == "purchase" else set()), plain  # type: ignore[arg-type]
    full = full_path_output(shop, args, capsys)
    assert (plain["rc"], plain["out"], plain["err"]) == full
    assert full[0] == 0 and full[1].strip(), full  # each shows something: a comparison of two empties proves nothing


def test_the_rows_are_the_services_rows(shop: Path) -> None:
    """One SQL text, two drivers: the same dataclasses from sqlite3 alone and from the services."""
    now = AT + timedelta(days=30)  # a fixed instant between the lock long over (2000) and the one held (2999)
    db = Database.for_file(shop)
    reads = PlainReads(shop)
    services = Services(db)
    try:
        with reads.read() as rows:
            days = {d: list_day(rows, d) for d in (DAY - timedelta(days=1), DAY, DAY + timedelta(days=1))}
            people = {every: list_people(rows, now, include_inactive=every) for every in (False, True)}
            searches = [dict(), dict(action=audit.SETTINGS), dict(text="_%"), dict(text="价格"),
                        dict(since=START), dict(since=START, until=NEXT), dict(limit=1)]
            entries = [query_entries(rows, **kw) for kw in searches]  # type: ignore[arg-type]
            notes = [dict(), dict(supplier_id=1), dict(first=DAY, last=DAY), dict(first=DAY + timedelta(days=1)),
                     dict(kinds=("return",)), dict(statuses=("draft",)), dict(statuses=()), dict(text="ct"),
                     dict(text="_"), dict(limit=2)]
            histories = [note_history(rows, **kw) for kw in notes]  # type: ignore[arg-type]
            (acme,) = suppliers_named(rows, "  ACME   食品 ")
            period = Period(DAY - timedelta(days=1), DAY + timedelta(days=1))
            split = {k: getattr(PlainReports(rows), k)(period) for k in ("payments", "hours", "cashiers", "shifts",
                                                                            "members")}
            bought = PlainReports(rows).members(Period(DAY - timedelta(days=2), DAY))
        for kind, report in split.items():
            assert report == getattr(services.reports, kind)(period), kind
        for kw, found in zip(notes, histories, strict=True):
            assert found == services.purchasing.history(**kw), kw  # type: ignore[arg-type]
        for d, listed in days.items():
            assert listed == services.checkout.list_day(d), d
        assert StaffService(db, clock=lambda: now).list() == people[False]
        assert StaffService(db, clock=lambda: now).list(include_inactive=True) == people[True]
        for kw, found in zip(searches, entries, strict=True):
            assert found == services.audit.query(**kw), kw  # type: ignore[arg-type]
    finally:
        reads.close()
        db.dispose()
    assert [(n.kind, n.status, n.supplier_name, n.line_count) for n in histories[0]] == [
        ("purchase", "reversed", "长沙金达", 2), ("return", "posted", "Acme 食品", 1),
        ("purchase", "posted", "Acme 食品", 1), ("purchase", "posted", "", 1)]
    assert acme == histories[0][1].supplier_id and [n.kind for n in histories[1]] == ["return", "purchase"]
    assert [len(h) for h in histories[2:]] == [2, 1, 1, 1, 0, 1, 0, 2]  # "_" typed is no wildcard
    assert [(r.label, r.sale_count, r.net) for r in split["cashiers"].rows] == [
        ("(nobody signed in)", 4, 300 + 600 + 1200 + 1500 - 300), ("王芳", 2, 900 + 300)]  # (+ one in her shift)
    assert split["payments"].total.net == split["hours"].total.net == split["cashiers"].total.net == 4500
    assert [(r.name, r.visits) for r in bought.rows] == [("陈建国", 1)] and bought.owed.stored_value == 5000
    assert [(r.till, r.closed == "open", r.over_short) for r in split["shifts"].rows] == [("A", False, -100), ("B", True, None)]
    # the day holds its first and last microsecond, not the one before or after
    assert [(r.kind, r.item_qty, r.methods) for r in days[DAY]] == [
        ("sale", 1000, ("cash",)), ("sale", 4000, ("alipay",)), ("return", 1000, ("cash",)), ("sale", 3000, ("cash",)),
        ("sale", 2000, ("cash", "wechat"))]
    assert [r.item_qty for r in days[DAY - timedelta(days=1)]] == [1000]
    assert [r.item_qty for r in days[DAY + timedelta(days=1)]] == [5000]
    assert days[DAY][-1].created_at == START and days[DAY][1].created_at == NEXT - timedelta(microseconds=1)
    # owner first, then by login number; the lock shown only while it holds; 赵六 only with --all
    assert [(p.name, p.locked_until is not None) for p in people[True]] == [
        ("张老板", False), ("王芳", True), ("赵六", False), ("李强", False)]
    assert [p.name for p in people[False]] == ["张老板", "王芳", "李强"]
    assert [e.document for e in entries[2]] == ["打折_%"]  # "_%" typed: not "100% off_x"
    # [START, NEXT): the entry at START in, the one a second before and the one at NEXT out
    # (newest written first: the refund's entry was written before the one dated START)
    day_docs = [e.document for e in entries[5]]
    assert day_docs[0] == "打折_%" and entries[5][0].at == START
    assert {"CT", "TH"} <= {d[:2] for d in day_docs[1:]}  # the return to Acme, the refund at noon (and the shift's)
    assert all(START <= e.at < NEXT for e in entries[5]) and len(entries[5]) < len(entries[4])
    since = [e.document for e in entries[4]]
    assert "shop" in since and set(day_docs) < set(since) and "可乐" not in since


def test_the_stock_reports_are_the_services(shop: Path) -> None:
    """The stock reports from sqlite3 alone (the warning days read by stored_int) and from the services."""
    from jxc_desktop.services.shop.stored_settings import stored_int

    db = Database.for_file(shop)
    reads = PlainReads(shop)
    services = Services(db)
    period = Period(DAY - timedelta(days=3), DAY + timedelta(days=1))
    try:
        with reads.read() as rows:
            plain = PlainReports(rows, lambda key: stored_int(rows, key))
            held = [plain.stock_value(DAY + timedelta(days=k), by) for k in (-1, 0, 5) for by in ("category", "product")]
            flows = [plain.turnover(period, by) for by in ("category", "month", "category_month")]
            covers = [plain.cover(period, by) for by in ("product", "category")]
            slow, expiring = plain.slow_movers(1, DAY - timedelta(days=1)), plain.expiry(DAY)
        reports = services.reports
        assert held == [reports.stock_value(DAY + timedelta(days=k), by) for k in (-1, 0, 5)
                        for by in ("category", "product")]
        assert flows == [reports.turnover(period, by) for by in ("category", "month", "category_month")]
        assert covers == [reports.cover(period, by) for by in ("product", "category")]
        assert slow == reports.slow_movers(1, DAY - timedelta(days=1)) and expiring == reports.expiry(DAY)
    finally:
        reads.close()
        db.dispose()
    assert expiring.warning_days == 12 and [r.batch_no for r in expiring.rows] == ["B-2", "B0", "B10"]
    assert held[0].total.value != held[2].total.value and flows[0].total.sales < 0


@pytest.mark.parametrize("stored", [
    {},  # no PIN
    {"sys.pin_hash": "scrypt$x", FAILS_KEY: "3"},
    {"sys.pin_hash": "scrypt$x", FAILS_KEY: "many"},  # unreadable: none counted
    {"sys.pin_hash": "scrypt$x", LOCKED_KEY: "2026-03-02T09:00:30+00:00"},  # locked 30 s more
    {"sys.pin_hash": "scrypt$x", LOCKED_KEY: "2026-03-02T08:59:59+00:00"},  # over
    {"sys.pin_hash": "scrypt$x", LOCKED_KEY: "2027-01-01T00:00:00+00:00"},  # clock turned back: one minute
    {"sys.pin_hash": "scrypt$x", LOCKED_KEY: "not a time"},
])
def test_the_pin_status_is_the_services(db_path: Path, stored: dict[str, str]) -> None:
    services = Services(Database.for_file(db_path))
    services.db.dispose()
    con = sqlite3.connect(db_path)
    with con:
        con.executemany("INSERT INTO setting (key, value) VALUES (?, ?)", list(stored.items()))
    con.close()
    db = Database.for_file(db_path)
    reads = PlainReads(db_path)
    try:
        with reads.read() as rows:
            plain = pin_status(lambda key: stored_setting(rows, key), AT)
        assert plain == PinService(db, clock=lambda: AT).status()
    finally:
        reads.close()
        db.dispose()
    locked = {"2026-03-02T09:00:30+00:00": AT + timedelta(seconds=30),
              "2027-01-01T00:00:00+00:00": AT + timedelta(seconds=60)}.get(stored.get(LOCKED_KEY, ""))
    assert plain.locked_until == locked
    assert plain.is_set is bool(stored)
    assert plain.tries_left == (2 if stored.get(FAILS_KEY) == "3" else 5)


@pytest.mark.parametrize("stored", [{"abc_a_pct": "60", "abc_b_pct": "30"}, {"abc_a_pct": "x", "abc_b_pct": " 5"},
                                    {"abc_a_pct": "90", "abc_b_pct": "11"}])
def test_a_stored_abc_threshold_reads_as_the_full_path_reads_it(shop: Path, stored: dict[str, str],
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The thresholds as stored (a bad number: the default), and over 100 % refused alike."""
    con = sqlite3.connect(shop)
    with con:
        con.executemany("INSERT INTO setting (key, value) VALUES (?, ?)", list(stored.items()))
    con.close()
    args = ["report", "abc", "--from", (DAY - timedelta(days=40)).isoformat(), "--to", DAY.isoformat(), "--json"]
    plain = jxc_process("--db", str(shop), *args)
    assert plain["sqlalchemy"] is False and plain["plain"] is True, plain
    full = full_path_output(shop, args, capsys)
    assert (plain["rc"], plain["out"], plain["err"]) == full
    if stored["abc_b_pct"] == "11":
        assert full[0] != 0 and "100%" in full[2] and not full[1], full
    else:
        a, b = (int(v) if v.strip().isdigit() else 80 for v in stored.values())
        assert f'"a_pct": {a}' in full[1] and f'"b_pct": {b}' in full[1], full

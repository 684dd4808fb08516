"""One member by card or phone, their visits and spending and their points and stored-value
ledgers, written as SQL text in session 16, give exactly what the SQLAlchemy queries they replaced
gave (members_reference.py), on SQLite and PostgreSQL: members found by card (any case, spaces
typed) and by phone, a customer who is no member, sales, a return and a voided sale, top-ups, a
sale paid with stored value and points, corrections; and `jxc members show|ledger` show the same
on sqlite3 alone as on the full path, an unknown card refused alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.domain.product_rules import ProductInput
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.accounts.dto import CustomerInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.members import ledger_lists
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.services.members.member_list import member_by_id, member_by_key
from jxc_desktop.services.members.member_reports import member_summary
from jxc_desktop.services.sales.dto import ReturnItem
from tests.integration import members_reference as ref
from tests.integration.test_cli_plain_reads import filled_file, same_as_full_path

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
KEYS = ["VIP-001", " vip-001 ", "13800000001", "13900000002", "M-3", "13700000003", "nobody", ""]


def fill(services: Services) -> None:
    cola = services.catalog.create_product(ProductInput(name="可乐", sale_price=300), opening_qty=500_000,
                                           opening_cost=150)
    ms = services.members
    chen = ms.add(MemberInput(phone="13800000001", card="VIP-001", name="陈建国"), at=AT)
    ms.add(MemberInput(phone="13900000002", name="李丽"), at=AT)  # no card, never bought
    wang = ms.add(MemberInput(card="M-3", name="王芳"), at=AT)
    services.customers.add(CustomerInput("饭店", phone="13700000003"))  # a customer, not a member
    co = services.checkout
    money = services.member_money
    money.topup(chen.id, 10_000, bonus=1_000, method="wechat", at=AT + timedelta(hours=1))

    def sell(units: int, when: datetime, member: int, *tenders: Tender):  # type: ignore[no-untyped-def]
        return co.post_sale(Cart((co.line_for_product(cola.id, units * 1000),)),
                            list(tenders) or [Tender("cash", units * 300)], confirmed=True, at=when, member_id=member)

    first = sell(5, AT + timedelta(days=1), chen.id)
    sell(3, AT + timedelta(days=2), chen.id, Tender("stored_value", 900))
    gone = sell(2, AT + timedelta(days=3), chen.id)
    sell(4, AT + timedelta(days=4), wang.id)
    co.post_return(first.number, [ReturnItem(first.lines[0].id, 2000)], method="cash", at=AT + timedelta(days=5))
    with services.db.write() as uow:  # a voided sale counts for nothing
        uow.session.execute(text("UPDATE sale SET status = 'reversed' WHERE id = :id"), {"id": gone.id})
        uow.commit()
    money.adjust_points(chen.id, 7, "补登")
    money.adjust_stored_value(wang.id, 500, "赠送")


def test_the_text_reads_what_the_orm_read(services: Services) -> None:
    fill(services)
    found = []
    with services.db.read() as uow:
        s = uow.session
        rows = SessionRows(s)
        for key in KEYS:
            try:
                old = ref.member_by_key(s, key)
            except NotFoundError as exc:
                with pytest.raises(NotFoundError) as new_exc:
                    member_by_key(rows, key)
                assert new_exc.value.message == exc.message
                continue
            assert member_by_key(rows, key) == old, key
            found.append(old.id)
        for mid in range(1, 6):  # 4 is a customer who is no member; 5 is no one
            for new_call, old_call in ((member_summary, ref.member_summary),
                                       (ledger_lists.points_ledger, ref.points_ledger),
                                       (ledger_lists.value_ledger, ref.value_ledger)):
                try:
                    old = old_call(s, mid)
                except NotFoundError as exc:
                    with pytest.raises(NotFoundError) as new_exc:
                        new_call(rows, mid)
                    assert new_exc.value.message == exc.message, (mid, new_call)
                    continue
                assert new_call(rows, mid) == old, (mid, new_call)
        chen = member_by_id(rows, 1)
        summary = member_summary(rows, 1)
        points, value = ledger_lists.points_ledger(rows, 1), ledger_lists.value_ledger(rows, 1)
    # what the comparison covered: found by card and phone, a return, stored value, corrections
    assert found.count(1) == 3 and 2 in found and 3 in found
    assert summary.visits == 2 and summary.spent == 1500 + 900 - 600 and chen.name == "陈建国"
    assert {m.kind for m in points} >= {"earn", "return", "adjust"} and {m.kind for m in value} >= {"topup", "pay"}
    assert services.members.summary(1) == summary and services.member_money.value_ledger(1) == value


@pytest.fixture
def shop(db_path: Path) -> Path:
    return filled_file(db_path, fill)


@pytest.mark.parametrize("args", [["show", "vip-001"], ["show", "13800000001", "--json"], ["show", "M-3"],
                                  ["show", "13700000003"], ["ledger", "VIP-001"], ["ledger", "VIP-001", "--json"],
                                  ["ledger", "M-3"], ["ledger", "nobody"]], ids=" ".join)
def test_jxc_members_without_sqlalchemy_shows_what_the_full_path_shows(
        shop: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    full = same_as_full_path(shop, ["members", *args], capsys)
    assert full[1].strip() or full[2].strip(), full

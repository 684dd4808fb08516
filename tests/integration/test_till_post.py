"""The till's sale written with Core statements (services/sales/sale_post.py, through
``CheckoutService.post_sale``) writes what the ORM path ``checkout.post_sale_in`` writes, row for row:
two copies of one shop take the same carts, one through each path, and after every cart every table
holds the same rows (ids included), the receipts are equal, and a refused cart is refused by both
with the same message and nothing written. The carts: plain lines and a weighed one, batch-tracked
FEFO over expired batches, promotions, a member paying with stored value and points, discounts
within and (owner-approved) above the limits, a sale on a customer's account and above its credit
limit, the negative-stock question, a deactivated product, a sale without its shift. Both backends."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from jxc_desktop.db.models import Base, Batch, Product
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_day
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.services.accounts.dto import CustomerInput
from jxc_desktop.services.hub import Services
from jxc_desktop.services.members.dto import MemberInput
from jxc_desktop.services.promotions.dto import PromotionInput
from jxc_desktop.services.sales.checkout import _need_shift, post_sale_in
from jxc_desktop.services.sales.dto import SaleDTO, Tender
from jxc_desktop.services.sales.records import sale_dto
from jxc_desktop.services.stock import ledger
from tests.conftest import backend

AT = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # the carts' moments: AT, AT + 1 min, …
DAY = local_day(AT)
VOLATILE = {"updated_at"}  # stamped with the wall clock by whichever path, not with the sale's moment


Pay = Callable[[int], list[Tender]]  # the tenders for the amount due


def old_post(services: Services, cart: Cart, tenders: list[Tender], **kw: Any) -> SaleDTO:
    """The till's posting as it was (main 1db7e95's CheckoutService.post_sale): the ORM path."""
    with services.db.write() as uow:
        _need_shift(uow.session, kw.get("shift_id"))
        sale = post_sale_in(uow.session, cart, tenders, promotions=True, **kw)
        dto = sale_dto(uow.session, sale, units={ln.product_id: ln.unit for ln in cart.lines})
        uow.commit()
    return dto


def tables(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in primary-key order, without the wall-clock columns."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.read() as uow:
        for table in Base.metadata.sorted_tables:
            cols = [col for col in table.columns if col.name not in VOLATILE]
            out[table.name] = [tuple(r) for r in uow.session.execute(
                select(*cols).order_by(*table.primary_key.columns))]
    return out


def build_shop(services: Services) -> dict[str, int]:
    """Products (plain, weighed, little stock, batch-tracked with an expired batch), promotions, a
    member with stored value and points, a customer with a credit limit, a cashier in an open shift."""
    def product(name: str, price: int, cost: int, qty: int, **fields: Any) -> int:
        from jxc_desktop.domain.product_rules import ProductInput

        data = ProductInput(name=name, sale_price=price, ref_cost=cost, category=fields.pop("category", "杂货"),
                            **fields)
        return services.catalog.create_product(data, create_category=True, opening_qty=qty, opening_cost=cost).id

    ids = {
        "rice": product("大米", 5000, 3170, 20_000),
        "oil": product("食用油", 3000, 2000, 20_000),
        "pork": product("五花肉", 2600, 1733, 10_000, unit="kg"),
        "few": product("酱油", 1050, 600, 3_000),
        "cola": product("可乐", 300, 170, 50_000, category="饮料"),
        "tea": product("绿茶", 400, 230, 50_000, category="饮料"),
        "apple": product("苹果", 1000, 610, 50_000, category="水果"),
        "gone": product("旧货", 900, 500, 5_000),
        "milk": product("纯牛奶", 500, 300, 0, tracks_batches=True, shelf_life_days=30, category="乳品"),
    }
    with services.db.write() as uow:  # the milk's batches: one expired, two good
        s = uow.session
        milk = s.get(Product, ids["milk"])
        for no, expiry, qty, cost in (("OLD", DAY - timedelta(days=1), 2, 290), ("B1", DAY + timedelta(days=5), 3, 300),
                                      ("B2", DAY + timedelta(days=20), 10, 310)):
            batch = Batch(product_id=milk.id, batch_no=no, expiry_date=expiry, qty=0)
            s.add(batch)
            s.flush()
            ledger.receive(s, milk, qty * 1000, MoveKind.PURCHASE, ledger.DocRef("opening"), value=qty * cost,
                           batch=batch, at=AT - timedelta(days=2))
        uow.commit()
    start, end = datetime(2026, 1, 1), datetime(2026, 12, 31, 23, 0)
    promos = services.promotions
    promos.add(PromotionInput("绿茶特价", Kind.SPECIAL_PRICE, start, end, products=((ids["tea"], 350),)))
    promos.add(PromotionInput("可乐买2付1", Kind.BUY_N_PAY_M, start, end, products=((ids["cola"], None),), n=2, m=1))
    promos.add(PromotionInput("满20减3", Kind.THRESHOLD, start, end, threshold=2000, reduction=300))
    promos.add(PromotionInput("会员苹果第二件半价", Kind.NTH_AT_PERCENT, start, end, products=((ids["apple"], None),),
                              n=2, pay_pct=50, member_only=True))
    ids["member"] = services.members.add(MemberInput(phone="13900000001", name="张三")).id
    services.member_money.topup(ids["member"], 10000, bonus=1000, method="wechat", at=AT - timedelta(days=1))
    services.member_money.adjust_points(ids["member"], 800, "开卡送积分")
    ids["customer"] = services.customers.add(CustomerInput("老王饭店", phone="13800000000", credit_limit=20000))
    ids["cashier"] = services.staff.add("王芳", "1", "1234").id
    services.staff.add("张老板", "9", role="owner")
    ids["shift"] = services.shifts.open(ids["cashier"], 10000, at=AT - timedelta(hours=1)).id
    services.settings.update({"use_shifts": "1", "negative_stock": "warn", "block_expired_sale": "1"})
    return ids


@pytest.fixture
def twins(db_target: str | Path, request: pytest.FixtureRequest) -> Iterator[tuple[Services, Services, dict[str, int]]]:
    """(new path's shop, old path's shop, ids): one shop built, then copied whole."""
    first = Database.open(db_target)
    ids = build_shop(Services(first))
    first.dispose()
    if backend(request.config) == "postgres":
        server = request.getfixturevalue("pg_server")
        name, twin_url = server.create_database(template=urlsplit(str(db_target)).path.lstrip("/"))
        twin: Database = Database.open(twin_url)
        cleanup: Callable[[], None] = lambda: server.drop_database(name)  # noqa: E731
    else:
        path = Path(db_target)
        con = sqlite3.connect(path)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        twin_path = path.with_name("twin.sqlite3")
        twin_path.write_bytes(path.read_bytes())
        twin = Database.open(twin_path)
        cleanup = lambda: None  # noqa: E731
    new = Database.open(db_target)
    try:
        yield Services(new), Services(twin), ids
    finally:
        new.dispose()
        twin.dispose()
        cleanup()


def line(services: Services, pid: int, qty: int = 1000) -> Cart:
    return Cart((services.checkout.line_for_product(pid, qty),))


def cart_of(services: Services, *items: tuple[int, int]) -> Cart:
    cart = Cart()
    for pid, qty in items:
        cart, _ = c.add(cart, services.checkout.line_for_product(pid, qty))
    return cart


def test_the_till_path_writes_what_post_sale_in_writes(twins: tuple[Services, Services, dict[str, int]]) -> None:
    new, old, ids = twins
    till = {"cashier_id": ids["cashier"], "shift_id": ids["shift"]}
    plain = cart_of(new, (ids["rice"], 2000), (ids["pork"], 735), (ids["oil"], 1000))
    # a product twice (two scale labels make two lines), FEFO past the expired batch into B2
    milk = replace(cart_of(new, (ids["milk"], 2000)), lines=cart_of(new, (ids["milk"], 2000)).lines * 2)
    promoted = cart_of(new, (ids["cola"], 2000), (ids["tea"], 3000), (ids["rice"], 1000))
    member = replace(cart_of(new, (ids["apple"], 2000), (ids["oil"], 1000)), member_id=ids["member"])
    discounted = c.set_sale_discount(c.set_line_discount(cart_of(new, (ids["rice"], 1000), (ids["oil"], 1000)), 0, 500),
                                     300)
    beyond = replace(c.set_sale_discount(cart_of(new, (ids["oil"], 2000)), 3000), owner_approved=True)
    gone = line(new, ids["gone"])
    new.catalog.set_active(ids["gone"], False)
    old.catalog.set_active(ids["gone"], False)
    cash: Pay = lambda due: [Tender("cash", due + 1000)]  # noqa: E731
    on_account: Pay = lambda due: [Tender("credit", due)]  # noqa: E731
    steps: list[tuple[str, Cart, Pay, dict[str, Any]]] = [
        ("plain", plain, cash, till),
        ("batches FEFO", milk, lambda due: [Tender("wechat", due)], till),
        ("promotions", promoted, lambda due: [Tender("alipay", due)], till),
        ("member's money", member, lambda due: [Tender("stored_value", 2000), Tender("points", 300),
                                                Tender("cash", due - 2300)], till),
        ("discounts", discounted, cash, till),
        ("beyond the limits", beyond, cash, {**till, "approved_by": "张老板"}),
        ("beyond the limits, no PIN", replace(beyond, owner_approved=False), cash, till),
        ("negative stock: asks", line(new, ids["few"], 5000), cash, till),
        ("negative stock: confirmed", line(new, ids["few"], 5000), cash, {**till, "confirmed": True}),
        ("expired batches only", line(new, ids["milk"], 10000), cash, {**till, "confirmed": True}),
        ("on account", plain, lambda due: [Tender("cash", 5000), Tender("credit", due - 5000)],
         {**till, "customer_id": ids["customer"]}),
        ("above the credit limit", plain, on_account, {**till, "customer_id": ids["customer"]}),
        ("above the limit, approved", plain, on_account,
         {**till, "customer_id": ids["customer"], "credit_override": True}),
        ("credit without a customer", plain, on_account, till),
        ("deactivated", gone, cash, till),
        ("without the shift", plain, cash, {"cashier_id": ids["cashier"]}),
        ("member price without the member", replace(member, member_id=None, lines=tuple(
            replace(ln, price_level="member") for ln in member.lines)), cash, till),
    ]
    refused = 0
    for minute, (what, cart, pay, kw) in enumerate(steps):
        kw = {**kw, "at": AT + timedelta(minutes=minute)}
        try:
            due = new.checkout.price(cart, at=kw["at"]).total
        except JxcError:  # a cart refused however it is paid
            due = 0
        tenders = pay(due)
        got: SaleDTO | JxcError
        want: SaleDTO | JxcError
        try:
            got = new.checkout.post_sale(cart, tenders, **kw)
        except JxcError as exc:
            got = exc
        try:
            want = old_post(old, cart, tenders, **kw)
        except JxcError as exc:
            want = exc
        if isinstance(want, JxcError):
            refused += 1
            assert type(got) is type(want) and str(got) == str(want), what
            assert getattr(got, "needs_confirmation", None) == getattr(want, "needs_confirmation", None), what
        else:
            assert got == want, what
        assert tables(new.db) == tables(old.db), what
    assert refused == 8
    rows = tables(new.db)  # what the carts were meant to exercise did happen
    assert len(rows["sale"]) == 9 and rows["points_move"] and rows["stored_value_move"]
    promotion_ids = [r[3] for r in rows["sale_promotion"]]  # one shared over lines: the receipt sums it
    assert len(set(promotion_ids)) >= 3 and len(promotion_ids) > len(set(promotion_ids))
    assert len(rows["account_entry"]) == 2 and len(rows["audit_log"]) > 2
    with new.db.read() as uow:
        assert ledger.reconcile(uow.session) == []
        milk_moves = uow.session.scalars(select(Batch.qty).where(Batch.product_id == ids["milk"]).order_by(Batch.id))
        assert list(milk_moves) == [2000, 0, 9000]  # the expired batch untouched, B1 emptied first

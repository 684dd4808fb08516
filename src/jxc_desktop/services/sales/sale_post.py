"""Sales written with Core statements: the till's sale (``CheckoutService.post_sale``) and history
loaded many sales at a time (bulk_post.py). They write the rows and moves that
:func:`checkout.post_sale_in` — the ORM path that wholesale notes and imported sales take — writes,
at a fraction of its cost (tests/integration/test_till_post.py and test_bulk_post.py keep them equal).

A sale is first planned (:func:`plan_sale`): post_sale_in's checks in its order, the cart priced (at
the till with the promotions running then) and settled, and each line's take of stock split over the
product's batches by the ledger's FEFO rule (``stock.fefo_split``), against the stock as it stands at
that sale — kept in memory by a :class:`StockBook`, so that many sales read their products once.
Then :func:`write_sales` writes the planned sales with one statement (or executemany) per table: the
numbers per day (``shop.next_numbers``), headers, lines (each with its product's category), payments,
what the promotions took, the members' money, and every move through ``stock.write_many`` (the
ledger's costing), whose values become the lines' cost snapshots. Each product's moves come in time
order; when many sales are written at once the ledger's row order between products differs from
posting them one by one (nothing reads it across products).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Payment, Product, Sale, SaleLine, SalePromotion
from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.cart import Cart, Totals
from jxc_desktop.domain.clock import local_day
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.tender import POINTS, STORED_VALUE, settle
from jxc_desktop.services.accounts import api as accounts
from jxc_desktop.services.members import api as members
from jxc_desktop.services.safety import api as safety
from jxc_desktop.services.sales import promo_pricing
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.services.sales.sale_rows import (
    beyond_limits,
    check_stock,
    deal_lines,
    line_fields,
    payment_fields,
    sale_fields,
    wanted_stock,
)
from jxc_desktop.services.sales.sale_settings import SaleRules
from jxc_desktop.services.shop import api as shop
from jxc_desktop.services.staff import api as staff
from jxc_desktop.services.stock import api as stock

CHUNK = 500  # ids per IN (...) list

# The statements, built once: building a select with an IN list costs more than running it (a till
# posts one sale a few seconds apart, so each statement runs from SQLAlchemy's compiled cache).
_P, _B, _L, _S = Product.__table__.c, Batch.__table__.c, SaleLine.__table__.c, Sale.__table__.c
_IDS = bindparam("ids", expanding=True)
READ_PRODUCTS = select(_P.id, _P.name, _P.active, _P.tracks_batches, _P.stock_qty, _P.category_id).where(
    _P.id.in_(_IDS))
READ_BATCHES = select(_B.id, _B.product_id, _B.expiry_date, _B.qty).where(_B.product_id.in_(_IDS))
READ_LINE_IDS = select(_L.id, _L.sale_id, _L.line_no).where(_L.sale_id.in_(_IDS))
INSERT_SALES = insert(Sale.__table__).returning(_S.id, sort_by_parameter_order=True)
INSERT_LINES = insert(SaleLine.__table__)
INSERT_PROMOTIONS = insert(SalePromotion.__table__)
INSERT_PAYMENTS = insert(Payment.__table__)
LINE_COSTS = update(SaleLine.__table__).where(_L.id == bindparam("lid")).values(cost=bindparam("c"))
SALE_COSTS = update(Sale.__table__).where(_S.id == bindparam("sid")).values(cost=bindparam("c"))


@dataclass
class _Lot:
    """A batch of a batch-tracked product as the book keeps it (its quantity kept up to date)."""

    id: int
    expiry_date: date | None
    qty: int


@dataclass
class _Stocked:
    name: str
    active: bool
    batches: bool
    qty: int  # on hand now, kept up to date through the call
    category_id: int | None  # what each of its sale lines carries (read under the lock)
    lots: dict[int, _Lot] = field(default_factory=dict)  # batch-tracked: every batch of it
    newest: tuple[_Lot | None] | None = None  # ledger.newest_batch once asked (expiry and id do not change here)

    def expired_qty(self, day: date) -> int:
        """What its batches expired before ``day`` hold (stock.available_qty's rule)."""
        return sum(lot.qty for lot in self.lots.values() if lot.qty > 0 and lot.expiry_date and lot.expiry_date < day)


class StockBook:
    """The products the sales of one call take stock from: each read once (its row locked first on a
    server, as stock.lock_products does) and kept up to date in memory as planned sales take stock."""

    def __init__(self) -> None:
        self.products: dict[int, _Stocked] = {}
        self._asked: set[int] = set()

    def read(self, session: Session, ids: Iterable[int]) -> None:
        """Read the products (and a batch-tracked one's batches) not read yet; ids that do not exist
        stay out (:meth:`check` names them)."""
        new = sorted(set(ids) - self._asked)
        if not new:
            return
        self._asked.update(new)
        stock.lock_product_ids(session, new)  # a server: before the stock is read (stock/row_locks.py)
        conn = session.connection()
        for i in range(0, len(new), CHUNK):
            for pid, name, active, batches, qty, category_id in conn.execute(READ_PRODUCTS, {"ids": new[i:i + CHUNK]}):
                self.products[pid] = _Stocked(name, bool(active), bool(batches), qty, category_id)
        tracked = [pid for pid in new if pid in self.products and self.products[pid].batches]
        for i in range(0, len(tracked), CHUNK):
            for bid, pid, expiry, qty in conn.execute(READ_BATCHES, {"ids": tracked[i:i + CHUNK]}):
                self.products[pid].lots[bid] = _Lot(bid, expiry, qty)

    def check(self, cart: Cart, rules: SaleRules, day: date, confirmed: bool) -> None:
        """post_sale_in's checks of the products: they exist and are active, expired batches, the
        negative-stock policy."""
        products = self.products
        wanted = wanted_stock(cart, products)
        block = rules.block_expired

        def on_hand(pid: int) -> tuple[str, int, bool]:
            p = products[pid]
            return p.name, p.qty, p.batches

        def available(pid: int) -> int:  # the batches as this book keeps them
            p = products[pid]
            return p.qty - (p.expired_qty(day) if block and p.batches else 0)

        check_stock(wanted, on_hand, available, block_expired=block, policy=rules.negative_stock, confirmed=confirmed)

    def take(self, session: Session, pid: int, qty: int, skip_expired_on: date | None) -> list[tuple[_Lot | None, int]]:
        """What one line takes from which batch (issue_fefo's rule over the batches as they stand),
        the product's and batches' quantities brought up to date."""
        p = self.products[pid]
        if not p.batches:
            takes: list[tuple[_Lot | None, int]] = [(None, qty)]
        else:
            def fallback() -> _Lot | None:
                if p.newest is None:
                    newest = stock.newest_batch(session, pid)
                    p.newest = (p.lots[newest.id] if newest is not None else None,)
                return p.newest[0]

            lots = sorted((lot for lot in p.lots.values() if lot.qty > 0), key=stock.fefo_order)
            loose = stock.unbatched(p.qty, (lot.qty for lot in p.lots.values()))
            takes = stock.fefo_split(lots, loose, qty, skip_expired_on, fallback)
            for lot, take in takes:
                if lot is not None:
                    lot.qty -= take
        p.qty -= qty
        return takes


@dataclass(frozen=True)
class SaleOptions:
    """What a sale carries beside its cart, tenders and moment: post_sale_in's keywords (history
    loaded in bulk carries none of them)."""

    note: str = ""
    customer_id: int | None = None  # whose account takes a credit tender (挂账)
    credit_override: bool = False  # the owner approved going above the credit limit
    cashier_id: int | None = None
    shift_id: int | None = None
    approved_by: str = ""  # the owner who approved a discount above the limit
    member_id: int | None = None  # None: the cart's member
    member_override: bool = False  # the owner approved stored value above the limit
    promotions: bool = False  # priced with the promotions running at its moment (the till)


NO_OPTIONS = SaleOptions()


@dataclass
class PlannedSale:
    """A sale checked, priced and its stock takes planned; :func:`write_sales` fills in the rest."""

    cart: Cart
    options: SaleOptions
    member_id: int | None
    totals: cartlib.Totals
    payments: list[Any]
    paid: int
    change: int
    credit: int
    at: datetime
    day: date
    rows: list[dict[str, Any]]  # the lines' columns; id, sale_id, points and cost once written
    takes: list[list[tuple[_Lot | None, int]]]  # per line
    number: str = ""
    sale_id: int = 0
    cost: int = 0
    promoted: list[dict[str, Any]] = field(default_factory=list)  # its sale_promotion rows, once written

    def actor(self, session: Session) -> str:
        """Who the audit names for this sale: the approving owner, else its cashier."""
        return self.options.approved_by or staff.person_name(session, self.options.cashier_id)


class Priced(NamedTuple):
    member_id: int | None  # the sale's member (the options', else the cart's)
    totals: Totals
    payments: list[Any]
    paid: int
    change: int
    credit: int  # what a credit tender puts on the customer's account


def price_and_settle(session: Session, cart: Cart, tenders: Sequence[Tender], at: datetime, rules: SaleRules,
                     options: SaleOptions) -> Priced:
    """A sale's checks before its stock, in the order both posting paths (this module's and
    checkout.post_sale_in) make them: a cart at all, its member (and member-price lines), the price
    (with the promotions running at ``at`` when asked), the tenders settled, a credit tender's customer
    and limit."""
    if cart.empty:
        raise ValidationError("The cart is empty")
    # issue 17: the member must exist and be active; member-price lines need one (services/members)
    member_id = options.member_id if options.member_id is not None else cart.member_id
    if member_id is not None:
        members.check_member_in(session, member_id)
    members.check_levels_in(session, cart, member_id)
    totals = promo_pricing.price_in(session, cart, rules.limits, at, member=member_id is not None) \
        if options.promotions else cartlib.price(cart, rules.limits)
    payments, paid, change = settle(totals.total, tenders)
    credit = sum(p.amount for p in payments if p.method == "credit")
    if credit and options.customer_id is None:
        raise ValidationError("Choose the customer whose account takes the sale")
    if options.customer_id is not None:
        accounts.check_credit(session, options.customer_id, credit, override=options.credit_override)
    return Priced(member_id, totals, payments, paid, change, credit)


def plan_sale(session: Session, book: StockBook, cart: Cart, tenders: Sequence[Tender], at: datetime,
              rules: SaleRules, *, confirmed: bool, options: SaleOptions = NO_OPTIONS) -> PlannedSale:
    """Check, price and settle one sale and plan its stock takes (the book's quantities then count
    them), raising what post_sale_in raises in the order it does; nothing is written."""
    member_id, totals, payments, paid, change, credit = price_and_settle(session, cart, tenders, at, rules, options)
    day = local_day(at)
    book.read(session, (line.product_id for line in cart.lines))  # locked after the account, as post_sale_in
    book.check(cart, rules, day, confirmed)
    if options.shift_id is not None:
        staff.check_shift_open(session, options.shift_id)
    rows = line_fields(totals, day)
    skip = day if rules.block_expired else None
    takes = []
    for row in rows:
        pid = int(row["product_id"])
        row["category_id"] = book.products[pid].category_id  # no after-flush UPDATE to copy it
        takes.append(book.take(session, pid, int(row["qty"]), skip))
    return PlannedSale(cart, options, member_id, totals, payments, paid, change, credit, at, day, rows, takes)


def write_sales(session: Session, planned: Sequence[PlannedSale], rules: SaleRules) -> None:
    """Write the planned sales (in time order) inside the caller's transaction; each gets its number,
    id, lines' ids, points and costs."""
    if not planned:
        return
    by_day: dict[date, list[PlannedSale]] = defaultdict(list)
    for sale in planned:
        by_day[sale.day].append(sale)
    for day, of_day in by_day.items():  # the numbers next_number would give sale by sale
        for sale, number in zip(of_day, shop.next_numbers(session, shop.SALE, day, len(of_day)), strict=True):
            sale.number = number
    till = shop.document_till(session)  # what the ORM's flush stamps on the till's sales
    # Core on the session's connection: no ORM bookkeeping (nor autoflush) per statement
    heads = [dict(sale_fields(s.number, s.totals, s.paid, s.change, s.at, s.options.note), till=till,
                  customer_id=s.options.customer_id, cashier_id=s.options.cashier_id, shift_id=s.options.shift_id,
                  member_id=s.member_id) for s in planned]
    sale_ids = session.connection().execute(INSERT_SALES, heads).scalars().all()
    for sale, sale_id in zip(planned, sale_ids, strict=True):
        sale.sale_id = int(sale_id)
        _audit_and_member_money(session, sale, rules)
    session.flush()  # what the members' money and the audit added, before the Core writes go on
    conn = session.connection()
    lines = [dict(row, sale_id=sale.sale_id) for sale in planned for row in sale.rows]
    conn.execute(INSERT_LINES, lines)
    _line_ids(session, planned)
    for sale in planned:
        sale.promoted = promo_pricing.promotion_rows(sale.sale_id, [r["id"] for r in sale.rows], sale.totals)
    promoted = [row for sale in planned for row in sale.promoted]
    if promoted:
        conn.execute(INSERT_PROMOTIONS, promoted)
    _moves(session, planned)
    conn.execute(LINE_COSTS, [{"lid": r["id"], "c": r["cost"]} for sale in planned for r in sale.rows])
    conn.execute(SALE_COSTS, [{"sid": s.sale_id, "c": s.cost} for s in planned])
    conn.execute(INSERT_PAYMENTS, [dict(f, sale_id=s.sale_id) for s in planned for f in payment_fields(s.payments)])
    for sale in planned:
        if sale.options.customer_id is not None:
            accounts.book_sale(session, sale_id=sale.sale_id, customer_id=sale.options.customer_id,
                               number=sale.number, day=sale.day, credit=sale.credit,
                               override=sale.options.credit_override, at=sale.at)


def _audit_and_member_money(session: Session, sale: PlannedSale, rules: SaleRules) -> None:
    """An owner-approved discount above the limit into the audit trail; the member's stored value and
    points tenders off the balances and the points each line earns (issue 17), as post_sale_in."""
    cart, totals = sale.cart, sale.totals
    if cart.owner_approved and beyond_limits(cart, rules.limits, totals):
        safety.record(session, safety.PRICE_CHANGE, document=sale.number, after={"discount": totals.discount},
                      detail="discount above the limit, approved by the owner", at=sale.at, actor=sale.actor(session))
    deals = deal_lines(totals)
    paid_by = {p.method: p.amount for p in sale.payments}
    earned = members.sale_money_in(
        session, sale.member_id, sale_id=sale.sale_id, number=sale.number, at=sale.at, day=sale.day,
        total=totals.total, lines=[(r["amount"], i in deals) for i, r in enumerate(sale.rows)],
        stored_value=paid_by.get(STORED_VALUE, 0), points_fen=paid_by.get(POINTS, 0),
        override=sale.options.member_override, actor=sale.actor(session) if sale.member_id is not None else "")
    for row, points in zip(sale.rows, earned, strict=True):
        row["points"] = points


def _line_ids(session: Session, planned: Sequence[PlannedSale]) -> None:
    """The ids the lines were given, by (sale, line number): one read instead of an INSERT …
    RETURNING per line (SQLite cannot return a multi-row insert's ids in order)."""
    ids = sorted(sale.sale_id for sale in planned)
    conn = session.connection()
    found: dict[tuple[int, int], int] = {}
    for i in range(0, len(ids), CHUNK):
        found.update(((sid, no), lid) for lid, sid, no in conn.execute(READ_LINE_IDS, {"ids": ids[i:i + CHUNK]}))
    for sale in planned:
        for row in sale.rows:
            row["id"] = found[(sale.sale_id, row["line_no"])]


def _moves(session: Session, planned: Sequence[PlannedSale]) -> None:
    """Every line's moves in one write_many; each line's cost is what its moves took out."""
    moves: list[stock.PlannedMove] = []
    owner: list[dict[str, Any]] = []  # the line of each move
    for sale in planned:
        for row, takes in zip(sale.rows, sale.takes, strict=True):
            ref = stock.DocRef("sale", sale.sale_id, sale.number, row["id"])
            for lot, take in takes:
                moves.append(stock.PlannedMove(int(row["product_id"]), -take, MoveKind.SALE, ref,
                                               batch_id=lot.id if lot is not None else None, at=sale.at))
                owner.append(row)
    # each product's last sale moment goes with its caches: its last move here is its last sale
    for row, value in zip(owner, stock.write_many(session, moves, sales=True), strict=True):
        row["cost"] -= value
    for sale in planned:
        sale.cost = sum(r["cost"] for r in sale.rows)

"""Many sales in one transaction, for loading history (benchmarks, a big demo): the rows and moves
:func:`checkout.post_sale_in` writes, at a fraction of its cost.

The same rules and builders: each cart is priced (``cart.price``) and settled (``tender.settle``) as at
the till; header, lines and payments come from checkout's ``sale_fields`` / ``line_fields`` /
``payment_fields``; receipt numbers from ``shop.next_number``; the negative-stock policy and the
expired-batch rule are applied per sale against the stock as it stands at that sale. Stock goes
through the ledger only: products without batches by ``stock.write_many`` (Core executemany; the
moves of all the sales of a call in one, each at its sale's moment), batch-tracked products by
``stock.issue_fefo``. Each product's moves come in time order; between products the ledger's row
order differs from posting sale by sale (nothing reads it across products). Rows are
written with Core statements (prepared once, executemany) instead of one ORM object per row; what
needs no id (line costs, payments, ``last_sale_at``) is written once per call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Payment, Product, Sale, SaleLine, lines_take_category
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_day
from jxc_desktop.domain.errors import InsufficientStockError, NotFoundError, ValidationError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.policy import enforce_negative_stock
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.domain.tender import POINTS, STORED_VALUE, settle
from jxc_desktop.services.members import api as members
from jxc_desktop.services.safety import api as safety
from jxc_desktop.services.sales.checkout import _beyond_limits, line_fields, payment_fields, sale_fields
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.services.sales.sale_settings import SaleRules, sale_rules
from jxc_desktop.services.shop import api as shop
from jxc_desktop.services.stock import api as stock

SaleInput = tuple[Cart, Sequence[Tender], datetime]


@dataclass
class _Stocked:
    name: str
    active: bool
    batches: bool
    qty: int  # on hand now, kept up to date through the call


def _products(session: Session, ids: set[int]) -> dict[int, _Stocked]:
    found: dict[int, _Stocked] = {}
    ordered = sorted(ids)
    stock.lock_product_ids(session, ordered)  # a server: before the stock is read (stock/row_locks.py)
    for i in range(0, len(ordered), 500):
        for pid, name, active, batches, qty in session.execute(
                select(Product.id, Product.name, Product.active, Product.tracks_batches, Product.stock_qty)
                .where(Product.id.in_(ordered[i:i + 500]))):
            found[pid] = _Stocked(name, bool(active), bool(batches), qty)
    return found


def _check(session: Session, products: dict[int, _Stocked], cart: Cart, rules: SaleRules, at: datetime,
           confirmed: bool) -> None:
    """checkout's checks for one sale: products exist and are active, expired batches, the policy."""
    missing = {ln.product_id for ln in cart.lines if ln.product_id not in products}
    if missing:
        raise NotFoundError("Product {id} does not exist", id=min(missing))
    for line in cart.lines:
        if not products[line.product_id].active:
            raise ValidationError("{name} is deactivated and cannot be sold", name=products[line.product_id].name)
    wanted: dict[int, int] = defaultdict(int)
    for line in cart.lines:
        wanted[line.product_id] += line.qty
    day = local_day(at)
    shortages: list[tuple[str, int, int]] = []
    for pid, qty in wanted.items():
        p = products[pid]
        if qty <= p.qty and not (rules.block_expired and p.batches):
            continue
        available = p.qty  # what available_qty gives unless expired batches are held back
        if rules.block_expired and p.batches:
            product = session.get(Product, pid)  # its batches are read; issue_fefo keeps it current
            assert product is not None
            available = stock.available_qty(session, product, skip_expired_on=day)
        if qty <= available:
            continue
        if available < p.qty and qty <= p.qty:
            raise InsufficientStockError(
                "{name}: only {available} not expired; expired batches may not be sold. "
                "Take them off the shelf or record a loss.", name=p.name, available=format_qty(available))
        shortages.append((p.name, available, qty))
    enforce_negative_stock(rules.negative_stock, shortages, confirmed=confirmed)


def post_sales_many(session: Session, sales: Sequence[SaleInput], rules: SaleRules, *,
                    confirmed: bool = True) -> int:
    """Post ``sales`` (in the order given, which should be time order) inside the caller's
    transaction. A sale refused by the stock rules is skipped, nothing of it written (as
    ``CheckoutService.post_sales_bulk``); other bad input raises. Returns how many were posted."""
    products = _products(session, {ln.product_id for cart, _t, _a in sales for ln in cart.lines})
    sale_insert = insert(Sale.__table__)
    line_insert = insert(SaleLine.__table__).returning(SaleLine.__table__.c.id, sort_by_parameter_order=True)
    line_cost: dict[int, int] = {}  # sale line id -> its cost (positive fen)
    sale_lines: dict[int, list[int]] = {}  # sale id -> its line ids
    pending: list[tuple[int, stock.PlannedMove]] = []  # (line id, move) not yet written

    def write_pending() -> None:
        # One write_many for the plain lines of all the sales: its fixed cost (a flush, reading the
        # positions, walking the session) was most of a sale's time when paid once per sale.
        if pending:
            for (lid, _move), value in zip(pending, stock.write_many(session, [m for _l, m in pending]),
                                           strict=True):
                line_cost[lid] = -value
            pending.clear()

    pays: list[dict[str, object]] = []
    sold_at: dict[int, datetime] = {}
    held: set[object] = set()
    posted = 0
    for cart, tenders, at in sales:
        if cart.empty:
            raise ValidationError("The cart is empty")
        totals = cartlib.price(cart, rules.limits)
        payments, paid, change = settle(totals.total, tenders)
        if any(p.method == "credit" for p in payments):  # a sale on account names its customer: post_sale_in
            raise ValidationError("Choose the customer whose account takes the sale")
        if cart.member_id is not None:  # the sale's member, as post_sale_in checks it (issue 17)
            members.check_member_in(session, cart.member_id)
        members.check_levels_in(session, cart, cart.member_id)
        try:
            _check(session, products, cart, rules, at, confirmed)
        except InsufficientStockError:
            continue  # nothing of this sale written yet
        day = local_day(at)
        number = shop.next_number(session, shop.SALE, day)
        # The session's identity map is weak: the day's number row would be dropped after each flush
        # and read again for the next sale. Held here until the transaction ends.
        held.update(session.dirty)
        # Core on the session's connection: no ORM bookkeeping (nor autoflush) per statement
        sale_id = int(session.connection().execute(sale_insert, dict(sale_fields(number, totals, paid, change, at, ""),
                                                                   member_id=cart.member_id))
                      .inserted_primary_key[0])
        if cart.owner_approved and _beyond_limits(cart, rules.limits):
            safety.record(session, safety.PRICE_CHANGE, document=number, after={"discount": totals.discount},
                          detail="discount above the limit, approved by the owner", at=at)
        rows = line_fields(totals, day)
        for row in rows:
            row["sale_id"] = sale_id
        # members' money (issue 17), as post_sale_in: stored value and points tenders, points per line
        paid_by = {p.method: p.amount for p in payments}
        for row, points in zip(rows, members.sale_money_in(
                session, cart.member_id, sale_id=sale_id, number=number, at=at, day=day, total=totals.total,
                lines=[(r["amount"], bool(r.get("promo_discount"))) for r in rows],
                stored_value=paid_by.get(STORED_VALUE, 0), points_fen=paid_by.get(POINTS, 0)), strict=True):
            row["points"] = points
        line_ids = list(session.connection().execute(line_insert, rows).scalars())
        pays.extend(dict(f, sale_id=sale_id) for f in payment_fields(payments))
        sale_lines[sale_id] = line_ids
        batched: list[tuple[int, int, int]] = []
        for lid, row in zip(line_ids, rows, strict=True):  # a sale's plain lines first, as write_many did
            pid, qty = int(row["product_id"]), int(row["qty"])
            products[pid].qty -= qty
            sold_at[pid] = at
            if products[pid].batches:
                batched.append((lid, pid, qty))
            else:
                pending.append((lid, stock.PlannedMove(pid, -qty, MoveKind.SALE,
                                                       stock.DocRef("sale", sale_id, number, lid), at=at)))
        for lid, pid, qty in batched:
            product = session.get(Product, pid)
            assert product is not None
            held.add(product)  # a batch-tracked product sold again later in the call is not read again
            moves = stock.issue_fefo(session, product, qty, MoveKind.SALE, stock.DocRef("sale", sale_id, number, lid),
                                     at=at, skip_expired_on=day if rules.block_expired else None)
            line_cost[lid] = -sum(m.value for m in moves)
        posted += 1
    write_pending()
    costs = [{"lid": lid, "c": c} for lid, c in line_cost.items()]
    sale_costs = [{"sid": sid, "c": sum(line_cost[lid] for lid in lids)} for sid, lids in sale_lines.items()]
    _finish(session, costs, sale_costs, pays, sold_at)
    return posted


def _finish(session: Session, costs: list[dict[str, int]], sale_costs: list[dict[str, int]],
            pays: list[dict[str, object]], sold_at: dict[int, datetime]) -> None:
    """What needed no id before the moves: the cost snapshots, the payments, last sale moments."""
    session.flush()  # the ORM side (sequences, batch-tracked products) before the Core updates
    line, sale, product = SaleLine.__table__.c, Sale.__table__.c, Product.__table__.c
    conn = session.connection()
    if costs:
        conn.execute(update(SaleLine.__table__).where(line.id == bindparam("lid")).values(cost=bindparam("c")), costs)
        lines_take_category(conn, [c["lid"] for c in costs])  # Core inserts: no ORM flush copied it
        conn.execute(update(Sale.__table__).where(sale.id == bindparam("sid")).values(cost=bindparam("c")),
                     sale_costs)
    if pays:
        conn.execute(insert(Payment.__table__), pays)
    if sold_at:
        conn.execute(update(Product.__table__).where(product.id == bindparam("pid"))
                        .values(last_sale_at=bindparam("t")), [{"pid": k, "t": v} for k, v in sold_at.items()])
        for obj in list(session.identity_map.values()):
            if isinstance(obj, Product) and obj.id in sold_at:
                session.expire(obj)


def post_sales_bulk(db: Database, sales: Iterable[SaleInput], *, per_commit: int = 250,
                    confirmed: bool = True) -> int:
    """:func:`post_sales_many` over an iterable, ``per_commit`` sales per transaction (the shop's
    sale rules read once per transaction; a few hundred keeps the session's objects few, which
    ``write_many`` walks on every call). Returns how many were posted."""
    posted = 0
    chunk: list[SaleInput] = []

    def flush() -> None:
        nonlocal posted
        with db.write() as uow:
            posted += post_sales_many(uow.session, chunk, sale_rules(uow.session), confirmed=confirmed)
            uow.commit()
        chunk.clear()

    for item in sales:
        chunk.append(item)
        if len(chunk) >= per_commit:
            flush()
    if chunk:
        flush()
    return posted

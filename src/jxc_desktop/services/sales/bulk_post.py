"""Many sales in one transaction, for loading history (benchmarks, a big demo): the rows and moves
:func:`checkout.post_sale_in` writes, at a fraction of its cost.

The same rules and builders: each cart is priced (``cart.price``) and settled (``tender.settle``) as at
the till; header, lines and payments come from sale_rows' ``sale_fields`` / ``line_fields`` /
``payment_fields``; receipt numbers from ``shop.next_numbers`` (what ``next_number`` gives sale by sale);
the negative-stock policy and the expired-batch rule are applied per sale against the stock as it
stands at that sale. Stock goes through the ledger only: every line's moves by ``stock.write_many``
(Core executemany; the moves of all the sales of a call in one, each at its sale's moment), a
batch-tracked product's split over its batches by the ledger's FEFO rule (``stock.fefo_split``,
what ``issue_fefo`` takes) over its batches as they stand, kept in memory through the call. Each
product's moves come in time order; between products the ledger's row order differs from posting
sale by sale (nothing reads it across products). Rows are written with Core statements (one
executemany per table and call) instead of one ORM object per row; what needs the moves' values
(line costs) is written once per call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Payment, Product, Sale, SaleLine, lines_take_category
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
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.services.sales.sale_rows import beyond_limits, line_fields, payment_fields, sale_fields
from jxc_desktop.services.sales.sale_settings import SaleRules, sale_rules
from jxc_desktop.services.shop import api as shop
from jxc_desktop.services.stock import api as stock

SaleInput = tuple[Cart, Sequence[Tender], datetime]


@dataclass
class _Lot:
    """A batch of a batch-tracked product as the loader keeps it (its quantity kept up to date)."""

    id: int
    expiry_date: date | None
    qty: int


@dataclass
class _Stocked:
    name: str
    active: bool
    batches: bool
    qty: int  # on hand now, kept up to date through the call
    lots: dict[int, _Lot] = field(default_factory=dict)  # batch-tracked: every batch of it
    newest: tuple[_Lot | None] | None = None  # ledger.newest_batch once asked (expiry and id do not change here)

    def expired_qty(self, day: date) -> int:
        """What its batches expired before ``day`` hold (stock.available_qty's rule)."""
        return sum(lot.qty for lot in self.lots.values() if lot.qty > 0 and lot.expiry_date and lot.expiry_date < day)


def _products(session: Session, ids: set[int]) -> dict[int, _Stocked]:
    found: dict[int, _Stocked] = {}
    ordered = sorted(ids)
    stock.lock_product_ids(session, ordered)  # a server: before the stock is read (stock/row_locks.py)
    for i in range(0, len(ordered), 500):
        for pid, name, active, batches, qty in session.execute(
                select(Product.id, Product.name, Product.active, Product.tracks_batches, Product.stock_qty)
                .where(Product.id.in_(ordered[i:i + 500]))):
            found[pid] = _Stocked(name, bool(active), bool(batches), qty)
    tracked = sorted(pid for pid, p in found.items() if p.batches)
    for i in range(0, len(tracked), 500):
        for bid, pid, expiry, qty in session.execute(
                select(Batch.id, Batch.product_id, Batch.expiry_date, Batch.qty)
                .where(Batch.product_id.in_(tracked[i:i + 500]))):
            found[pid].lots[bid] = _Lot(bid, expiry, qty)
    return found


def _check(products: dict[int, _Stocked], cart: Cart, rules: SaleRules, day: date, confirmed: bool) -> None:
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
    shortages: list[tuple[str, int, int]] = []
    for pid, qty in wanted.items():
        p = products[pid]
        if qty <= p.qty and not (rules.block_expired and p.batches):
            continue
        available = p.qty - (p.expired_qty(day) if rules.block_expired and p.batches else 0)
        if qty <= available:
            continue
        if available < p.qty and qty <= p.qty:
            raise InsufficientStockError(
                "{name}: only {available} not expired; expired batches may not be sold. "
                "Take them off the shelf or record a loss.", name=p.name, available=format_qty(available))
        shortages.append((p.name, available, qty))
    enforce_negative_stock(rules.negative_stock, shortages, confirmed=confirmed)


def _takes(session: Session, pid: int, p: _Stocked, qty: int,
           skip_expired_on: date | None) -> list[tuple[_Lot | None, int]]:
    """What one line takes from which batch (the ledger's FEFO rule over the batches as they stand),
    the product's and batches' quantities brought up to date."""
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


@dataclass
class _Planned:
    cart: Cart
    totals: cartlib.Totals
    payments: list[Any]
    paid: int
    change: int
    at: datetime
    day: date
    rows: list[dict[str, Any]]
    takes: list[list[tuple[_Lot | None, int]]]  # per line
    number: str = ""
    sale_id: int = 0


def post_sales_many(session: Session, sales: Sequence[SaleInput], rules: SaleRules, *,
                    confirmed: bool = True) -> int:
    """Post ``sales`` (in the order given, which should be time order) inside the caller's
    transaction. A sale refused by the stock rules is skipped, nothing of it written (as
    ``CheckoutService.post_sales_bulk``); other bad input raises. Returns how many were posted.

    First every sale is priced, checked and its stock takes planned against the stock as it
    stands at that sale (kept in memory); then the numbers are taken per day, the sales, lines
    and payments written with one executemany each, and all the moves with one ``write_many``."""
    products = _products(session, {ln.product_id for cart, _t, _a in sales for ln in cart.lines})
    planned: list[_Planned] = []
    sold_at: dict[int, datetime] = {}
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
        day = local_day(at)
        try:
            _check(products, cart, rules, day, confirmed)
        except InsufficientStockError:
            continue  # nothing of this sale taken yet
        rows = line_fields(totals, day)
        skip = day if rules.block_expired else None
        takes = [_takes(session, int(row["product_id"]), products[int(row["product_id"])], int(row["qty"]), skip)
                 for row in rows]
        for row in rows:
            sold_at[int(row["product_id"])] = at
        planned.append(_Planned(cart, totals, payments, paid, change, at, day, rows, takes))
    if not planned:
        return 0
    by_day: dict[date, list[_Planned]] = defaultdict(list)
    for sale in planned:
        by_day[sale.day].append(sale)
    for day, of_day in by_day.items():  # the numbers next_number would give sale by sale
        for sale, number in zip(of_day, shop.next_numbers(session, shop.SALE, day, len(of_day)), strict=True):
            sale.number = number
    # Core on the session's connection: no ORM bookkeeping (nor autoflush) per statement
    conn = session.connection()
    till = shop.document_till(session)  # what the ORM's flush stamps on the till's sales
    sale_ids = conn.execute(insert(Sale.__table__).returning(Sale.__table__.c.id, sort_by_parameter_order=True),
                            [dict(sale_fields(s.number, s.totals, s.paid, s.change, s.at, ""),
                                  member_id=s.cart.member_id, till=till) for s in planned]).scalars().all()
    pays: list[dict[str, object]] = []
    all_rows: list[dict[str, Any]] = []
    for sale, sale_id in zip(planned, sale_ids, strict=True):
        sale.sale_id = int(sale_id)
        cart, totals, at, number = sale.cart, sale.totals, sale.at, sale.number
        if cart.owner_approved and beyond_limits(cart, rules.limits):
            safety.record(session, safety.PRICE_CHANGE, document=number, after={"discount": totals.discount},
                          detail="discount above the limit, approved by the owner", at=at)
        # members' money (issue 17), as post_sale_in: stored value and points tenders, points per line
        paid_by = {p.method: p.amount for p in sale.payments}
        for row, points in zip(sale.rows, members.sale_money_in(
                session, cart.member_id, sale_id=sale.sale_id, number=number, at=at, day=sale.day, total=totals.total,
                lines=[(r["amount"], bool(r.get("promo_discount"))) for r in sale.rows],
                stored_value=paid_by.get(STORED_VALUE, 0), points_fen=paid_by.get(POINTS, 0)), strict=True):
            row["points"] = points
            row["sale_id"] = sale.sale_id
        all_rows.extend(sale.rows)
        pays.extend(dict(f, sale_id=sale.sale_id) for f in payment_fields(sale.payments))
    session.flush()  # what the members' money and the audit added, before the Core writes go on
    conn = session.connection()
    line_ids = iter(conn.execute(insert(SaleLine.__table__).returning(SaleLine.__table__.c.id,
                                                                      sort_by_parameter_order=True),
                                 all_rows).scalars().all())
    moves: list[stock.PlannedMove] = []
    move_line: list[int] = []  # the sale line of each move
    sale_lines: list[tuple[int, list[int]]] = []
    for sale in planned:
        lids: list[int] = []
        for row, takes in zip(sale.rows, sale.takes, strict=True):
            lid = int(next(line_ids))
            lids.append(lid)
            ref = stock.DocRef("sale", sale.sale_id, sale.number, lid)
            for lot, take in takes:
                moves.append(stock.PlannedMove(int(row["product_id"]), -take, MoveKind.SALE, ref,
                                               batch_id=lot.id if lot is not None else None, at=sale.at))
                move_line.append(lid)
        sale_lines.append((sale.sale_id, lids))
    line_cost: dict[int, int] = defaultdict(int)  # sale line id -> its cost (positive fen)
    for lid, value in zip(move_line, stock.write_many(session, moves), strict=True):
        line_cost[lid] -= value
    costs = [{"lid": lid, "c": c} for lid, c in line_cost.items()]
    sale_costs = [{"sid": sid, "c": sum(line_cost[lid] for lid in lids)} for sid, lids in sale_lines]
    _finish(session, costs, sale_costs, pays, sold_at)
    return len(planned)


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

"""Customer returns by receipt (退货): goods come back against a posted sale's lines, at the
original cost snapshot plus the line's cost corrections (cost_fix moves), into the batches they were taken from; the refund goes out by one method.

Amount and cost of a partial return are the line's proportional pieces (domain/pricing.prorate):
the last return of a line takes what is left, so all returns of a line add up to the line exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Product, Sale, SaleLine, StockMove
from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.clock import local_day, utcnow
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.pricing import line_value, prorate
from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.domain.tender import check_method
from jxc_desktop.services.accounts import api as accounts
from jxc_desktop.services.members import api as members
from jxc_desktop.services.sales import member_refunds
from jxc_desktop.services.sales.dto import ReturnItem
from jxc_desktop.services.shop import api as shop
from jxc_desktop.services.stock import api as stock


def _returned_sums(session: Session, line_id: int) -> tuple[int, int, int]:
    """(qty, amount, cost) already returned against a sale line."""
    row = session.execute(
        select(func.coalesce(func.sum(SaleLine.qty), 0), func.coalesce(func.sum(SaleLine.amount), 0),
               func.coalesce(func.sum(SaleLine.cost), 0)).join(Sale, Sale.id == SaleLine.sale_id)
        .where(SaleLine.origin_line_id == line_id, Sale.status == "posted")).one()
    return int(row[0]), int(row[1]), int(row[2])


def _corrections_of(session: Session, sale_id: int, line_id: int) -> int:
    """The cost corrections booked on a sale line (cost_fix moves linked to it), as extra cost
    (positive fen): a line sold into negative stock really cost what its refill paid."""
    total = session.scalar(select(func.coalesce(func.sum(StockMove.value), 0)).where(
        StockMove.doc_type == "sale", StockMove.doc_id == sale_id, StockMove.doc_line_id == line_id,
        StockMove.kind == MoveKind.COST_FIX))
    return -int(total or 0)


def _batches_of(session: Session, sale_id: int, line_id: int) -> list[tuple[int | None, int]]:
    """Where a sale line's goods came from, minus what already went back: [(batch_id, qty)].
    (Filtered by document id first, so the (doc_type, doc_id) index keeps this fast on big files.)"""
    out: dict[int | None, int] = defaultdict(int)
    for bid, qty in session.execute(
        select(StockMove.batch_id, StockMove.qty).where(
            StockMove.doc_type == "sale", StockMove.doc_id == sale_id, StockMove.doc_line_id == line_id,
            StockMove.kind == MoveKind.SALE)):
        out[bid] += -qty
    returns = select(Sale.id).where(Sale.origin_id == sale_id)
    back = select(SaleLine.id).where(SaleLine.origin_line_id == line_id)
    for bid, qty in session.execute(
        select(StockMove.batch_id, StockMove.qty).where(
            StockMove.doc_type == "sale", StockMove.doc_id.in_(returns), StockMove.kind == MoveKind.SALE_RETURN,
            StockMove.doc_line_id.in_(back))):
        out[bid] -= qty
    return [(b, q) for b, q in out.items() if q > 0]


def split_to_batches(sources: list[tuple[int | None, int]], qty: int) -> list[tuple[int | None, int]]:
    """Put ``qty`` back into the batches it came from (latest expiry first is not known here, so
    in the order the sale took them); anything beyond goes with the last one."""
    pieces: list[tuple[int | None, int]] = []
    left = qty
    for bid, q in sources:
        take = min(left, q)
        if take:
            pieces.append((bid, take))
            left -= take
        if not left:
            break
    if left:
        bid = pieces[-1][0] if pieces else (sources[-1][0] if sources else None)
        if pieces:
            pieces[-1] = (bid, pieces[-1][1] + left)
        else:
            pieces.append((bid, left))
    return pieces


def post_return_in(session: Session, number: str, items: Sequence[ReturnItem], *, method: str = "cash",
                   at: datetime | None = None, note: str = "") -> Sale:
    """Write one customer return against receipt ``number`` inside the caller's transaction."""
    number = number.strip().upper()
    # Locked (a server): two tills taking back the same receipt see each other's returns.
    origin = session.scalar(select(Sale).where(Sale.number == number).with_for_update()
                            .execution_options(populate_existing=True))
    if origin is None or origin.kind != "sale":
        raise NotFoundError("No sale with receipt number {number}", number=number[:30])
    if origin.status != "posted":
        raise ValidationError("Sale {number} was reversed; nothing to return", number=number)
    check_method(method)
    if method == "credit" and origin.customer_id is None:
        raise ValidationError("Sale {number} has no customer: refund it in money", number=number)
    wanted: dict[int, int] = defaultdict(int)
    for item in items:
        if item.qty:
            wanted[item.line_id] += cartlib.check_qty(item.qty)
    if not wanted:
        raise ValidationError("Choose what comes back: no quantity to return")
    lines = {ln.id: ln for ln in origin.lines}
    at = at or utcnow()
    day = local_day(at)
    stock.lock_products(session, {ln.product_id for ln in origin.lines if ln.id in wanted})  # before numbering
    ret_number = shop.next_number(session, shop.SALE_RETURN, day)
    ret = Sale(number=ret_number, kind="return", status="posted", origin_id=origin.id, created_at=at,
               business_day=day, note=note, customer_id=origin.customer_id,
               member_id=origin.member_id)  # a return keeps the sale's member (issue 17)
    session.add(ret)
    plan: list[tuple[SaleLine, SaleLine]] = []
    for no, (line_id, qty) in enumerate(sorted(wanted.items()), start=1):
        src = lines.get(line_id)
        if src is None:
            raise ValidationError("Line {line} is not part of sale {number}", line=line_id, number=number)
        done_qty, done_amount, done_cost = _returned_sums(session, line_id)
        left = src.qty - done_qty
        if qty > left:
            raise ValidationError("{name}: at most {max} can still be returned (sold {sold})", name=src.name,
                                  max=format_qty(left), sold=format_qty(src.qty))
        last = qty == left
        amount = prorate(src.amount, qty, src.qty, done_amount, last)
        # at the corrected cost: the line's snapshot plus its corrections, over its quantity
        cost = prorate(src.cost + _corrections_of(session, origin.id, src.id), qty, src.qty, done_cost, last)
        gross = line_value(qty, src.unit_price)
        row = SaleLine(line_no=no, product_id=src.product_id, barcode=src.barcode, name=src.name, qty=qty,
                       unit_price=src.unit_price, discount=max(0, gross - amount), amount=amount, cost=cost,
                       origin_line_id=src.id, business_day=day, kind="return", status="posted",
                       price_level=src.price_level, list_price=src.list_price,
                       points=member_refunds.points_back(session, src, qty, last))
        plan.append((src, row))
    ret.lines = [row for _src, row in plan]
    total = sum(row.amount for _s, row in plan)
    ret.subtotal = ret.total = ret.paid = total
    ret.cost = sum(row.cost for _s, row in plan)
    # a member's sale paid with stored value or points gets their share back to the card (issue 17)
    sv_back, pts_back, pts_paid, pts_done = member_refunds.refund_split(session, origin, total, ret_number)
    ret.payments = member_refunds.refund_payments(method, total, sv_back, pts_back)
    session.flush()
    members.return_money_in(session, origin.member_id, return_id=ret.id, number=ret_number, origin_id=origin.id,
                            at=at, day=day, points_back=sum(row.points for _s, row in plan), stored_value=sv_back,
                            points_fen=pts_back, origin_points_fen=pts_paid, points_fen_done=pts_done)
    if method == "credit":  # refunded to the customer's account
        accounts.book_sale_return(session, return_id=ret.id, origin_sale_id=origin.id,
                                  customer_id=int(origin.customer_id or 0), number=ret_number, day=day,
                                  amount=total - sv_back - pts_back)
    for src, row in plan:
        product = session.get(Product, row.product_id)
        assert product is not None
        ref = stock.DocRef("sale", ret.id, ret_number, row.id)
        pieces = split_to_batches(_batches_of(session, origin.id, src.id), row.qty)
        value_done = 0
        for i, (bid, qty) in enumerate(pieces):
            value = prorate(row.cost, qty, row.qty, value_done, i == len(pieces) - 1)
            value_done += value
            batch = session.get(Batch, bid) if bid is not None else None
            stock.receive(session, product, qty, MoveKind.SALE_RETURN, ref, value=value, batch=batch, at=at)
    return ret

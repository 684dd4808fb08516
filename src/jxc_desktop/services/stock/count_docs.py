"""Stock-count documents (盘点单): finding a count, the state it must be in, its scope, and opening
one with a line per product (and per batch) holding the book quantity.

Batch-tracked products get one line per batch on hand, plus a batch-less line for stock the
ledger holds without a batch (opening stock), so the lines of a product add up to its book qty.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, bindparam, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Category, Product, StockCount, StockCountLine, StockMove
from jxc_desktop.domain.clock import local_day, utcnow
from jxc_desktop.domain.errors import NotFoundError, StateError, ValidationError
from jxc_desktop.services.shop.api import COUNT, next_number
from jxc_desktop.services.stock import ledger
from jxc_desktop.services.stock.batches import unbatched
from jxc_desktop.services.stock.count_book import chunks
from jxc_desktop.services.stock.dto import KEEP, OPEN, POSTED


def get_count(session: Session, count_id: int) -> StockCount:
    count = session.get(StockCount, count_id)
    if count is None:
        raise NotFoundError("Stock count {id} does not exist", id=count_id)
    return count


def get_open_count(session: Session, count_id: int) -> StockCount:
    count = get_count(session, count_id)
    require_open(count)
    return count


def require_open(count: StockCount) -> None:
    if count.status == POSTED:
        raise StateError("Count {number} is already posted", number=count.number)
    if count.status != OPEN:
        raise StateError("Count {number} was cancelled; it can no longer be changed", number=count.number)


def _category_tree(session: Session, roots: Sequence[int]) -> list[int]:
    """The chosen categories and all their descendants."""
    children: dict[int | None, list[int]] = {}
    for cid, parent in session.execute(select(Category.id, Category.parent_id)):
        children.setdefault(parent, []).append(cid)
    out: list[int] = []
    todo = list(roots)
    while todo:
        cid = todo.pop()
        if cid in out:
            continue
        out.append(cid)
        todo.extend(children.get(cid, []))
    return out


def _scope_clause(session: Session, category_ids: Sequence[int] | None):  # type: ignore[no-untyped-def]
    clause = Product.active.is_(True)
    if category_ids:
        clause = and_(clause, Product.category_id.in_(_category_tree(session, category_ids)))
    return clause


def first_overlap(session: Session, product_filter) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    """(count number, product name) of a product in ``product_filter`` already in an open count."""
    row = session.execute(
        select(StockCount.number, Product.name)
        .join(StockCountLine, StockCountLine.count_id == StockCount.id)
        .join(Product, Product.id == StockCountLine.product_id)
        .where(StockCount.status == OPEN, product_filter).limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def open_count(session: Session, category_ids: Sequence[int] | None = None, *, note: str = "",
               at: datetime | None = None) -> StockCount:
    """Open a count of every active product (or of the chosen categories and their children),
    each line holding the book quantity at ``at`` (default now). Refused if any product is in
    another open count."""
    in_past = at is not None
    at = at or utcnow()
    cats = sorted(set(category_ids or ()))
    for cid in cats:
        if session.get(Category, cid) is None:
            raise NotFoundError("Category {id} does not exist", id=cid)
    scope = _scope_clause(session, cats)
    moved = _moved_after(session, scope, at) if in_past else {}
    clash = first_overlap(session, scope)
    if clash:
        raise StateError("{name} is already in open count {number}; post or cancel that count first",
                         number=clash[0], name=clash[1])
    count = StockCount(number=next_number(session, COUNT, local_day(at)),
                       status=OPEN, scope=json.dumps(cats) if cats else "", note=note[:200],
                       uncounted=KEEP, created_at=at)
    session.add(count)
    session.flush()
    table = StockCountLine.__table__
    # Products without batches: one line each, straight from the product table (fast at 100k).
    # Lines are shown in count order (category, code) by the queries, not by insertion.
    plain = (select(literal(count.id), Product.id, Product.stock_qty, literal(0), literal(0))
             .where(scope, Product.tracks_batches.is_(False)))
    session.execute(insert(table).from_select(
        ["count_id", "product_id", "book_qty", "diff_qty", "diff_value"], plain))
    # Opened in the past (history, the demo): products moved since then hold their book at ``at``,
    # today's stock less what moved after ``at`` (what ledger.balance_at gives with the moves in
    # time order, in one query rather than one per product: 30 days back at 100k products).
    moved_products = {pid for pid, _bid in moved}
    book_then = {pid: 0 for pid in moved_products}
    for (pid, _bid), qty in moved.items():
        book_then[pid] -= qty
    for chunk in chunks(sorted(moved_products), 500):
        for pid, stock in session.execute(select(Product.id, Product.stock_qty).where(Product.id.in_(chunk))):
            book_then[pid] += stock
    if book_then:
        lines_c = table.c
        session.execute(update(table).where(lines_c.count_id == count.id, lines_c.product_id == bindparam("pid"))
                        .values(book_qty=bindparam("qty")),
                        [{"pid": pid, "qty": qty} for pid, qty in book_then.items()])
    # Batch-tracked products: a line per batch holding stock, plus the batch-less remainder.
    tracked = session.execute(
        select(Product.id, Product.stock_qty).where(scope, Product.tracks_batches.is_(True))).all()
    if tracked:
        by_product: dict[int, list[tuple[int, int]]] = {}
        ids = [pid for pid, _ in tracked]
        for chunk in chunks(ids, 500):
            for bid, pid, qty in session.execute(
                    select(Batch.id, Batch.product_id, Batch.qty)
                    .where(Batch.product_id.in_(chunk),
                           or_(Batch.qty != 0, Batch.product_id.in_([p for p in chunk if p in moved_products])))
                    .order_by(Batch.expiry_date.is_(None), Batch.expiry_date, Batch.id)):
                qty -= moved.get((pid, bid), 0)  # the batch's qty at ``at``
                if qty:
                    by_product.setdefault(pid, []).append((bid, qty))
        rows: list[dict[str, object]] = []
        for pid, stock in tracked:
            stock = book_then.get(pid, stock)
            batches = by_product.get(pid, [])
            rows += [dict(count_id=count.id, product_id=pid, batch_id=bid, book_qty=q, diff_qty=0, diff_value=0)
                     for bid, q in batches]
            rest = unbatched(stock, (q for _, q in batches))
            if rest or not batches:
                rows.append(dict(count_id=count.id, product_id=pid, batch_id=None, book_qty=rest,
                                 diff_qty=0, diff_value=0))
        session.execute(insert(table), rows)
    return count


def _moved_after(session: Session, scope, at: datetime) -> dict[tuple[int, int | None], int]:  # type: ignore[no-untyped-def]
    """Qty moved after ``at`` per (product, batch) in scope: empty (one index probe) when ``at``
    is now, so opening a count of 100 000 products stays fast."""
    rows = session.execute(
        select(StockMove.product_id, StockMove.batch_id, func.sum(StockMove.qty))
        .join(Product, Product.id == StockMove.product_id)
        .where(StockMove.created_at > at, scope).group_by(StockMove.product_id, StockMove.batch_id))
    return {(pid, bid): int(qty) for pid, bid, qty in rows}


def product_lines(session: Session, count: StockCount, product_id: int) -> list[StockCountLine]:
    return list(session.scalars(select(StockCountLine).where(
        StockCountLine.count_id == count.id, StockCountLine.product_id == product_id
    ).order_by(StockCountLine.id)))


def add_product_line(session: Session, count: StockCount, product: Product) -> StockCountLine:
    """Bring a product outside the count's scope into it (after a scan asked)."""
    if product_lines(session, count, product.id):
        raise ValidationError("{name} is already in count {number}", name=product.name, number=count.number)
    clash = first_overlap(session, Product.id == product.id)
    if clash:
        raise StateError("{name} is already in open count {number}; post or cancel that count first",
                         number=clash[0], name=clash[1])
    line = StockCountLine(count_id=count.id, product_id=product.id, batch_id=None,
                          book_qty=product.stock_qty, diff_qty=0, diff_value=0)
    session.add(line)
    if product.tracks_batches:
        # Same shape as at opening: one line per batch on hand plus the batch-less rest.
        batches = ledger.fefo_batches(session, product.id)
        line.book_qty = unbatched(product.stock_qty, (b.qty for b in batches))
        for b in batches:
            session.add(StockCountLine(count_id=count.id, product_id=product.id, batch_id=b.id,
                                       book_qty=b.qty, diff_qty=0, diff_value=0))
    session.flush()
    return line


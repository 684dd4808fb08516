"""Stock counts (盘点): open, count by scan or typing, review, post the differences.

Selling and receiving go on during a count. Each line keeps the moment it was last counted and
the book quantity at that moment (``expected_qty``); the difference posted is
``counted - expected``, so a sale after a shelf was counted is not a loss.

Batch-tracked products get one line per batch on hand, plus a batch-less line for stock the
ledger holds without a batch (opening stock), so the lines of a product add up to its book qty.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import and_, bindparam, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Category, Product, StockCount, StockCountLine, StockMove
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import costing
from jxc_desktop.domain.clock import local_day, utcnow
from jxc_desktop.domain.errors import NotFoundError, StateError, ValidationError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.domain.quantity import MAX_QTY, MILLI
from jxc_desktop.services.catalog import api as catalog_api
from jxc_desktop.services.catalog.products import get_product
from jxc_desktop.services.safety import audit
from jxc_desktop.services.shop import sequences
from jxc_desktop.services.stock import ledger
from jxc_desktop.services.stock.count_queries import (
    LineFilter,
    count_dto,
    filter_lines,
    line_dto,
    line_order,
    line_query,
)
from jxc_desktop.services.stock.dto import (
    CountDTO,
    CountLineDTO,
    CountSummary,
    PostResult,
    SheetLine,
)

if TYPE_CHECKING:
    from jxc_desktop.services.stock.count_import import ImportSummary

OPEN, POSTED, CANCELLED = "open", "posted", "cancelled"
KEEP, ZERO = "keep", "zero"


class NotInCountError(ValidationError):
    """The scanned product is outside the count's scope; the UI may offer ``add_product``."""

    def __init__(self, template: str, *, product_id: int, **params: object) -> None:
        super().__init__(template, **params)
        self.product_id = product_id


class BatchRequiredError(ValidationError):
    """The product is counted per batch and several batch lines exist: the caller must pick one
    (or add a new batch with ``add_batch``)."""

    def __init__(self, template: str, *, product_id: int, line_ids: tuple[int, ...], **params: object) -> None:
        super().__init__(template, **params)
        self.product_id = product_id
        self.line_ids = line_ids


# ---------------------------------------------------------------- session-level helpers


def _count(session: Session, count_id: int) -> StockCount:
    count = session.get(StockCount, count_id)
    if count is None:
        raise NotFoundError("Stock count {id} does not exist", id=count_id)
    return count


def _open_count(session: Session, count_id: int) -> StockCount:
    count = _count(session, count_id)
    require_open(count)
    return count


def require_open(count: StockCount) -> None:
    if count.status == POSTED:
        raise StateError("Count {number} is already posted", number=count.number)
    if count.status != OPEN:
        raise StateError("Count {number} was cancelled; it can no longer be changed", number=count.number)


def count_by_number(session: Session, number: str) -> StockCount:
    key = number.strip().upper()[:24]  # typed on the command line as pd20261125-0001 too
    count = session.scalar(select(StockCount).where(StockCount.number == key))
    if count is None:
        raise NotFoundError("Stock count {number} does not exist", number=key)
    return count


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


def _first_overlap(session: Session, product_filter) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
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
    clash = _first_overlap(session, scope)
    if clash:
        raise StateError("{name} is already in open count {number}; post or cancel that count first",
                         number=clash[0], name=clash[1])
    count = StockCount(number=sequences.next_number(session, sequences.COUNT, local_day(at)),
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
            rest = stock - sum(q for _, q in batches)
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


def chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def book_qty_at(session: Session, line: StockCountLine, at: datetime | None) -> int:
    """The book quantity of a line's product (or batch) now (caches) or at ``at`` (ledger)."""
    if at is None:
        product = session.get(Product, line.product_id)
        assert product is not None
        if line.batch_id is not None:
            batch = session.get(Batch, line.batch_id)
            return batch.qty if batch else 0
        if not product.tracks_batches:
            return product.stock_qty
        in_batches = session.scalar(select(func.coalesce(func.sum(Batch.qty), 0))
                                    .where(Batch.product_id == line.product_id)) or 0
        return product.stock_qty - int(in_batches)
    qty, _value = ledger.balance_at(session, line.product_id, at)
    moves = select(func.coalesce(func.sum(StockMove.qty), 0)).where(
        StockMove.product_id == line.product_id, StockMove.created_at <= at)
    if line.batch_id is not None:
        return int(session.scalar(moves.where(StockMove.batch_id == line.batch_id)) or 0)
    product = session.get(Product, line.product_id)
    if product is not None and product.tracks_batches:
        return qty - int(session.scalar(moves.where(StockMove.batch_id.is_not(None))) or 0)
    return qty


def _check_qty(qty: int) -> None:
    # Strict int: 1.5 would be stored as REAL, "5" would fail the comparison, True is not a count.
    if not isinstance(qty, int) or isinstance(qty, bool):
        raise ValidationError("Quantity is not a number")
    if qty < 0:
        raise ValidationError("The counted quantity must not be negative")
    if qty > MAX_QTY:
        raise ValidationError("The counted quantity is too large")


def _record(session: Session, line: StockCountLine, counted: int | None, at: datetime | None) -> None:
    if counted is None:
        line.counted_qty = line.counted_at = line.expected_qty = None
        return
    _check_qty(counted)
    line.counted_qty = counted
    line.counted_at = at or utcnow()
    line.expected_qty = book_qty_at(session, line, at)


def _product_lines(session: Session, count: StockCount, product_id: int) -> list[StockCountLine]:
    return list(session.scalars(select(StockCountLine).where(
        StockCountLine.count_id == count.id, StockCountLine.product_id == product_id
    ).order_by(StockCountLine.id)))


def _line_for(session: Session, count: StockCount, product: Product, batch_id: int | None) -> StockCountLine:
    lines = _product_lines(session, count, product.id)
    if not lines:
        raise NotInCountError("{name} is not in count {number}. Add it to this count?",
                              product_id=product.id, name=product.name, number=count.number)
    if batch_id is not None:
        for line in lines:
            if line.batch_id == batch_id:
                return line
        raise ValidationError("That batch of {name} is not in count {number}; add the batch first",
                              name=product.name, number=count.number)
    if len(lines) == 1:
        return lines[0]
    raise BatchRequiredError("{name} is counted per batch: choose the batch", product_id=product.id,
                             line_ids=tuple(line.id for line in lines), name=product.name)


def add_quantity(session: Session, count: StockCount, product: Product, qty: int, *,
                 batch_id: int | None = None, at: datetime | None = None) -> StockCountLine:
    """Add ``qty`` (thousandths) to what was counted of a product (a scan, a collector row)."""
    line = _line_for(session, count, product, batch_id)
    _record(session, line, (line.counted_qty or 0) + qty, at)
    return line


def resolve_barcode(session: Session, code: str) -> tuple[Product, int]:
    """(product, whole units per scan) of a barcode."""
    hit = catalog_api.barcode_hit(session, code.strip())
    if hit is None:
        raise NotFoundError("Unknown barcode {code}", code=code.strip()[:40])
    return hit


def add_product_line(session: Session, count: StockCount, product: Product) -> StockCountLine:
    """Bring a product outside the count's scope into it (after a scan asked)."""
    if _product_lines(session, count, product.id):
        raise ValidationError("{name} is already in count {number}", name=product.name, number=count.number)
    clash = _first_overlap(session, Product.id == product.id)
    if clash:
        raise StateError("{name} is already in open count {number}; post or cancel that count first",
                         number=clash[0], name=clash[1])
    line = StockCountLine(count_id=count.id, product_id=product.id, batch_id=None,
                          book_qty=product.stock_qty, diff_qty=0, diff_value=0)
    session.add(line)
    if product.tracks_batches:
        # Same shape as at opening: one line per batch on hand plus the batch-less rest.
        batches = ledger.fefo_batches(session, product.id)
        line.book_qty = product.stock_qty - sum(b.qty for b in batches)
        for b in batches:
            session.add(StockCountLine(count_id=count.id, product_id=product.id, batch_id=b.id,
                                       book_qty=b.qty, diff_qty=0, diff_value=0))
    session.flush()
    return line


# ---------------------------------------------------------------- posting


def post_count(session: Session, count: StockCount, uncounted: str, at: datetime | None) -> PostResult:
    """Write count_gain / count_loss moves for every difference and close the count."""
    require_open(count)
    if uncounted not in (KEEP, ZERO):
        raise ValidationError("Uncounted lines must be kept or zeroed, not '{value}'", value=str(uncounted)[:20])
    at = at or utcnow()
    lines = StockCountLine.__table__.c
    query = select(lines.id, lines.product_id, lines.batch_id, lines.counted_qty, lines.expected_qty
                   ).where(lines.count_id == count.id)
    if uncounted == KEEP:
        query = query.where(lines.counted_qty.is_not(None))
    rows = session.execute(query.order_by(lines.id)).all()
    zeroed = [r for r in rows if r.counted_qty is None]
    # Uncounted lines treated as zero: what is on the books at posting is all lost.
    zero_expected: dict[int, int] = {}
    if zeroed:
        zero_expected = book_now_bulk(session, [(r.id, r.product_id, r.batch_id) for r in zeroed])
    diffs: list[tuple[int, int, int | None, int]] = []  # line id, product, batch, diff
    for r in rows:
        diff = -zero_expected[r.id] if r.counted_qty is None else r.counted_qty - (r.expected_qty or 0)
        if diff:
            diffs.append((r.id, r.product_id, r.batch_id, diff))
    # Product order: the ledger's index pages are then written in one sweep (a product's batch
    # lines stay in line order, so its running balance chains the same way).
    diffs.sort(key=lambda d: (d[1], d[0]))
    # Thousands of lines: the ledger's bulk writer (same rows as receive()/issue() one by one).
    # Gains come in at the current average cost, losses go out at the moving average.
    planned = [ledger.PlannedMove(pid, diff, MoveKind.COUNT_GAIN if diff > 0 else MoveKind.COUNT_LOSS,
                                  ledger.DocRef("count", count.id, count.number, line_id), batch_id=bid)
               for line_id, pid, bid, diff in diffs]
    values = ledger.write_many(session, planned, at=at)
    gains = sum(d[3] for d in diffs if d[3] > 0)
    losses = -sum(d[3] for d in diffs if d[3] < 0)
    gain_value = sum(v for v in values if v > 0)
    loss_value = -sum(v for v in values if v < 0)
    updates = [{"lid": d[0], "dq": d[3], "dv": v} for d, v in zip(diffs, values, strict=True)]
    if updates:
        session.execute(update(StockCountLine.__table__).where(lines.id == bindparam("lid"))
                        .values(diff_qty=bindparam("dq"), diff_value=bindparam("dv")), updates)
    if zeroed:
        session.execute(update(StockCountLine.__table__).where(lines.id == bindparam("lid"))
                        .values(counted_qty=0, counted_at=at, expected_qty=bindparam("eq")),
                        [{"lid": r.id, "eq": zero_expected[r.id]} for r in zeroed])
    count.status = POSTED
    count.posted_at = at
    count.uncounted = uncounted
    audit.record(session, audit.STOCK_COUNT, document=count.number, at=at, after={
        "lines": len(diffs), "gain_qty": gains, "gain_value": gain_value, "loss_qty": losses,
        "loss_value": loss_value, "uncounted": uncounted, "zeroed": len(zeroed)})
    return PostResult(count.id, count.number, len(diffs), gains, losses, gain_value, loss_value, len(zeroed))


def book_now_bulk(session: Session, lines: list[tuple[int, int, int | None]]) -> dict[int, int]:
    """Current book qty of many lines at once (for zeroing uncounted lines)."""
    pids = sorted({p for _, p, _ in lines})
    stock: dict[int, tuple[int, bool]] = {}
    in_batches: dict[int, int] = {}
    for chunk in chunks(pids, 500):
        for pid, qty, tracks in session.execute(
                select(Product.id, Product.stock_qty, Product.tracks_batches).where(Product.id.in_(chunk))):
            stock[pid] = (qty, tracks)
    tracked = [p for p in pids if stock[p][1]]
    batch_qty: dict[int, int] = {}
    for chunk in chunks(tracked, 500):
        for bid, pid, qty in session.execute(
                select(Batch.id, Batch.product_id, Batch.qty).where(Batch.product_id.in_(chunk))):
            batch_qty[bid] = qty
            in_batches[pid] = in_batches.get(pid, 0) + qty
    out: dict[int, int] = {}
    for lid, pid, bid in lines:
        qty, tracks = stock[pid]
        if bid is not None:
            out[lid] = batch_qty.get(bid, 0)
        else:
            out[lid] = qty - in_batches.get(pid, 0) if tracks else qty
    return out


@dataclass(frozen=True)
class StockCountService:
    db: Database

    # ------------------------------------------------------------------ lifecycle
    def open(self, category_ids: Sequence[int] | None = None, *, note: str = "",
             at: datetime | None = None) -> CountDTO:
        with self.db.write() as uow:
            count = open_count(uow.session, category_ids, note=note, at=at)
            uow.session.flush()
            dto = count_dto(uow.session, count)
            uow.commit()
        return dto

    def cancel(self, count_id: int) -> CountDTO:
        with self.db.write() as uow:
            count = _open_count(uow.session, count_id)
            count.status = CANCELLED
            uow.session.flush()
            dto = count_dto(uow.session, count)
            uow.commit()
        return dto

    def post(self, count_id: int, *, uncounted: str = KEEP, at: datetime | None = None) -> PostResult:
        """One transaction: every difference as a count_gain/count_loss move; the count closes."""
        with self.db.write() as uow:
            result = post_count(uow.session, _count(uow.session, count_id), uncounted, at)
            uow.commit()
        return result

    # ------------------------------------------------------------------ counting
    def scan(self, count_id: int, barcode: str, *, batch_id: int | None = None,
             at: datetime | None = None) -> CountLineDTO:
        """One scan: +1 unit, or the pack barcode's multiplier."""
        with self.db.write() as uow:
            s = uow.session
            count = _open_count(s, count_id)
            product, multiplier = resolve_barcode(s, barcode)
            line = add_quantity(s, count, product, multiplier * MILLI, batch_id=batch_id, at=at)
            s.flush()
            dto = self._line(s, line.id, count_id)
            uow.commit()
        return dto

    def add(self, count_id: int, product_id: int, qty: int, *, batch_id: int | None = None,
            at: datetime | None = None) -> CountLineDTO:
        """Add ``qty`` thousandths to a product's count (a product picked by search)."""
        if not isinstance(qty, int) or isinstance(qty, bool):
            raise ValidationError("Quantity is not a number")
        if qty <= 0:
            raise ValidationError("Quantity must be greater than zero")
        with self.db.write() as uow:
            s = uow.session
            count = _open_count(s, count_id)
            product = get_product(s, product_id)
            line = add_quantity(s, count, product, qty, batch_id=batch_id, at=at)
            s.flush()
            dto = self._line(s, line.id, count_id)
            uow.commit()
        return dto

    def set_counted(self, count_id: int, line_id: int, qty: int | None, *,
                    at: datetime | None = None) -> CountLineDTO:
        """Type the counted quantity of a line (None = back to not counted)."""
        with self.db.write() as uow:
            s = uow.session
            _open_count(s, count_id)
            line = s.get(StockCountLine, line_id)
            if line is None or line.count_id != count_id:
                raise NotFoundError("Line {id} is not in this count", id=line_id)
            _record(s, line, qty, at)
            s.flush()
            dto = self._line(s, line.id, count_id)
            uow.commit()
        return dto

    def add_product(self, count_id: int, product_id: int) -> CountLineDTO:
        with self.db.write() as uow:
            s = uow.session
            count = _open_count(s, count_id)
            product = get_product(s, product_id)
            line = add_product_line(s, count, product)
            dto = self._line(s, line.id, count_id)
            uow.commit()
        return dto

    def add_batch(self, count_id: int, product_id: int, batch_no: str, expiry: date | None = None,
                  production: date | None = None) -> CountLineDTO:
        """Count a batch found on the shelf that the books do not know (book qty 0)."""
        batch_no = " ".join(str(batch_no).split())
        if not batch_no or len(batch_no) > 40:
            raise ValidationError("A batch number of 1 to 40 characters is required")
        with self.db.write() as uow:
            s = uow.session
            count = _open_count(s, count_id)
            product = get_product(s, product_id)
            if not product.tracks_batches:
                raise ValidationError("{name} does not track batches", name=product.name)
            if not _product_lines(s, count, product.id):
                raise NotInCountError("{name} is not in count {number}. Add it to this count?",
                                      product_id=product.id, name=product.name, number=count.number)
            batch = s.scalar(select(Batch).where(Batch.product_id == product_id, Batch.batch_no == batch_no))
            if batch is None:
                batch = Batch(product_id=product_id, batch_no=batch_no, expiry_date=expiry,
                              production_date=production, qty=0)
                s.add(batch)
                s.flush()
            line = s.scalar(select(StockCountLine).where(StockCountLine.count_id == count_id,
                                                          StockCountLine.batch_id == batch.id))
            if line is None:
                line = StockCountLine(count_id=count_id, product_id=product_id, batch_id=batch.id,
                                      book_qty=batch.qty, diff_qty=0, diff_value=0)
                s.add(line)
                s.flush()
            dto = self._line(s, line.id, count_id)
            uow.commit()
        return dto

    def import_file(self, count_id: int, path: Path | str, *, at: datetime | None = None) -> ImportSummary:
        """Add a data collector's counted quantities to an open count (all or nothing)."""
        from jxc_desktop.services.stock.count_import import import_rows, read_collector_file

        rows = read_collector_file(path)
        with self.db.write() as uow:
            summary = import_rows(uow.session, _open_count(uow.session, count_id), rows, at)
            uow.commit()
        return summary

    def open_and_import(self, path: Path | str, category_ids: Sequence[int] | None = None, *,
                        at: datetime | None = None) -> tuple[CountDTO, ImportSummary]:
        """Open a count and add the file's quantities in one transaction (nothing kept on error)."""
        from jxc_desktop.services.stock.count_import import import_rows, read_collector_file

        rows = read_collector_file(path)
        with self.db.write() as uow:
            count = open_count(uow.session, category_ids, at=at)
            uow.session.flush()
            summary = import_rows(uow.session, count, rows, at)
            dto = count_dto(uow.session, count)
            uow.commit()
        return dto, summary

    # ------------------------------------------------------------------ reading
    def get(self, count_id: int) -> CountDTO:
        with self.db.read() as uow:
            return count_dto(uow.session, _count(uow.session, count_id))

    def by_number(self, number: str) -> CountDTO:
        with self.db.read() as uow:
            return count_dto(uow.session, count_by_number(uow.session, number))

    def list_counts(self, *, status: str | None = None, limit: int = 200, totals: bool = True) -> list[CountDTO]:
        """Newest first. ``totals=False`` leaves out the line counts (fast for long histories)."""
        with self.db.read() as uow:
            q = select(StockCount).order_by(StockCount.id.desc()).limit(limit)
            if status:
                q = q.where(StockCount.status == status)
            return [count_dto(uow.session, c, totals=totals) for c in uow.session.scalars(q)]

    def line(self, count_id: int, line_id: int) -> CountLineDTO:
        with self.db.read() as uow:
            return self._line(uow.session, line_id, count_id)

    def _line(self, session: Session, line_id: int, count_id: int) -> CountLineDTO:
        row = session.execute(line_query(count_id).where(StockCountLine.id == line_id)).first()
        if row is None:
            raise NotFoundError("Line {id} is not in this count", id=line_id)
        return line_dto(row, _count(session, count_id).status == POSTED)

    def lines_of_product(self, count_id: int, product_id: int) -> list[CountLineDTO]:
        with self.db.read() as uow:
            posted = _count(uow.session, count_id).status == POSTED
            rows = uow.session.execute(line_query(count_id).where(StockCountLine.product_id == product_id)
                                       .order_by(StockCountLine.id))
            return [line_dto(r, posted) for r in rows]

    def lines(self, count_id: int, *, line_filter: LineFilter = LineFilter.ALL, category_id: int | None = None,
              offset: int = 0, limit: int = 500) -> list[CountLineDTO]:
        """A page of lines in count order (category, code, batch), filtered."""
        with self.db.read() as uow:
            posted = _count(uow.session, count_id).status == POSTED
            q = filter_lines(line_query(count_id), line_filter, category_id, posted)
            rows = uow.session.execute(q.order_by(*line_order()).offset(offset).limit(limit))
            return [line_dto(r, posted) for r in rows]

    def line_ids(self, count_id: int, *, line_filter: LineFilter = LineFilter.ALL,
                 category_id: int | None = None) -> list[int]:
        """The ids of the matching lines in count order (the lazy table keeps these, then asks rows)."""
        with self.db.read() as uow:
            posted = _count(uow.session, count_id).status == POSTED
            q = (select(StockCountLine.id).join(Product, Product.id == StockCountLine.product_id)
                 .outerjoin(Category, Category.id == Product.category_id)
                 .outerjoin(Batch, Batch.id == StockCountLine.batch_id)
                 .where(StockCountLine.count_id == count_id))
            return list(uow.session.scalars(filter_lines(q, line_filter, category_id, posted).order_by(*line_order())))

    def lines_by_ids(self, count_id: int, ids: Sequence[int]) -> list[CountLineDTO]:
        with self.db.read() as uow:
            posted = _count(uow.session, count_id).status == POSTED
            out: list[CountLineDTO] = []
            for chunk in chunks(list(ids), 500):
                rows = uow.session.execute(line_query(count_id).where(StockCountLine.id.in_(chunk)))
                out += [line_dto(r, posted) for r in rows]
            order = {lid: i for i, lid in enumerate(ids)}
            return sorted(out, key=lambda ln: order[ln.id])

    def line_count(self, count_id: int, *, line_filter: LineFilter = LineFilter.ALL,
                   category_id: int | None = None) -> int:
        with self.db.read() as uow:
            posted = _count(uow.session, count_id).status == POSTED
            q = select(func.count(StockCountLine.id)).join(Product, Product.id == StockCountLine.product_id
                                                           ).where(StockCountLine.count_id == count_id)
            return int(uow.session.scalar(filter_lines(q, line_filter, category_id, posted)) or 0)

    def summary(self, count_id: int) -> CountSummary:
        """Totals: lines, counted, uncounted, 盘盈 and 盘亏 in quantity and value."""
        with self.db.read() as uow:
            s = uow.session
            count = _count(s, count_id)
            posted = count.status == POSTED
            c = StockCountLine
            total, counted = s.execute(select(func.count(c.id), func.count(c.counted_qty))
                                       .where(c.count_id == count_id)).one()
            if posted:
                diffs = s.execute(select(c.diff_qty, c.diff_value).where(c.count_id == count_id, c.diff_qty != 0))
                pairs = [(int(q), int(v)) for q, v in diffs]
            else:
                diffs = s.execute(
                    select(c.counted_qty - func.coalesce(c.expected_qty, 0), Product.avg_cost)
                    .join(Product, Product.id == c.product_id)
                    .where(c.count_id == count_id, c.counted_qty.is_not(None),
                           c.counted_qty != func.coalesce(c.expected_qty, 0)))
                pairs = [(int(q), costing.value_of(int(q), int(a))) for q, a in diffs]
            gains = [(q, v) for q, v in pairs if q > 0]
            losses = [(q, v) for q, v in pairs if q < 0]
            return CountSummary(
                count_id=count_id, number=count.number, status=count.status, lines=int(total),
                counted=int(counted), uncounted=int(total) - int(counted), gain_lines=len(gains),
                gain_qty=sum(q for q, _ in gains), gain_value=sum(v for _, v in gains),
                loss_lines=len(losses), loss_qty=-sum(q for q, _ in losses),
                loss_value=-sum(v for _, v in losses))

    def sheet_lines(self, count_id: int, *, differences_only: bool = False) -> list[SheetLine]:
        """Every line (or only those with a difference) for the printed sheets, in count order."""
        with self.db.read() as uow:
            posted = _count(uow.session, count_id).status == POSTED
            q = line_query(count_id)
            if differences_only:
                q = filter_lines(q, LineFilter.DIFFERENCES, None, posted)
            rows = uow.session.execute(q.order_by(*line_order()))
            return [SheetLine.of(line_dto(r, posted)) for r in rows]

    def open_count_covering(self, product_id: int) -> CountDTO | None:
        """The open count a product is in, if any (the checkout can say so)."""
        with self.db.read() as uow:
            count = uow.session.scalar(
                select(StockCount).join(StockCountLine, StockCountLine.count_id == StockCount.id)
                .where(StockCount.status == OPEN, StockCountLine.product_id == product_id).limit(1))
            return count_dto(uow.session, count) if count else None

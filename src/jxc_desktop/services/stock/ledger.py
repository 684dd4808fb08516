"""The ledger core: the only way stock changes.

Every function here runs inside the caller's unit of work: it writes the ``stock_move`` row(s)
and updates the cached ``product.stock_qty/stock_value/avg_cost`` (and ``batch.qty``) in the same
transaction, so ``Σ stock_move == product cache`` always holds.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, TypeVar

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Product, StockMove
from jxc_desktop.domain import costing
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.moves import LEGACY_REBASE_NOTE, MoveKind
from jxc_desktop.services.stock.batches import unbatched_qty
from jxc_desktop.services.stock.hole import BATCH_OFFSET, LineRef, fix_note, load_hole
from jxc_desktop.services.stock.row_locks import ensure_locked, lock_product_ids


@dataclass(frozen=True)
class DocRef:
    """The source document of a move."""

    doc_type: str  # purchase | sale | count | opening | adjust
    doc_id: int | None = None
    doc_number: str = ""
    line_id: int | None = None


def position(product: Product) -> costing.Position:
    return costing.Position(product.stock_qty, product.stock_value, product.avg_cost)


def _write(session: Session, product: Product, change: costing.Change, kind: MoveKind, ref: DocRef,
           batch: Batch | None, at: datetime, note: str,
           fixes: list[tuple[Hashable, int]] | None = None) -> StockMove:
    ensure_locked(session, product)  # a server: the row is this transaction's, as read (row_locks.py)
    after = change.after
    balance_value = after.value - change.revaluation
    move = StockMove(
        product_id=product.id, batch_id=batch.id if batch else None, kind=str(kind),
        qty=change.qty, value=change.value, doc_type=ref.doc_type, doc_id=ref.doc_id,
        doc_line_id=ref.line_id, doc_number=ref.doc_number, created_at=at,
        balance_qty=after.qty, balance_value=balance_value, note=note,
    )
    session.add(move)
    if change.revaluation:
        for row in _fix_rows(product.id, change, ref, kind, at, fixes, balance_value):
            session.add(StockMove(**row))
    product.stock_qty = after.qty
    product.stock_value = after.value
    product.avg_cost = after.avg_cost
    product.last_move_at = at
    if batch is not None:
        batch.qty += change.qty
    return move


def _fix_rows(pid: int, change: costing.Change, ref: DocRef, kind: MoveKind, at: datetime,
              fixes: list[tuple[Hashable, int]] | None, balance_value: int) -> list[dict[str, object]]:
    """The correction moves of a receipt into negative stock: one cost_fix per issuing line it
    filled (linked to that line, the note naming the receipt), or — when no line is known (stock
    that went negative before any move recorded it) — one unattributed revaluation as before."""
    qty = change.after.qty
    if not fixes:
        return [dict(product_id=pid, batch_id=None, kind=str(MoveKind.REVALUATION), qty=0, value=change.revaluation,
                     doc_type=ref.doc_type, doc_id=ref.doc_id, doc_line_id=ref.line_id, doc_number=ref.doc_number,
                     created_at=at, balance_qty=qty, balance_value=change.after.value, note=LEGACY_REBASE_NOTE)]
    rows: list[dict[str, object]] = []
    note = fix_note(ref.doc_number, str(kind))
    for line, delta in fixes:
        assert isinstance(line, LineRef)
        balance_value += delta
        rows.append(dict(product_id=pid, batch_id=None, kind=str(MoveKind.COST_FIX), qty=0, value=delta,
                         doc_type=line.doc_type, doc_id=line.doc_id, doc_line_id=line.line_id,
                         doc_number=line.doc_number, created_at=at, balance_qty=qty, balance_value=balance_value,
                         note=note))
    return rows


def _receive_change(hole: costing.Hole | None, before: costing.Position, qty: int,
                    value: int) -> tuple[costing.Change, list[tuple[Hashable, int]] | None]:
    """costing.receive plus, into negative stock, the corrections of the hole's lines it fills."""
    if hole is None or before.qty >= 0:
        return costing.receive(before, qty, value), None
    filled = hole.take(min(qty, -before.qty))
    change = costing.receive(before, qty, value, sum(f.old for f in filled) if filled else None)
    return change, costing.corrections(filled, qty, value, change.revaluation) if filled else None


def receive(session: Session, product: Product, qty: int, kind: MoveKind, ref: DocRef, *,
            value: int | None = None, batch: Batch | None = None, at: datetime | None = None,
            note: str = "", settle: bool = True) -> StockMove:
    """Goods in. ``value`` is the cost brought in (fen); None means at the current average cost
    (count gains, adjustments). Goods received into a batch first make up batches sold below zero
    (``settle``; a caller writing many receipts may settle once at the end instead)."""
    if qty <= 0:
        raise ValidationError("Quantity must be greater than zero")
    if value is None:
        value = costing.value_of(qty, product.avg_cost)
    if value < 0:
        raise ValidationError("Cost must not be negative")
    before = position(product)
    hole = load_hole(session, product.id) if before.qty < 0 else None  # most receipts: no hole, no read
    change, fixes = _receive_change(hole, before, qty, value)
    move = _write(session, product, change, kind, ref, batch, at or utcnow(), note, fixes)
    if settle and batch is not None and product.tracks_batches:
        settle_negative_batches(session, product, ref, at=move.created_at)
    return move


def issue(session: Session, product: Product, qty: int, kind: MoveKind, ref: DocRef, *,
          batch: Batch | None = None, value: int | None = None, at: datetime | None = None,
          note: str = "") -> StockMove:
    """Goods out of one batch (or none) at the moving average; ``value`` (positive fen) overrides
    the average only where a rule fixes it (a reversal taking out exactly what came in)."""
    if qty <= 0:
        raise ValidationError("Quantity must be greater than zero")
    change = costing.issue(position(product), qty, value)
    return _write(session, product, change, kind, ref, batch, at or utcnow(), note)


def revalue(session: Session, product: Product, delta: int, ref: DocRef, *, at: datetime | None = None,
            note: str = "") -> StockMove:
    change = costing.revalue(position(product), delta)
    return _write(session, product, change, MoveKind.REVALUATION, ref, None, at or utcnow(), note)


@dataclass(frozen=True)
class PlannedMove:
    """One move for :func:`write_many`: ``qty`` signed (> 0 in, < 0 out)."""

    product_id: int
    qty: int
    kind: MoveKind
    ref: DocRef
    batch_id: int | None = None
    value: int | None = None  # positive fen; None = at the (moving) average, as receive()/issue()
    note: str = ""
    at: datetime | None = None  # this move's moment; None = the call's ``at`` (moves in time order)


# write_many's statements, built once (a till's sale runs them every few seconds: building a select
# with an IN list costs more than running it from the compiled cache)
_PC, _BC = Product.__table__.c, Batch.__table__.c
_POSITIONS = select(_PC.id, _PC.stock_qty, _PC.stock_value, _PC.avg_cost).where(
    _PC.id.in_(bindparam("ids", expanding=True)))
_INSERT_MOVES = insert(StockMove.__table__)
_CACHES = update(Product.__table__).where(_PC.id == bindparam("pid")).values(
    stock_qty=bindparam("q"), stock_value=bindparam("v"), avg_cost=bindparam("a"), last_move_at=bindparam("t"))
_SOLD_CACHES = _CACHES.values(last_sale_at=bindparam("t"))
_BATCH_QTY = update(Batch.__table__).where(_BC.id == bindparam("bid")).values(qty=_BC.qty + bindparam("d"))


def write_many(session: Session, planned: Sequence[PlannedMove], *, at: datetime | None = None,
               settle: bool = True, sales: bool = False) -> list[int]:
    """Many moves at once (a count posting thousands of lines): exactly the rows and cache changes
    that calling :func:`receive` / :func:`issue` in this order would make (the same costing, the
    same revaluation move), written with Core executemany instead of one ORM object per move.
    Returns each planned move's signed value. Product/Batch objects already in the session for
    these rows are expired so they re-read the new caches. A move with its own ``at`` (many sales
    loaded at once, each at its moment) is written at that moment, and the product's last move
    moment is that of its last move. ``settle=False``: receipts into batches do not make up batches
    sold below zero (new products, which have none). ``sales=True``: the moves are sales, so each
    product's last sale moment is its last move's, written with its caches."""
    at = at or utcnow()
    session.flush()
    pids = sorted({m.product_id for m in planned})
    lock_product_ids(session, pids)  # a server: before the positions are read (row_locks.py)
    pos: dict[int, costing.Position] = {}
    for i in range(0, len(pids), 500):
        for pid, qty, value, avg in session.execute(_POSITIONS, {"ids": pids[i:i + 500]}):
            pos[pid] = costing.Position(qty, value, avg)
    rows: list[dict[str, object]] = []
    values: list[int] = []
    batch_delta: dict[int, int] = {}
    # Holes of products below zero, read only when a receipt here fills one: from the ledger (its
    # state before these moves, like ``pos``) for a product already below zero, empty for one that
    # went below here; then the issue lines below zero met here, in order. A product that only goes
    # on selling below zero (a year of sales loaded at once) never reads its ever longer hole.
    holes: dict[int, costing.Hole] = {}
    owed: dict[int, list[tuple[LineRef, int, int, int, int]]] = {}
    below_before = {pid for pid, p in pos.items() if p.qty < 0}

    def hole_of(pid: int) -> costing.Hole:
        hole = holes.get(pid)
        if hole is None:
            hole = holes[pid] = load_hole(session, pid) if pid in below_before else costing.Hole()
            for args in owed.pop(pid, ()):
                hole.issue(*args)
        return hole

    last_at: dict[int, datetime] = {}
    for m in planned:
        moment = m.at or at
        if m.qty == 0:
            raise ValidationError("Quantity must be greater than zero")
        before = pos[m.product_id]
        fixes = None
        if m.qty > 0:
            value = costing.value_of(m.qty, before.avg_cost) if m.value is None else m.value
            if value < 0:
                raise ValidationError("Cost must not be negative")
            change, fixes = _receive_change(hole_of(m.product_id) if before.qty < 0 else None, before, m.qty, value)
        else:
            change = costing.issue(before, -m.qty, m.value)
            if change.after.qty < 0:
                args = (LineRef(m.ref.doc_type, m.ref.doc_id, m.ref.doc_number, m.ref.line_id),
                        before.qty, change.after.qty, -change.value, change.after.value)
                if m.product_id in holes:
                    holes[m.product_id].issue(*args)
                else:
                    owed.setdefault(m.product_id, []).append(args)
        after = change.after
        common = dict(product_id=m.product_id, doc_type=m.ref.doc_type, doc_id=m.ref.doc_id,
                      doc_line_id=m.ref.line_id, doc_number=m.ref.doc_number, created_at=moment)
        balance_value = after.value - change.revaluation
        rows.append(dict(common, batch_id=m.batch_id, kind=str(m.kind), qty=change.qty, value=change.value,
                         balance_qty=after.qty, balance_value=balance_value, note=m.note))
        if change.revaluation:
            rows.extend(_fix_rows(m.product_id, change, m.ref, m.kind, moment, fixes, balance_value))
        pos[m.product_id] = after
        last_at[m.product_id] = moment
        values.append(change.value)
        if m.batch_id is not None:
            batch_delta[m.batch_id] = batch_delta.get(m.batch_id, 0) + change.qty
    if not rows:
        return values
    session.execute(_INSERT_MOVES, rows)
    caches = [{"pid": pid, "q": pos[pid].qty, "v": pos[pid].value, "a": pos[pid].avg_cost, "t": last_at[pid]}
              for pid in pids]
    session.execute(_SOLD_CACHES if sales else _CACHES, caches)
    if batch_delta:
        session.execute(_BATCH_QTY, [{"bid": bid, "d": d} for bid, d in batch_delta.items()])
    for obj in list(session.identity_map.values()):
        if (isinstance(obj, Product) and obj.id in pos) or (isinstance(obj, Batch) and obj.id in batch_delta):
            session.expire(obj)
    # Batches sold below zero are made up once per product, after all the rows (see receive()).
    received = {m.product_id: (m.ref, m.at or at) for m in planned if settle and m.qty > 0 and m.batch_id is not None}
    for pid, (ref, moment) in sorted(received.items()):
        product = session.get(Product, pid)
        if product is not None and product.tracks_batches:
            settle_negative_batches(session, product, ref, at=moment)
    return values


def fefo_batches(session: Session, product_id: int) -> list[Batch]:
    """Batches with stock, first to expire first (no expiry last, then oldest)."""
    rows = session.scalars(
        select(Batch).where(Batch.product_id == product_id, Batch.qty > 0)
        .order_by(Batch.expiry_date.is_(None), Batch.expiry_date, Batch.id)
    )
    return list(rows)


class _Lot(Protocol):
    """What the FEFO rule reads of a batch: an ORM ``Batch`` or a loader's copy of its row."""

    id: int
    expiry_date: date | None
    qty: int


L = TypeVar("L", bound=_Lot)


def fefo_order(lot: _Lot) -> tuple[bool, date, int]:
    """The sort key of :func:`fefo_batches` (no expiry last, then first to expire, then oldest)."""
    return (lot.expiry_date is None, lot.expiry_date or date.min, lot.id)


def fefo_split(lots: Sequence[L], loose: int, qty: int, skip_expired_on: date | None,
               fallback: Callable[[], L | None]) -> list[tuple[L | None, int]]:
    """The FEFO rule of :func:`issue_fefo` as (batch or None, quantity) takes, reading nothing:
    ``lots`` are the batches with stock in FEFO order, ``loose`` the stock held in no batch,
    ``fallback`` the batch that takes what is beyond the stock when no batch gave any (asked only
    then). Bulk loaders that keep batch quantities in memory use the same rule."""
    takes: list[tuple[L | None, int]] = []
    remaining = qty
    last: L | None = None
    for lot in lots:
        if skip_expired_on and lot.expiry_date and lot.expiry_date < skip_expired_on:
            continue
        take = min(remaining, lot.qty)
        takes.append((lot, take))
        remaining -= take
        last = lot
        if remaining == 0:
            return takes
    if loose > 0:
        take = min(remaining, loose)
        takes.append((None, take))
        remaining -= take
        if remaining == 0:
            return takes
    takes.append((last if last is not None else fallback(), remaining))
    return takes


def newest_batch(session: Session, product_id: int) -> Batch | None:
    """The batch that takes a sale beyond the stock when no batch with stock gave any."""
    return session.scalars(select(Batch).where(Batch.product_id == product_id)
                           .order_by(Batch.expiry_date.desc(), Batch.id.desc())).first()


def issue_fefo(session: Session, product: Product, qty: int, kind: MoveKind, ref: DocRef, *,
               at: datetime | None = None, skip_expired_on: date | None = None,
               note: str = "") -> list[StockMove]:
    """Issue ``qty``, taking from the batch that expires first, then from stock held in no batch.
    For products without batch tracking this is one move. Beyond what is on hand (negative stock
    allowed by policy) the remainder is taken from the last batch used (the next receipt into a
    batch makes it up, see :func:`settle_negative_batches`), or batch-less when there is none.
    ``skip_expired_on``: batches expired before that day are not taken (expired goods blocked)."""
    if qty <= 0:
        raise ValidationError("Quantity must be greater than zero")
    if not product.tracks_batches:
        return [issue(session, product, qty, kind, ref, at=at, note=note)]
    takes = fefo_split(fefo_batches(session, product.id), unbatched_qty(session, product), qty, skip_expired_on,
                       lambda: newest_batch(session, product.id))
    return [issue(session, product, take, kind, ref, batch=batch, at=at, note=note) for batch, take in takes]


def settle_negative_batches(session: Session, product: Product, ref: DocRef, *,
                            at: datetime | None = None) -> list[StockMove]:
    """After goods arrive into a batch, make up batches (or batch-less stock) that were sold below
    zero, from the batches that hold stock (first to expire first). Each transfer is a pair of
    zero-value ``adjust`` moves, so the product's quantity and value are unchanged while every
    batch returns to what is really on the shelf."""
    session.flush()
    negative = list(session.scalars(select(Batch).where(Batch.product_id == product.id, Batch.qty < 0)
                                    .order_by(Batch.id)))
    holes: list[tuple[Batch | None, int]] = [(b, -b.qty) for b in negative]
    loose = unbatched_qty(session, product)
    if loose < 0:
        holes.append((None, -loose))
    moves: list[StockMove] = []
    if not holes:
        return moves
    when = at or utcnow()
    sources = fefo_batches(session, product.id)
    for target, need in holes:
        for source in sources:
            if need == 0:
                break
            take = min(need, source.qty)
            if take <= 0:
                continue
            pos = position(product)
            out = costing.Change(-take, 0, 0, costing.Position(pos.qty - take, pos.value, pos.avg_cost))
            moves.append(_write(session, product, out, MoveKind.ADJUST, ref, source, when, BATCH_OFFSET))
            back = costing.Change(take, 0, 0, pos)
            moves.append(_write(session, product, back, MoveKind.ADJUST, ref, target, when, BATCH_OFFSET))
            need -= take
    return moves


def available_qty(session: Session, product: Product, *, skip_expired_on: date | None = None) -> int:
    """What can be issued without going negative (expired batches excluded when asked)."""
    if not (product.tracks_batches and skip_expired_on):
        return product.stock_qty
    expired = session.scalar(
        select(func.coalesce(func.sum(Batch.qty), 0)).where(
            Batch.product_id == product.id, Batch.qty > 0, Batch.expiry_date < skip_expired_on)
    ) or 0
    return product.stock_qty - int(expired)


def balance_at(session: Session, product_id: int, at: datetime) -> tuple[int, int]:
    """The product's (qty, value) just after the last move at or before ``at``."""
    row = session.execute(
        select(StockMove.balance_qty, StockMove.balance_value)
        .where(StockMove.product_id == product_id, StockMove.created_at <= at)
        .order_by(StockMove.created_at.desc(), StockMove.id.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else (0, 0)


@dataclass(frozen=True)
class LedgerProblem:
    product_id: int
    code: str
    what: str


def reconcile(session: Session) -> list[LedgerProblem]:
    """Every product's cache equals the sum of its moves (qty and value) and the last move's
    balance; every batch's qty equals the sum of its moves."""
    problems: list[LedgerProblem] = []
    sums = select(StockMove.product_id, func.sum(StockMove.qty).label("q"),
                  func.sum(StockMove.value).label("v"), func.max(StockMove.id).label("last")
                  ).group_by(StockMove.product_id).subquery()
    rows = session.execute(
        select(Product.id, Product.code, Product.stock_qty, Product.stock_value,
               func.coalesce(sums.c.q, 0), func.coalesce(sums.c.v, 0), sums.c.last)
        .outerjoin(sums, sums.c.product_id == Product.id)
    )
    last_ids: dict[int, tuple[int, int, str]] = {}
    for pid, code, qty, value, mq, mv, last in rows:
        if qty != mq:
            problems.append(LedgerProblem(pid, code, f"stock_qty {qty} != Σ moves {mq}"))
        if value != mv:
            problems.append(LedgerProblem(pid, code, f"stock_value {value} != Σ moves {mv}"))
        if last is not None:
            last_ids[last] = (qty, value, code)
    if last_ids:
        for chunk_start in range(0, len(last_ids), 500):
            ids = list(last_ids)[chunk_start:chunk_start + 500]
            for mid, pid, bq, bv in session.execute(
                select(StockMove.id, StockMove.product_id, StockMove.balance_qty, StockMove.balance_value)
                .where(StockMove.id.in_(ids))
            ):
                qty, value, code = last_ids[mid]
                if (bq, bv) != (qty, value):
                    problems.append(LedgerProblem(pid, code, f"last move balance ({bq}, {bv}) != cache ({qty}, {value})"))
    bsums = select(StockMove.batch_id, func.sum(StockMove.qty).label("q")).where(
        StockMove.batch_id.is_not(None)).group_by(StockMove.batch_id).subquery()
    for bid, pid, bno, bqty, mq in session.execute(
        select(Batch.id, Batch.product_id, Batch.batch_no, Batch.qty, func.coalesce(bsums.c.q, 0))
        .outerjoin(bsums, bsums.c.batch_id == Batch.id)
    ):
        if bqty != mq:
            problems.append(LedgerProblem(pid, str(bno), f"batch {bid} qty {bqty} != Σ moves {mq}"))
    return problems

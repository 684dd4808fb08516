"""The stock view (库存): what is on hand, what needs attention, and every product's ledger.

Read-only. Lists are paged by key (code order: each page seeks past the last code, no OFFSET) so
the window scrolls 100 000 products without loading them all and a full walk stays linear; counts and the total value come from one aggregate over the same filter.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Barcode, Batch, Category, Product, StockMove
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import local_today, utcnow
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.services.catalog import api as catalog
from jxc_desktop.services.shop.api import get_int
from jxc_desktop.services.stock.stock_lines import PlainLine, plain_lines


class StockFilter(StrEnum):
    ALL = "all"
    BELOW_MIN = "below_min"
    ABOVE_MAX = "above_max"
    NEGATIVE = "negative"
    EXPIRING = "expiring"  # a batch on hand expires within the warning days
    EXPIRED = "expired"  # a batch on hand is past its expiry
    NO_MOVEMENT = "no_movement"  # stock on hand, no move for N days


class StockRow(NamedTuple):
    """One product of the list (a named tuple: 100 000 of them are made at C speed)."""

    product_id: int
    code: str
    barcode: str
    name: str
    spec: str
    unit: str
    category: str
    qty: int
    avg_cost: int
    value: int
    min_stock: int
    max_stock: int
    tracks_batches: bool
    last_move_at: datetime | None


class StockLine(NamedTuple):
    """One product as ``jxc stock`` prints it: the plain columns only (no date, no category), so
    the rows come straight from the driver without a conversion per row."""

    product_id: int
    code: str
    barcode: str
    name: str
    qty: int
    avg_cost: int
    value: int


@dataclass(frozen=True)
class StockPage:
    rows: list[StockRow]
    total: int  # rows matching the filter
    total_qty: int
    total_value: int  # fen, over every matching product


@dataclass(frozen=True)
class LedgerRow:
    id: int
    at: datetime
    kind: str
    doc_type: str
    doc_id: int | None
    doc_number: str
    batch_no: str
    qty: int
    value: int
    balance_qty: int
    balance_value: int
    note: str


@dataclass(frozen=True)
class BatchRow:
    id: int
    batch_no: str
    production_date: date | None
    expiry_date: date | None
    qty: int
    state: str  # expired | expiring | ok | none (no expiry date)
    days_left: int | None


@dataclass(frozen=True)
class StockAlerts:
    below_min: int
    expiring_batches: int  # batches on hand expiring within warning_days
    expired_batches: int
    warning_days: int

    @property
    def any(self) -> bool:
        return bool(self.below_min or self.expiring_batches or self.expired_batches)


@dataclass(frozen=True)
class StockQuery:
    filter: StockFilter = StockFilter.ALL
    text: str = ""  # matched as the catalogue searches: code prefix, barcode, pinyin (助记码/全拼), name
    category_id: int | None = None
    days: int | None = None  # expiring window or idle days; None = the setting / 30
    include_inactive: bool = False
    include_expired: bool = False  # EXPIRING: also batches already past their expiry
    below_min: bool = False  # also below the minimum stock (``jxc stock --expiring N --low``)


IDLE_DAYS_DEFAULT = 30


def plain_form(q: StockQuery) -> tuple[bool, bool] | None:
    """(below the minimum, expiring) for a query the SQL text of stock_lines.py reads — the lists
    of ``jxc stock``: every active product, ``--low``, ``--expiring DAYS`` (the expired included)
    and both — else None (the window's filters, a text, a category, the inactive too)."""
    if q.text.strip() or q.category_id is not None or q.include_inactive:
        return None
    below = q.below_min or q.filter == StockFilter.BELOW_MIN
    if q.filter in (StockFilter.ALL, StockFilter.BELOW_MIN):
        return below, False
    if q.filter == StockFilter.EXPIRING and q.include_expired and q.days is not None:
        return below, True
    return None


def _primary_barcode():  # type: ignore[no-untyped-def]
    return (select(Barcode.code).where(Barcode.product_id == Product.id)
            .order_by(Barcode.multiplier, Barcode.id).limit(1).scalar_subquery())


def _where(session: Session, q: StockQuery, today: date) -> list:  # type: ignore[type-arg]
    conds: list = []  # type: ignore[type-arg]
    if not q.include_inactive:
        conds.append(Product.active.is_(True))
    if q.category_id is not None:
        conds.append(Product.category_id == q.category_id)
    text = q.text.strip()
    if text:
        conds.append(catalog.text_matches(text))  # the catalogue's rule: 助记码 anywhere, 全拼 too
    f = q.filter
    if f == StockFilter.BELOW_MIN or q.below_min:
        conds += [Product.min_stock > 0, Product.stock_qty < Product.min_stock]
    if f == StockFilter.ABOVE_MAX:
        conds += [Product.max_stock > 0, Product.stock_qty > Product.max_stock]
    elif f == StockFilter.NEGATIVE:
        conds.append(Product.stock_qty < 0)
    elif f == StockFilter.EXPIRING:
        days = q.days if q.days is not None else get_int(session, "expiry_warning_days")
        window = [Batch.expiry_date <= today + timedelta(days=days)]
        if not q.include_expired:
            window.append(Batch.expiry_date >= today)
        # IN over the batches found by the expiry index, not a probe per product (100 000 of them)
        conds.append(Product.id.in_(select(Batch.product_id).where(Batch.qty > 0, *window)))
    elif f == StockFilter.EXPIRED:
        conds.append(Product.id.in_(select(Batch.product_id).where(Batch.qty > 0, Batch.expiry_date < today)))
    elif f == StockFilter.NO_MOVEMENT:
        days = q.days if q.days is not None else IDLE_DAYS_DEFAULT
        since = utcnow() - timedelta(days=days)
        conds += [Product.stock_qty != 0, or_(Product.last_move_at.is_(None), Product.last_move_at < since)]
    return conds


@dataclass(frozen=True)
class StockViewService:
    db: Database

    def page(self, query: StockQuery = StockQuery(), *, after: str | None = None, limit: int = 200,
             today: date | None = None) -> StockPage:
        """One page of products (in code order, after code ``after``) plus the count and totals of
        all that match."""
        today = today or local_today()
        with self.db.read() as uow:
            total, qty, value = self._totals(uow.session, query, today)
            return StockPage(self._rows(uow.session, query, today, limit, after=after), total, qty, value)

    def totals(self, query: StockQuery = StockQuery(), *, today: date | None = None) -> StockPage:
        """Count, quantity and value of everything matching (no rows)."""
        with self.db.read() as uow:
            total, qty, value = self._totals(uow.session, query, today or local_today())
            return StockPage([], total, qty, value)

    def codes(self, query: StockQuery = StockQuery(), *, today: date | None = None) -> tuple[StockPage, list[str]]:
        """The totals (no rows) and the codes of every matching product in list order, from one
        read: the lazy table keeps the codes and asks each page from its first code (a seek, never
        an OFFSET that re-reads the earlier rows)."""
        today = today or local_today()
        with self.db.read() as uow:
            s = uow.session
            total, qty, value = self._totals(s, query, today)
            codes = list(s.scalars(select(Product.code).where(*_where(s, query, today)).order_by(Product.code)))
            return StockPage([], total, qty, value), codes

    def rows_from(self, query: StockQuery, first: str, limit: int, *, today: date | None = None) -> list[StockRow]:
        """Up to ``limit`` matching rows from code ``first`` on (the table's page)."""
        with self.db.read() as uow:
            return self._rows(uow.session, query, today or local_today(), limit, first=first)

    def iter_rows(self, query: StockQuery = StockQuery(), *, today: date | None = None,
                  chunk: int = 2000) -> Iterator[list[StockRow]]:
        """Every matching row, ``chunk`` at a time in code order (the command line and exports).
        Each chunk is one short read seeking past the last code given, so the whole walk is linear
        in the products and no read holds the file while the caller writes rows out."""
        today = today or local_today()
        after: str | None = None
        while True:
            with self.db.read() as uow:
                page = self._rows(uow.session, query, today, chunk, after=after)
            if page:
                yield page
            if len(page) < chunk:
                return
            after = page[-1].code

    def iter_plain_lines(self, query: StockQuery = StockQuery(), *, today: date | None = None,
                         chunk: int = 20000) -> Iterator[list[PlainLine]]:
        """The command line's list: every matching product's plain columns, ``chunk`` at a time in
        code order. The rows are the driver's own tuples, :class:`StockLine`'s fields in its order:
        a writer that unpacks each row does not pay for a named tuple per product (100 000 of them
        for ``jxc stock --json``). The lists of ``jxc stock`` (:func:`plain_form`): the SQL text of
        stock_lines.py, which ``jxc stock`` also runs on sqlite3 alone; other queries read each
        chunk seeking past the last code (as iter_rows)."""
        today = today or local_today()
        form = plain_form(query)
        if form is not None:
            below, expiring = form
            last_day = today + timedelta(days=query.days) if expiring and query.days is not None else None
            yield from plain_lines(self._session_rows, below_min=below, expiring_by=last_day, chunk=chunk)
            return
        after: str | None = None
        while True:
            with self.db.read() as uow:
                s = uow.session
                conds = _where(s, query, today)
                if after is not None:
                    conds.append(Product.code > after)
                result = s.connection().execute(
                    select(Product.id, Product.code, func.coalesce(_primary_barcode(), ""), Product.name,
                           Product.stock_qty, Product.avg_cost, Product.stock_value)
                    .where(*conds).order_by(Product.code).limit(chunk))
                # Integer and text columns need no result processing: the driver's rows as they come
                page: list[PlainLine] = result.cursor.fetchall()
                result.close()
            if page:
                yield page
            if len(page) < chunk:
                return
            after = page[-1][1]  # the code

    @contextmanager
    def _session_rows(self) -> Iterator[SessionRows]:
        with self.db.read() as uow:
            yield SessionRows(uow.session)

    def rows(self, query: StockQuery = StockQuery(), *, today: date | None = None,
             chunk: int = 2000) -> list[StockRow]:
        """Every matching row, in code order."""
        out: list[StockRow] = []
        for page in self.iter_rows(query, today=today, chunk=chunk):
            out += page
        return out

    @staticmethod
    def _totals(s: Session, query: StockQuery, today: date) -> tuple[int, int, int]:
        total, qty, value = s.execute(
            select(func.count(Product.id), func.coalesce(func.sum(Product.stock_qty), 0),
                   func.coalesce(func.sum(Product.stock_value), 0)).where(*_where(s, query, today))).one()
        return int(total), int(qty), int(value)

    @staticmethod
    def _rows(s: Session, query: StockQuery, today: date, limit: int, *, after: str | None = None,
              first: str | None = None) -> list[StockRow]:
        conds = _where(s, query, today)
        if after is not None:
            conds.append(Product.code > after)
        if first is not None:
            conds.append(Product.code >= first)
        # Rows fetched at once and wrapped as they come (no ORM objects, no per-row fetch call).
        result = s.connection().execute(
            select(Product.id, Product.code, func.coalesce(_primary_barcode(), ""), Product.name, Product.spec,
                   Product.unit,
                   func.coalesce(Category.name, ""), Product.stock_qty, Product.avg_cost, Product.stock_value,
                   Product.min_stock, Product.max_stock, Product.tracks_batches, Product.last_move_at)
            .outerjoin(Category, Category.id == Product.category_id)
            .where(*conds).order_by(Product.code).limit(limit))
        return list(map(StockRow._make, result.all()))

    def total_value(self) -> int:
        with self.db.read() as uow:
            return int(uow.session.scalar(select(func.coalesce(func.sum(Product.stock_value), 0))) or 0)

    def ledger(self, product_id: int, *, before: LedgerRow | None = None, limit: int = 500) -> list[LedgerRow]:
        """A product's moves, newest first, with the source document and running balance; the next
        page starts ``before`` the last row shown (a seek on (product, time), no OFFSET)."""
        with self.db.read() as uow:
            s = uow.session
            if s.get(Product, product_id) is None:
                raise NotFoundError("Product {id} does not exist", id=product_id)
            rows = s.execute(
                select(StockMove.id, StockMove.created_at, StockMove.kind, StockMove.doc_type, StockMove.doc_id,
                       StockMove.doc_number, func.coalesce(Batch.batch_no, ""), StockMove.qty, StockMove.value,
                       StockMove.balance_qty, StockMove.balance_value, StockMove.note)
                .outerjoin(Batch, Batch.id == StockMove.batch_id)
                .where(StockMove.product_id == product_id,
                       *([] if before is None else
                         [tuple_(StockMove.created_at, StockMove.id) < tuple_(before.at, before.id)]))
                .order_by(StockMove.created_at.desc(), StockMove.id.desc()).limit(limit))
            return [LedgerRow(*r) for r in rows]

    def ledger_count(self, product_id: int) -> int:
        with self.db.read() as uow:
            return int(uow.session.scalar(
                select(func.count(StockMove.id)).where(StockMove.product_id == product_id)) or 0)

    def batches(self, product_id: int, *, include_empty: bool = False, today: date | None = None) -> list[BatchRow]:
        """A product's batches, first to expire first, each marked expired / expiring / ok."""
        today = today or local_today()
        with self.db.read() as uow:
            s = uow.session
            warn = get_int(s, "expiry_warning_days")
            q = select(Batch).where(Batch.product_id == product_id)
            if not include_empty:
                q = q.where(Batch.qty != 0)
            out = []
            for b in s.scalars(q.order_by(Batch.expiry_date.is_(None), Batch.expiry_date, Batch.id)):
                if b.expiry_date is None:
                    state, left = "none", None
                else:
                    left = (b.expiry_date - today).days
                    state = "expired" if left < 0 else ("expiring" if left <= warn else "ok")
                out.append(BatchRow(b.id, b.batch_no, b.production_date, b.expiry_date, b.qty, state, left))
            return out

    def alerts(self, *, today: date | None = None) -> StockAlerts:
        """The start-up notice: products below minimum, batches expiring or expired."""
        today = today or local_today()
        with self.db.read() as uow:
            s = uow.session
            warn = get_int(s, "expiry_warning_days")
            low = s.scalar(select(func.count(Product.id)).where(
                Product.active.is_(True), Product.min_stock > 0, Product.stock_qty < Product.min_stock)) or 0
            on_hand = select(func.count(Batch.id)).join(Product, Product.id == Batch.product_id).where(
                Batch.qty > 0, Product.active.is_(True))
            expiring = s.scalar(on_hand.where(
                and_(Batch.expiry_date >= today, Batch.expiry_date <= today + timedelta(days=warn)))) or 0
            expired = s.scalar(on_hand.where(Batch.expiry_date < today)) or 0
            return StockAlerts(int(low), int(expiring), int(expired), warn)

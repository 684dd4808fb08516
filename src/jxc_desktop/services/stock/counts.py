"""Stock counts (盘点): open, count by scan or typing, review, post the differences.

Selling and receiving go on during a count. Each line keeps the moment it was last counted and
the book quantity at that moment (``expected_qty``); the difference posted is
``counted - expected``, so a sale after a shelf was counted is not a loss.

This module is the service the window and ``jxc count`` call: one transaction per call, DTOs out.
The rules live beside it: count_docs.py (finding, opening, scope), count_recording.py (what was
counted), count_book.py (book quantities), count_posting.py (the ledger moves), count_variance.py
(盘盈/盘亏 totals), count_import.py (a data collector's file), count_queries.py (reading lines).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Category, Product, StockCount, StockCountLine
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database, retrying
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.catalog.api import get_product  # the product, or the one NotFoundError for a bad id
from jxc_desktop.services.stock import count_sheet
from jxc_desktop.services.stock.count_book import chunks
from jxc_desktop.services.stock.count_docs import (
    add_product_line,
    get_count,
    get_open_count,
    open_count,
    product_lines,
)
from jxc_desktop.services.stock.count_import import collector_times, import_rows, read_collector
from jxc_desktop.services.stock.count_posting import post_count
from jxc_desktop.services.stock.count_queries import count_dto, filter_lines, line_dto, line_order, line_query
from jxc_desktop.services.stock.count_recording import (
    add_batch_line,
    add_quantity,
    record,
    resolve_barcode,
)
from jxc_desktop.services.stock.count_variance import ListedCount, count_summary, newest_counts
from jxc_desktop.services.stock.dto import (
    CANCELLED,
    KEEP,
    OPEN,
    POSTED,
    CollectorTimes,
    CountDTO,
    CountLineDTO,
    CountSummary,
    ImportSummary,
    LineFilter,
    PostResult,
    SheetLine,
)


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
            count = get_open_count(uow.session, count_id)
            count.status = CANCELLED
            uow.session.flush()
            dto = count_dto(uow.session, count)
            uow.commit()
        return dto

    @retrying  # a server may refuse it as a write conflict: run it again whole
    def post(self, count_id: int, *, uncounted: str = KEEP, at: datetime | None = None) -> PostResult:
        """One transaction: every difference as a count_gain/count_loss move; the count closes."""
        with self.db.write() as uow:
            result = post_count(uow.session, get_count(uow.session, count_id), uncounted, at)
            uow.commit()
        return result

    # ------------------------------------------------------------------ counting
    def scan(self, count_id: int, barcode: str, *, batch_id: int | None = None,
             at: datetime | None = None) -> CountLineDTO:
        """One scan: +1 unit, or the pack barcode's multiplier."""
        with self.db.write() as uow:
            s = uow.session
            count = get_open_count(s, count_id)
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
            count = get_open_count(s, count_id)
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
            get_open_count(s, count_id)
            line = s.get(StockCountLine, line_id)
            if line is None or line.count_id != count_id:
                raise NotFoundError("Line {id} is not in this count", id=line_id)
            record(s, line, qty, at)
            s.flush()
            dto = self._line(s, line.id, count_id)
            uow.commit()
        return dto

    def set_counted_many(self, count_id: int, quantities: Sequence[tuple[int, int]], *,
                         at: datetime | None = None) -> list[CountLineDTO]:
        """The counted quantity of several products at once, as typed in a colour × size grid:
        ``(product id, qty)`` each; a product outside the count's scope is brought in. All of them
        or none; a product counted per batch is refused (its batches are counted one by one)."""
        with self.db.write() as uow:
            s = uow.session
            count = get_open_count(s, count_id)
            ids = []
            for product_id, qty in quantities:
                product = get_product(s, product_id)
                lines = product_lines(s, count, product.id) or [add_product_line(s, count, product)]
                if len(lines) > 1 or product.tracks_batches:
                    raise ValidationError("{name} is counted per batch: count it line by line", name=product.name)
                record(s, lines[0], qty, at)
                ids.append(lines[0].id)
            s.flush()
            dtos = [self._line(s, line_id, count_id) for line_id in ids]
            uow.commit()
        return dtos

    def add_product(self, count_id: int, product_id: int) -> CountLineDTO:
        with self.db.write() as uow:
            s = uow.session
            count = get_open_count(s, count_id)
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
            count = get_open_count(s, count_id)
            product = get_product(s, product_id)
            line = add_batch_line(s, count, product, batch_no, expiry, production)
            dto = self._line(s, line.id, count_id)
            uow.commit()
        return dto

    def collector_times(self, path: Path | str) -> CollectorTimes:
        """When a collector file says it was counted (rows' scan times, its time line, its
        modification time), for the import dialog to show and confirm before importing."""
        return collector_times(path)

    def import_file(self, count_id: int, path: Path | str, *, at: datetime | None = None,
                    counted_at: datetime | None = None) -> ImportSummary:
        """Add a data collector's counted quantities to an open count (all or nothing). Rows
        without a scan time were counted at ``counted_at`` (else the file's time line, else now)."""
        rows, file_time = read_collector(path)
        with self.db.write() as uow:
            summary = import_rows(uow.session, get_open_count(uow.session, count_id), rows, at,
                                  counted_at or file_time)
            uow.commit()
        return summary

    def open_and_import(self, path: Path | str, category_ids: Sequence[int] | None = None, *,
                        at: datetime | None = None, counted_at: datetime | None = None
                        ) -> tuple[CountDTO, ImportSummary]:
        """Open a count and add the file's quantities in one transaction (nothing kept on error);
        ``counted_at`` as for :meth:`import_file`."""
        rows, file_time = read_collector(path)
        with self.db.write() as uow:
            count = open_count(uow.session, category_ids, at=at)
            uow.session.flush()
            summary = import_rows(uow.session, count, rows, at, counted_at or file_time)
            dto = count_dto(uow.session, count)
            uow.commit()
        return dto, summary

    # ------------------------------------------------------------------ reading
    def get(self, count_id: int) -> CountDTO:
        with self.db.read() as uow:
            return count_dto(uow.session, get_count(uow.session, count_id))

    def by_number(self, number: str) -> CountDTO:
        """A count by its number (``jxc count pdf`` on sqlite3 alone runs the same SQL text)."""
        with self.db.read() as uow:
            return count_sheet.count_by_number(SessionRows(uow.session), number)

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
        return line_dto(row, get_count(session, count_id).status == POSTED)

    def lines_of_product(self, count_id: int, product_id: int) -> list[CountLineDTO]:
        with self.db.read() as uow:
            posted = get_count(uow.session, count_id).status == POSTED
            rows = uow.session.execute(line_query(count_id).where(StockCountLine.product_id == product_id)
                                       .order_by(StockCountLine.id))
            return [line_dto(r, posted) for r in rows]

    def lines(self, count_id: int, *, line_filter: LineFilter = LineFilter.ALL, category_id: int | None = None,
              limit: int = 500) -> list[CountLineDTO]:
        """The first ``limit`` lines in count order (category, code, batch), filtered. (The count table
        pages through ``line_ids`` + ``lines_by_ids``: no OFFSET that re-reads every earlier line.)"""
        with self.db.read() as uow:
            posted = get_count(uow.session, count_id).status == POSTED
            q = filter_lines(line_query(count_id), line_filter, category_id, posted)
            rows = uow.session.execute(q.order_by(*line_order()).limit(limit))
            return [line_dto(r, posted) for r in rows]

    def line_ids(self, count_id: int, *, line_filter: LineFilter = LineFilter.ALL,
                 category_id: int | None = None) -> list[int]:
        """The ids of the matching lines in count order (the lazy table keeps these, then asks rows)."""
        with self.db.read() as uow:
            posted = get_count(uow.session, count_id).status == POSTED
            q = (select(StockCountLine.id).join(Product, Product.id == StockCountLine.product_id)
                 .outerjoin(Category, Category.id == Product.category_id)
                 .outerjoin(Batch, Batch.id == StockCountLine.batch_id)
                 .where(StockCountLine.count_id == count_id))
            return list(uow.session.scalars(filter_lines(q, line_filter, category_id, posted).order_by(*line_order())))

    def lines_by_ids(self, count_id: int, ids: Sequence[int]) -> list[CountLineDTO]:
        with self.db.read() as uow:
            posted = get_count(uow.session, count_id).status == POSTED
            out: list[CountLineDTO] = []
            for chunk in chunks(list(ids), 500):
                rows = uow.session.execute(line_query(count_id).where(StockCountLine.id.in_(chunk)))
                out += [line_dto(r, posted) for r in rows]
            order = {lid: i for i, lid in enumerate(ids)}
            return sorted(out, key=lambda ln: order[ln.id])

    def line_count(self, count_id: int, *, line_filter: LineFilter = LineFilter.ALL,
                   category_id: int | None = None) -> int:
        with self.db.read() as uow:
            posted = get_count(uow.session, count_id).status == POSTED
            q = select(func.count(StockCountLine.id)).join(Product, Product.id == StockCountLine.product_id
                                                           ).where(StockCountLine.count_id == count_id)
            return int(uow.session.scalar(filter_lines(q, line_filter, category_id, posted)) or 0)

    def summary(self, count_id: int) -> CountSummary:
        """Totals: lines, counted, uncounted, 盘盈 and 盘亏 in quantity and value."""
        with self.db.read() as uow:
            count = get_count(uow.session, count_id)
            return count_summary(SessionRows(uow.session), count.id, count.number, count.status)

    def newest(self, limit: int = 1000) -> list[ListedCount]:
        """The newest counts with their totals (``jxc count list``; on sqlite3 alone it runs the same)."""
        with self.db.read() as uow:
            return newest_counts(SessionRows(uow.session), limit)

    def sheet_lines(self, count_id: int, *, differences_only: bool = False) -> list[SheetLine]:
        """Every line (or only those with a difference) for the printed sheets, in count order."""
        with self.db.read() as uow:
            count = get_count(uow.session, count_id)
            return count_sheet.sheet_lines(SessionRows(uow.session), count.id, count.status,
                                           differences_only=differences_only)

    def iter_sheet_lines(self, count_id: int) -> Iterator[SheetLine]:
        """Every line for the blank sheet, in count order, streamed from one read transaction a
        chunk at a time (a 100 000-line count is never all in memory); the read ends with the
        iteration (or when the iterator is closed, e.g. the PDF was cancelled). ``jxc count pdf
        --blank`` on sqlite3 alone runs the same SQL text."""
        with self.db.read() as uow:
            yield from count_sheet.each_sheet_line(SessionRows(uow.session), count_id)

    def open_count_covering(self, product_id: int) -> CountDTO | None:
        """The open count a product is in, if any (the checkout can say so)."""
        with self.db.read() as uow:
            count = uow.session.scalar(
                select(StockCount).join(StockCountLine, StockCountLine.count_id == StockCount.id)
                .where(StockCount.status == OPEN, StockCountLine.product_id == product_id).limit(1))
            return count_dto(uow.session, count) if count else None

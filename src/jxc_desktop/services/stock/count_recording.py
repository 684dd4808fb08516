"""Recording what was counted: a scan or a typed quantity lands on the right line of a count (the
product's only line, or the batch the caller picked), with the book quantity at that moment.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Batch, Product, StockCount, StockCountLine
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.quantity import MAX_QTY
from jxc_desktop.services.catalog import api as catalog
from jxc_desktop.services.stock.count_book import book_qty_at
from jxc_desktop.services.stock.count_docs import product_lines
from jxc_desktop.services.stock.dto import BatchRequiredError, NotInCountError


def _check_qty(qty: int) -> None:
    # Strict int: 1.5 would be stored as REAL, "5" would fail the comparison, True is not a count.
    if not isinstance(qty, int) or isinstance(qty, bool):
        raise ValidationError("Quantity is not a number")
    if qty < 0:
        raise ValidationError("The counted quantity must not be negative")
    if qty > MAX_QTY:
        raise ValidationError("The counted quantity is too large")


def record(session: Session, line: StockCountLine, counted: int | None, at: datetime | None) -> None:
    if counted is None:
        line.counted_qty = line.counted_at = line.expected_qty = None
        return
    _check_qty(counted)
    line.counted_qty = counted
    line.counted_at = at or utcnow()
    line.expected_qty = book_qty_at(session, line, at)


def _line_for(session: Session, count: StockCount, product: Product, batch_id: int | None) -> StockCountLine:
    lines = product_lines(session, count, product.id)
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
    record(session, line, (line.counted_qty or 0) + qty, at)
    return line


def resolve_barcode(session: Session, code: str) -> tuple[Product, int]:
    """(product, whole units per scan) of a barcode."""
    hit = catalog.barcode_hit(session, code.strip())
    if hit is None:
        raise NotFoundError("Unknown barcode {code}", code=code.strip()[:40])
    return hit



def add_batch_line(session: Session, count: StockCount, product: Product, batch_no: str, expiry: date | None,
                   production: date | None) -> StockCountLine:
    """The line of a batch found on the shelf that the books do not know (book qty 0); the batch
    is made when the product has none of that number."""
    if not product.tracks_batches:
        raise ValidationError("{name} does not track batches", name=product.name)
    if not product_lines(session, count, product.id):
        raise NotInCountError("{name} is not in count {number}. Add it to this count?",
                              product_id=product.id, name=product.name, number=count.number)
    batch = session.scalar(select(Batch).where(Batch.product_id == product.id, Batch.batch_no == batch_no))
    if batch is None:
        batch = Batch(product_id=product.id, batch_no=batch_no, expiry_date=expiry,
                      production_date=production, qty=0)
        session.add(batch)
        session.flush()
    line = session.scalar(select(StockCountLine).where(StockCountLine.count_id == count.id,
                                                        StockCountLine.batch_id == batch.id))
    if line is None:
        line = StockCountLine(count_id=count.id, product_id=product.id, batch_id=batch.id,
                              book_qty=batch.qty, diff_qty=0, diff_value=0)
        session.add(line)
        session.flush()
    return line

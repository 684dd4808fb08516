"""The read side of stock counts: a count's DTO and its lines (filtered, in count order)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Barcode, Batch, Category, Product, StockCount, StockCountLine
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.services.stock.count_sheet import line_dto as line_dto  # the one row to DTO (SQL text too)
from jxc_desktop.services.stock.count_variance import line_totals, scope_names
from jxc_desktop.services.stock.dto import CountDTO, LineFilter


def count_dto(session: Session, count: StockCount, *, totals: bool = True) -> CountDTO:
    rows = SessionRows(session)
    total = counted = 0
    if totals:  # an aggregate over up to 100 000 lines: skipped for lists of closed counts
        total, counted = line_totals(rows, count.id)
    return CountDTO(id=count.id, number=count.number, status=count.status, scope=count.scope,
                    scope_names=scope_names(rows, count.scope), note=count.note,
                    created_at=count.created_at, posted_at=count.posted_at, uncounted=count.uncounted,
                    lines=total, counted=counted, has_totals=totals)


def _primary_barcode():  # type: ignore[no-untyped-def]
    return (select(Barcode.code).where(Barcode.product_id == Product.id)
            .order_by(Barcode.multiplier, Barcode.id).limit(1).scalar_subquery())


def line_query(count_id: int):  # type: ignore[no-untyped-def]
    return (select(StockCountLine.id, StockCountLine.product_id, Product.code, _primary_barcode(), Product.name,
                   Product.spec, Product.unit, Product.category_id, func.coalesce(Category.name, ""),
                   StockCountLine.batch_id, Batch.batch_no, Batch.expiry_date, StockCountLine.book_qty,
                   StockCountLine.counted_qty, StockCountLine.counted_at, StockCountLine.expected_qty,
                   StockCountLine.diff_qty, StockCountLine.diff_value, Product.avg_cost, Product.tracks_batches)
            .join(Product, Product.id == StockCountLine.product_id)
            .outerjoin(Category, Category.id == Product.category_id)
            .outerjoin(Batch, Batch.id == StockCountLine.batch_id)
            .where(StockCountLine.count_id == count_id))


def line_order():  # type: ignore[no-untyped-def]
    """Count order: category (as sorted), product code, then batches first-expiry-first."""
    return (func.coalesce(Category.sort, 1 << 30), func.coalesce(Category.name, "\uffff"), Product.code,
            StockCountLine.batch_id.is_not(None), Batch.expiry_date, StockCountLine.id)


def filter_lines(query, line_filter: LineFilter, category_id: int | None, posted: bool):  # type: ignore[no-untyped-def]
    c = StockCountLine
    if line_filter == LineFilter.UNCOUNTED:
        query = query.where(c.counted_qty.is_(None))
    elif line_filter == LineFilter.COUNTED:
        query = query.where(c.counted_qty.is_not(None))
    elif line_filter == LineFilter.DIFFERENCES:
        query = query.where(c.diff_qty != 0) if posted else query.where(
            c.counted_qty.is_not(None), c.counted_qty != func.coalesce(c.expected_qty, 0))
    if category_id is not None:
        query = query.where(Product.category_id == category_id)
    return query

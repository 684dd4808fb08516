"""The read side of stock counts: a count's DTO and its lines (filtered, in count order)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Barcode, Batch, Category, Product, StockCount, StockCountLine
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.domain import costing
from jxc_desktop.services.stock.count_variance import line_totals, scope_names
from jxc_desktop.services.stock.dto import CountDTO, CountLineDTO, LineFilter


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


def line_dto(row, posted: bool) -> CountLineDTO:  # type: ignore[no-untyped-def]
    (lid, pid, code, barcode, name, spec, unit, cat_id, cat, bid, bno, expiry, book, counted, counted_at,
     expected, dq, dv, avg, tracks) = row
    if posted:
        diff, value = dq, dv
        if dq:  # the unit cost the posting used, not today's average
            avg = costing.unit_cost_of(abs(dv), abs(dq))
    elif counted is None:
        diff, value = 0, 0
    else:
        diff = counted - (expected or 0)
        value = costing.value_of(diff, avg)
    return CountLineDTO(id=lid, product_id=pid, code=code, barcode=barcode or "", name=name, spec=spec, unit=unit,
                        category_id=cat_id, category=cat, batch_id=bid, batch_no=bno or "",
                        expiry_date=expiry, book_qty=book, counted_qty=counted, counted_at=counted_at,
                        expected_qty=expected, diff_qty=diff, diff_value=value, avg_cost=avg,
                        tracks_batches=bool(tracks))


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

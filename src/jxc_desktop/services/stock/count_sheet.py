"""A stock count by its number and its lines with a difference, in count order, for the printed
variance report (盘点差异表), and every line of it for the blank count sheet (streamed: 100 000
lines are never all in memory), as SQL text either driver runs (db/text_reads.py): the count
service in its session (the window's print) and ``jxc count pdf`` (``--blank`` too) on sqlite3
alone (issue 15: no SQLAlchemy to print one count). The same columns, conditions and order as
count_queries.line_query, filter_lines and line_order, which the count window's lists keep."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from jxc_desktop.db.text_reads import Row, Rows, as_date, as_utc
from jxc_desktop.domain import costing
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.services.stock.count_variance import line_totals, scope_names
from jxc_desktop.services.stock.dto import POSTED, CountDTO, CountLineDTO, SheetLine

COUNT = ("SELECT id, number, status, scope, note, created_at, posted_at, uncounted FROM stock_count "
         "WHERE number = :number")
# A line with its product, category, batch and the product's first barcode (smallest pack first).
LINES = ("SELECT l.id, l.product_id, p.code, (SELECT b.code FROM barcode b WHERE b.product_id = p.id "
         "ORDER BY b.multiplier, b.id LIMIT 1), p.name, p.spec, p.unit, p.category_id, coalesce(c.name, ''), "
         "l.batch_id, t.batch_no, t.expiry_date, l.book_qty, l.counted_qty, l.counted_at, l.expected_qty, "
         "l.diff_qty, l.diff_value, p.avg_cost, p.tracks_batches FROM stock_count_line l "
         "JOIN product p ON p.id = l.product_id LEFT OUTER JOIN category c ON c.id = p.category_id "
         "LEFT OUTER JOIN batch t ON t.id = l.batch_id WHERE l.count_id = :count_id{differences} "
         # count order: category (as sorted), product code, then batches first-expiry-first
         "ORDER BY coalesce(c.sort, :no_sort), coalesce(c.name, :no_name), p.code, l.batch_id IS NOT NULL, "
         "t.expiry_date, l.id")
# A difference: as posted, or counted and not what was expected (an open count).
POSTED_DIFFERENCE = " AND l.diff_qty != 0"
OPEN_DIFFERENCE = " AND l.counted_qty IS NOT NULL AND l.counted_qty != coalesce(l.expected_qty, 0)"
ORDER_BINDS = {"no_sort": 1 << 30, "no_name": "\uffff"}  # no category: after every category
EVERY_LINE = LINES.format(differences="")
STATUS = "SELECT status FROM stock_count WHERE id = :count_id"  # how its lines' differences read


def line_dto(row: Row, posted: bool) -> CountLineDTO:
    """A line as the count shows it: a posted count's difference and value as posted (at the unit
    cost the posting used), an open count's at today's average cost."""
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


def count_by_number(rows: Rows, number: str) -> CountDTO:
    """A count by its number (typed as pd20261125-0001 too), with its totals and scope's names."""
    key = number.strip().upper()[:24]
    found = rows.all(COUNT, number=key)
    if not found:
        raise NotFoundError("Stock count {number} does not exist", number=key)
    cid, number, status, scope, note, created, posted, uncounted = found[0]
    created_at = as_utc(created)
    assert created_at is not None  # NOT NULL
    total, counted = line_totals(rows, cid)
    return CountDTO(id=cid, number=number, status=status, scope=scope, scope_names=scope_names(rows, scope),
                    note=note, created_at=created_at, posted_at=as_utc(posted), uncounted=uncounted, lines=total,
                    counted=counted)


def sheet_lines(rows: Rows, count_id: int, status: str, *, differences_only: bool = False) -> list[SheetLine]:
    """Every line of a count (or only those with a difference), in count order."""
    posted = status == POSTED
    differences = (POSTED_DIFFERENCE if posted else OPEN_DIFFERENCE) if differences_only else ""
    return list(_sheet_lines(rows.all(LINES.format(differences=differences), count_id=count_id, **ORDER_BINDS),
                             posted))


def _sheet_lines(found: Iterable[Row], posted: bool) -> Iterator[SheetLine]:
    for r in found:
        yield SheetLine.of(line_dto((*r[:11], as_date(r[11]), *r[12:14], as_utc(r[14]), *r[15:]), posted))


def each_sheet_line(rows: Rows, count_id: int) -> Iterator[SheetLine]:
    """Every line of a count in count order, one at a time as ``rows.each`` steps them (the blank
    sheet: a caller that streams holds one read open while it writes them out)."""
    found = rows.all(STATUS, count_id=count_id)
    if not found:
        raise NotFoundError("Stock count {id} does not exist", id=count_id)
    yield from _sheet_lines(rows.each(EVERY_LINE, count_id=count_id, **ORDER_BINDS), found[0][0] == POSTED)

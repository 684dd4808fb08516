"""Counted quantities from a handheld data collector (盘点机) export: csv/xlsx of barcode, qty
(optionally batch). Every row is checked before anything is written; one bad row rejects the
file and every bad row is listed. Quantities add to what the count already holds.

Collectors often export without a header row; a first row whose first cell is not a known header
name is then read as data (column 1 barcode, column 2 qty, column 3 batch).

The file is read by ``tabular.read_table`` (the bounds, encodings and cell problems every import
shares); quantities with a comma follow ``tabular.NumberColumn``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Barcode, Batch, Product, StockCount, StockCountLine
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.quantity import MAX_QTY, parse_qty
from jxc_desktop.files import tabular
from jxc_desktop.services.stock.count_book import book_now_bulk, book_qty_at, chunks
from jxc_desktop.services.stock.count_docs import require_open
from jxc_desktop.services.stock.dto import CountImportRejected, ImportSummary, RowError

BARCODE_HEADERS = ("barcode", "条码", "条形码", "商品条码")
QTY_HEADERS = ("qty", "quantity", "数量", "盘点数量", "实盘数量")
BATCH_HEADERS = ("batch", "batch_no", "批号", "批次")


def _pick(headers: list[str], names: tuple[str, ...]) -> str | None:
    for h in headers:
        if h.strip().lower() in names:
            return h
    return None


class CollectedRow(NamedTuple):
    """One data row of a collector file; ``problem`` is why it is bad already (a merged cell, a
    formula without a saved result, an ambiguous number), else empty."""

    row: int
    barcode: str
    qty: str
    batch: str
    problem: str = ""


def _collected(row: int, barcode: str, qty: str, batch: str, numbers: tabular.NumberColumn) -> CollectedRow:
    try:
        return CollectedRow(row, barcode, numbers.text(qty, "qty") if qty else qty, batch)
    except JxcError as exc:
        return CollectedRow(row, barcode, qty, batch, exc.message)


def read_collector_file(path: Path | str) -> list[CollectedRow]:
    """(row number, barcode, qty text, batch, problem) for each data row."""
    headers, rows = tabular.read_table(path, vocabulary=BARCODE_HEADERS + QTY_HEADERS + BATCH_HEADERS)
    bc, qty, batch = _pick(headers, BARCODE_HEADERS), _pick(headers, QTY_HEADERS), _pick(headers, BATCH_HEADERS)
    if bc and qty:
        numbers = tabular.NumberColumn(r.get(qty, "") for r in rows)
        out: list[CollectedRow] = []
        for r in rows:
            try:
                cells = (r.cell(bc), r.cell(qty), r.cell(batch))
            except JxcError as exc:
                out.append(CollectedRow(r.row, r.get(bc, ""), r.get(qty, ""), r.get(batch or "", ""), exc.message))
                continue
            out.append(_collected(r.row, *cells, numbers))
        return out
    if bc or qty or len(headers) < 2:
        raise ValidationError("The file needs a barcode column and a qty column")
    # No header: the first row is data too, columns by position.
    first_row = rows[0].row - 1 if rows else 1
    raw = [(first_row, headers[0], headers[1], headers[2] if len(headers) > 2 else "", "")]
    for r in rows:
        cells = list(r.values())
        problem = next(iter(r.problems.values()), None)
        raw.append((r.row, cells[0] if cells else "", cells[1] if len(cells) > 1 else "",
                    cells[2] if len(cells) > 2 else "", problem.message if problem else ""))
    numbers = tabular.NumberColumn(q for _r, _b, q, _bt, _p in raw)
    return [CollectedRow(row, b, q, bt, p) if p else _collected(row, b, q, bt, numbers) for row, b, q, bt, p in raw]


def import_rows(session: Session, count: StockCount, rows: list[CollectedRow],
                at: datetime | None = None) -> ImportSummary:
    """Add the rows' quantities to the count's lines, all or nothing."""
    require_open(count)
    if not rows:
        raise ValidationError("The file has no data rows")
    codes = sorted({r.barcode.strip() for r in rows if r.barcode.strip()})
    by_code: dict[str, tuple[int, int, str, bool]] = {}
    for chunk in chunks(codes, 500):  # type: ignore[arg-type]
        for code, mult, pid, name, tracks in session.execute(
                select(Barcode.code, Barcode.multiplier, Product.id, Product.name, Product.tracks_batches)
                .join(Product, Product.id == Barcode.product_id).where(Barcode.code.in_(chunk))):
            by_code[code] = (pid, mult, name, bool(tracks))
    pids = sorted({v[0] for v in by_code.values()})
    lines_of: dict[int, list[tuple[int, int | None]]] = {}
    for chunk in chunks(pids, 500):
        for lid, pid, bid in session.execute(
                select(StockCountLine.id, StockCountLine.product_id, StockCountLine.batch_id)
                .where(StockCountLine.count_id == count.id, StockCountLine.product_id.in_(chunk))
                .order_by(StockCountLine.id)):
            lines_of.setdefault(pid, []).append((lid, bid))
    batch_ids: dict[tuple[int, str], int] = {}
    for chunk in chunks(pids, 500):
        for bid, pid, bno in session.execute(
                select(Batch.id, Batch.product_id, Batch.batch_no).where(Batch.product_id.in_(chunk))):
            batch_ids[(pid, bno)] = bid

    errors: list[RowError] = []
    added: dict[int, int] = {}
    for row, code_raw, qty_raw, batch_raw, problem in rows:
        code, batch_no = code_raw.strip(), batch_raw.strip()
        try:
            if problem:
                errors.append(RowError(row, problem))
                continue
            if not code:
                raise ValidationError("The barcode is empty")
            if code not in by_code:
                raise ValidationError("Unknown barcode {code}", code=code[:40])
            pid, mult, name, _tracks = by_code[code]
            lines = lines_of.get(pid)
            if not lines:
                raise ValidationError("{name} is not in count {number}", name=name, number=count.number)
            qty = parse_qty(qty_raw, field="qty", allow_zero=True) * mult
            if batch_no:
                bid = batch_ids.get((pid, batch_no))
                match = [lid for lid, b in lines if b == bid and bid is not None]
                if not match:
                    raise ValidationError("Batch {batch} of {name} is not in this count", batch=batch_no[:40],
                                          name=name)
                line_id = match[0]
            elif len(lines) == 1:
                line_id = lines[0][0]
            else:
                raise ValidationError("{name} is counted per batch: the row needs a batch", name=name)
            added[line_id] = added.get(line_id, 0) + qty
        except JxcError as exc:
            errors.append(RowError(row, exc.message))
    if errors:
        raise CountImportRejected(errors)

    # Apply: counted += qty, counted_at and the expected (book) quantity at that moment.
    ids = sorted(added)
    current: dict[int, tuple[int, int | None, int | None]] = {}
    for chunk in chunks(ids, 500):
        for lid, pid, bid, counted in session.execute(
                select(StockCountLine.id, StockCountLine.product_id, StockCountLine.batch_id,
                       StockCountLine.counted_qty).where(StockCountLine.id.in_(chunk))):
            current[lid] = (pid, bid, counted)
    if at is None:
        expected = book_now_bulk(session, [(lid, current[lid][0], current[lid][1]) for lid in ids])
    else:
        expected = {lid: book_qty_at(session, session.get(StockCountLine, lid), at) for lid in ids}  # type: ignore[arg-type]
    moment = at or utcnow()
    params = []
    for lid in ids:
        total = (current[lid][2] or 0) + added[lid]
        if total > MAX_QTY:
            raise CountImportRejected([RowError(0, "The counted quantity is too large")])
        params.append({"lid": lid, "cq": total, "eq": expected[lid], "ca": moment})
    t = StockCountLine.__table__
    session.execute(update(t).where(t.c.id == bindparam("lid"))
                    .values(counted_qty=bindparam("cq"), expected_qty=bindparam("eq"), counted_at=bindparam("ca")),
                    params)
    session.expire_all()
    return ImportSummary(rows=len(rows), lines=len(ids), qty=sum(added.values()))


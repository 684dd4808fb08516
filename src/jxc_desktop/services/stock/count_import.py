"""Counted quantities from a handheld data collector (盘点机) export: csv/xlsx of barcode, qty
(optionally batch and scan time). Every row is checked before anything is written; one bad row
rejects the file and every bad row is listed. Quantities add to what the count already holds.

Collectors often export without a header row; a first row whose first cell is not a known header
name is then read as data (column 1 barcode, column 2 qty, column 3 batch or scan time, column 4
scan time).

When was each row counted (issue 14, finding 4): its own scan time (a ``time``/``时间``/``扫描时间``
column), else the time the caller gives (the import dialog's confirmed file time, ``jxc count
import --counted-at``), else the file's own time line above the header (``# 2026-12-04 09:30``,
``盘点时间: …``), else the import. A line's expected quantity is the book quantity at that
moment, so a unit sold between the scan and the import is no false gain. A line given several
rows takes the latest of their times.

The file is read by ``tabular.read_table`` (the bounds, encodings and cell problems every import
shares); quantities with a comma follow ``tabular.NumberColumn``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Barcode, Batch, Product, StockCount, StockCountLine
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import JxcError, ValidationError
from jxc_desktop.domain.quantity import MAX_QTY, parse_qty
from jxc_desktop.domain.wall_time import format_wall_time, looks_like_time, parse_wall_time
from jxc_desktop.files import tabular
from jxc_desktop.services.stock.count_book import book_now_bulk, book_qty_at, chunks
from jxc_desktop.services.stock.count_docs import require_open
from jxc_desktop.services.stock.dto import CollectorTimes, CountImportRejected, ImportSummary, RowError

BARCODE_HEADERS = ("barcode", "条码", "条形码", "商品条码")
QTY_HEADERS = ("qty", "quantity", "数量", "盘点数量", "实盘数量")
BATCH_HEADERS = ("batch", "batch_no", "批号", "批次")
TIME_HEADERS = ("time", "scan time", "scan_time", "datetime", "时间", "扫描时间", "盘点时间")
# A line above the header giving the file's time: "# 2026-12-04 09:30", "盘点时间: 2026-12-04 09:30".
_FILE_TIME = re.compile(r"^#?\s*(盘点时间|扫描时间|导出时间|时间|counted at|count time|scan time|time)?\s*[:：=]?\s*(.+)$",
                        re.IGNORECASE)


def _pick(headers: list[str], names: tuple[str, ...]) -> str | None:
    for h in headers:
        if h.strip().lower() in names:
            return h
    return None


class CollectedRow(NamedTuple):
    """One data row of a collector file; ``problem`` is why it is bad already (a merged cell, a
    formula without a saved result, an ambiguous number, a time that is none), else empty;
    ``time`` the row's own scan time (UTC), if the file gives one."""

    row: int
    barcode: str
    qty: str
    batch: str
    problem: str = ""
    time: datetime | None = None


def file_time_of(cells: list[str]) -> datetime | None:
    """The time a line above the header gives the file, or None if it gives none. Without a label
    only a time with separators counts (a row of digits is a barcode, not a time)."""
    m = _FILE_TIME.match(" ".join(c for c in cells if c).strip())
    if m is None:
        return None
    try:
        return parse_wall_time(m.group(2), compact=bool(m.group(1)))
    except JxcError:
        return None


def _preamble(cells: list[str]) -> bool:
    first = next((c for c in cells if c), "")
    return first.startswith("#") or file_time_of(cells) is not None


def _collected(row: int, barcode: str, qty: str, batch: str, numbers: tabular.NumberColumn,
               when: str = "") -> CollectedRow:
    try:
        moment = parse_wall_time(when) if when else None
        return CollectedRow(row, barcode, numbers.text(qty, "qty") if qty else qty, batch, "", moment)
    except JxcError as exc:
        return CollectedRow(row, barcode, qty, batch, exc.message)


def read_collector(path: Path | str) -> tuple[list[CollectedRow], datetime | None]:
    """Each data row (row number, barcode, qty text, batch, problem, scan time) and the file's own
    time from a line above the header (None if it has none)."""
    above: list[list[str]] = []
    headers, rows = tabular.read_table(path, vocabulary=BARCODE_HEADERS + QTY_HEADERS + BATCH_HEADERS + TIME_HEADERS,
                                       preamble=_preamble, above=above)
    file_time = next((t for t in map(file_time_of, above) if t is not None), None)
    bc, qty, batch = _pick(headers, BARCODE_HEADERS), _pick(headers, QTY_HEADERS), _pick(headers, BATCH_HEADERS)
    when = _pick(headers, TIME_HEADERS)
    if bc and qty:
        numbers = tabular.NumberColumn(r.get(qty, "") for r in rows)
        out: list[CollectedRow] = []
        for r in rows:
            try:
                cells = (r.cell(bc), r.cell(qty), r.cell(batch), r.cell(when))
            except JxcError as exc:
                out.append(CollectedRow(r.row, r.get(bc, ""), r.get(qty, ""), r.get(batch or "", ""), exc.message))
                continue
            out.append(_collected(r.row, *cells[:3], numbers, cells[3]))
        return out, file_time
    if bc or qty or len(headers) < 2:
        raise ValidationError("The file needs a barcode column and a qty column")
    # No header: the first row is data too, columns by position (a third or fourth cell that is a
    # date and time is the scan time, else the third is the batch).
    first_row = rows[0].row - 1 if rows else 1
    lines = [(first_row, list(headers), "")]
    for r in rows:
        problem = next(iter(r.problems.values()), None)
        lines.append((r.row, list(r.values()), problem.message if problem else ""))
    raw = []
    for row, cells, problem in lines:
        cells += [""] * (4 - len(cells))
        third_is_time = looks_like_time(cells[2])
        when_text = cells[2] if third_is_time else (cells[3] if looks_like_time(cells[3]) else "")
        raw.append((row, cells[0], cells[1], "" if third_is_time else cells[2], problem, when_text))
    numbers = tabular.NumberColumn(q for _r, _b, q, _bt, _p, _w in raw)
    return [CollectedRow(row, b, q, bt, p) if p else _collected(row, b, q, bt, numbers, w)
            for row, b, q, bt, p, w in raw], file_time


def read_collector_file(path: Path | str) -> list[CollectedRow]:
    """The data rows of a collector file (see :func:`read_collector`)."""
    return read_collector(path)[0]


def collector_times(path: Path | str) -> CollectorTimes:
    """What the file says about when it was counted, for the import dialog (the file is read)."""
    rows, file_time = read_collector(path)
    times = [r.time for r in rows if r.time is not None]
    modified = datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
    return CollectorTimes(len(rows), len(times), min(times, default=None), max(times, default=None),
                          file_time, modified)


def import_rows(session: Session, count: StockCount, rows: list[CollectedRow],
                at: datetime | None = None, counted_at: datetime | None = None) -> ImportSummary:
    """Add the rows' quantities to the count's lines, all or nothing. ``at``: the import (now if
    None); ``counted_at``: when rows without a scan time of their own were counted (see the
    module doc)."""
    require_open(count)
    if not rows:
        raise ValidationError("The file has no data rows")
    now = at or utcnow()
    if counted_at is not None and counted_at > now:
        raise ValidationError("The counted time {time} is later than now", time=format_wall_time(counted_at))
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
    moments: dict[int, datetime] = {}  # a line's counted time: the latest of its rows'
    for row, code_raw, qty_raw, batch_raw, problem, scanned in rows:
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
            if scanned is not None and scanned > now:
                raise ValidationError("The scan time {time} is later than now", time=format_wall_time(scanned))
            added[line_id] = added.get(line_id, 0) + qty
            when = scanned or counted_at
            if when is not None:
                moments[line_id] = max(when, moments.get(line_id, when))
            elif at is not None:
                moments[line_id] = at
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
    untimed = [lid for lid in ids if lid not in moments]  # counted now: the caches say the book qty
    expected = book_now_bulk(session, [(lid, current[lid][0], current[lid][1]) for lid in untimed])
    for lid in ids:
        if lid in moments:
            expected[lid] = book_qty_at(session, session.get(StockCountLine, lid), moments[lid])  # type: ignore[arg-type]
    params = []
    for lid in ids:
        total = (current[lid][2] or 0) + added[lid]
        if total > MAX_QTY:
            raise CountImportRejected([RowError(0, "The counted quantity is too large")])
        params.append({"lid": lid, "cq": total, "eq": expected[lid], "ca": moments.get(lid, now)})
    t = StockCountLine.__table__
    session.execute(update(t).where(t.c.id == bindparam("lid"))
                    .values(counted_qty=bindparam("cq"), expected_qty=bindparam("eq"), counted_at=bindparam("ca")),
                    params)
    session.expire_all()
    return ImportSummary(rows=len(rows), lines=len(ids), qty=sum(added.values()))


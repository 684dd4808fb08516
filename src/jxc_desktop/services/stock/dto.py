"""What the stock package hands out and raises across its boundary: small frozen DTOs (never ORM
rows), the count-line filters, and the errors a caller of the count service may catch.

Pure Python (no sqlalchemy, no db), so reports/count_sheets.py and the ui can import it lightly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from jxc_desktop.domain.errors import ValidationError

# Count statuses and what posting does with lines nobody counted.
OPEN, POSTED, CANCELLED = "open", "posted", "cancelled"
KEEP, ZERO = "keep", "zero"


class LineFilter(StrEnum):
    ALL = "all"
    UNCOUNTED = "uncounted"
    COUNTED = "counted"
    DIFFERENCES = "differences"


@dataclass(frozen=True)
class CountDTO:
    id: int
    number: str
    status: str  # open | posted | cancelled
    scope: str  # "" = all active products, else JSON list of category ids
    scope_names: str  # category names, "" for all
    note: str
    created_at: datetime
    posted_at: datetime | None
    uncounted: str  # keep | zero (as posted)
    lines: int
    counted: int
    has_totals: bool = True  # False: lines/counted were not read (long lists of closed counts)


@dataclass(frozen=True)
class CountLineDTO:
    id: int
    product_id: int
    code: str
    barcode: str
    name: str
    spec: str
    unit: str
    category_id: int | None
    category: str
    batch_id: int | None
    batch_no: str
    expiry_date: date | None
    book_qty: int  # at opening
    counted_qty: int | None  # None = not counted yet
    counted_at: datetime | None
    expected_qty: int | None  # book qty when counted
    diff_qty: int  # counted - expected (posted: as written to the ledger)
    diff_value: int  # fen; open counts: at the current average cost
    avg_cost: int
    tracks_batches: bool

    @property
    def counted(self) -> bool:
        return self.counted_qty is not None


@dataclass(frozen=True)
class CountSummary:
    count_id: int
    number: str
    status: str
    lines: int
    counted: int
    uncounted: int
    gain_lines: int
    gain_qty: int  # thousandths, positive
    gain_value: int  # fen, positive
    loss_lines: int
    loss_qty: int  # thousandths, positive
    loss_value: int  # fen, positive

    @property
    def net_value(self) -> int:
        return self.gain_value - self.loss_value


@dataclass(frozen=True)
class PostResult:
    count_id: int
    number: str
    moves: int  # lines with a difference written to the ledger
    gain_qty: int
    loss_qty: int
    gain_value: int
    loss_value: int
    zeroed: int  # uncounted lines treated as zero


@dataclass(frozen=True)
class SheetLine:
    """One row of a printed count sheet or variance report."""

    category: str
    code: str
    barcode: str
    name: str
    spec: str
    unit: str
    batch_no: str
    expiry_date: date | None
    book_qty: int
    counted_qty: int | None
    expected_qty: int | None
    diff_qty: int
    diff_value: int
    avg_cost: int
    tracks_batches: bool = False

    @classmethod
    def of(cls, line: CountLineDTO) -> SheetLine:
        return cls(category=line.category, code=line.code, barcode=line.barcode, name=line.name,
                   spec=line.spec, unit=line.unit, batch_no=line.batch_no, expiry_date=line.expiry_date,
                   book_qty=line.book_qty, counted_qty=line.counted_qty, expected_qty=line.expected_qty,
                   diff_qty=line.diff_qty, diff_value=line.diff_value, avg_cost=line.avg_cost,
                   tracks_batches=line.tracks_batches)


@dataclass(frozen=True)
class ImportSummary:
    """What a data collector's file added to a count."""

    rows: int  # data rows read
    lines: int  # count lines that received a quantity
    qty: int  # thousandths added in all


@dataclass(frozen=True)
class CollectorTimes:
    """When a collector file says its rows were counted, for the import dialog to show and confirm:
    the rows' own scan times (a time column), the file's time (a line above the header), and the
    file's modification time. ``suggested`` is the time the rows without one of their own take
    unless the user changes it: the file's line, else its modification time."""

    rows: int  # data rows
    timed_rows: int  # rows with a scan time of their own
    first_scan: datetime | None
    last_scan: datetime | None
    file_time: datetime | None  # from a "# 2026-12-04 09:30" / "盘点时间: …" line
    modified: datetime  # the file's modification time

    @property
    def suggested(self) -> datetime:
        return self.file_time or self.modified

    @property
    def all_timed(self) -> bool:
        return self.rows > 0 and self.timed_rows == self.rows


@dataclass(frozen=True)
class RowError:
    row: int
    reason: str


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


class CountImportRejected(ValidationError):
    """A collector file was refused; ``errors`` lists every bad row. Nothing was changed."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("{n} rows of the file are wrong; nothing was imported", n=len(errors))
        self.errors = errors

    @property
    def message(self) -> str:
        head = super().message
        listed = "\n".join(f"{e.row}: {e.reason}" for e in self.errors[:30])
        more = "\n…" if len(self.errors) > 30 else ""
        return f"{head}\n{listed}{more}"

"""Posting a count: every difference becomes a count_gain / count_loss move in the ledger (valued
at the current average cost), lines nobody counted are kept or zeroed, and the count closes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from jxc_desktop.db.models import StockCount, StockCountLine
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.moves import MoveKind
from jxc_desktop.services.safety.api import STOCK_COUNT, record
from jxc_desktop.services.stock import ledger
from jxc_desktop.services.stock.count_book import book_now_bulk
from jxc_desktop.services.stock.count_docs import require_open
from jxc_desktop.services.stock.dto import KEEP, POSTED, ZERO, PostResult


def post_count(session: Session, count: StockCount, uncounted: str, at: datetime | None) -> PostResult:
    """Write count_gain / count_loss moves for every difference and close the count."""
    session.refresh(count, with_for_update=True)  # a server: a second till posting it waits, then sees it posted
    require_open(count)
    if uncounted not in (KEEP, ZERO):
        raise ValidationError("Uncounted lines must be kept or zeroed, not '{value}'", value=str(uncounted)[:20])
    at = at or utcnow()
    lines = StockCountLine.__table__.c
    query = select(lines.id, lines.product_id, lines.batch_id, lines.counted_qty, lines.expected_qty
                   ).where(lines.count_id == count.id)
    if uncounted == KEEP:
        query = query.where(lines.counted_qty.is_not(None))
    rows = session.execute(query.order_by(lines.id)).all()
    zeroed = [r for r in rows if r.counted_qty is None]
    # Uncounted lines treated as zero: what is on the books at posting is all lost.
    zero_expected: dict[int, int] = {}
    if zeroed:
        zero_expected = book_now_bulk(session, [(r.id, r.product_id, r.batch_id) for r in zeroed])
    diffs: list[tuple[int, int, int | None, int]] = []  # line id, product, batch, diff
    for r in rows:
        diff = -zero_expected[r.id] if r.counted_qty is None else r.counted_qty - (r.expected_qty or 0)
        if diff:
            diffs.append((r.id, r.product_id, r.batch_id, diff))
    # Product order: the ledger's index pages are then written in one sweep (a product's batch
    # lines stay in line order, so its running balance chains the same way).
    diffs.sort(key=lambda d: (d[1], d[0]))
    # Thousands of lines: the ledger's bulk writer (same rows as receive()/issue() one by one).
    # Gains come in at the current average cost, losses go out at the moving average.
    planned = [ledger.PlannedMove(pid, diff, MoveKind.COUNT_GAIN if diff > 0 else MoveKind.COUNT_LOSS,
                                  ledger.DocRef("count", count.id, count.number, line_id), batch_id=bid)
               for line_id, pid, bid, diff in diffs]
    values = ledger.write_many(session, planned, at=at)
    gains = sum(d[3] for d in diffs if d[3] > 0)
    losses = -sum(d[3] for d in diffs if d[3] < 0)
    gain_value = sum(v for v in values if v > 0)
    loss_value = -sum(v for v in values if v < 0)
    updates = [{"lid": d[0], "dq": d[3], "dv": v} for d, v in zip(diffs, values, strict=True)]
    if updates:
        session.execute(update(StockCountLine.__table__).where(lines.id == bindparam("lid"))
                        .values(diff_qty=bindparam("dq"), diff_value=bindparam("dv")), updates)
    if zeroed:
        session.execute(update(StockCountLine.__table__).where(lines.id == bindparam("lid"))
                        .values(counted_qty=0, counted_at=at, expected_qty=bindparam("eq")),
                        [{"lid": r.id, "eq": zero_expected[r.id]} for r in zeroed])
    count.status = POSTED
    count.posted_at = at
    count.uncounted = uncounted
    record(session, STOCK_COUNT, document=count.number, at=at, after={
        "lines": len(diffs), "gain_qty": gains, "gain_value": gain_value, "loss_qty": losses,
        "loss_value": loss_value, "uncounted": uncounted, "zeroed": len(zeroed)})
    return PostResult(count.id, count.number, len(diffs), gains, losses, gain_value, loss_value, len(zeroed))


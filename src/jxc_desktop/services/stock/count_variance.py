"""The variance of a count (盘盈/盘亏): how many lines were counted and what the differences come to,
in quantity and value — as posted, or for an open count at today's average cost — and the list of
counts with theirs. SQL text either driver runs: the count service runs it on its sessions
(``SessionRows``), ``jxc count list`` on sqlite3 alone (issue 15: no SQLAlchemy for a read).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from jxc_desktop.db.text_reads import Rows, Where
from jxc_desktop.domain import costing
from jxc_desktop.services.stock.dto import POSTED, CountSummary

LINE_TOTALS = ("SELECT count(id), count(counted_qty) FROM stock_count_line WHERE count_id = :count_id")
# Posted: the difference and value the posting wrote. Open: counted − expected at today's average.
POSTED_DIFFS = ("SELECT diff_qty, diff_value FROM stock_count_line "
                "WHERE count_id = :count_id AND diff_qty != 0")
OPEN_DIFFS = ("SELECT l.counted_qty - coalesce(l.expected_qty, 0), p.avg_cost FROM stock_count_line l "
              "JOIN product p ON p.id = l.product_id "
              "WHERE l.count_id = :count_id AND l.counted_qty IS NOT NULL "
              "AND l.counted_qty != coalesce(l.expected_qty, 0)")
NEWEST_COUNTS = "SELECT id, number, status, scope FROM stock_count ORDER BY id DESC LIMIT :limit"


def line_totals(rows: Rows, count_id: int) -> tuple[int, int]:
    """(lines, counted lines) of a count."""
    total, counted = rows.all(LINE_TOTALS, count_id=count_id)[0]
    return int(total), int(counted)


def scope_names(rows: Rows, scope: str) -> str:
    """The counted categories' names (、-joined, by name); "" for a count of the whole shop."""
    if not scope:
        return ""
    where = Where()
    where.one_of("id", "category", json.loads(scope))
    return "、".join(str(name) for (name,) in rows.all("SELECT name FROM category" + where.sql() + " ORDER BY name",
                                                       **where.binds))


def count_summary(rows: Rows, count_id: int, number: str, status: str) -> CountSummary:
    """Totals: lines, counted, uncounted, 盘盈 and 盘亏 in quantity and value."""
    total, counted = line_totals(rows, count_id)
    if status == POSTED:
        pairs = [(int(q), int(v)) for q, v in rows.all(POSTED_DIFFS, count_id=count_id)]
    else:
        pairs = [(int(q), costing.value_of(int(q), int(a))) for q, a in rows.all(OPEN_DIFFS, count_id=count_id)]
    gains = [(q, v) for q, v in pairs if q > 0]
    losses = [(q, v) for q, v in pairs if q < 0]
    return CountSummary(
        count_id=count_id, number=number, status=status, lines=total,
        counted=counted, uncounted=total - counted, gain_lines=len(gains),
        gain_qty=sum(q for q, _ in gains), gain_value=sum(v for _, v in gains),
        loss_lines=len(losses), loss_qty=-sum(q for q, _ in losses),
        loss_value=-sum(v for _, v in losses))


@dataclass(frozen=True, slots=True)
class ListedCount:
    """One count of the list (``jxc count list``): its scope's names and its variance."""

    scope_names: str
    summary: CountSummary


def newest_counts(rows: Rows, limit: int) -> list[ListedCount]:
    """The newest ``limit`` counts (newest first), each with its totals."""
    return [ListedCount(scope_names(rows, str(scope or "")), count_summary(rows, int(cid), str(number), str(status)))
            for cid, number, status, scope in rows.all(NEWEST_COUNTS, limit=limit)]

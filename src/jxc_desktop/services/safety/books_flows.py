"""The flows of stock value by calendar month, read twice: from the ledger's moves and from the
documents themselves (purchase note lines, sale lines' cost snapshots, count lines' differences),
each in one aggregate per table (``jxc check``, DESIGN.md §4).

Months are the shop's local calendar months (domain/clock.py). Moves and documents store UTC
instants; a month is a range of them, so the SQL month of an instant is a small binary CASE over
the months' UTC starts (exact across daylight-saving changes; a few comparisons per row). Sale
lines carry their local business day, so their month is the day's first seven characters.

Every flow is kept in the moves' sign (value in > 0, out < 0) with a third sum, Σ value × (product
id mod 65521): two products whose errors cancel in a month's total still differ in that one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from jxc_desktop.db.dialect_text import SQLITE, bigint, not_indexed, utc_literal
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.services.safety.books_ledger import ChainSums, chain_sums_sql

# Move kinds by the term of the books they belong to. "cost_fix" (成本更正) is the correction move of
# issue 14's contract, recognised here by its string before domain/moves.py has it.
COST_FIX = "cost_fix"
LEGACY_REBASE_NOTE = "re-based after negative stock"  # revaluations written by a re-base (profit counts them)
TERM_OF_KIND = {
    "opening": "opening_stock", "purchase": "receipts", "purchase_return": "supplier_returns",
    "sale": "cost_of_sales", "sale_return": "customer_returns", "count_gain": "counts", "count_loss": "counts",
    COST_FIX: "corrections", "revaluation": "corrections", "adjust": "adjustments",
}
DOC_TERMS = ("receipts", "supplier_returns", "cost_of_sales", "customer_returns", "counts")  # read from documents
MOVE_TERMS = ("opening_stock", "corrections", "adjustments")  # no document but the move itself
WEIGHT = 65521
_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime in SQLite (text sorts as time)


@dataclass
class Flow:
    qty: int = 0
    value: int = 0
    weighted: int = 0

    def add(self, qty: int, value: int, weighted: int) -> None:
        self.qty += int(qty or 0)
        self.value += int(value or 0)
        self.weighted += int(weighted or 0)


Flows = dict[tuple[str, str], Flow]  # (month "YYYY-MM", term) -> flow


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class Months:
    """The local months from the first to the last stored instant, with their UTC starts."""

    labels: tuple[str, ...]
    firsts: tuple[date, ...]  # local first day of each month
    starts: tuple[str, ...]  # UTC start of each month as stored text
    dialect: str = SQLITE  # how case() writes an instant (db/dialect_text.py utc_literal)

    @classmethod
    def between(cls, first: datetime, last: datetime, dialect: str = SQLITE) -> Months:
        day = first.astimezone().date().replace(day=1)
        end = last.astimezone().date()
        firsts = []
        while day <= end:
            firsts.append(day)
            day = _next_month(day)
        starts = tuple(day_start_utc(d).astimezone(UTC).strftime(_FORMAT) for d in firsts)
        return cls(tuple(month_of(d) for d in firsts), tuple(firsts), starts, dialect)

    def end_text(self, i: int) -> str | None:
        """UTC end of month ``i`` as stored text; None for the last (it takes everything after)."""
        return self.starts[i + 1] if i + 1 < len(self.starts) else None

    def case(self, col: str) -> str:
        """SQL: the month label of UTC text column ``col``; instants before the first month count in
        the first, after the last in the last."""
        def tree(lo: int, hi: int) -> str:
            if lo == hi:
                return f"'{self.labels[lo]}'"
            mid = (lo + hi + 1) // 2
            return f"CASE WHEN {col} < {utc_literal(self.starts[mid], self.dialect)} THEN {tree(lo, mid - 1)} ELSE {tree(mid, hi)} END"
        return tree(0, len(self.labels) - 1)


def _parse(stored: object) -> datetime | None:
    if stored is None:
        return None
    moment = stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


_SPAN = """
        SELECT min(t), max(t) FROM (
            SELECT min(created_at) AS t FROM stock_move UNION ALL SELECT max(created_at) FROM stock_move
            UNION ALL SELECT min(posted_at) FROM purchase UNION ALL SELECT max(coalesce(reversed_at, posted_at)) FROM purchase
            UNION ALL SELECT min(posted_at) FROM stock_count UNION ALL SELECT max(posted_at) FROM stock_count) AS t
"""


def months_of(rows: Rows) -> Months | None:
    """The months the ledger and the documents span (None: nothing posted yet)."""
    (row,) = rows.all(_SPAN)
    first, last = _parse(row[0]), _parse(row[1])
    if first is None or last is None:
        return None
    (days,) = rows.all("SELECT min(business_day), max(business_day) FROM sale")
    if days[0] is not None:
        first = min(first, datetime.combine(date.fromisoformat(str(days[0])), datetime.min.time()).astimezone())
        last = max(last, datetime.combine(date.fromisoformat(str(days[1])), datetime.min.time()).astimezone())
    return Months.between(first, last, rows.dialect)


@dataclass
class LedgerFlows:
    flows: Flows
    unknown: dict[str, int]  # move kind nobody knows -> number of moves
    by_kind: dict[tuple[str, str], int]  # (month, kind) -> Σ value (the profit report's figures)
    profit_corrections: dict[str, int]  # month -> Σ value of sale-linked cost_fix + legacy re-base moves
    sums: ChainSums  # the whole table's sums for the ledger's own invariants (books_ledger)


def ledger_flows(rows: Rows, months: Months) -> LedgerFlows:
    """Σ qty / value / weighted value of the moves per month and kind, and the sums the ledger
    check needs (chain_sums_sql): the one pass over stock_move."""
    sql = f"""
        SELECT {months.case('created_at')} AS mo, kind,
               sum(CASE WHEN (kind = '{COST_FIX}' AND doc_type = 'sale')
                         OR (kind = 'revaluation' AND note = '{LEGACY_REBASE_NOTE}') THEN value ELSE 0 END),
               sum(qty), sum(value), sum((product_id % {WEIGHT}) * {bigint('value', months.dialect)}), count(*),
               {chain_sums_sql(months.dialect)}
        FROM stock_move {not_indexed(months.dialect)} GROUP BY 1, 2
    """
    out = LedgerFlows(defaultdict(Flow), {}, defaultdict(int), defaultdict(int), ChainSums())
    for mo, kind, corr, qty, value, weighted, n, *sums in rows.each(sql):
        out.sums.add(sums)
        term = TERM_OF_KIND.get(kind)
        if term is None:
            out.unknown[str(kind)] = out.unknown.get(str(kind), 0) + int(n)
            continue
        out.flows[(mo, term)].add(qty, value, weighted)
        out.by_kind[(mo, kind)] += int(value or 0)
        out.profit_corrections[mo] += int(corr or 0)
    return out


# Sale lines by their own (kind, status, business day): the report index covers it, no sort.
_SALE_LINES = """
    SELECT business_day, kind, status, sum(qty), sum(cost), sum((product_id % {WEIGHT}) * {cost})
    FROM sale_line GROUP BY kind, status, business_day
"""
_SALE_HEADERS = "SELECT business_day, kind, sum(cost) FROM sale GROUP BY business_day, kind"


@dataclass
class DocumentFlows:
    flows: Flows
    line_costs: dict[tuple[str, str], int]  # (business day, kind) -> Σ line cost, any status
    sale_costs: dict[tuple[str, str], int]  # (business day, kind) -> Σ sale.cost


def document_flows(rows: Rows, months: Months) -> DocumentFlows:
    """What the documents say moved, per month and term, in the moves' sign."""
    out = DocumentFlows(defaultdict(Flow), defaultdict(int), {})
    dialect = months.dialect
    for day, kind, status, qty, cost, weighted in rows.each(_SALE_LINES.format(
            WEIGHT=WEIGHT, cost=bigint("cost", dialect))):
        day_text = str(day)
        out.line_costs[(day_text, kind)] += int(cost or 0)
        if status != "posted":  # a voided sale counts in no period (its moves would be undone)
            continue
        sign = -1 if kind == "sale" else 1
        term = "cost_of_sales" if kind == "sale" else "customer_returns"
        out.flows[(day_text[:7], term)].add(sign * qty, sign * cost, sign * weighted)
    out.sale_costs = {(str(day), kind): int(cost or 0) for day, kind, cost in rows.each(_SALE_HEADERS)}
    # Purchase notes and returns to suppliers: in at posting, out again at the reversal (红冲).
    posted, reversed_ = months.case("p.posted_at"), months.case("p.reversed_at")
    for mo_post, mo_rev, kind, status, qty, amount, weighted in rows.each(f"""
        SELECT {posted}, CASE WHEN p.reversed_at IS NULL THEN NULL ELSE {reversed_} END, p.kind, p.status,
               sum(l.qty), sum(l.amount), sum((l.product_id % {WEIGHT}) * {bigint('l.amount', dialect)})
        FROM purchase_line AS l JOIN purchase AS p ON p.id = l.purchase_id
        WHERE p.status IN ('posted', 'reversed') GROUP BY 1, 2, 3, 4
    """):
        term, sign = ("receipts", 1) if kind == "purchase" else ("supplier_returns", -1)
        out.flows[(mo_post, term)].add(sign * qty, sign * amount, sign * weighted)
        if status == "reversed" and mo_rev is not None:
            out.flows[(mo_rev, term)].add(-sign * qty, -sign * amount, -sign * weighted)
    for mo, qty, value, weighted in rows.each(f"""
        SELECT {months.case('c.posted_at')}, sum(l.diff_qty), sum(l.diff_value),
               sum((l.product_id % {WEIGHT}) * {bigint('l.diff_value', dialect)})
        FROM stock_count_line AS l JOIN stock_count AS c ON c.id = l.count_id
        WHERE c.status = 'posted' GROUP BY 1
    """):
        out.flows[(mo, "counts")].add(qty, value, weighted)
    return out

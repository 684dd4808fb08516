"""The ledger's own invariants for ``jxc check`` (DESIGN.md §4) without sorting the ledger.

Each product's moves in id order form a chain: a move's balance is the previous balance plus the
move, from (0, 0); the last balance is the product's cache. The chain holds exactly when the
multiset of "balance − move" over a product's moves equals {(0, 0)} ∪ the balances of all its
moves but the last. Summed over every product, that gives three equations over plain sums of the
whole table (:func:`chain_sums_sql`, computed in the same pass as the monthly flows) and of each
product's last move (one index seek per product): Σ(balance − move) = Σ balance − Σ last balance,
for qty and value, and the same for a quadratic checksum of (qty, value). A hand edit of a move,
a balance or a cache breaks one of them (or the per-product "cache = last balance" comparison).

Only when they fail is the table grouped per product (one sort) and the products whose sums or
checksums differ walked move by move with the exact window query, so the problem names the move
as before. ``full=True`` (``jxc check --full``) walks every product exactly (the 4–5 s sort at
1 M moves that this module avoids by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from jxc_desktop.db.dialect_text import POSTGRESQL, SQLITE, bigint, not_indexed
from jxc_desktop.db.text_reads import Rows

MAX_ROWS = 100
_P = 2147483647  # a prime below 2**31: squares of residues stay inside SQLite's 64-bit integers
_K = 65537  # mixes qty into value for the quadratic checksum


def _mix(q: str, v: str, dialect: str = SQLITE) -> str:
    r = f"((({bigint(q, dialect)}) * {_K} + ({v})) % {_P})"
    return f"({r} * {r} % {_P})"


def chain_sums_sql(dialect: str = SQLITE) -> str:
    """SQL aggregate columns over stock_move rows: the sums :class:`ChainSums` holds. (The server's
    INTEGER columns hold nothing but integers: no type count there.)"""
    d = _mix("balance_qty - qty", "balance_value - value", dialect)
    b = _mix("balance_qty", "balance_value", dialect)
    types = "0" if dialect == POSTGRESQL else \
        " OR ".join(f"typeof({c}) != 'integer'" for c in ("qty", "value", "balance_qty", "balance_value"))
    return (f"count(*), sum(qty), sum(value), sum(balance_qty - qty), sum(balance_value - value), "
            f"sum(balance_qty), sum(balance_value), sum({d}), sum({b}), sum({types})")


@dataclass
class ChainSums:
    n: int = 0
    q: int = 0
    v: int = 0
    dq: int = 0
    dv: int = 0
    bq: int = 0
    bv: int = 0
    fd: int = 0
    fb: int = 0
    bad_types: int = 0

    def add(self, row: list[object]) -> None:
        for name, x in zip(("n", "q", "v", "dq", "dv", "bq", "bv", "fd", "fb", "bad_types"), row, strict=True):
            setattr(self, name, getattr(self, name) + (x or 0))


# Each product's last move (one index seek per product): its sums for the chain equations (part 0)
# and the products whose cache is not that balance (part 1), read once (MATERIALIZED).
@lru_cache(maxsize=4)
def _last(dialect: str) -> str:
    return f"""
    WITH last AS MATERIALIZED (
        SELECT p.code AS code, p.stock_qty AS qty, p.stock_value AS value, m.balance_qty AS lq, m.balance_value AS lv
        FROM product AS p JOIN stock_move AS m
            ON m.id = (SELECT max(id) FROM stock_move WHERE product_id = p.id))
    SELECT 0, '', 0, 0, coalesce(sum(lq), 0), coalesce(sum(lv), 0), coalesce(sum({_mix('lq', 'lv', dialect)}), 0) FROM last
    UNION ALL
    SELECT * FROM (SELECT 1, code, qty, value, lq, lv, 0 FROM last WHERE lq != qty OR lv != value LIMIT 1000) AS differing
"""


@dataclass(frozen=True)
class LedgerFinding:
    code: str  # product code ("#id" for a move whose product is gone; batch no for a batch)
    detail: str
    product: str = ""  # product code, also for a batch finding


# Per product: the sums, the last move (SQLite takes the bare balance columns from the max(id) row;
# the server joins that row), and the chain checksums. One sort of the table.
@lru_cache(maxsize=4)
def _per_product_sql(dialect: str) -> str:
    if dialect == POSTGRESQL:
        return _per_product_server()
    return _PER_PRODUCT


_PER_PRODUCT = f"""
    WITH agg AS MATERIALIZED (
        SELECT product_id AS pid, sum(qty) AS mq, sum(value) AS mv, max(id) AS last,
               balance_qty AS lq, balance_value AS lv,
               sum(balance_qty - qty) AS dq, sum(balance_value - value) AS dv,
               sum(balance_qty) AS sq, sum(balance_value) AS sv,
               sum({_mix('balance_qty - qty', 'balance_value - value')}) AS fd,
               sum({_mix('balance_qty', 'balance_value')}) AS fb
        FROM stock_move NOT INDEXED GROUP BY product_id)
    SELECT a.pid, p.id, coalesce(p.code, ''), p.stock_qty, p.stock_value, a.mq, a.mv, a.last, a.lq, a.lv,
           a.dq != a.sq - a.lq OR a.dv != a.sv - a.lv OR a.fd != a.fb - {_mix('a.lq', 'a.lv')} AS broken
    FROM agg AS a LEFT JOIN product AS p ON p.id = a.pid
    WHERE p.id IS NULL OR p.stock_qty != a.mq OR p.stock_value != a.mv
       OR p.stock_qty != a.lq OR p.stock_value != a.lv
       OR a.dq != a.sq - a.lq OR a.dv != a.sv - a.lv
       OR a.fd != a.fb - {_mix('a.lq', 'a.lv')}
    LIMIT 1000
"""


def _per_product_server() -> str:
    pg = POSTGRESQL
    return f"""
    WITH sums AS MATERIALIZED (
        SELECT product_id AS pid, sum(qty) AS mq, sum(value) AS mv, max(id) AS last,
               sum(balance_qty - qty) AS dq, sum(balance_value - value) AS dv,
               sum(balance_qty) AS sq, sum(balance_value) AS sv,
               sum({_mix('balance_qty - qty', 'balance_value - value', pg)}) AS fd,
               sum({_mix('balance_qty', 'balance_value', pg)}) AS fb
        FROM stock_move GROUP BY product_id),
    agg AS MATERIALIZED (
        SELECT s.*, m.balance_qty AS lq, m.balance_value AS lv FROM sums AS s JOIN stock_move AS m ON m.id = s.last)
    SELECT a.pid, p.id, coalesce(p.code, ''), p.stock_qty, p.stock_value, a.mq, a.mv, a.last, a.lq, a.lv,
           a.dq != a.sq - a.lq OR a.dv != a.sv - a.lv OR a.fd != a.fb - {_mix('a.lq', 'a.lv', pg)} AS broken
    FROM agg AS a LEFT JOIN product AS p ON p.id = a.pid
    WHERE p.id IS NULL OR p.stock_qty != a.mq OR p.stock_value != a.mv
       OR p.stock_qty != a.lq OR p.stock_value != a.lv
       OR a.dq != a.sq - a.lq OR a.dv != a.sv - a.lv
       OR a.fd != a.fb - {_mix('a.lq', 'a.lv', pg)}
    LIMIT 1000
"""


# Products with a cache but no move at all (the pass above only sees products that have moves).
_NO_MOVES = """
    SELECT p.code, p.stock_qty, p.stock_value FROM product AS p
    WHERE (p.stock_qty != 0 OR p.stock_value != 0)
      AND NOT EXISTS (SELECT 1 FROM stock_move AS m WHERE m.product_id = p.id)
    LIMIT 1000
"""

_BATCHES = """
    SELECT b.id, coalesce(p.code, ''), b.batch_no, b.qty, coalesce(m.q, 0)
    FROM batch AS b LEFT JOIN product AS p ON p.id = b.product_id
    LEFT JOIN (SELECT batch_id, sum(qty) AS q FROM stock_move WHERE batch_id IS NOT NULL GROUP BY batch_id) AS m
        ON m.batch_id = b.id
    WHERE b.qty != coalesce(m.q, 0)
    LIMIT 1000
"""


def _chain_sql(where: str) -> str:
    return f"""
    SELECT m.id, m.product_id, coalesce(p.code, ''), m.qty, m.value, m.balance_qty, m.balance_value, m.pq, m.pv
    FROM (SELECT id, product_id, qty, value, balance_qty, balance_value,
                 lag(balance_qty, 1, 0) OVER w AS pq, lag(balance_value, 1, 0) OVER w AS pv
          FROM stock_move {where}
          WINDOW w AS (PARTITION BY product_id ORDER BY id)) AS m
    LEFT JOIN product p ON p.id = m.product_id
    WHERE m.balance_qty != m.pq + m.qty OR m.balance_value != m.pv + m.value
    LIMIT {MAX_ROWS}
    """


def _walk_chain(rows: Rows, product_ids: list[int] | None) -> list[LedgerFinding]:
    """Each move whose balance is not the previous balance plus the move, with both. ``None``:
    every product (one sort of the whole table: a full scan beats walking the index row by row)."""
    if product_ids is None:
        sql = _chain_sql(not_indexed(rows.dialect))
    elif not product_ids:
        return []
    else:
        sql = _chain_sql(f"WHERE product_id IN ({', '.join(str(int(i)) for i in product_ids)})")
    return [LedgerFinding(code or f"#{pid}",
                          f"move {mid}: balance ({bq}, {bv}) != previous balance ({pq}, {pv}) + move ({q}, {v})",
                          code)
            for mid, pid, code, q, v, bq, bv, pq, pv in rows.each(sql)]


def ledger_findings(rows: Rows, sums: ChainSums | None, *, full: bool = False) -> list[LedgerFinding]:
    """Caches against their moves and last balance, the balance chain, batches (DESIGN §4).
    ``sums``: the whole table's :class:`ChainSums` (None: group per product straight away)."""
    out: list[LedgerFinding] = []
    last_q = last_v = last_f = 0
    caches: list[tuple[str, int, int, int, int]] = []
    for part, code, qty, value, lq, lv, f in rows.each(_last(rows.dialect)):
        if part == 0:
            last_q, last_v, last_f = lq, lv, f
        else:
            caches.append((code, qty, value, lq, lv))
    for code, qty, value in rows.each(_NO_MOVES):
        if qty:
            out.append(LedgerFinding(code, f"stock_qty {qty} != Σ moves 0", code))
        if value:
            out.append(LedgerFinding(code, f"stock_value {value} != Σ moves 0", code))
    for bid, code, bno, bqty, mq in rows.each(_BATCHES):
        out.append(LedgerFinding(str(bno), f"batch {bid} qty {bqty} != Σ moves {mq}", code))
    holds = sums is not None and (sums.dq, sums.dv, sums.fd, sums.q, sums.v) == (
        sums.bq - last_q, sums.bv - last_v, sums.fb - last_f, last_q, last_v)
    if holds and not full:
        # The chains hold, so each product's moves add up to its last balance.
        first: list[LedgerFinding] = []
        for code, qty, value, lq, lv in caches:
            if qty != lq:
                first.append(LedgerFinding(code, f"stock_qty {qty} != Σ moves {lq}", code))
            if value != lv:
                first.append(LedgerFinding(code, f"stock_value {value} != Σ moves {lv}", code))
            first.append(LedgerFinding(code, f"last move balance ({lq}, {lv}) != cache ({qty}, {value})", code))
        return first + out
    found = _per_product(rows, full)
    return found + [LedgerFinding(code, f"last move balance ({lq}, {lv}) != cache ({qty}, {value})", code)
                    for code, qty, value, lq, lv in caches] + out


def _per_product(rows: Rows, full: bool) -> list[LedgerFinding]:
    """The per-product sums and checksums (one sort of the table), then the chain move by move."""
    out: list[LedgerFinding] = []
    broken: list[int] = []
    for pid, present, code, qty, value, mq, mv, last, _lq, _lv, chain_broken in rows.each(_per_product_sql(rows.dialect)):
        if present is None:
            out.append(LedgerFinding(f"#{pid}", f"moves of a product that does not exist (last move {last})"))
            continue
        if qty != mq:
            out.append(LedgerFinding(code, f"stock_qty {qty} != Σ moves {mq}", code))
        if value != mv:
            out.append(LedgerFinding(code, f"stock_value {value} != Σ moves {mv}", code))
        if chain_broken and len(broken) < MAX_ROWS:
            broken.append(pid)
    return out + _walk_chain(rows, None if full else broken)

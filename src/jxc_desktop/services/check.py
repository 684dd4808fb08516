"""``jxc check``: is the file sound and do the books reconcile?

SQLite's own ``PRAGMA integrity_check`` and ``foreign_key_check``, then the ledger invariants of
DESIGN.md §4 (``ledger.reconcile``: product and batch caches equal the sums of their moves and the
last move's balance). Read-only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import text
from sqlalchemy.exc import DatabaseError as SqlDatabaseError
from sqlalchemy.orm import Session

from jxc_desktop.db.uow import Database
from jxc_desktop.services import ledger


@dataclass(frozen=True)
class Problem:
    kind: str  # integrity | foreign_key | ledger
    where: str  # product code, table name, or "" for the whole file
    detail: str


@dataclass(frozen=True)
class CheckReport:
    products: int
    moves: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "products": self.products, "moves": self.moves,
                "problems": [asdict(p) for p in self.problems]}


MAX_INTEGRITY_ROWS = 100

# DESIGN §4: each posted sale line's cost snapshot equals the value its stock moves took out (a
# customer return's line, the value they brought back), and the sale's cost is the sum of its lines.
_SALE_LINE_COSTS = text("""
    SELECT s.number, l.line_no, l.cost, s.kind, coalesce(sum(m.value), 0) AS moved
    FROM sale_line l JOIN sale s ON s.id = l.sale_id
    LEFT JOIN stock_move m ON m.doc_type = 'sale' AND m.doc_id = s.id AND m.doc_line_id = l.id
        AND m.kind IN ('sale', 'sale_return')  -- a return's re-basing is its own revaluation move
    WHERE s.status = 'posted'
    GROUP BY l.id
    HAVING (s.kind = 'sale' AND moved != -l.cost) OR (s.kind = 'return' AND moved != l.cost)
    LIMIT 1000
""")
_SALE_TOTAL_COSTS = text("""
    SELECT s.number, s.cost, coalesce((SELECT sum(cost) FROM sale_line WHERE sale_id = s.id), 0) AS lines
    FROM sale s WHERE s.cost != coalesce((SELECT sum(cost) FROM sale_line WHERE sale_id = s.id), 0)
    LIMIT 1000
""")


def _sale_costs(s: Session) -> list[Problem]:
    out = [Problem("ledger", number, f"line {line_no}: cost snapshot {cost} != stock moves {moved} ({kind})")
           for number, line_no, cost, kind, moved in s.execute(_SALE_LINE_COSTS)]
    out += [Problem("ledger", number, f"sale cost {cost} != Σ line costs {lines}")
            for number, cost, lines in s.execute(_SALE_TOTAL_COSTS)]
    return out


def run_check(db: Database) -> CheckReport:
    """Check the file; a file too damaged to read is reported as one integrity problem."""
    try:
        return _check(db)
    except SqlDatabaseError as exc:
        return CheckReport(0, 0, [Problem("integrity", "", str(exc.orig or exc).splitlines()[0])])


def _check(db: Database) -> CheckReport:
    problems: list[Problem] = []
    with db.read() as uow:
        s = uow.session
        for (msg,) in s.execute(text(f"PRAGMA integrity_check({MAX_INTEGRITY_ROWS})")):
            if msg != "ok":
                problems.append(Problem("integrity", "", str(msg)))
        for row in s.execute(text("PRAGMA foreign_key_check")):
            table, rowid, parent = row[0], row[1], row[2]
            problems.append(Problem("foreign_key", str(table), f"row {rowid} points at a missing {parent} row"))
        if not any(p.kind == "integrity" for p in problems):
            for lp in ledger.reconcile(s):
                problems.append(Problem("ledger", lp.code, lp.what))
            problems += _sale_costs(s)
        products = int(s.execute(text("SELECT count(*) FROM product")).scalar_one())
        moves = int(s.execute(text("SELECT count(*) FROM stock_move")).scalar_one())
    return CheckReport(products, moves, problems)

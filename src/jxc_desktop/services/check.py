"""``jxc check``: is the file sound and do the books reconcile?

SQLite's own ``PRAGMA integrity_check`` and ``foreign_key_check``, then the ledger invariants of
DESIGN.md §4 (``ledger.reconcile``: product and batch caches equal the sums of their moves and the
last move's balance). Read-only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import text
from sqlalchemy.exc import DatabaseError as SqlDatabaseError

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
        products = int(s.execute(text("SELECT count(*) FROM product")).scalar_one())
        moves = int(s.execute(text("SELECT count(*) FROM stock_move")).scalar_one())
    return CheckReport(products, moves, problems)

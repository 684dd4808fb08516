"""``jxc check``: is the file sound and do the books reconcile?

SQLite's own ``PRAGMA integrity_check`` and ``foreign_key_check``, then the ledger invariants of
DESIGN.md §4 (``ledger.reconcile``: product and batch caches equal the sums of their moves and the
last move's balance).

Read-only: ``check_path`` first looks at the file (db/fileprobe.py) and opens it with a ``mode=ro``
URI — no WAL switch, no checkpoint, no roll-back of an interrupted write (that is read on a copy) —
so checking changes no byte of the file or its ``-wal``. Another program's file, a newer schema and
a missing revision are problems (exit 1), not "OK".
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DatabaseError as SqlDatabaseError
from sqlalchemy.orm import Session

from jxc_desktop.db import fileprobe
from jxc_desktop.db.fileprobe import FileState
from jxc_desktop.db.migrate import probe
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.errors import DamagedFileError, DatabaseError, NotFoundError
from jxc_desktop.services.stock.api import reconcile


@dataclass(frozen=True)
class Problem:
    kind: str  # file | schema | integrity | foreign_key | ledger | type
    where: str  # product code, table name, or "" for the whole file
    detail: str


@dataclass(frozen=True)
class CheckReport:
    products: int
    moves: int
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth knowing, not problems

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "products": self.products, "moves": self.moves,
                "problems": [asdict(p) for p in self.problems], "notes": self.notes}


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


# DESIGN §2: money is integer fen and quantities integer thousandths. SQLite keeps whatever it is
# given (2.5 stays REAL, '3' with no integer form stays TEXT), so look at the stored types.
_INTEGER_COLUMNS: dict[str, tuple[str, ...]] = {
    "product": ("stock_qty", "stock_value", "avg_cost"),
    "stock_move": ("qty", "value", "balance_qty", "balance_value"),
    "sale": ("subtotal", "discount", "total", "paid", "change", "cost"),
    "sale_line": ("qty", "unit_price", "discount", "amount", "cost"),
    "payment": ("amount", "tendered"),
    "purchase_line": ("qty", "unit_cost", "amount"),
    "batch": ("qty",),
}
MAX_ROWS_PER_CHECK = 100


def _non_integers(s: Session) -> list[Problem]:
    out: list[Problem] = []
    for table, cols in _INTEGER_COLUMNS.items():
        quoted = [f'"{c}"' for c in cols]
        types = ", ".join(f"typeof({c})" for c in quoted)
        where = " OR ".join(f"typeof({c}) != 'integer'" for c in quoted)
        sql = f'SELECT id, {types}, {", ".join(quoted)} FROM "{table}" WHERE {where} LIMIT {MAX_ROWS_PER_CHECK}'
        for row in s.execute(text(sql)):
            rid, kinds, values = row[0], row[1:1 + len(cols)], row[1 + len(cols):]
            bad = [f"{c} = {v!r} ({k})" for c, k, v in zip(cols, kinds, values, strict=True) if k != "integer"]
            out.append(Problem("type", table, f"row {rid}: " + ", ".join(bad)))
    return out


# DESIGN §4: each product's moves in id order form a chain — a move's balance is the previous
# move's balance plus the move (from zero). One sort of the table, no per-product queries; a full
# scan and sort (NOT INDEXED) beats walking the (product_id, id) index row by row on big files.
_BALANCE_CHAIN = text(f"""
    SELECT m.id, m.product_id, coalesce(p.code, ''), m.qty, m.value, m.balance_qty, m.balance_value, m.pq, m.pv
    FROM (SELECT id, product_id, qty, value, balance_qty, balance_value,
                 lag(balance_qty, 1, 0) OVER w AS pq, lag(balance_value, 1, 0) OVER w AS pv
          FROM stock_move NOT INDEXED
          WINDOW w AS (PARTITION BY product_id ORDER BY id)) AS m
    LEFT JOIN product p ON p.id = m.product_id
    WHERE m.balance_qty != m.pq + m.qty OR m.balance_value != m.pv + m.value
    LIMIT {MAX_ROWS_PER_CHECK}
""")


def _balance_chain(s: Session) -> list[Problem]:
    return [Problem("ledger", code or f"#{pid}",
                    f"move {mid}: balance ({bq}, {bv}) != previous balance ({pq}, {pv}) + move ({q}, {v})")
            for mid, pid, code, q, v, bq, bv, pq, pv in s.execute(_BALANCE_CHAIN)]


def run_check(db: Database) -> CheckReport:
    """Check the file; a file too damaged to read is reported as one integrity problem."""
    try:
        return _check(db)
    except SqlDatabaseError as exc:
        return CheckReport(0, 0, [Problem("integrity", "", str(exc.orig or exc).splitlines()[0])])
    except DamagedFileError as exc:  # the unit of work's word for the same (db/uow.py)
        return CheckReport(0, 0, [Problem("integrity", "", str(exc.params.get("reason", "")))])


def _integrity(s: Session) -> list[Problem]:
    problems: list[Problem] = []
    for (msg,) in s.execute(text(f"PRAGMA integrity_check({MAX_INTEGRITY_ROWS})")):
        if msg != "ok":
            problems.append(Problem("integrity", "", str(msg)))
    for row in s.execute(text("PRAGMA foreign_key_check")):
        table, rowid, parent = row[0], row[1], row[2]
        problems.append(Problem("foreign_key", str(table), f"row {rowid} points at a missing {parent} row"))
    return problems


def _check(db: Database) -> CheckReport:
    with db.read() as uow:
        s = uow.session
        problems = _integrity(s)
        if not any(p.kind == "integrity" for p in problems):
            for lp in reconcile(s):
                problems.append(Problem("ledger", lp.code, lp.what))
            problems += _sale_costs(s)
            problems += _non_integers(s)
            problems += _balance_chain(s)
        products = int(s.execute(text("SELECT count(*) FROM product")).scalar_one())
        moves = int(s.execute(text("SELECT count(*) FROM stock_move")).scalar_one())
    return CheckReport(products, moves, problems)


def check_path(path: Path | str) -> CheckReport:
    """``jxc check`` on a file: what it is (another program's, newer, without its revision: each a
    problem), then :func:`run_check` over a read-only view of it. Raises NotFoundError for no file
    and DatabaseError for something that is not a file at all (a folder, a device, a pipe)."""
    from jxc_desktop.i18n import _

    path = Path(path)
    found = probe(path)
    if found.state == FileState.MISSING:
        raise NotFoundError("File not found: {path}", path=str(path))
    if found.state == FileState.UNREADABLE or found.reason == fileprobe.NOT_REGULAR:
        raise fileprobe.refusal(found) or DatabaseError("Cannot read the database file {path}: {reason}",
                                                        path=str(path), reason=found.reason)
    notes = [_("An interrupted write is pending in this file; the next start undoes it (the check read the "
               "file as it will be then, without changing it).")] if found.recovered else []
    if found.state in (FileState.EMPTY, FileState.NOT_JXC):
        detail = _("it holds no shop data ({reason})") if found.state == FileState.EMPTY else \
            _("not a JXC Desktop database ({reason})")
        return CheckReport(0, 0, [Problem("file", "", detail.format(reason=_(found.reason)))], notes)
    header: list[Problem] = []
    if found.state == FileState.NEWER:
        header.append(Problem("schema", "", _("written by a newer version of JXC Desktop (schema {revision}); "
                                              "this version cannot check its books").format(revision=found.revision)))
    elif found.state == FileState.DAMAGED and found.reason == fileprobe.NO_REVISION:
        header.append(Problem("schema", "", _(fileprobe.NO_REVISION)))
    elif found.state == FileState.OLDER:
        notes.append(_("Schema {revision} is older than this program's; the file is upgraded when the program "
                       "next opens it.").format(revision=found.revision))
    damage = [Problem("integrity", "", _(found.reason))] if found.state == FileState.DAMAGED and not header else []
    try:
        with fileprobe.reading(path) as view:
            db = Database.read_only(view.uri, path)
            try:
                # a newer or unrecorded schema's tables may differ: only what SQLite itself checks
                report = _sqlite_checks(db) if header else run_check(db)
            finally:
                db.dispose()
    except (OSError, sqlite3.Error) as exc:
        report = CheckReport(0, 0, [Problem("integrity", "", getattr(exc, "strerror", None) or str(exc))])
    problems = header + damage + [p for p in report.problems if p not in damage]
    return CheckReport(report.products, report.moves, problems, notes)


def _sqlite_checks(db: Database) -> CheckReport:
    try:
        with db.read() as uow:
            return CheckReport(0, 0, _integrity(uow.session))
    except SqlDatabaseError as exc:
        return CheckReport(0, 0, [Problem("integrity", "", str(exc.orig or exc).splitlines()[0])])

"""``jxc check``: is the file sound and do the books reconcile?

SQLite's own check — ``quick_check`` by default (pages and records: ~1.3 s on a 557 MB file),
``integrity_check`` + ``foreign_key_check`` with ``--full`` (indexes against their tables too: ~10 s
there) — then the ledger invariants of DESIGN.md §4 (books_ledger: caches, last balances, the
balance chain, batches), the stored types, and the books' proof by month (books_flows,
books_proof: documents against their moves, the profit report against the ledger). Every part
is one aggregate per table; lines are read one by one only where a month does not add up. The
category each sale line carries (migration 0018, what profit by category reads) is compared with
its product's from an index.

Why quick by default: the check must be quick enough to run whenever the owner wonders (issue 15:
< 5 s at 1 M sale lines), and it decides nothing about writes — those are refused from the
moment the full check fails, and the full check runs in the window's background, at every backup
and before a command's first write (db/health.py, issue 11 §4). ``jxc check --full`` is that full
check on demand.

Read-only: ``check_path`` first looks at the file (db/fileprobe.py) and opens it with a ``mode=ro``
URI — no WAL switch, no checkpoint, no roll-back of an interrupted write (that is read on a copy) —
so checking changes no byte of the file or its ``-wal``. Another program's file, a newer schema and
a missing revision are problems (exit 1), not "OK".

Every rule is SQL text over :class:`~jxc_desktop.db.text_reads.Rows`. :func:`run_check` and
:func:`check_server` run it in a Database's sessions (``SessionRows``); ``jxc check`` on a file at
this program's schema runs it on sqlite3 alone (``check_path(..., plain_reports=...)``, issue 15:
no SQLAlchemy, ORM or models). Any error of sqlite3 there (a damaged page, a lock, an odd file)
drops that attempt and the file is checked again through a Database, which words it — and records
a damaged file's verdict beside it (db/damage_mark.py) — exactly as it always did.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from jxc_desktop.db import fileprobe
from jxc_desktop.db.dialect_text import SQLITE, table_names_sql
from jxc_desktop.db.fileprobe import FileState
from jxc_desktop.db.migrate import probe
from jxc_desktop.db.text_reads import PlainReads, Rows, SessionRows
from jxc_desktop.domain.errors import DamagedFileError, DatabaseError, NotFoundError
from jxc_desktop.domain.periods import Grouping, Period
from jxc_desktop.services.accounts import api as accounts
from jxc_desktop.services.members import api as members
from jxc_desktop.services.safety.books_cash import cash_findings
from jxc_desktop.services.safety.books_flows import (
    LedgerFlows,
    Months,
    document_flows,
    ledger_flows,
    months_of,
)
from jxc_desktop.services.safety.books_ledger import ChainSums, ledger_findings
from jxc_desktop.services.safety.books_proof import (
    Finding,
    month_lines,
    month_table,
    profit_findings,
    sale_header_findings,
    term_differences,
)

if TYPE_CHECKING:  # the Database (SQLAlchemy) loads only where a check runs through one
    from jxc_desktop.db.uow import Database


@dataclass(frozen=True)
class Problem:
    kind: str  # file | schema | integrity | foreign_key | ledger | type | books | profit | accounts | cash | members
    where: str  # product code, sale number, table name, month, or "" for the whole file
    detail: str
    product: str = ""  # the product's code where one is concerned
    document: str = ""  # the document's number where one is concerned
    month: str = ""  # the local calendar month (YYYY-MM) of a books or profit problem

    def as_dict(self) -> dict[str, str]:
        """kind, where, detail as always; product, document and month only where known (a problem
        of the file or the schema looks as it did)."""
        out = asdict(self)
        return {k: v for k, v in out.items() if v or k in ("kind", "where", "detail")}


@dataclass(frozen=True)
class CheckReport:
    products: int
    moves: int
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth knowing, not problems
    months: list[dict[str, object]] = field(default_factory=list)  # the books by month (books_proof)
    file_check: str = ""  # "quick_check" or "integrity_check": what SQLite itself looked at

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "products": self.products, "moves": self.moves,
                "problems": [p.as_dict() for p in self.problems], "notes": self.notes,
                "file_check": self.file_check, "months": self.months}


MAX_INTEGRITY_ROWS = 100


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
    "cash_move": ("amount",),
    "shift": ("float_amount",),
    "money_doc": ("amount",),
    "account_entry": ("amount",),
    "allocation": ("amount",),
    "points_move": ("points",),
    "stored_value_move": ("amount",),
}
MAX_ROWS_PER_CHECK = 100


def _non_integers(rows: Rows, skip: frozenset[str] = frozenset()) -> list[Problem]:
    out: list[Problem] = []
    if rows.dialect != SQLITE:
        return out  # the server's INTEGER columns hold integers only: nothing to look for
    # a file of an older schema lacks the later tables (jxc check reads it as it is, not upgraded)
    present = {name for (name,) in rows.all(table_names_sql(rows.dialect))}
    for table, cols in _INTEGER_COLUMNS.items():
        if table in skip or table not in present:  # skip: counted in another pass (books_ledger.chain_sums_sql)
            continue
        quoted = [f'"{c}"' for c in cols]
        types = ", ".join(f"typeof({c})" for c in quoted)
        where = " OR ".join(f"typeof({c}) != 'integer'" for c in quoted)
        sql = f'SELECT id, {types}, {", ".join(quoted)} FROM "{table}" WHERE {where} LIMIT {MAX_ROWS_PER_CHECK}'
        for row in rows.all(sql):
            rid, kinds, values = row[0], row[1:1 + len(cols)], row[1 + len(cols):]
            bad = [f"{c} = {v!r} ({k})" for c, k, v in zip(cols, kinds, values, strict=True) if k != "integer"]
            out.append(Problem("type", table, f"row {rid}: " + ", ".join(bad)))
    return out


# Each sale line carries its product's category (migration 0018: profit by category reads the
# copy). Read from ix_sale_line_product_day alone: per product one range of its lines' copies.
_LINE_CATEGORIES = """
    SELECT p.code, count(*) FROM product AS p JOIN sale_line AS l ON l.product_id = p.id
    WHERE l.category_id <> p.category_id OR (l.category_id IS NULL AND p.category_id IS NOT NULL)
        OR (l.category_id IS NOT NULL AND p.category_id IS NULL)
    GROUP BY p.code ORDER BY p.code LIMIT 100"""


def _line_categories(rows: Rows) -> list[Problem]:
    return [Problem("profit", code, f"{n} sale lines carry another category than their product's "
                                    "(profit by category would count them elsewhere)", product=code)
            for code, n in rows.all(_LINE_CATEGORIES)]


class Reads(Protocol):
    """Where the check reads: read transactions, each on a connection of its own, as rows of SQL
    text; and the profit report by month as the owner sees it."""

    plain: bool  # sqlite3 alone: an error ends the attempt (the caller checks again through a Database)

    @property
    def dialect(self) -> str: ...

    def read(self) -> contextlib.AbstractContextManager[Rows]: ...

    def profit_rows(self, period: Period) -> tuple[Any, ...]: ...


class _DatabaseReads:
    """:class:`Reads` through a Database's units of work (the window, backups, a server, tests)."""

    plain = False

    def __init__(self, db: Database) -> None:
        self.db = db
        self.dialect = str(db.engine.dialect.name)

    @contextlib.contextmanager
    def read(self) -> Iterator[Rows]:
        with self.db.read() as uow:
            yield SessionRows(uow.session)

    def profit_rows(self, period: Period) -> tuple[Any, ...]:
        from jxc_desktop.services.reporting.api import ReportsService

        return ReportsService(self.db).profit(period, Grouping.MONTH).rows


class _PlainReads:
    """:class:`Reads` on sqlite3 alone over a read-only view of a file (db/fileprobe.py ``reading``):
    each read its own connection and transaction under the file's use lock, as a Database's are;
    the profit report through the reports' plain reader (``reports(rows).profit``)."""

    plain = True
    dialect = SQLITE

    def __init__(self, reads: PlainReads, reports: Callable[[Rows], Any]) -> None:
        self._reads, self._reports = reads, reports

    def read(self) -> contextlib.AbstractContextManager[Rows]:
        return self._reads.read()

    def profit_rows(self, period: Period) -> tuple[Any, ...]:
        with self._reads.read() as rows:
            return tuple(self._reports(rows).profit(period, Grouping.MONTH).rows)


def run_check(db: Database, *, full: bool = True, books: bool = True) -> CheckReport:
    """Check the file (``db``: a Database); a file too damaged to read is reported as one integrity
    problem. ``full``: SQLite's ``integrity_check`` and ``foreign_key_check`` and the balance chain
    move by move; otherwise ``quick_check`` and the chain's checksums (``jxc check`` without
    ``--full``). ``books``: the proof by month and the profit report too (they read this schema's
    columns: a file of an older schema gets them once it is upgraded)."""
    from sqlalchemy.exc import DatabaseError as SqlDatabaseError

    try:
        return _check(_DatabaseReads(db), full, books)
    except SqlDatabaseError as exc:
        return CheckReport(0, 0, [Problem("integrity", "", str(exc.orig or exc).splitlines()[0])])
    except DamagedFileError as exc:  # the unit of work's word for the same (db/uow.py)
        return CheckReport(0, 0, [Problem("integrity", "", str(exc.params.get("reason", "")))])


def _integrity(rows: Rows, full: bool = True) -> list[Problem]:
    problems: list[Problem] = []
    if rows.dialect != SQLITE:
        return problems  # a server keeps its own pages; the ledger checks below run on both
    pragma = "integrity_check" if full else "quick_check"
    for (msg,) in rows.all(f"PRAGMA {pragma}({MAX_INTEGRITY_ROWS})"):
        if msg != "ok":
            problems.append(Problem("integrity", "", str(msg)))
    if full:  # a lookup per row and reference: seconds on a big file
        for row in rows.all("PRAGMA foreign_key_check"):
            table, rowid, parent = row[0], row[1], row[2]
            problems.append(Problem("foreign_key", str(table), f"row {rowid} points at a missing {parent} row"))
    return problems


def _problem(f: Finding) -> Problem:
    return Problem(f.kind, f.where, f.detail, f.product, f.document, f.month)


def _books(rows: Rows, months: Months, ledger: LedgerFlows) -> tuple[list[Problem], list[dict[str, object]]]:
    """The monthly proof (books_proof): one aggregate per table, line by line only where it differs."""
    docs = document_flows(rows, months)
    problems = [Problem("ledger", "stock_move", f"{n} moves of an unknown kind '{kind}'")
                for kind, n in sorted(ledger.unknown.items())]
    cache_total = int(rows.all("SELECT coalesce(sum(stock_value), 0) FROM product")[0][0])
    table, findings = month_table(months, ledger, docs, cache_total)
    for i, term in term_differences(months, ledger, docs):
        lines = month_lines(rows, months, i, term)
        if not lines:  # the month's sums differ but no line does: say so with the sums
            d, m = docs.flows.get((months.labels[i], term)), ledger.flows.get((months.labels[i], term))
            lines = [Finding("", f"{months.labels[i]}: {term}: documents {d} != stock moves {m}",
                             month=months.labels[i])]
        findings += lines
    findings += sale_header_findings(rows, docs)
    return [*problems, *map(_problem, findings)], table


def _profit(reads: Reads, months: Months, ledger: LedgerFlows) -> list[Problem]:
    """The profit report by month (read through the reporting service, as the owner sees it)
    against the ledger's sale and count flows."""
    rows: dict[str, object] = {}
    last_day = months.firsts[-1].replace(day=28) + timedelta(days=4)
    last_day -= timedelta(days=last_day.day)
    first = months.firsts[0]
    while first <= last_day:  # a report period holds at most MAX_DAYS days: a few years at a time
        end = min(last_day, first.replace(year=first.year + 5) - timedelta(days=1))
        rows.update({r.key: r for r in reads.profit_rows(Period(first, end))})
        first = end + timedelta(days=1)
    return [_problem(f) for f in profit_findings(months, ledger, rows)]


class _FileCheck(threading.Thread):
    """SQLite's own check of the file (:func:`_integrity`) on a connection of its own, while the
    ledger and the books are read on another: SQLite leaves Python's lock while it reads pages, so
    on a machine with a second core the two overlap (``quick_check`` is a second of a 1 M-line
    file's check). Its result or error is handed over by :meth:`result`."""

    def __init__(self, reads: Reads, full: bool) -> None:
        super().__init__(name="jxc-file-check", daemon=True)
        self.reads, self.full = reads, full
        self.problems: list[Problem] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with self.reads.read() as rows:
                self.problems = _integrity(rows, self.full)
        except BaseException as exc:  # handed to the caller, which raises it as the check would have
            self.error = exc

    def result(self) -> list[Problem]:
        self.join()
        if self.error is not None:
            raise self.error
        return self.problems


@dataclass
class _Rest:
    """What the check finds once SQLite's own check is clean."""

    problems: list[Problem]
    table: list[dict[str, object]]
    months: Months | None
    ledger: LedgerFlows | None
    products: int
    moves: int


def _counts(rows: Rows) -> tuple[int, int]:
    return (int(rows.all("SELECT count(*) FROM product")[0][0]),
            int(rows.all("SELECT count(*) FROM stock_move")[0][0]))


def _rest(reads: Reads, full: bool, books: bool) -> _Rest:
    """The ledger invariants, stored types and the books' proof (read as if SQLite found the file sound)."""
    with reads.read() as rows:
        # Sorts for the aggregates in memory, not in temporary files (a check writes nothing).
        if rows.dialect == SQLITE:
            rows.all("PRAGMA temp_store=MEMORY")
        problems: list[Problem] = []
        table: list[dict[str, object]] = []
        months = months_of(rows) if books else None
        ledger = ledger_flows(rows, months) if months is not None else None
        sums = ledger.sums if ledger is not None else ChainSums()
        for lf in ledger_findings(rows, sums, full=full):
            problems.append(Problem("ledger", lf.code, lf.detail, lf.product))
        problems += _non_integers(rows, frozenset({"stock_move"}) if ledger is not None and not sums.bad_types
                                  else frozenset())
        if months is not None and ledger is not None:
            proof, table = _books(rows, months, ledger)
            problems += proof
            problems += [Problem("cash", where, detail) for where, detail in cash_findings(rows)]
        if books:
            problems += _line_categories(rows)
        if books:  # money owed: each party's documents, allocations and balance (issue 16)
            problems += [Problem("accounts", f.where, f.detail, document=f.document)
                         for f in accounts.party_findings(rows)]
            # members' points and stored value: ledgers against balances and payments (issue 17)
            problems += [Problem("members", f.where, f.detail, document=f.document)
                         for f in members.member_findings(rows)]
        products, moves = _counts(rows)
    return _Rest(problems, table, months, ledger, products, moves)


def _check(reads: Reads, full: bool = True, books: bool = True) -> CheckReport:
    # file_check: what SQLite itself looked at; "" on a server (no file of ours to check)
    file_check = ("integrity_check" if full else "quick_check") if reads.dialect == SQLITE else ""
    checking = _FileCheck(reads, full) if file_check else None
    if checking is not None:
        checking.start()
    try:
        rest: _Rest | None = _rest(reads, full, books)
        failed: Exception | None = None
    except Exception as exc:  # raised below only if SQLite found the file sound (else its findings say it)
        rest, failed = None, exc
    if failed is not None and reads.plain:  # the Database's check decides (and words it, and marks the file)
        if checking is not None:
            checking.join()
        raise failed
    integrity = checking.result() if checking is not None else []  # foreign_key findings too (--full)
    if any(p.kind == "integrity" for p in integrity):  # damaged: no reading of books that may be wrong
        with reads.read() as rows:
            products, moves = _counts(rows)
        return CheckReport(products, moves, integrity, file_check=file_check)
    if failed is not None:
        raise failed
    assert rest is not None
    problems = integrity + rest.problems
    if rest.months is not None and rest.ledger is not None:
        problems += _profit(reads, rest.months, rest.ledger)
    return CheckReport(rest.products, rest.moves, problems, months=rest.table, file_check=file_check)


def check_path(path: Path | str, *, full: bool = False,
               plain_reports: Callable[[Rows], Any] | None = None) -> CheckReport:
    """``jxc check`` on a file: what it is (another program's, newer, without its revision: each a
    problem), then :func:`run_check` over a read-only view of it. Raises NotFoundError for no file
    and DatabaseError for something that is not a file at all (a folder, a device, a pipe).

    ``plain_reports`` (the reports' plain reader, services/reporting/plain_reads.py, handed in by
    ``jxc``): a file at this program's schema is checked on sqlite3 alone first; any error
    there and it is checked through a Database as without it."""
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
            report = _plain_check(view.uri, path, full, plain_reports) \
                if plain_reports is not None and found.state == FileState.OK else None
            if report is None:
                report = _database_check(view.uri, path, full, header, books=found.state != FileState.OLDER)
    except (OSError, sqlite3.Error) as exc:
        report = CheckReport(0, 0, [Problem("integrity", "", getattr(exc, "strerror", None) or str(exc))])
    except UnicodeDecodeError:  # scribbled pages: SQLite hands back names and messages that are not text
        report = CheckReport(0, 0, [Problem("integrity", "", "the file holds pages that are not readable text")])
    problems = header + damage + [p for p in report.problems if p not in damage]
    return CheckReport(report.products, report.moves, problems, notes, report.months, report.file_check)


def _plain_check(uri: str, path: Path, full: bool, reports: Callable[[Rows], Any]) -> CheckReport | None:
    """:func:`_check` on sqlite3 alone; None when anything went wrong there (the Database's check
    then runs from the start: the same words, a damaged file's verdict kept beside it, and SQLite's
    own findings first — a value of a damaged file that Python cannot read, a date of scribbled
    bytes, must not stop the check before it says the file is damaged)."""
    reads = PlainReads(path, uri=uri)
    try:
        return _check(_PlainReads(reads, reports), full, books=True)
    except Exception:  # noqa: BLE001 — any: the Database's check decides and words it
        return None
    finally:
        reads.close()


def _database_check(uri: str, path: Path, full: bool, header: list[Problem], *, books: bool) -> CheckReport:
    from jxc_desktop.db.uow import Database

    db = Database.read_only(uri, path)
    try:
        # a newer or unrecorded schema's tables may differ: only what SQLite itself checks
        return _sqlite_checks(db, full) if header else run_check(db, full=full, books=books)
    finally:
        db.dispose()


def check_server(url: str, *, full: bool = False) -> CheckReport:
    """``jxc check`` on a server database: its schema revision (none, newer, older — as for a file),
    then the same ledger and books checks as on a file (:func:`run_check`), through sessions the
    server keeps read-only. SQLite's page checks do not apply (``file_check`` is "")."""
    from jxc_desktop.db.migrate import head_revision, known_revisions
    from jxc_desktop.db.server import server_revision
    from jxc_desktop.db.uow import Database
    from jxc_desktop.i18n import _

    revision, has_tables = server_revision(url)
    if revision is None:
        detail = _("not a JXC Desktop database ({reason})") if has_tables else _("it holds no shop data ({reason})")
        return CheckReport(0, 0, [Problem("file", "", detail.format(reason=_("no schema revision")))])
    notes: list[str] = []
    if revision not in known_revisions():
        return CheckReport(0, 0, [Problem("schema", "", _("written by a newer version of JXC Desktop (schema {revision}); "
                                                          "this version cannot check its books").format(revision=revision))])
    if revision != head_revision():
        notes.append(_("Schema {revision} is older than this program's; the file is upgraded when the program "
                       "next opens it.").format(revision=revision))
    db = Database.read_only(url)
    try:
        report = run_check(db, full=full, books=revision == head_revision())
    finally:
        db.dispose()
    return CheckReport(report.products, report.moves, report.problems, notes, report.months, report.file_check)


def _sqlite_checks(db: Database, full: bool) -> CheckReport:
    from sqlalchemy.exc import DatabaseError as SqlDatabaseError

    try:
        with db.read() as uow:
            return CheckReport(0, 0, _integrity(SessionRows(uow.session), full),
                               file_check="integrity_check" if full else "quick_check")
    except SqlDatabaseError as exc:
        return CheckReport(0, 0, [Problem("integrity", "", str(exc.orig or exc).splitlines()[0])])

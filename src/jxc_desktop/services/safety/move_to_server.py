"""Moving a shop from its SQLite file to an empty PostgreSQL database (``jxc move-to-server``, 设置 →
迁移到服务器…).

The steps: the server database gets this program's schema (db/server.py upgrades an empty one to
head); a database already holding shop rows is refused before anything is copied; every row is then
copied in ONE server transaction (db/transfer.py: parents first, in batches, sequences reset), so a
failure, a cancel or a kill leaves the server database as empty as it was. Then the books check
(``jxc check``) runs on both, and the figures the owner knows the shop by are read through the same
reports on both sides and compared to the fen: stock value, gross profit and net sales of the last
12 months, what the shop owes its suppliers and what customers owe it, the stored value it owes its
members and the points they hold, and the row count of every table. The move is good only when both checks are clean and every figure agrees.

The SQLite file is only read: after a move it stays as it was (the owner keeps it as the last copy
before the server took over).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.exc import SQLAlchemyError

from jxc_desktop.db.migrate import short_reason
from jxc_desktop.db.server import migrate_server, shown_url
from jxc_desktop.db.transfer import (
    TableCount,
    TransferProgress,
    copy_rows,
    non_empty,
    reset_sequences,
    row_counts,
)
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import DatabaseError, JxcError, StateError
from jxc_desktop.domain.periods import Grouping, Period
from jxc_desktop.services.accounts import api as accounts
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER
from jxc_desktop.services.members.api import MembersService
from jxc_desktop.services.reporting.api import ReportsService
from jxc_desktop.services.safety.books_check import CheckReport, run_check

# ``progress(stage, done, total) -> bool | None``: stage "schema", "copy" (rows), "check"; False cancels
# (only while copying: the copy is then rolled back).
MoveProgress = Callable[[str, int, int], bool | None]


@dataclass(frozen=True)
class Figures:
    """What the owner knows a shop by, in fen, as the reports show it on ``day``."""

    day: date
    stock_value: int
    net_sales_12m: int
    gross_profit_12m: int
    payable: int  # owed to suppliers
    receivable: int  # owed by customers
    member_stored_value: int  # 储值 the members hold (owed by the shop)
    member_points: int  # points, not fen (POINT_FIGURES)

    def as_dict(self) -> dict[str, int]:
        return {"stock_value": self.stock_value, "net_sales_12m": self.net_sales_12m,
                "gross_profit_12m": self.gross_profit_12m, "payable": self.payable, "receivable": self.receivable,
                "member_stored_value": self.member_stored_value, "member_points": self.member_points}


POINT_FIGURES = frozenset({"member_points"})  # counted in points: shown as a number, not as money


@dataclass(frozen=True)
class MoveResult:
    server: str  # the URL without its password
    rows: int
    seconds: float
    source: Figures
    target: Figures
    source_check: CheckReport
    target_check: CheckReport
    tables: list[tuple[str, int, int]] = field(default_factory=list)  # (table, rows in file, rows on server)

    @property
    def figures_agree(self) -> bool:
        return self.source.as_dict() == self.target.as_dict()

    @property
    def tables_agree(self) -> bool:
        return all(a == b for _t, a, b in self.tables)

    @property
    def ok(self) -> bool:
        return self.figures_agree and self.tables_agree and self.source_check.ok and self.target_check.ok

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "server": self.server, "rows": self.rows, "seconds": round(self.seconds, 1),
                "figures": {k: {"file": v, "server": self.target.as_dict()[k]} for k, v in self.source.as_dict().items()},
                "figures_agree": self.figures_agree, "tables_agree": self.tables_agree,
                "check_file": {"ok": self.source_check.ok, "problems": [p.as_dict() for p in self.source_check.problems]},
                "check_server": {"ok": self.target_check.ok,
                                 "problems": [p.as_dict() for p in self.target_check.problems]},
                "tables": [{"table": t, "file": a, "server": b} for t, a, b in self.tables]}


def figures(db: Database, day: date | None = None) -> Figures:
    """The comparison figures of one database, read through the reports the owner uses."""
    day = day or local_today()
    reports = ReportsService(db)
    profit = reports.profit(Period(day - timedelta(days=365), day), Grouping.MONTH).total
    service = accounts.AccountsService(db)
    owed = MembersService(db).liabilities()
    return Figures(day, reports.stock_value(day).total.value, profit.net_sales, profit.gross_profit,
                   service.balances(SUPPLIER, day).total, service.balances(CUSTOMER, day).total,
                   owed.stored_value, owed.points)


def _refuse_non_empty(target: Database, shown: str) -> None:
    with target.engine.connect() as conn:
        filled = non_empty(conn)
    if filled:
        listed = ", ".join(f"{c.table} ({c.rows})" for c in filled[:5])
        raise StateError("The server database {url} already holds a shop ({tables}); nothing was copied. "
                         "Move into a new, empty database.", url=shown, tables=listed)


def move_to_server(source: Database, url: str, *, progress: MoveProgress | None = None,
                   batch: int = 2000, clock: Callable[[], float] | None = None) -> MoveResult:
    """Copy the shop in ``source`` (an open SQLite database at this program's schema) into the empty
    server database ``url``, then check and compare both. Raises StateError (target not empty,
    cancelled) or DatabaseError (server unreachable, copy failed) with nothing left on the server."""
    import time

    now = clock or time.monotonic
    started = now()
    if source.on_server:
        raise StateError("The shop is already on a server; move-to-server copies a shop file (--db FILE).")
    shown = shown_url(url)
    if progress is not None:
        progress("schema", 0, 1)
    migrate_server(url, create=True)
    target = Database.for_server(url)
    try:
        _refuse_non_empty(target, shown)
        copied = _copy(source, target, shown, progress, batch)
        if progress is not None:
            progress("check", 0, 2)
        day = local_today()
        source_figures, source_check = figures(source, day), run_check(source, full=False)
        if progress is not None:
            progress("check", 1, 2)
        target_figures, target_check = figures(target, day), run_check(target, full=False)
        with target.engine.connect() as conn:
            landed = {c.table: c.rows for c in row_counts(conn)}
        if progress is not None:
            progress("check", 2, 2)
    finally:
        target.dispose()
    tables = [(c.table, c.rows, landed.get(c.table, 0)) for c in copied]
    return MoveResult(shown, sum(c.rows for c in copied), now() - started, source_figures, target_figures,
                      source_check, target_check, tables)


def _copy(source: Database, target: Database, shown: str, progress: MoveProgress | None,
          batch: int) -> list[TableCount]:
    step: TransferProgress | None = None
    if progress is not None:
        def step(done: int, total: int, _table: str) -> bool | None:
            return progress("copy", done, total)
    try:
        with source.read() as uow, target.engine.begin() as conn:
            # the whole copy is one server transaction: any error or a cancel rolls all of it back
            counts = copy_rows(uow.session.connection(), conn, batch=batch, progress=step)
            reset_sequences(conn)
    except JxcError:
        raise
    except SQLAlchemyError as exc:
        raise DatabaseError("The shop could not be copied to {url} (nothing was kept there): {reason}",
                            url=shown, reason=short_reason(exc)) from exc
    return counts

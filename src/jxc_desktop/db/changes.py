"""What a committed transaction changed, as kinds of data the windows show.

:class:`Tracker` watches an engine: every INSERT/UPDATE/DELETE/REPLACE that reaches the driver (ORM
flushes, Core and bulk inserts, raw SQL alike) names its table; when the transaction commits, the
tables become :class:`Change` kinds that the unit of work hands to the database's listeners
(``Database.on_change``); a rollback forgets them. So a service
cannot write without the windows hearing of it — nothing to remember in each service.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, event

from jxc_desktop.domain.changes import Change

__all__ = ["TABLE_CHANGES", "Change", "Tracker", "changes_of", "written_table"]


# Every table of db/models.py (tests/unit/test_change_tracking.py checks none is missing).
TABLE_CHANGES: dict[str, Change] = {
    "product": Change.PRODUCTS, "barcode": Change.PRODUCTS, "category": Change.PRODUCTS,
    "style": Change.PRODUCTS, "style_colour": Change.PRODUCTS, "style_size": Change.PRODUCTS,
    "stock_move": Change.STOCK, "batch": Change.STOCK,
    "sale": Change.SALES, "sale_line": Change.SALES, "payment": Change.SALES,
    "held_sale": Change.HELD,
    "purchase": Change.PURCHASES, "purchase_line": Change.PURCHASES,
    "supplier": Change.SUPPLIERS,
    "stock_count": Change.COUNTS, "stock_count_line": Change.COUNTS,
    "setting": Change.SETTINGS,
    "audit_log": Change.AUDIT,
    "customer": Change.CUSTOMERS,
    "money_doc": Change.ACCOUNTS, "account_entry": Change.ACCOUNTS, "allocation": Change.ACCOUNTS,
    "person": Change.SETTINGS, "shift": Change.SALES, "cash_move": Change.SALES,  # staff and shifts (0010)
    "promotion": Change.PROMOTIONS, "promotion_product": Change.PROMOTIONS, "promotion_category": Change.PROMOTIONS,
    # members (0017): member data is customer data; stored value is money too (the cash book shows top-ups)
    "member_level": Change.CUSTOMERS, "points_move": Change.CUSTOMERS,
    "stored_value_move": Change.CUSTOMERS | Change.ACCOUNTS, "sale_promotion": Change.SALES,
    "product#ledger": Change.STOCK,  # an UPDATE of product's ledger caches only (see below)
    "sequence": Change.NONE,  # document numbers: always written with the document itself
    "alembic_version": Change.NONE,
}

_WRITE = re.compile(r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
                    r"\s+[\"`\[]?(\w+)", re.IGNORECASE)
_KEY = "jxc_written_tables"
# product's ledger caches (db/models.py), written with every stock move: updating only these is a
# stock change, not a change of the product (a sale must not re-read every product list)
LEDGER_COLUMNS = frozenset({"stock_qty", "stock_value", "avg_cost", "last_cost", "last_supplier_id",
                            "last_move_at", "last_sale_at", "updated_at"})
_SET = re.compile(r"\bSET\s+(.*?)(?:\s+WHERE\b|$)", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=1024)  # runs on every statement; SQLAlchemy sends the same cached strings again
def written_table(statement: str) -> str | None:
    """The table a write statement writes, None for reads and everything else; an UPDATE of only
    product's ledger caches is ``product#ledger``."""
    match = _WRITE.match(statement)
    if not match:
        return None
    table = match.group(1).lower()
    if table == "product" and statement.lstrip()[:6].upper() == "UPDATE":
        sets = _SET.search(statement)
        columns = {part.split("=")[0].strip().strip('"`[]').lower() for part in sets.group(1).split(",")} if sets else set()
        if columns and columns <= LEDGER_COLUMNS:
            return "product#ledger"
    return table


def changes_of(tables: Iterable[str]) -> Change:
    """The kinds behind written tables; a table not in the map (new, or a search index) counts as
    everything, so a forgotten entry refreshes too much rather than too little."""
    result = Change.NONE
    for table in tables:
        result |= TABLE_CHANGES.get(table, Change.ALL) if not table.startswith("sqlite_") else Change.NONE
    return result


class Tracker:
    """Watches an engine: the kinds each thread's last transaction wrote, taken once it committed.

    The engine's ``commit`` event comes just before the driver commits, so the kinds wait there
    until the unit of work saw the commit succeed and takes them (:meth:`take`); a failed commit
    takes them to throw them away."""

    def __init__(self, engine: Engine) -> None:
        self._local = threading.local()
        event.listen(engine, "after_cursor_execute", self._wrote)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._rollback)

    @staticmethod
    def _wrote(conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        table = written_table(statement)
        if table is not None:
            conn.info.setdefault(_KEY, set()).add(table)

    def _commit(self, conn: Any) -> None:
        tables = conn.info.pop(_KEY, None)
        if tables:
            self._local.committed = getattr(self._local, "committed", Change.NONE) | changes_of(tables)

    @staticmethod
    def _rollback(conn: Any) -> None:
        conn.info.pop(_KEY, None)

    def take(self) -> Change:
        """What this thread's commit wrote (NONE when nothing), and forget it."""
        changes: Change = getattr(self._local, "committed", Change.NONE)
        self._local.committed = Change.NONE
        return changes

"""The audit trail's search as SQL text, run by either driver (db/text_reads.py): by the audit
service on its unit of work (the window's viewer, SQLite or PostgreSQL) and by ``jxc audit`` on
sqlite3 alone (issue 15: the command never builds SQLAlchemy); and the entries of one action since
an instant, which the labels of price changes read (``jxc labels --changed-since`` on sqlite3 alone
too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from jxc_desktop.db.dialect_text import utc_bind
from jxc_desktop.db.text_reads import Row, Rows, Where, as_utc, like_pattern

COLUMNS = "id, at, action, document, before, after, detail, actor"
# ``text`` is looked for in each of these (LIKE, its own % and _ matching themselves).
SEARCHED = ("document", "before", "after", "detail", "actor")
SINCE = f"SELECT {COLUMNS} FROM audit_log WHERE action = :action AND at >= :since ORDER BY id"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    action: str
    document: str
    before: str
    after: str
    detail: str
    actor: str = ""  # who did or approved it (a person's name; "" on entries before migration 0010)


def entry(row: Row) -> AuditEntry:
    aid, at, action, document, before, after, detail, actor = row
    when = as_utc(at)
    assert when is not None  # the column is NOT NULL
    return AuditEntry(int(aid), when, action, document or "", before or "", after or "", detail or "",
                      actor or "")


def entries_since(rows: Rows, action: str, since: datetime) -> list[AuditEntry]:
    """Entries of ``action`` from ``since`` on, oldest first, in the caller's read."""
    return [entry(row) for row in rows.all(SINCE, action=action, since=utc_bind(since, rows.dialect))]


def query_entries(rows: Rows, *, action: str = "", text: str = "", since: datetime | None = None,
                  until: datetime | None = None, limit: int = 1000) -> list[AuditEntry]:
    """Newest first. ``text`` matches document, before, after, detail or actor; ``until`` is exclusive."""
    where = Where(limit=max(1, min(int(limit), 100_000)))
    if action:
        where.add("action = :action", action=action)
    if since is not None:
        where.add("at >= :since", since=utc_bind(since, rows.dialect))
    if until is not None:
        where.add("at < :until", until=utc_bind(until, rows.dialect))
    text = (text or "").strip()[:200]
    if text:
        where.add("(" + " OR ".join(f"{col} LIKE :pat ESCAPE '\\'" for col in SEARCHED) + ")", pat=like_pattern(text))
    sql = f"SELECT {COLUMNS} FROM audit_log{where.sql()} ORDER BY id DESC LIMIT :limit"
    return [entry(row) for row in rows.all(sql, **where.binds)]

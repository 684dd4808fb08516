"""The purchase notes' history as SQL text, run by either driver (db/text_reads.py): by the
purchasing service on its unit of work (the window's history, SQLite or PostgreSQL) and by ``jxc
purchase list`` on sqlite3 alone (issue 15: the command never builds SQLAlchemy)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from jxc_desktop.db.dialect_text import day_bind
from jxc_desktop.db.text_reads import Rows, Where, as_date, as_utc, like_pattern
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.services.purchasing.dto import KIND_PURCHASE, KIND_RETURN, NoteSummary

NOTES = ("SELECT p.id, p.number, p.kind, p.status, p.supplier_id, s.name, p.doc_date, p.total, "
         "(SELECT count(*) FROM purchase_line l WHERE l.purchase_id = p.id), p.posted_at "
         "FROM purchase p LEFT JOIN supplier s ON s.id = p.supplier_id")


def note_history(rows: Rows, *, supplier_id: int | None = None, first: date | None = None,
                 last: date | None = None, kinds: Sequence[str] = (KIND_PURCHASE, KIND_RETURN),
                 statuses: Sequence[str] = ("posted", "reversed"), text: str = "",
                 limit: int = 2000) -> list[NoteSummary]:
    """Notes newest first, filtered by supplier, dates (doc date), kind, status and number."""
    where = Where(limit=limit)
    where.one_of("p.kind", "kind", kinds)
    where.one_of("p.status", "status", statuses)
    if supplier_id is not None:
        where.add("p.supplier_id = :supplier", supplier=supplier_id)
    if first is not None:
        where.add("p.doc_date >= :first", first=day_bind(first, rows.dialect))
    if last is not None:
        where.add("p.doc_date <= :last", last=day_bind(last, rows.dialect))
    text = clean_text(text, "Search", 40).upper()
    if text:  # a % or _ typed is itself, not a wildcard
        where.add("p.number LIKE :pat ESCAPE '\\'", pat=like_pattern(text))
    sql = f"{NOTES}{where.sql()} ORDER BY p.doc_date DESC, p.id DESC LIMIT :limit"
    out = []
    for nid, number, kind, status, sid, name, day, total, lines, posted in rows.all(sql, **where.binds):
        doc_date = as_date(day)
        assert doc_date is not None  # NOT NULL
        out.append(NoteSummary(int(nid), number, kind, status, None if sid is None else int(sid), name or "",
                               doc_date, int(total), int(lines), as_utc(posted)))
    return out

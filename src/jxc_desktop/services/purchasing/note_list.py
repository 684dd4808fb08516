"""The purchase notes' history as SQL text, run by either driver (db/text_reads.py): by the
purchasing service on its unit of work (the window's history, SQLite or PostgreSQL) and by ``jxc
purchase list`` on sqlite3 alone (issue 15: the command never builds SQLAlchemy)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from jxc_desktop.db.dialect_text import day_bind
from jxc_desktop.db.text_reads import Rows, as_date, as_utc, like_pattern
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.services.purchasing.dto import KIND_PURCHASE, KIND_RETURN, NoteSummary

NOTES = ("SELECT p.id, p.number, p.kind, p.status, p.supplier_id, s.name, p.doc_date, p.total, "
         "(SELECT count(*) FROM purchase_line l WHERE l.purchase_id = p.id), p.posted_at "
         "FROM purchase p LEFT JOIN supplier s ON s.id = p.supplier_id")


def _one_of(column: str, name: str, values: Sequence[str], binds: dict[str, object]) -> str:
    """``column IN (:name0, :name1, …)`` with each value bound (a list is no bind either driver takes)."""
    keys = [f"{name}{i}" for i in range(len(values))]
    binds.update(zip(keys, values, strict=True))
    return f"{column} IN ({', '.join(':' + k for k in keys)})" if keys else "1 = 0"


def note_history(rows: Rows, *, supplier_id: int | None = None, first: date | None = None,
                 last: date | None = None, kinds: Sequence[str] = (KIND_PURCHASE, KIND_RETURN),
                 statuses: Sequence[str] = ("posted", "reversed"), text: str = "",
                 limit: int = 2000) -> list[NoteSummary]:
    """Notes newest first, filtered by supplier, dates (doc date), kind, status and number."""
    binds: dict[str, object] = {"limit": limit}
    where = [_one_of("p.kind", "kind", list(kinds), binds), _one_of("p.status", "status", list(statuses), binds)]
    if supplier_id is not None:
        where.append("p.supplier_id = :supplier")
        binds["supplier"] = supplier_id
    if first is not None:
        where.append("p.doc_date >= :first")
        binds["first"] = day_bind(first, rows.dialect)
    if last is not None:
        where.append("p.doc_date <= :last")
        binds["last"] = day_bind(last, rows.dialect)
    text = clean_text(text, "Search", 40).upper()
    if text:  # a % or _ typed is itself, not a wildcard
        where.append("p.number LIKE :pat ESCAPE '\\'")
        binds["pat"] = like_pattern(text)
    sql = f"{NOTES} WHERE {' AND '.join(where)} ORDER BY p.doc_date DESC, p.id DESC LIMIT :limit"
    out = []
    for nid, number, kind, status, sid, name, day, total, lines, posted in rows.all(sql, **binds):
        doc_date = as_date(day)
        assert doc_date is not None  # NOT NULL
        out.append(NoteSummary(int(nid), number, kind, status, None if sid is None else int(sid), name or "",
                               doc_date, int(total), int(lines), as_utc(posted)))
    return out

"""One purchase or return note by its number — its lines with their products and what came back of
each so far — and one supplier by id, as SQL text either driver runs (db/text_reads.py): the
purchasing and supplier services in their sessions (the window's print, the labels of a delivery)
and ``jxc purchase pdf`` on sqlite3 alone (issue 15: no SQLAlchemy to print one note). A note being
written is read back through the ORM instead (records.to_note)."""

from __future__ import annotations

from jxc_desktop.db.text_reads import Rows, Where, as_date, as_utc
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.services.purchasing.dto import KIND_PURCHASE, KIND_RETURN, Note, NoteLine
from jxc_desktop.services.purchasing.supplier_dto import SupplierDTO
from jxc_desktop.services.purchasing.supplier_list import SUPPLIERS, to_dto

NOTE = ("SELECT p.id, p.number, p.kind, p.status, p.supplier_id, s.name, p.origin_id, o.number, p.doc_date, p.note, "
        "p.total, p.created_at, p.posted_at, p.reversed_at FROM purchase p "
        "LEFT OUTER JOIN supplier s ON s.id = p.supplier_id LEFT OUTER JOIN purchase o ON o.id = p.origin_id "
        "WHERE p.number = :number")
LINES = ("SELECT l.id, l.line_no, l.product_id, g.code, g.name, g.spec, g.unit, l.qty, l.unit_cost, l.amount, "
         "l.batch_no, l.production_date, l.expiry_date, l.origin_line_id, g.tracks_batches FROM purchase_line l "
         "LEFT OUTER JOIN product g ON g.id = l.product_id WHERE l.purchase_id = :note ORDER BY l.line_no")
# What posted returns took back of each line.
RETURNED = ("SELECT l.origin_line_id, sum(l.qty) FROM purchase_line l JOIN purchase p ON p.id = l.purchase_id"
            "{where} GROUP BY l.origin_line_id")
SUPPLIER = SUPPLIERS + " WHERE id = :supplier"
# The supplier's newest posted purchase note (returns do not count), as supplier_list's list gives it.
LAST_PURCHASE = ("SELECT max(doc_date) FROM purchase "
                 "WHERE kind = 'purchase' AND status = 'posted' AND supplier_id = :supplier")


def _returned(rows: Rows, line_ids: list[int]) -> dict[int, int]:
    if not line_ids:
        return {}
    where = Where(kind=KIND_RETURN, posted="posted")
    where.one_of("l.origin_line_id", "line", line_ids)
    where.add("p.kind = :kind AND p.status = :posted")
    return {int(lid): int(q) for lid, q in rows.all(RETURNED.format(where=where.sql()), **where.binds)}


def note_by_number(rows: Rows, number: str) -> Note:
    """A note by its number (a purchase carries what came back of each line)."""
    key = str(number).strip().upper()
    found = rows.all(NOTE, number=key)
    if not found:
        raise NotFoundError("No purchase note numbered {number}", number=key[:30])
    (nid, number, kind, status, supplier_id, supplier, origin_id, origin, day, note, total, created, posted,
     reversed_) = found[0]
    lines = rows.all(LINES, note=nid)
    missing = [int(r[2]) for r in lines if r[3] is None]
    if missing:
        raise NotFoundError("Product {id} does not exist", id=min(missing))
    returned = _returned(rows, [int(r[0]) for r in lines]) if kind == KIND_PURCHASE else {}
    doc_date, created_at = as_date(day), as_utc(created)
    assert doc_date is not None and created_at is not None  # NOT NULL
    return Note(nid, number, kind, status, supplier_id, supplier or "", origin_id, origin or "", doc_date, note,
                total, created_at, as_utc(posted), as_utc(reversed_),
                tuple(NoteLine(lid, line_no, pid, code, name, spec, unit, qty, unit_cost, amount, batch_no,
                               as_date(made), as_date(expiry), origin_line, bool(tracks), returned.get(lid, 0))
                      for (lid, line_no, pid, code, name, spec, unit, qty, unit_cost, amount, batch_no, made, expiry,
                           origin_line, tracks) in lines))


def supplier_by_id(rows: Rows, supplier_id: int) -> SupplierDTO:
    """One supplier with the day of its last posted purchase."""
    found = rows.all(SUPPLIER, supplier=supplier_id)
    if not found:
        raise NotFoundError("Supplier {id} does not exist", id=supplier_id)
    return to_dto(found[0], as_date(rows.all(LAST_PURCHASE, supplier=supplier_id)[0][0]))

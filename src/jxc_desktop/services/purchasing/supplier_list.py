"""The supplier list as SQL text, run by either driver (db/text_reads.py): by the supplier service
on its unit of work (SQLite or PostgreSQL, the window, ``jxc`` on a server) and by ``jxc suppliers
list`` on sqlite3 alone, which then never builds SQLAlchemy (issue 15: a command's fixed cost)."""

from __future__ import annotations

from datetime import date
from operator import itemgetter

from jxc_desktop.db.text_reads import Row, Rows, as_date
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.services.purchasing.supplier_dto import SupplierDTO

SUPPLIERS = ("SELECT id, name, contact, phone, address, note, active, lead_time_days, terms_days, pinyin "
             "FROM supplier")
ACTIVE_SUPPLIERS = SUPPLIERS + " WHERE active = :active"
# The newest posted purchase note of each supplier (returns do not count).
LAST_PURCHASES = ("SELECT supplier_id, max(doc_date) FROM purchase "
                  "WHERE kind = 'purchase' AND status = 'posted' AND supplier_id IS NOT NULL "
                  "GROUP BY supplier_id")


SUPPLIER_NAMES = "SELECT id, name FROM supplier ORDER BY id"


def suppliers_named(rows: Rows, name: str) -> list[int]:
    """The suppliers called ``name`` (spaces as typed do not matter, nor case in any script: SQLite's
    lower() folds only ASCII, so the names are compared here), the one spelled exactly so first."""
    wanted = " ".join(str(name).split())
    folded = wanted.lower()
    found = [(stored != wanted, int(sid)) for sid, stored in rows.all(SUPPLIER_NAMES)
             if " ".join(str(stored).split()).lower() == folded]
    return [sid for _, sid in sorted(found)]


def last_purchase_dates(rows: Rows) -> dict[int, date]:
    return {int(sid): day for sid, value in rows.all(LAST_PURCHASES) if (day := as_date(value)) is not None}


def to_dto(row: Row, last: date | None) -> SupplierDTO:
    sid, name, contact, phone, address, note, active, lead, terms = row[:9]
    return SupplierDTO(int(sid), name, contact, phone, address, note, bool(active), last,
                       lead_time_days=int(lead or 0), terms_days=int(terms or 0))


def list_suppliers(rows: Rows, *, active_only: bool = False, text: str = "") -> list[SupplierDTO]:
    """Suppliers, active first, in pinyin order; ``text`` filters on name, its pinyin initials,
    contact or phone."""
    text = clean_text(text, "Search", 100).lower()
    last = last_purchase_dates(rows)
    found = rows.all(ACTIVE_SUPPLIERS, active=True) if active_only else rows.all(SUPPLIERS)
    keyed = []
    for row in found:
        sup = to_dto(row, last.get(int(row[0])))
        initials = row[9]  # the stored 助记码 (migration 0024): no pinyin dictionaries loaded
        if text and text not in f"{sup.name}\n{sup.contact}\n{sup.phone}\n{initials}".lower():
            continue
        keyed.append(((not sup.active, initials, sup.name), sup))
    keyed.sort(key=itemgetter(0))
    return [sup for _, sup in keyed]

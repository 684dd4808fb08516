"""What goes on price tags and barcode labels, as SQL text either driver runs (db/text_reads.py): the
label service in its sessions (the window's labels, a style's, a delivery's) and ``jxc labels`` on
sqlite3 alone (issue 15: no SQLAlchemy to print a sheet of labels).

Products picked by code or barcode, the lines of a posted purchase note (the note as purchasing
reads it: its ``Note``) and the products whose sale price changed since a day (the audit trail's
``price_change`` entries, as safety reads them: each carries the code and the prices before and
after). The caller reads the note or the entries with the other package's SQL text over the same
``Rows``; this module turns them into label items."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from jxc_desktop.db.text_reads import Row, Rows, Where
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.catalog.dto import LabelItem
from jxc_desktop.services.purchasing.dto import Note

if TYPE_CHECKING:
    from jxc_desktop.services.safety.api import AuditEntry

MAX_LABELS = 20_000  # one print job; a longer run is split by the shop
MAX_COPIES = 999
CHUNK = 500  # ids (or codes) bound in one IN (...)

BY_CODE = "SELECT id FROM product WHERE code = :code"
BY_BARCODE = "SELECT product_id FROM barcode WHERE code = :code"
# A product with what its label shows: a variant's colour and size (a product of a style), and the
# code a unit label carries — its first one-unit barcode (a case barcode would sell a case).
PRODUCTS = ("SELECT p.id, p.code, p.name, p.spec, p.unit, p.sale_price, s.id, p.colour, p.size, "
            "(SELECT b.code FROM barcode b WHERE b.product_id = p.id AND b.multiplier = 1 ORDER BY b.id LIMIT 1) "
            "FROM product p LEFT OUTER JOIN style s ON s.id = p.style_id{where}")
CODE_IDS = "SELECT code, id FROM product{where}"


def _chunks(values: Sequence[object]) -> Iterable[Sequence[object]]:
    for i in range(0, len(values), CHUNK):
        yield values[i:i + CHUNK]


def items_for(rows: Rows, wanted: Sequence[tuple[int, int]]) -> list[LabelItem]:
    """A label item for each ``(product id, copies)``, in the order given; unknown ids are refused."""
    ids = list(dict.fromkeys(pid for pid, _ in wanted))
    products: dict[int, Row] = {}
    for chunk in _chunks(ids):
        where = Where()
        where.one_of("p.id", "id", chunk)
        products.update((r[0], r) for r in rows.all(PRODUCTS.format(where=where.sql()), **where.binds))
    missing = [pid for pid in ids if pid not in products]
    if missing:
        raise NotFoundError("Product {id} does not exist", id=missing[0])
    items: list[LabelItem] = []
    total = 0
    for pid, copies in wanted:
        if not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
            raise ValidationError("Print 1 to {n} labels of a product", n=MAX_COPIES)
        total += copies
        if total > MAX_LABELS:
            raise ValidationError("At most {n} labels in one go", n=MAX_LABELS)
        _, code, name, spec, unit, price, style, colour, size, barcode = products[pid]
        if style is None:  # no variant: no colour or size, whatever the columns hold
            colour = size = None
        items.append(LabelItem(product_id=pid, code=code, name=name, spec=spec, unit=unit, price=price,
                               barcode=barcode or "", colour=colour or None, size=size or None, copies=copies))
    return items


def for_codes(rows: Rows, codes: Sequence[str], copies: int = 1) -> list[LabelItem]:
    """Product codes (货号) or barcodes → label items, ``copies`` each, in the order given."""
    wanted: list[tuple[int, int]] = []
    for raw in codes:
        code = raw.strip()
        if not code:
            continue
        found = rows.all(BY_CODE, code=code) or rows.all(BY_BARCODE, code=code)
        if not found:
            raise NotFoundError("No product with code or barcode {code}", code=code[:40])
        wanted.append((found[0][0], copies))
    if not wanted:
        raise ValidationError("Choose the products to print labels for")
    return items_for(rows, wanted)


def copies_for_line(qty: int, per_unit: bool) -> int:
    """Labels for a purchase line: one, or one per whole unit received (a part unit gets one)."""
    return max(1, -(-qty // MILLI)) if per_unit else 1


def purchase_wanted(note: Note, per_unit: bool) -> list[tuple[int, int]]:
    """``(product id, copies)`` for the lines of a posted purchase note: one label per line, or one
    per unit received; any other note is refused."""
    if note.is_return or note.status != "posted":
        raise ValidationError("Labels are printed for a posted purchase note; {number} is not one",
                              number=note.number)
    wanted = [(line.product_id, copies_for_line(line.qty, per_unit)) for line in note.lines]
    if sum(c for _, c in wanted) > MAX_LABELS:
        raise ValidationError("At most {n} labels in one go", n=MAX_LABELS)
    return wanted


def price_changed_codes(entries: Iterable[AuditEntry]) -> list[str]:
    """Product codes whose sale price changed in these ``price_change`` entries, in order of change
    (each once). Entries of the till's discounts share the action name but carry no sale price:
    they are skipped."""
    seen: dict[str, None] = {}
    for entry in entries:
        try:
            before, after = json.loads(entry.before or "{}"), json.loads(entry.after or "{}")
        except ValueError:
            continue
        if not (isinstance(before, dict) and isinstance(after, dict)):
            continue
        if "sale_price" in after and before.get("sale_price") != after["sale_price"] and entry.document:
            seen[entry.document] = None
    return list(seen)


def changed_items(rows: Rows, entries: Iterable[AuditEntry], copies: int = 1) -> list[LabelItem]:
    """The products of the price changes in ``entries`` (today's price on the label). A product
    renamed to another code since is left out: its entry names the old code."""
    codes = price_changed_codes(entries)
    ids: dict[str, int] = {}
    for chunk in _chunks(codes):
        where = Where()
        where.one_of("code", "code", chunk)
        ids.update((code, pid) for code, pid in rows.all(CODE_IDS.format(where=where.sql()), **where.binds))
    return items_for(rows, [(ids[c], copies) for c in codes if c in ids])

"""The SQLAlchemy reads of the label service that session 18 replaced by SQL text
(catalog/label_items.py, safety/audit_list.entries_since), kept word for word as the reference the
text is compared with (test_labels_plain.py): products by code or barcode, a label item for each
product (its first one-unit barcode, a variant's colour and size), a posted purchase note's lines and
the products whose sale price changed since a local day. What they called and session 18 left as it
was (styles.variant_names_of; the purchase note by number as session 17 kept it in
documents_reference) is called from where it lives."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import AuditLog, Barcode, Product
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.catalog.dto import LabelItem
from jxc_desktop.services.catalog.styles import variant_names_of
from jxc_desktop.services.safety.audit import PRICE_CHANGE
from jxc_desktop.services.safety.audit_list import AuditEntry, entry
from tests.integration import documents_reference

MAX_LABELS = 20_000  # one print job; a longer run is split by the shop
MAX_COPIES = 999
_CHUNK = 500  # ids per IN (...) query


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def colour_size(session: Session, product_ids: Sequence[int]) -> dict[int, tuple[str | None, str | None]]:
    """Colour and size of each product that has them (the colour × size variants of a style)."""
    names = variant_names_of(session, list(product_ids))
    return {pid: (v.colour or None, v.size or None) for pid, v in names.items()}


def _label_barcode(barcodes: list[tuple[str, int]]) -> str:
    """The code a unit label carries: the first one-unit barcode (a case barcode would sell a case)."""
    for code, multiplier in barcodes:
        if multiplier == 1:
            return code
    return ""


def items_for(session: Session, wanted: Sequence[tuple[int, int]]) -> list[LabelItem]:
    """A label item for each ``(product id, copies)``, in the order given; unknown ids are refused."""
    ids = list(dict.fromkeys(pid for pid, _ in wanted))
    products: dict[int, Product] = {}
    codes: dict[int, list[tuple[str, int]]] = {}
    for chunk in _chunks(ids):
        for p in session.scalars(select(Product).where(Product.id.in_(chunk))):
            products[p.id] = p
        for pid, code, mult in session.execute(select(Barcode.product_id, Barcode.code, Barcode.multiplier)
                                               .where(Barcode.product_id.in_(chunk)).order_by(Barcode.id)):
            codes.setdefault(pid, []).append((code, mult))
    missing = [pid for pid in ids if pid not in products]
    if missing:
        raise NotFoundError("Product {id} does not exist", id=missing[0])
    extra = colour_size(session, ids)
    items: list[LabelItem] = []
    total = 0
    for pid, copies in wanted:
        if not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
            raise ValidationError("Print 1 to {n} labels of a product", n=MAX_COPIES)
        total += copies
        if total > MAX_LABELS:
            raise ValidationError("At most {n} labels in one go", n=MAX_LABELS)
        p = products[pid]
        colour, size = extra.get(pid, (None, None))
        items.append(LabelItem(product_id=pid, code=p.code, name=p.name, spec=p.spec, unit=p.unit,
                               price=p.sale_price, barcode=_label_barcode(codes.get(pid, [])),
                               colour=colour, size=size, copies=copies))
    return items


def _to_entry(row: AuditLog) -> AuditEntry:
    return entry((row.id, row.at, row.action, row.document, row.before, row.after, row.detail, row.actor))


def entries_since(session: Session, action: str, since: datetime) -> list[AuditEntry]:
    """Entries of ``action`` from ``since`` on, oldest first, in the caller's transaction."""
    q = select(AuditLog).where(AuditLog.action == action, AuditLog.at >= since).order_by(AuditLog.id)
    return [_to_entry(r) for r in session.scalars(q)]


def price_changed_codes(session: Session, since: date) -> list[str]:
    """Product codes whose sale price changed from local day ``since`` on, in order of change (each once).
    Entries of the till's discounts share the action name but carry no sale price: they are skipped."""
    seen: dict[str, None] = {}
    for entry_ in entries_since(session, PRICE_CHANGE, day_start_utc(since)):
        try:
            before, after = json.loads(entry_.before or "{}"), json.loads(entry_.after or "{}")
        except ValueError:
            continue
        if not (isinstance(before, dict) and isinstance(after, dict)):
            continue
        if "sale_price" in after and before.get("sale_price") != after["sale_price"] and entry_.document:
            seen[entry_.document] = None
    return list(seen)


def copies_for_line(qty: int, per_unit: bool) -> int:
    """Labels for a purchase line: one, or one per whole unit received (a part unit gets one)."""
    return max(1, -(-qty // MILLI)) if per_unit else 1


def for_codes(s: Session, codes: Sequence[str], copies: int = 1) -> list[LabelItem]:
    """LabelService.for_codes's read."""
    wanted: list[tuple[int, int]] = []
    for raw in codes:
        code = raw.strip()
        if not code:
            continue
        pid = (s.scalar(select(Product.id).where(Product.code == code))
               or s.scalar(select(Barcode.product_id).where(Barcode.code == code)))
        if pid is None:
            raise NotFoundError("No product with code or barcode {code}", code=code[:40])
        wanted.append((pid, copies))
    if not wanted:
        raise ValidationError("Choose the products to print labels for")
    return items_for(s, wanted)


def for_purchase(s: Session, number: str, *, per_unit: bool = False) -> list[LabelItem]:
    """LabelService.for_purchase's reads (the note as session 17's reference reads it)."""
    note = documents_reference.get_by_number(s, number)
    if note.is_return or note.status != "posted":
        raise ValidationError("Labels are printed for a posted purchase note; {number} is not one",
                              number=note.number)
    wanted = [(line.product_id, copies_for_line(line.qty, per_unit)) for line in note.lines]
    if sum(c for _, c in wanted) > MAX_LABELS:
        raise ValidationError("At most {n} labels in one go", n=MAX_LABELS)
    return items_for(s, wanted)


def changed_since(s: Session, since: date, copies: int = 1) -> list[LabelItem]:
    """LabelService.changed_since's read."""
    codes = price_changed_codes(s, since)
    ids: dict[str, int] = {}
    for chunk in [codes[i:i + _CHUNK] for i in range(0, len(codes), _CHUNK)]:
        ids.update((code, pid) for code, pid in s.execute(select(Product.code, Product.id)
                                                          .where(Product.code.in_(chunk))))
    # A product renamed to another code since is left out: its entry names the old code.
    return items_for(s, [(ids[c], copies) for c in codes if c in ids])

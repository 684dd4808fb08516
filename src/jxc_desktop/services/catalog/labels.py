"""Labels and in-store barcodes: what to print on price tags and barcode labels, and EAN-13 codes in
the in-store range (20–29) for goods that came without a barcode.

The label items come from three places: products picked by hand, the lines of a posted purchase note,
and products whose sale price changed since a day (read from the audit trail: every price edit in the
product dialog or a product import writes a ``price_change`` entry with the code and the prices before
and after). Rendering is reports/labels.py; this module hands it frozen ``LabelItem`` values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Barcode, Product
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.scale_barcode import parse_rules
from jxc_desktop.domain.store_barcode import free_prefixes, next_codes, serial_of
from jxc_desktop.services.catalog.dto import LabelItem, StoreBarcode
from jxc_desktop.services.catalog.styles import style_by_code, style_dto, variant_names_of
from jxc_desktop.services.purchasing import api as purchasing
from jxc_desktop.services.safety import api as audit
from jxc_desktop.services.shop.api import get_setting

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


def price_changed_codes(session: Session, since: date) -> list[str]:
    """Product codes whose sale price changed from local day ``since`` on, in order of change (each once).
    Entries of the till's discounts share the action name but carry no sale price: they are skipped."""
    seen: dict[str, None] = {}
    for entry in audit.entries_since(session, audit.PRICE_CHANGE, day_start_utc(since)):
        try:
            before, after = json.loads(entry.before or "{}"), json.loads(entry.after or "{}")
        except ValueError:
            continue
        if not (isinstance(before, dict) and isinstance(after, dict)):
            continue
        if "sale_price" in after and before.get("sale_price") != after["sale_price"] and entry.document:
            seen[entry.document] = None
    return list(seen)


def copies_for_line(qty: int, per_unit: bool) -> int:
    """Labels for a purchase line: one, or one per whole unit received (a part unit gets one)."""
    return max(1, -(-qty // MILLI)) if per_unit else 1


def fresh_codes(session: Session, count: int) -> list[str]:
    """``count`` in-store codes no barcode has, after the highest of each prefix the scale rules leave free."""
    rules = parse_rules(get_setting(session, "scale_barcode_rules"))
    prefixes = free_prefixes(rules)
    used_max: dict[str, int] = {}
    taken: set[str] = set()
    for prefix in prefixes:
        lo, hi = prefix + "0" * 11, prefix + "9" * 11
        for code in session.scalars(select(Barcode.code).where(Barcode.code >= lo, Barcode.code <= hi)):
            taken.add(code)
            serial = serial_of(code, prefix)
            if serial is not None:
                used_max[prefix] = max(used_max.get(prefix, 0), serial)
    return next_codes(prefixes, used_max, count, rules, taken)


@dataclass(frozen=True)
class LabelService:
    db: Database

    def for_products(self, wanted: Sequence[tuple[int, int]]) -> list[LabelItem]:
        """``(product id, copies)`` pairs → label items."""
        if not wanted:
            raise ValidationError("Choose the products to print labels for")
        with self.db.read() as uow:
            return items_for(uow.session, wanted)

    def for_codes(self, codes: Sequence[str], copies: int = 1) -> list[LabelItem]:
        """Product codes (货号) or barcodes → label items, ``copies`` each."""
        wanted: list[tuple[int, int]] = []
        with self.db.read() as uow:
            s = uow.session
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

    def for_purchase(self, number: str, *, per_unit: bool = False) -> list[LabelItem]:
        """The lines of a posted purchase note: one label per line, or one per unit received."""
        note = purchasing.PurchasingService(self.db).get_by_number(number)
        if note.is_return or note.status != "posted":
            raise ValidationError("Labels are printed for a posted purchase note; {number} is not one",
                                  number=note.number)
        wanted = [(line.product_id, copies_for_line(line.qty, per_unit)) for line in note.lines]
        if sum(c for _, c in wanted) > MAX_LABELS:
            raise ValidationError("At most {n} labels in one go", n=MAX_LABELS)
        with self.db.read() as uow:
            return items_for(uow.session, wanted)

    def for_style(self, code: str, *, per_unit: bool = False) -> list[LabelItem]:
        """Every active colour × size of a style, row by row of its grid: one label each, or one
        per unit on hand (a part unit gets one; a variant with none on hand gets none)."""
        with self.db.read() as uow:
            style = style_dto(uow.session, style_by_code(uow.session, code))
            active = [v for v in style.variants if v.active]
            if not active:
                raise ValidationError("{code} has no colour × size switched on", code=style.code)
            wanted = ([(v.product_id, copies_for_line(v.stock_qty, True)) for v in active if v.stock_qty > 0]
                      if per_unit else [(v.product_id, 1) for v in active])
            if not wanted:
                raise ValidationError("Nothing of {code} is on hand", code=style.code)
            return items_for(uow.session, wanted)

    def changed_since(self, since: date, copies: int = 1) -> list[LabelItem]:
        """Products whose sale price changed from local day ``since`` on (today's price on the label)."""
        with self.db.read() as uow:
            s = uow.session
            codes = price_changed_codes(s, since)
            ids: dict[str, int] = {}
            for chunk in [codes[i:i + _CHUNK] for i in range(0, len(codes), _CHUNK)]:
                ids.update((code, pid) for code, pid in s.execute(select(Product.code, Product.id)
                                                                  .where(Product.code.in_(chunk))))
            # A product renamed to another code since is left out: its entry names the old code.
            return items_for(s, [(ids[c], copies) for c in codes if c in ids])

    # ------------------------------------------------------------------ in-store barcodes
    def propose_store_barcode(self) -> str:
        """The next in-store code, for the product dialog to fill in (nothing is reserved: saving the
        product checks that no other product took it meanwhile)."""
        with self.db.read() as uow:
            return fresh_codes(uow.session, 1)[0]

    def generate_store_barcodes(self, product_ids: Sequence[int]) -> list[StoreBarcode]:
        """Give each product without a barcode a new in-store EAN-13 code (products that have one keep
        it and are not in the answer). One transaction: all codes or none."""
        ids = list(dict.fromkeys(product_ids))
        if not ids:
            raise ValidationError("Choose the products to give in-store barcodes")
        with self.db.write() as uow:
            s = uow.session
            has_code: set[int] = set()
            names: dict[int, tuple[str, str]] = {}
            for chunk in _chunks(ids):
                has_code.update(s.scalars(select(Barcode.product_id).where(Barcode.product_id.in_(chunk))))
                names.update({pid: (code, name) for pid, code, name in s.execute(
                    select(Product.id, Product.code, Product.name).where(Product.id.in_(chunk)))})
            missing = [pid for pid in ids if pid not in names]
            if missing:
                raise NotFoundError("Product {id} does not exist", id=missing[0])
            todo = [pid for pid in ids if pid not in has_code]
            if not todo:
                return []
            new = fresh_codes(s, len(todo))
            clash = next((c for chunk in _chunks(new)
                          for c in s.scalars(select(Barcode.code).where(Barcode.code.in_(chunk)).limit(1))), None)
            if clash is not None:  # cannot happen after the scan above; the unique index would refuse it too
                raise ValidationError("Barcode {code} is already used", code=clash)
            out: list[StoreBarcode] = []
            for pid, code in zip(todo, new, strict=True):
                s.add(Barcode(code=code, product_id=pid, multiplier=1))
                out.append(StoreBarcode(pid, names[pid][0], names[pid][1], code))
            s.flush()
            uow.commit()
        return out

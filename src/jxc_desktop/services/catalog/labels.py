"""Labels and in-store barcodes: what to print on price tags and barcode labels, and EAN-13 codes in
the in-store range (20–29) for goods that came without a barcode.

The label items come from three places: products picked by hand, the lines of a posted purchase note,
and products whose sale price changed since a day (read from the audit trail: every price edit in the
product dialog or a product import writes a ``price_change`` entry with the code and the prices before
and after). They are read as SQL text (label_items.py), which ``jxc labels`` runs on sqlite3 alone.
Rendering is reports/labels.py; this module hands it frozen ``LabelItem`` values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Barcode, Product
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.scale_barcode import parse_rules
from jxc_desktop.domain.store_barcode import free_prefixes, next_codes, serial_of
from jxc_desktop.services.catalog import label_items
from jxc_desktop.services.catalog.dto import LabelItem, StoreBarcode
from jxc_desktop.services.catalog.label_items import (
    changed_items,
    copies_for_line,
    items_for,
    purchase_wanted,
)
from jxc_desktop.services.catalog.styles import style_by_code, style_dto
from jxc_desktop.services.purchasing import api as purchasing
from jxc_desktop.services.safety import api as audit
from jxc_desktop.services.shop.api import get_setting

_CHUNK = 500  # ids per IN (...) query


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


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
            return items_for(SessionRows(uow.session), wanted)

    def for_codes(self, codes: Sequence[str], copies: int = 1) -> list[LabelItem]:
        """Product codes (货号) or barcodes → label items, ``copies`` each (``jxc labels --products``
        on sqlite3 alone runs the same SQL text)."""
        with self.db.read() as uow:
            return label_items.for_codes(SessionRows(uow.session), codes, copies)

    def for_purchase(self, number: str, *, per_unit: bool = False) -> list[LabelItem]:
        """The lines of a posted purchase note: one label per line, or one per unit received."""
        note = purchasing.PurchasingService(self.db).get_by_number(number)
        wanted = purchase_wanted(note, per_unit)
        with self.db.read() as uow:
            return items_for(SessionRows(uow.session), wanted)

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
            return items_for(SessionRows(uow.session), wanted)

    def changed_since(self, since: date, copies: int = 1) -> list[LabelItem]:
        """Products whose sale price changed from local day ``since`` on (today's price on the label)."""
        with self.db.read() as uow:
            rows = SessionRows(uow.session)
            return changed_items(rows, audit.entries_since(rows, audit.PRICE_CHANGE, day_start_utc(since)), copies)

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

"""Validation of product fields (the form, the import file and the CLI share it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import MAX_FEN
from jxc_desktop.domain.quantity import MAX_QTY

MAX_NAME = 120
MAX_CODE = 40
MAX_SPEC = 60
MAX_UNIT = 16
_CODE_RE = re.compile(r"^[0-9A-Za-z\-_.]{1,40}$")


@dataclass(frozen=True)
class ProductInput:
    """A product as entered. Money in fen, stock limits in thousandths."""

    name: str
    code: str = ""  # empty: the catalog assigns the next free number
    spec: str = ""
    unit: str = "个"
    category: str = ""  # category name; "" = none
    sale_price: int = 0
    ref_cost: int = 0
    min_stock: int = 0
    max_stock: int = 0
    shelf_life_days: int | None = None
    tracks_batches: bool = False
    pinyin: str | None = None  # None: generate from the name
    barcodes: tuple[tuple[str, int], ...] = field(default_factory=tuple)  # (code, multiplier)


def clean_text(value: str, what: str, limit: int, *, required: bool = False) -> str:
    text = " ".join(str(value).split())  # collapse whitespace, drop control characters like \n \t
    if any(ord(c) < 32 or ord(c) == 127 or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069
           for c in text):
        raise ValidationError("{field} holds control characters", field=what)
    if required and not text:
        raise ValidationError("{field} is required", field=what)
    if len(text) > limit:
        raise ValidationError("{field} is longer than {limit} characters", field=what, limit=limit)
    return text


def validate_product(p: ProductInput) -> ProductInput:
    name = clean_text(p.name, "Name", MAX_NAME, required=True)
    code = clean_text(p.code, "Code", MAX_CODE)
    if code and not _CODE_RE.match(code):
        raise ValidationError("Code '{code}' may hold only letters, digits and - _ .", code=code[:40])
    for what, amount in (("Sale price", p.sale_price), ("Purchase price", p.ref_cost)):
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise ValidationError("{field} is not an amount of money", field=what)
        if amount < 0:
            raise ValidationError("{field} must not be negative", field=what)
        if amount > MAX_FEN:
            raise ValidationError("{field} is too large", field=what)
    for what, qty in (("Minimum stock", p.min_stock), ("Maximum stock", p.max_stock)):
        if qty < 0 or qty > MAX_QTY:
            raise ValidationError("{field} must be between 0 and {limit}", field=what, limit=MAX_QTY // 1000)
    if p.max_stock and p.min_stock > p.max_stock:
        raise ValidationError("Minimum stock is above maximum stock")
    if p.shelf_life_days is not None and not 0 < p.shelf_life_days <= 36500:
        raise ValidationError("Shelf life must be between 1 and 36500 days")
    pinyin = None
    if p.pinyin is not None:
        pinyin = clean_text(p.pinyin, "Pinyin initials", MAX_NAME).lower() or None
    seen: set[str] = set()
    for code_, mult in p.barcodes:
        if code_ in seen:
            raise ValidationError("Barcode {code} is listed twice", code=code_)
        seen.add(code_)
        if not isinstance(mult, int) or not 1 <= mult <= 10000:
            raise ValidationError("Pack size of barcode {code} must be 1 to 10000", code=code_)
    return ProductInput(
        name=name, code=code, spec=clean_text(p.spec, "Spec", MAX_SPEC),
        unit=clean_text(p.unit, "Unit", MAX_UNIT) or "个", category=clean_text(p.category, "Category", 60),
        sale_price=p.sale_price, ref_cost=p.ref_cost, min_stock=p.min_stock, max_stock=p.max_stock,
        shelf_life_days=p.shelf_life_days, tracks_batches=bool(p.tracks_batches), pinyin=pinyin,
        barcodes=p.barcodes,
    )

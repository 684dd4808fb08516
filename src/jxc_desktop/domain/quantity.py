"""Quantities are integer thousandths of the product's unit (1.250 kg -> 1250)."""

from __future__ import annotations

import re
from decimal import Decimal

from jxc_desktop.domain.errors import ValidationError

MILLI = 1000
# Nobody sells or counts a billion of anything in one line: larger input is a typo.
MAX_QTY = 1_000_000_000 * MILLI

_QTY_RE = re.compile(r"^[+-]?\d+(\.\d{1,3})?$")


def units(n: int) -> int:
    """Whole units to stored thousandths."""
    return n * MILLI


def parse_qty(text: str | int | Decimal, *, field: str = "quantity", allow_zero: bool = False,
              allow_negative: bool = False) -> int:
    """Parse ``"1.25"`` into 1250 thousandths; at most three decimals, no NaN or exponent."""
    if isinstance(text, int) and not isinstance(text, bool):
        qty = text * MILLI
    else:
        raw = str(text).strip().replace(",", "")
        if not _QTY_RE.match(raw):
            raise ValidationError("{field}: '{value}' is not a quantity", field=field, value=str(text)[:40])
        qty = int(Decimal(raw) * MILLI)
    if qty < 0 and not allow_negative:
        raise ValidationError("{field} must not be negative", field=field)
    if qty == 0 and not allow_zero:
        raise ValidationError("{field} must be greater than zero", field=field)
    if abs(qty) > MAX_QTY:
        raise ValidationError("{field} is too large", field=field)
    return qty


def format_qty(qty: int) -> str:
    """1250 -> ``1.25``, 3000 -> ``3``: exact, without trailing zeros."""
    sign = "-" if qty < 0 else ""
    whole, frac = divmod(abs(int(qty)), MILLI)
    if frac == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{frac:03d}".rstrip("0")


def qty_to_str(qty: int) -> str:
    return format_qty(qty)

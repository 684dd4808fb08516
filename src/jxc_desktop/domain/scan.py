"""What a scanned or typed text is: the one scan grammar every tab uses.

A barcode scanner is a keyboard: it types the code and Enter. So the same line receives barcodes
(EAN-13/EAN-8/UPC-A with their check digit, in-store codes, a case's pack barcode), scale labels
(price or weight embedded, read by the shop's rules in domain/scale_barcode.py), product codes
(货号) and search text (pinyin initials, full pinyin, a piece of the name). This module only reads
the text; which product a code names is the catalogue's question (services/catalog/scan.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jxc_desktop.domain import pricing
from jxc_desktop.domain.barcode import GS1_LENGTHS, is_valid_gs1
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.scale_barcode import ScaleCode, ScaleRule, decode

MAX_SCAN = 40  # longer input is neither a code nor something a cashier searches for
SCANNER_DIGITS = 8  # all digits and at least this long: a scanned code, never search text
_BARCODE_CHARS = re.compile(r"^[0-9A-Za-z\-_.]{1,32}$")


@dataclass(frozen=True)
class ScanText:
    """The readings of one input. Several can hold at once (``2000123`` may be a barcode or a
    product code); the catalogue tries them in this order: barcode, scale label, product code,
    search."""

    text: str  # trimmed
    barcode: bool  # could be a barcode in the barcode table (characters a scanner sends)
    bad_check_digit: bool  # all digits of an EAN/UPC length but the check digit is wrong
    scale: ScaleCode | None  # a scale label by the shop's rules
    searchable: bool  # may be search text (not a long digit string a scanner sent)
    usable: bool = True  # False: empty, or too long to be a code or a search


    @property
    def new_barcode(self) -> bool:
        """A scanned code that could be registered as a new product's barcode."""
        return self.barcode and not self.searchable and not self.bad_check_digit


def read_scan(raw: str, rules: list[ScaleRule]) -> ScanText:
    """Classify ``raw``; nothing is looked up here."""
    text = str(raw).strip()
    if not text or len(text) > MAX_SCAN:
        return ScanText(text[:MAX_SCAN], False, False, None, False, usable=False)
    digits = text.isascii() and text.isdigit()
    bad_check = digits and len(text) in GS1_LENGTHS and not is_valid_gs1(text)
    scale = decode(text, rules) if maybe_scale(text) else None
    return ScanText(text, bool(_BARCODE_CHARS.match(text)), bad_check, scale,
                    not (digits and len(text) >= SCANNER_DIGITS))


def qty_for_amount(amount: int, sale_price: int, name: str) -> int:
    """A price label's quantity (thousandths): what the amount buys at the sale price, at least one
    thousandth. A product without a sale price cannot be sold by a price label."""
    if sale_price <= 0:
        raise ValidationError("{name} has no sale price; a price label cannot be sold", name=name)
    return pricing.qty_for_amount(amount, sale_price)


def search_kind(text: str) -> tuple[bool, bool]:
    """(pinyin, latin) of search text: ASCII letters/digits only may be pinyin (initials or full);
    any Latin letter means the name is matched case-insensitively."""
    low = text.lower()
    return low.isascii() and low.isalnum(), any("a" <= c <= "z" for c in low)


def maybe_scale(text: str) -> bool:
    """Could be a scale label (then the shop's rules are worth reading): 13 digits starting with 2."""
    t = text.strip()
    return len(t) == 13 and t.isascii() and t.isdigit() and t.startswith("2")

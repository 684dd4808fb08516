"""Barcode rules: GS1 check digits for EAN-13, EAN-8 and UPC-A; other in-store codes allowed."""

from __future__ import annotations

import re

from jxc_desktop.domain.errors import ValidationError

_ALLOWED = re.compile(r"^[0-9A-Za-z\-_.]{1,32}$")
GS1_LENGTHS = (8, 12, 13)


def gs1_check_digit(body: str) -> int:
    """The check digit for the digits before it (weights 3,1,3,... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gs1(code: str) -> bool:
    return code.isascii() and code.isdigit() and len(code) in GS1_LENGTHS and gs1_check_digit(code[:-1]) == int(code[-1])


def with_check_digit(body: str) -> str:
    return body + str(gs1_check_digit(body))


def normalize_barcode(raw: str) -> str:
    """Trim and validate. All-digit codes of EAN-8/UPC-A/EAN-13 length must have a right check digit."""
    code = str(raw).strip()
    if not code:
        raise ValidationError("The barcode is empty")
    if not _ALLOWED.match(code):
        raise ValidationError("Barcode '{code}' has characters a scanner does not send", code=code[:40])
    if code.isdigit() and len(code) in GS1_LENGTHS and not is_valid_gs1(code):
        raise ValidationError("Barcode {code} has a wrong check digit", code=code)
    return code

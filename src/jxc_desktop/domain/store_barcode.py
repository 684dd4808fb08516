"""In-store EAN-13 codes (店内码) for goods without a manufacturer barcode.

GS1 leaves the prefixes 20–29 to each shop. A code here is ``2d`` + a ten-digit serial + the check
digit. Shop scales print weighed or priced labels in the same range (domain/scale_barcode.py), so a
prefix that any scale rule can match is never handed out: a scanned in-store code would otherwise be
read as a weight or an amount.
"""

from __future__ import annotations

from jxc_desktop.domain.barcode import is_valid_gs1, with_check_digit
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.scale_barcode import ScaleRule, decode

PREFIXES = tuple(f"2{d}" for d in range(10))
SERIAL_DIGITS = 10
MAX_SERIAL = 10 ** SERIAL_DIGITS - 1


def prefix_taken(prefix: str, rule: ScaleRule) -> bool:
    """True when ``rule`` can match some code starting with ``prefix`` (a digit of the rule at a
    prefix position must differ from the prefix's digit for the two to be apart)."""
    return all(not p.isdigit() or p == c for p, c in zip(rule.pattern, prefix, strict=False))


def free_prefixes(rules: list[ScaleRule]) -> list[str]:
    """The in-store prefixes no scale rule can match, in order."""
    return [p for p in PREFIXES if not any(prefix_taken(p, r) for r in rules)]


def store_code(prefix: str, serial: int) -> str:
    """``prefix`` + ``serial`` as ten digits + the check digit."""
    if prefix not in PREFIXES:
        raise ValidationError("An in-store barcode starts with 20 to 29, not {prefix}", prefix=prefix[:4])
    if not 0 < serial <= MAX_SERIAL:
        raise ValidationError("The in-store barcodes of prefix {prefix} are used up", prefix=prefix)
    return with_check_digit(f"{prefix}{serial:0{SERIAL_DIGITS}d}")


def serial_of(code: str, prefix: str) -> int | None:
    """The serial of an in-store code of ``prefix`` (None for any other code)."""
    if len(code) == 13 and code.startswith(prefix) and is_valid_gs1(code):
        return int(code[2:12])
    return None


def is_store_code(code: str) -> bool:
    return len(code) == 13 and code[:2] in PREFIXES and is_valid_gs1(code)


def reads_as_scale(code: str, rules: list[ScaleRule]) -> bool:
    """Whether a till with these rules would read ``code`` as a scale label."""
    return decode(code, rules) is not None


def next_codes(prefixes: list[str], used_max: dict[str, int], count: int,
               rules: list[ScaleRule], taken: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """``count`` new codes: serials after the highest used of each free prefix, first prefix first.
    ``used_max`` maps a prefix to its highest serial in use; ``taken`` are codes known to be used."""
    if not prefixes:
        raise ValidationError("The scale label rules use every in-store prefix 20–29; no in-store "
                              "barcode can be made. Change the scale rules in the till settings")
    codes: list[str] = []
    for prefix in prefixes:
        serial = used_max.get(prefix, 0)
        while len(codes) < count and serial < MAX_SERIAL:
            serial += 1
            code = store_code(prefix, serial)
            if code not in taken and not reads_as_scale(code, rules):
                codes.append(code)
        if len(codes) == count:
            return codes
    raise ValidationError("The in-store barcodes are used up")

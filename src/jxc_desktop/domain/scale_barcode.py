"""Weighed and price-embedded EAN-13 barcodes printed by shop scales (codes starting with 2).

A rule is a 13-character pattern, several separated by ``;`` in the setting
``scale_barcode_rules``; the first rule that matches a code wins:

- a digit must equal that digit (``2``, ``21`` ...), ``X`` is any digit (ignored),
- ``I`` item code digits (the product's 货号; leading zeros are not significant),
- ``W`` the weight in grams (= thousandths of a kilogram), or ``P`` the price in fen,
- ``C`` the EAN-13 check digit (verified).

Example: ``21IIIIIWWWWWC;22IIIIIPPPPPC`` — 21… carry a weight, 22… carry the amount to pay.
"""

from __future__ import annotations

from dataclasses import dataclass

from jxc_desktop.domain.barcode import is_valid_gs1
from jxc_desktop.domain.errors import ValidationError

DEFAULT_RULES = "21IIIIIWWWWWC;22IIIIIPPPPPC"


@dataclass(frozen=True)
class ScaleRule:
    pattern: str

    @property
    def kind(self) -> str:
        return "weight" if "W" in self.pattern else "price"


@dataclass(frozen=True)
class ScaleCode:
    """What a scale label says: the item code and either a weight (thousandths) or an amount (fen)."""

    item: str
    weight: int | None
    amount: int | None


def parse_rules(text: str) -> list[ScaleRule]:
    rules: list[ScaleRule] = []
    for raw in text.replace(",", ";").split(";"):
        pattern = raw.strip().upper()
        if not pattern:
            continue
        ok = (len(pattern) == 13 and pattern[0] == "2" and all(c in "0123456789XIWPC" for c in pattern)
              and "I" in pattern and (("W" in pattern) != ("P" in pattern))
              and pattern.count("C") <= 1 and (pattern.count("C") == 0 or pattern.endswith("C")))
        if not ok:
            raise ValidationError("Scale barcode rule '{rule}' is not valid (13 characters: 2, digits, "
                                  "X, I item, W weight or P price, C check digit)", rule=pattern[:20])
        rules.append(ScaleRule(pattern))
    return rules


def validate_rules(text: str) -> str:
    parse_rules(text)
    return text


def _matches(pattern: str, code: str) -> bool:
    if len(code) != len(pattern) or not (code.isascii() and code.isdigit()):
        return False
    for p, c in zip(pattern, code, strict=True):
        if p.isdigit() and p != c:
            return False
    return not ("C" in pattern and not is_valid_gs1(code))


def decode(code: str, rules: list[ScaleRule]) -> ScaleCode | None:
    """The first rule matching ``code`` decoded, or None (not a scale label)."""
    for rule in rules:
        if not _matches(rule.pattern, code):
            continue
        item = "".join(c for p, c in zip(rule.pattern, code, strict=True) if p == "I")
        number = int("".join(c for p, c in zip(rule.pattern, code, strict=True) if p in "WP"))
        if rule.kind == "weight":
            return ScaleCode(item, number, None)
        return ScaleCode(item, None, number)
    return None


def item_code_candidates(item: str) -> list[str]:
    """Product codes an item field may stand for: as printed, without leading zeros, six digits."""
    stripped = item.lstrip("0") or "0"
    return list(dict.fromkeys([item, stripped, stripped.zfill(6)]))

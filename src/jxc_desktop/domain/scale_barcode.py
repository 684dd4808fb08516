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

from jxc_desktop.domain.barcode import is_valid_gs1, with_check_digit
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


# ---------------------------------------------------------------------- the rule as a form
# The till settings show a rule as its parts (prefix, item digits, weight or price digits) instead of
# the 13-character pattern; these turn one into the other and make a sample label to decode live.

KINDS = ("weight", "price")
EXAMPLE_ITEM = 123  # the sample label's item code
EXAMPLE_VALUE = {"weight": 1250, "price": 1880}  # 1.25 kg, ¥18.80


@dataclass(frozen=True)
class RuleLayout:
    """``prefix`` (2, then digits; X = any digit) + item digits + weight/price digits + check digit,
    with any unused positions before the check digit ignored (X)."""

    prefix: str
    item_digits: int
    kind: str  # "weight" or "price"
    value_digits: int
    check_digit: bool = True

    def pattern(self) -> str:
        prefix = self.prefix.strip().upper()
        if not (prefix[:1] == "2" and all(c in "0123456789X" for c in prefix)):
            raise ValidationError("The prefix of a scale label starts with 2 and has only digits or X, "
                                  "not '{prefix}'", prefix=prefix[:13])
        if self.kind not in KINDS:
            raise ValidationError("A scale label carries a weight or a price")
        if not (1 <= self.item_digits <= 11 and 1 <= self.value_digits <= 11):
            raise ValidationError("Item and weight/price need at least one digit each")
        used = len(prefix) + self.item_digits + self.value_digits + (1 if self.check_digit else 0)
        if used > 13:
            raise ValidationError("This rule needs {used} digits; a scale label has 13", used=used)
        code = "W" if self.kind == "weight" else "P"
        pattern = (prefix + "I" * self.item_digits + code * self.value_digits + "X" * (13 - used)
                   + ("C" if self.check_digit else ""))
        parse_rules(pattern)  # the same checks as a typed pattern
        return pattern


def layout_of(pattern: str) -> RuleLayout | None:
    """The parts of a rule, or None when it is laid out otherwise (then it is kept as typed)."""
    p = pattern.strip().upper()
    head = len(p) - len(p.lstrip("0123456789X"))
    body = p[head:]
    n_item = len(body) - len(body.lstrip("I"))
    rest = body[n_item:]
    kind_char = rest[:1]
    n_value = len(rest) - len(rest.lstrip(kind_char)) if kind_char in ("W", "P") else 0
    tail = rest[n_value:]
    check = tail.endswith("C")
    filler = tail[:-1] if check else tail
    if not (head and p[0] == "2" and n_item and n_value and set(filler) <= {"X"}):
        return None
    layout = RuleLayout(p[:head], n_item, "weight" if kind_char == "W" else "price", n_value, check)
    try:
        return layout if layout.pattern() == p else None
    except ValidationError:
        return None


def example_code(rule: ScaleRule) -> str:
    """A label this rule reads: item 123, 1.25 kg or ¥18.80 (cut to the digits the rule has)."""
    item = str(EXAMPLE_ITEM).zfill(rule.pattern.count("I"))[-rule.pattern.count("I"):]
    n_value = sum(1 for c in rule.pattern if c in "WP")
    value = str(EXAMPLE_VALUE[rule.kind] % 10 ** n_value).zfill(n_value)
    items, values = iter(item), iter(value)
    body = "".join(next(items) if c == "I" else next(values) if c in "WP" else "0" if c == "X" else c
                   for c in rule.pattern if c != "C")
    return with_check_digit(body) if rule.pattern.endswith("C") else body

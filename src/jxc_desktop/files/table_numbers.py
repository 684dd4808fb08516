"""Numbers in import files that hold a comma: read one way only when the column says which.

``12,50`` may be twelve yuan fifty (a decimal comma, as European Excel writes) or twelve hundred
and fifty (a thousands separator); ``1,2,3`` is neither. Blindly dropping the comma stored ¥1,250.00
and ¥123. The rule, per column of the file (README, "Product files"):

- A value without a comma is passed on as it is (``12.5``, ``¥3.50``, ``1250``) — except ``1.250``
  in a column that uses decimal commas, where the point may be a thousands separator (a bad row).
- A comma is a **thousands separator** when it sits between groups of three digits and the value
  or its column shows a decimal point: ``1,250.00`` and ``12,345,678`` always (no other reading);
  ``1,250`` only when another value in the column is written with a decimal point (``3.50``) and
  none with a decimal comma.
- A comma is a **decimal comma** (``12,50`` = 12.50, ``1.250,50`` = 1250.50) only when the whole
  column agrees: no value in it is written with a decimal point or comma-thousands.
  ``1,250`` in such a column is 1.25.
- Anything else with a comma is a bad row with a reason: ``1,2,3``; ``1,250`` in a column that
  gives no hint (1250 or 1.25?); a decimal comma in a column that elsewhere uses a decimal point.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from jxc_desktop.domain.errors import ValidationError

_SHAPE = re.compile(r"^\s*([+-]?)\s*([¥￥]?)\s*([0-9][0-9.,]*)\s*$")
_INT = re.compile(r"^[0-9]+$")
_DOT = re.compile(r"^[0-9]+\.[0-9]+$")
_DOT3 = re.compile(r"^[0-9]{1,3}\.[0-9]{3}$")  # 1.250: a point that may be a thousands separator
_COMMA3 = re.compile(r"^[0-9]{1,3},[0-9]{3}$")  # 1,250: either way
_COMMA_DEC = re.compile(r"^[0-9]+,[0-9]+$")  # 12,50 (groups other than three: only a decimal comma)
_THOUSANDS = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+\.[0-9]+$|^[0-9]{1,3}(,[0-9]{3}){2,}$")  # 1,250.00 / 1,250,000
_EURO = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+,[0-9]+$")  # 1.250,50

PLAIN, DOT, DOT3, COMMA3, COMMA_DEC, THOUSANDS, EURO, BAD = range(8)


def _shape(text: str) -> tuple[int, str, str]:
    """(kind, sign and currency prefix, digits part) of a cell's text."""
    if "," not in text and "，" not in text:
        m = _SHAPE.match(text)
        if m and _DOT3.match(m.group(3)):
            return DOT3, m.group(1) + m.group(2), m.group(3)
        if m and _DOT.match(m.group(3)):
            return DOT, m.group(1) + m.group(2), m.group(3)
        return PLAIN, "", text
    m = _SHAPE.match(text)
    if not m:
        return BAD, "", text
    prefix, body = m.group(1) + m.group(2), m.group(3)
    for kind, pattern in ((COMMA3, _COMMA3), (THOUSANDS, _THOUSANDS), (EURO, _EURO), (COMMA_DEC, _COMMA_DEC)):
        if pattern.match(body):
            return kind, prefix, body
    return BAD, prefix, body


def _trim(decimal: str) -> str:
    """``1.250`` -> ``1.25``: trailing zeros after the point say nothing (``parse_yuan`` wants two places)."""
    return decimal.rstrip("0").rstrip(".") if "." in decimal else decimal


class NumberColumn:
    """How one column of a file writes its numbers; ``text()`` gives a cell's number without commas."""

    def __init__(self, values: Iterable[str]) -> None:
        kinds = {_shape(v)[0] for v in values if v}
        # A point that is surely a decimal point: 12.5 (not three digits after it), 1,250.00.
        self.point = DOT in kinds or THOUSANDS in kinds
        self.comma = COMMA_DEC in kinds or EURO in kinds  # a comma that is surely a decimal comma

    def text(self, raw: str, field: str) -> str:
        """``raw`` ready for ``parse_yuan``/``parse_qty`` (no comma left), or ValidationError."""
        kind, prefix, body = _shape(raw)
        if kind in (PLAIN, DOT):
            return raw
        if kind == DOT3:
            if not self.comma:
                return raw
            return self._ambiguous(raw, field, body.replace(".", ""), _trim(body))
        if kind == BAD:
            raise ValidationError("{field}: '{value}' is not a number", field=field, value=raw[:40])
        if kind == THOUSANDS:  # 1,250.00 or 1,250,000: no other reading
            return prefix + body.replace(",", "")
        decimal = _trim(body.replace(".", "").replace(",", "."))  # read with a decimal comma
        if kind == COMMA3:
            thousands = body.replace(",", "")
            if self.point and not self.comma:
                return prefix + thousands
            if self.comma and not self.point:
                return prefix + decimal
            return self._ambiguous(raw, field, thousands, decimal)
        # COMMA_DEC, EURO: only a decimal comma can mean this
        if self.point:
            raise ValidationError("{field}: '{value}' has a decimal comma, but this column also has numbers with a "
                                  "decimal point; write {fixed}", field=field, value=raw[:40], fixed=decimal)
        return prefix + decimal

    @staticmethod
    def _ambiguous(raw: str, field: str, one: str, other: str) -> str:
        raise ValidationError("{field}: '{value}' is ambiguous (a thousands separator or a decimal mark?); "
                              "write {one} or {other}", field=field, value=raw[:40], one=one, other=other)
